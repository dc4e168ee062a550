/**
 * Finding a student to open a case for: searches by student number or full name on the server (the
 * term travels in the POST body, never in a URL) and offers each match with its class.
 */
export function useStudentPicker() {
  const { $trpc } = useNuxtApp()
  const { report } = useApiError()
  const { gradeClass } = useFormat()
  const options = ref<{ id: number; label: string }[]>([])
  const loading = ref(false)

  async function search(term: string) {
    loading.value = true
    try {
      const res = await $trpc.student.list.query({ search: term || undefined, pageSize: 30 })
      options.value = res.rows.map((s) => ({ id: s.id, label: `${s.name} · ${s.studentNo} · ${gradeClass(s.grade, s.className)}` }))
    } catch (err) {
      await report(err)
    } finally {
      loading.value = false
    }
  }

  return { options, loading, search }
}
