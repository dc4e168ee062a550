import { HIDDEN_MARK } from '~~/shared/disclosure'
import type { TrendDimension } from '~~/shared/assessment-trend'
import { INSTRUMENTS, type InstrumentId } from '~~/shared/instruments'
import type { ChartSeries } from '~/composables/dashboard-view'

const PALETTE = ['#2f7d6d', '#e6a23c', '#409eff', '#f56c6c', '#909399', '#67c23a', '#b37feb', '#13c2c2']
const BAND_COLOURS = ['#97beb6', '#f3d19e', '#f0a35e', '#e6764c', '#c45656']
/** At most this many groups are drawn; the table below the charts lists them all. */
const MAX_SERIES = 8

/**
 * Year over year, one instrument, by school, street, age band or sex: participation rates and the band
 * distribution per round, as the server's disclosure module publishes them (hidden figures are null and
 * read "—"; a hidden bar is simply missing).
 */
export function useAssessmentTrend() {
  const { $trpc } = useNuxtApp()
  const { t, locale } = useI18n()
  const instrument = ref<InstrumentId>('phq9')
  const dimension = ref<TrendDimension>('school')
  const q = $trpc.assessment.trend.useQuery(
    computed(() => ({ instrument: instrument.value, dimension: dimension.value })),
    { queryKey: 'assessment-trend' },
  )
  const loc = computed(() => (locale.value === 'en' ? 'en' : 'zh-CN'))
  const data = computed(() => q.data.value ?? null)
  const roundLabels = computed(() => (data.value?.rounds ?? []).map((r) => `${r.name}`))
  const groupLabel = (g: { key: string; label: string; labelEn: string | null }) => {
    if (dimension.value === 'ageBand') return t(`assessmentTrend.ageBands.${g.key}`)
    if (dimension.value === 'sex') return t(`assessmentTrend.sexes.${g.key}`)
    return (loc.value === 'en' && g.labelEn) || g.label
  }
  /** Every group seen in any round, in first-seen order. */
  const groups = computed(() => {
    const seen = new Map<string, { key: string; label: string; labelEn: string | null }>()
    for (const r of data.value?.rounds ?? []) for (const g of r.groups) if (!seen.has(g.key)) seen.set(g.key, g)
    return [...seen.values()]
  })
  const rateChart = computed<{ labels: string[]; series: ChartSeries[]; more: number }>(() => {
    const rounds = data.value?.rounds ?? []
    const shown = groups.value.slice(0, MAX_SERIES)
    return {
      labels: roundLabels.value,
      series: shown.map((g, i) => ({
        label: groupLabel(g),
        data: rounds.map((r) => r.groups.find((x) => x.key === g.key)?.rate ?? null),
        color: PALETTE[i % PALETTE.length]!,
      })),
      more: Math.max(0, groups.value.length - MAX_SERIES),
    }
  })
  const bandChart = computed<{ labels: string[]; series: ChartSeries[] }>(() => {
    const d = data.value
    if (!d) return { labels: [], series: [] }
    const def = INSTRUMENTS[d.instrument as InstrumentId]
    return {
      labels: roundLabels.value,
      series: d.bands.map((b, j) => ({
        label: def.bands.find((x) => x.key === b)?.label[loc.value] ?? b,
        data: d.rounds.map((r) => r.total.bands[j] ?? null),
        color: BAND_COLOURS[j % BAND_COLOURS.length]!,
      })),
    }
  })
  /** The table: one row per group, one rate per round ("answered / invited"). */
  const table = computed(() =>
    groups.value.map((g) => ({
      key: g.key,
      label: groupLabel(g),
      cells: (data.value?.rounds ?? []).map((r) => {
        const x = r.groups.find((y) => y.key === g.key)
        if (!x) return ''
        return `${x.answered ?? HIDDEN_MARK} / ${x.invited ?? HIDDEN_MARK}${x.rate != null ? ` (${x.rate}%)` : ''}`
      }),
    })),
  )
  const note = computed(() => (data.value ? t('assessmentTrend.note', { below: data.value.threshold - 1 }) : ''))
  return { q, instrument, dimension, data, rateChart, bandChart, table, roundLabels, note, loc }
}
