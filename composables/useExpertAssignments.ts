/** The expert's list: the applications they sit on the panel of, and where their own sheet stands. */
export async function useExpertAssignments() {
  const { $trpc } = useNuxtApp()
  const { locale } = useI18n()
  const q = $trpc.accreditation.assignments.useQuery(undefined, { queryKey: 'accreditation-assignments' })
  const { errorMessage } = useLoadError(q)
  const rows = computed(() => q.data.value ?? [])
  const name = (r: { schoolName: string; schoolNameEn: string | null }) =>
    locale.value === 'en' && r.schoolNameEn ? r.schoolNameEn : r.schoolName
  await q
  return { rows, name, errorMessage }
}
