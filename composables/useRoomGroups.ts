/** Group counselling: the school's groups, a new group's form, and one group's sessions with attendance. */
export function useRoomGroups() {
  const { $trpc } = useNuxtApp()
  const { t } = useI18n()
  const { busy, errors, run } = useSubmit()
  const picker = useStudentPicker()
  const groups = $trpc.room.groups.useQuery(undefined, { queryKey: 'room-groups' })
  const rota = $trpc.room.rota.useQuery(undefined, { queryKey: 'room-rota-counsellors' })
  const counsellors = computed(() => rota.data.value?.counsellors ?? [])
  const creating = ref(false)
  const blank = () => ({
    theme: '',
    facilitatorIds: [] as number[],
    studentIds: [] as number[],
    countsAsActivity: false,
    sessions: [{ date: '', start: '15:30', durationMin: 60 }],
  })
  const form = ref(blank())
  const openId = ref<number | null>(null)
  const group = ref<Awaited<ReturnType<typeof $trpc.room.group.query>> | null>(null)
  const attendance = ref<Record<number, { present: number[]; notes: string }>>({})

  function startCreate() {
    form.value = blank()
    creating.value = true
  }
  const addSession = () => form.value.sessions.push({ ...(form.value.sessions.at(-1) ?? { date: '', start: '15:30', durationMin: 60 }) })
  const removeSession = (i: number) => form.value.sessions.splice(i, 1)

  async function create() {
    const ok = await run(() => $trpc.room.createGroup.mutate(form.value))
    if (ok) {
      creating.value = false
      ElMessage.success(t('common.saved'))
      await groups.refresh()
    }
  }

  async function load(id: number) {
    const ok = await run(async () => {
      group.value = await $trpc.room.group.query({ id })
    })
    if (ok && group.value) {
      openId.value = id
      attendance.value = Object.fromEntries(group.value.sessions.map((s) => [s.id, { present: [...s.present], notes: s.notes ?? '' }]))
    }
  }

  async function saveAttendance(sessionId: number) {
    const a = attendance.value[sessionId]
    if (!a) return
    const ok = await run(() => $trpc.room.attendance.mutate({ sessionId, present: a.present, notes: a.notes || null }))
    if (ok) {
      ElMessage.success(t('room.ops.attendanceSaved'))
      if (openId.value) await load(openId.value)
      await groups.refresh()
    }
  }

  return {
    groups,
    counsellors,
    creating,
    form,
    picker,
    startCreate,
    addSession,
    removeSession,
    create,
    openId,
    group,
    attendance,
    load,
    saveAttendance,
    busy,
    errors,
  }
}
