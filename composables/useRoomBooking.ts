/** Booking a student from the roster, or a parent or teacher, into one open slot. */
export function useRoomBooking() {
  const { $trpc } = useNuxtApp()
  const { t } = useI18n()
  const { busy, errors, run } = useSubmit()
  const picker = useStudentPicker()
  const form = ref({
    kind: 'student' as 'student' | 'parent' | 'teacher',
    studentId: null as number | null,
    name: '',
    phone: '',
    topic: '',
  })
  function reset() {
    form.value = { kind: 'student', studentId: null, name: '', phone: '', topic: '' }
  }
  async function book(slot: { slotId: number; date: string }): Promise<boolean> {
    const f = form.value
    const ok = await run(() =>
      f.kind === 'student'
        ? $trpc.room.book.mutate({ kind: 'student', studentId: f.studentId ?? 0, slot, topic: f.topic || null })
        : $trpc.room.book.mutate({ kind: f.kind, name: f.name, phone: f.phone, slot, topic: f.topic || null }),
    )
    if (ok) {
      ElMessage.success(t('room.ops.booked'))
      reset()
    }
    return ok
  }
  return { form, picker, book, busy, errors, reset }
}
