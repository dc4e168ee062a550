import type { ChartView } from './dashboard-view'

const MARK = { complete: '●', in_progress: '◐', not_started: '○' } as const

/** A supervision round's printable district report: overview, four charts, tables and the per-school annex. */
export async function useEvaluationReport() {
  const { t, locale } = useI18n()
  const route = useRoute()
  const { $trpc } = useNuxtApp()
  const query = $trpc.evaluation.report.useQuery(() => ({ roundId: Number(route.params.id) }), {
    queryKey: `evaluation-report-${route.params.id}`,
  })
  const r = computed(() => query.data.value)
  const { error, errorMessage } = useLoadError(query)
  const title = computed(() =>
    r.value
      ? t('evaluation.reportTitle', { year: r.value.round.yearLabel, half: t(`evaluation.halves.${r.value.round.half}`) })
      : t('evaluation.report'),
  )
  const en = computed(() => locale.value === 'en')
  /** A missing figure (nothing to average) prints as a dash. */
  const fmt = (v: number | null | undefined) => (v == null ? '—' : String(v))
  const mark = (status: string) => MARK[status as keyof typeof MARK] ?? ''

  const charts = computed<ChartView[]>(() => {
    const district = r.value?.district
    const byIndicator = district?.byIndicator ?? []
    const bands = district?.bands
    const bandKeys = ['excellent', 'good', 'pass', 'improve'] as const
    const items = district?.programme.items ?? []
    const streets = district?.byStreet ?? []
    return [
      {
        key: 'indicator',
        title: t('evaluation.byIndicator'),
        labels: byIndicator.map((i) => i.code),
        series: [
          { label: t('evaluation.maxScore'), data: byIndicator.map((i) => i.maxScore), color: '#dcdfe6' },
          { label: t('evaluation.selfScore'), data: byIndicator.map((i) => i.averageSelf), color: '#97beb6' },
          { label: t('evaluation.bureauScore'), data: byIndicator.map((i) => i.averageBureau), color: '#2f7d6d' },
        ],
      },
      {
        key: 'bands',
        title: t('evaluation.bandsTitle'),
        labels: bandKeys.map((k) => t(`evaluation.bands.${k}`)),
        series: [{ label: t('district.schools'), data: bandKeys.map((k) => bands?.[k] ?? 0), color: '#2f7d6d' }],
      },
      {
        key: 'programme',
        title: t('evaluation.programmeTitle'),
        labels: items.map((i) => t(`itemsShort.${i.item}`)),
        max: 100,
        series: [{ label: t('itemStatus.complete'), data: items.map((i) => i.rate), color: '#2f7d6d' }],
      },
      {
        key: 'street',
        title: t('evaluation.byStreet'),
        labels: streets.map((x) => (en.value ? x.nameEn : x.nameZh)),
        series: [{ label: t('evaluation.bureauScore'), data: streets.map((x) => x.averageBureau), color: '#2f7d6d' }],
      },
    ]
  })

  function printPage() {
    window.print()
  }

  useHead({ title: title })
  await Promise.all([query])
  return { error, errorMessage, r, title, en, fmt, mark, charts, printPage }
}
