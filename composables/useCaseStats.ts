import type { ExportTarget } from './useDashboardExport'

/**
 * The bureau's case statistics: counts per school by one dimension, small cells suppressed by the server.
 * The export is the same table through the same suppression, so it shows nothing the screen hides.
 */
export async function useCaseStats() {
  const { t, te, locale } = useI18n()
  const { $trpc } = useNuxtApp()
  const dimension = ref<'risk_level' | 'category' | 'status'>('risk_level')
  const stats = $trpc.case.districtStats.useQuery(() => ({ dimension: dimension.value }), { queryKey: 'district-case-stats' })
  const data = computed(() => stats.data.value)
  const { error, errorMessage } = useLoadError(stats)

  /** A column's heading in the reader's language (an unknown value shows as itself). */
  function colLabel(c: string) {
    const key = dimension.value === 'risk_level' ? `risk.${c}` : dimension.value === 'category' ? `categories.${c}` : `case.status_${c}`
    return te(key) ? t(key) : c
  }
  /** A suppressed cell (null) reads "<10", never as zero. */
  const cell = (n: number | null | undefined) => (n == null ? '<10' : String(n))
  const columnTotals = computed(() => {
    const d = data.value
    return d ? d.columns.map((c, j) => `${colLabel(c)} ${cell(d.columnTotals[j] ?? null)}`).join(t('punct.comma')) : ''
  })

  /** A school by its name in the reader's language (table slots hand rows over untyped). */
  const schoolLabel = (row: object) => {
    const { schoolName, schoolNameEn } = row as { schoolName: string; schoolNameEn: string | null }
    return (locale.value === 'en' && schoolNameEn) || schoolName
  }
  const exportTarget = computed<ExportTarget>(() => ({ kind: 'caseStats', filters: { dimension: dimension.value } }))

  useHead({ title: () => t('stats.title') })
  await Promise.all([stats])
  return { error, errorMessage, dimension, data, colLabel, cell, columnTotals, schoolLabel, exportTarget }
}
