import { HIDDEN_MARK } from '~~/shared/disclosure'
import type { ExportTarget } from './useDashboardExport'

/**
 * The bureau's case statistics: counts per school by one dimension, published by the server's disclosure
 * module. The export is the same table through the same release, so it shows nothing the screen hides.
 */
export async function useCaseStats() {
  const { t, te, locale } = useI18n()
  const { formatDateTime } = useFormat()
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
  /** A hidden figure (null) reads "—": it may be any value, so it never reads as "<10" or zero. */
  const cell = (n: number | null | undefined) => (n == null ? HIDDEN_MARK : String(n))
  const columnTotals = computed(() => {
    const d = data.value
    return d ? d.columns.map((c, j) => `${colLabel(c)} ${cell(d.columnTotals[j] ?? null)}`).join(t('punct.comma')) : ''
  })

  // Schools whose every published figure is 0 fold away (they are published zeros, nothing hidden).
  type Row = NonNullable<typeof data.value>['rows'][number]
  const allZero = (r: Row) => r.cells.every((c) => c === 0) && (!data.value?.additive || r.total === 0)
  const showEmpty = ref(false)
  const emptyRows = computed(() => data.value?.rows.filter(allZero).length ?? 0)
  const rows = computed(() => (data.value ? data.value.rows.filter((r) => showEmpty.value || !allZero(r)) : []))

  const note = computed(() => (data.value ? t('stats.suppressionNote', { below: data.value.threshold - 1 }) : ''))
  const population = computed(() => (data.value ? t(`stats.population.${data.value.population}`) : ''))
  const releasedAt = computed(() => (data.value ? t('stats.releasedAt', { at: formatDateTime(data.value.releasedAt) }) : ''))

  /** A school by its name in the reader's language (table slots hand rows over untyped). */
  const schoolLabel = (row: object) => {
    const { schoolName, schoolNameEn } = row as { schoolName: string; schoolNameEn: string | null }
    return (locale.value === 'en' && schoolNameEn) || schoolName
  }
  const exportTarget = computed<ExportTarget>(() => ({ kind: 'caseStats', filters: { dimension: dimension.value } }))

  useHead({ title: () => t('stats.title') })
  await Promise.all([stats])
  return {
    error,
    errorMessage,
    dimension,
    data,
    rows,
    showEmpty,
    emptyRows,
    note,
    population,
    releasedAt,
    colLabel,
    cell,
    columnTotals,
    schoolLabel,
    exportTarget,
  }
}
