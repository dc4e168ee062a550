/**
 * The link back from a case to the screening warning it was opened from (counsellors only: the
 * warnings permission). Null when the case did not come from a screening warning.
 */
export function useScreeningCaseLink(caseId: () => number) {
  const { $trpc } = useNuxtApp()
  const session = useSessionStore()
  const warning = ref<{ id: number; level: string; campaignName: string } | null>(null)
  onMounted(async () => {
    if (!session.can('screening.warnings')) return
    try {
      warning.value = await $trpc.screening.warningOfCase.query({ caseId: caseId() })
    } catch {
      warning.value = null
    }
  })
  return { warning }
}
