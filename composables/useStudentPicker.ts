/** A student the picker offers; `openCaseId` when the student already has an open case (then it cannot be picked). */
export interface PickerOption {
  id: number
  studentNo: string
  label: string
  openCaseId: number | null
}

/**
 * Finding a student to open a case for: searches by student number or part of the name on the server
 * (the term travels in the POST body, never in a URL) and offers each match with its class and whether
 * a case is already open for it. `presetId` (the roster's "open case", an id in the URL, never a name)
 * is looked up once and offered first.
 */
export function useStudentPicker(presetId: number | null = null) {
  const { $trpc } = useNuxtApp()
  const { report } = useApiError()
  const { gradeClass } = useFormat()
  const found = ref<PickerOption[]>([])
  const loading = ref(false)

  const toOption = (s: { id: number; studentNo: string; name: string; grade: number; className: string; openCaseId: number | null }) => ({
    id: s.id,
    studentNo: s.studentNo,
    label: `${s.name} · ${s.studentNo} · ${gradeClass(s.grade, s.className)}`,
    openCaseId: s.openCaseId,
  })

  const presetQuery = presetId ? $trpc.student.byId.useQuery({ id: presetId }, { queryKey: `picker-student-${presetId}` }) : null
  const preset = computed<PickerOption | null>(() => (presetQuery?.data.value ? toOption(presetQuery.data.value) : null))

  const options = computed(() => {
    const p = preset.value
    return p && !found.value.some((o) => o.id === p.id) ? [p, ...found.value] : found.value
  })

  async function search(term: string) {
    loading.value = true
    try {
      const res = await $trpc.student.list.query({ search: term || undefined, pageSize: 30 })
      found.value = res.rows.map(toOption)
    } catch (err) {
      await report(err)
    } finally {
      loading.value = false
    }
  }

  const optionFor = (id: number | null) => options.value.find((o) => o.id === id) ?? null

  /**
   * A student with an open case cannot be picked: the pick is refused (the form keeps no student) and
   * remembered, so the form can say why and link to the open case. A preset student is refused alike.
   */
  const refusedPick = ref<PickerOption | null>(null)
  const picked = ref(false)
  function accept(id: number | null): number | null {
    picked.value = true
    const o = optionFor(id)
    refusedPick.value = o?.openCaseId != null ? o : null
    return refusedPick.value ? null : id
  }
  const refused = computed(() => refusedPick.value ?? (!picked.value && preset.value?.openCaseId != null ? preset.value : null))
  /** The preset student's id when it can be picked (the form starts with it). */
  const presetPick = computed(() => (preset.value && preset.value.openCaseId == null ? preset.value.id : null))

  return { options, loading, search, ready: presetQuery ?? Promise.resolve(), presetPick, accept, refused }
}
