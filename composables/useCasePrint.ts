import { buildTimeline, notifiedLabel, RISK_ENTRY_LABELS } from '~~/shared/timeline'

/** The print view of one case file: the file, its timeline oldest first, and who printed it when. */
export function useCasePrint(id: MaybeRefOrGetter<number>) {
  const { $trpc } = useNuxtApp()
  const { t } = useI18n()
  const session = useSessionStore()
  const file = $trpc.case.byId.useQuery(() => ({ id: toValue(id) }), { queryKey: `case-print-${toValue(id)}` })
  const c = computed(() => file.data.value)
  const timeline = computed(() => (c.value ? buildTimeline(c.value).reverse() : []))
  const printedAt = new Date().toISOString()
  return {
    file,
    c,
    timeline,
    printedAt,
    schoolName: computed(() => session.user?.schoolName ?? ''),
    printedBy: computed(() => session.user?.displayName ?? ''),
    riskLabels: RISK_ENTRY_LABELS,
    /** "Guardian 母亲", or an older record's free text */
    notifiedLabel: (n: { recipient: string | null; name: string | null }) => notifiedLabel(n, t),
  }
}
