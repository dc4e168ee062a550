import { ElMessage } from 'element-plus'
import { HIDDEN_MARK } from '~~/shared/disclosure'
import type { ChartSeries } from '~/composables/dashboard-view'

/**
 * The bureau's knowledge-awareness dashboard: the district rate against the target year over year,
 * each school's rate for the chosen year (drill-down to its grades) and the rate by grade, all as the
 * disclosure module published them (a hidden figure reads "—"); export as CSV or Excel.
 */
export function useScreeningAwareness() {
  const { $trpc } = useNuxtApp()
  const { t, locale } = useI18n()
  const { report } = useApiError()
  const { save } = useDownload()
  const year = ref<string | undefined>(undefined)
  const q = $trpc.screening.awareness.useQuery(
    computed(() => (year.value ? { schoolYear: year.value } : {})),
    { queryKey: 'screening-awareness' },
  )
  const data = computed(() => q.data.value ?? null)
  const drill = ref<Awaited<ReturnType<typeof $trpc.screening.awarenessSchool.query>> | null>(null)
  const busy = ref<'' | 'csv' | 'xlsx'>('')
  const pct = (n: number | null | undefined) => (n == null ? HIDDEN_MARK : `${n}%`)
  const cell = (n: number | null | undefined) => (n == null ? HIDDEN_MARK : String(n))
  /** A school by its name in the reader's language (table slots hand rows over untyped). */
  const schoolName = (row: object) => {
    const r = row as { schoolName: string; schoolNameEn: string | null }
    return (locale.value === 'en' && r.schoolNameEn) || r.schoolName
  }
  const meetsTarget = (rate: number | null | undefined) => (rate == null || !data.value ? null : rate >= data.value.target)

  const trendChart = computed(() => {
    const d = data.value
    if (!d) return null
    const series: ChartSeries[] = [
      { label: t('screening.awareness.rate'), data: d.trend.map((x) => x.rate), color: '#1f6f5c' },
      { label: t('screening.awareness.target'), data: d.trend.map(() => d.target), color: '#d9822b', type: 'line' },
    ]
    return { labels: d.trend.map((x) => x.year), series }
  })
  const schoolChart = computed(() => {
    const d = data.value
    if (!d) return null
    const series: ChartSeries[] = [
      { label: t('screening.awareness.rate'), data: d.schools.map((s) => s.rate), color: '#5b8db8' },
      { label: t('screening.awareness.target'), data: d.schools.map(() => d.target), color: '#d9822b', type: 'line' },
    ]
    return { labels: d.schools.map((s) => s.schoolCode), series }
  })

  async function openSchool(schoolId: number) {
    if (!data.value?.year) return
    try {
      drill.value = await $trpc.screening.awarenessSchool.query({ schoolYear: data.value.year, schoolId })
    } catch (err) {
      await report(err)
    }
  }

  async function download(format: 'csv' | 'xlsx') {
    if (!data.value?.year) return
    busy.value = format
    try {
      const file = await $trpc.screening.exportAwareness.mutate({
        schoolYear: data.value.year,
        format,
        locale: locale.value === 'en' ? 'en' : 'zh-CN',
      })
      save(file)
      ElMessage.success(t('exports.done', { file: file.fileName }))
    } catch (err) {
      await report(err)
    } finally {
      busy.value = ''
    }
  }

  return { q, year, data, drill, busy, pct, cell, schoolName, meetsTarget, trendChart, schoolChart, openSchool, download }
}
