import { ElMessage } from 'element-plus'
import type { ChartSeries } from './dashboard-view'

/** The bureau's accreditation board: the pipeline by stage, titles against the target by year, and title holders to re-review. */
export async function useAccreditationOverview() {
  const { $trpc } = useNuxtApp()
  const { t, locale } = useI18n()
  const { busy, run } = useSubmit()
  const q = $trpc.accreditation.overview.useQuery(undefined, { queryKey: 'accreditation-overview' })
  const d = computed(() => q.data.value ?? null)
  const { errorMessage } = useLoadError(q)
  const name = (r: { schoolName: string; schoolNameEn: string | null }) =>
    locale.value === 'en' && r.schoolNameEn ? r.schoolNameEn : r.schoolName
  const chart = computed(() => {
    const held = d.value?.held ?? []
    const series: ChartSeries[] = [
      { label: t('accreditation.held'), data: held.map((h) => h.held), color: '#2a7262' },
      { label: t('accreditation.target'), data: held.map((h) => h.target), color: '#b35c00', type: 'line' },
    ]
    return { labels: held.map((h) => String(h.year)), series }
  })
  const withdrawing = ref<{ titleId: number; reason: string } | null>(null)
  async function withdraw() {
    const w = withdrawing.value
    if (!w) return
    if (await run(() => $trpc.accreditation.withdrawTitle.mutate(w))) {
      ElMessage.success(t('common.saved'))
      withdrawing.value = null
      await q.refresh()
    }
  }
  await q
  return { d, errorMessage, name, chart, busy, withdrawing, withdraw }
}
