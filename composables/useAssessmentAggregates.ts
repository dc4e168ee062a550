import { HIDDEN_MARK } from '~~/shared/disclosure'
import { INSTRUMENTS, type InstrumentId } from '~~/shared/instruments'

/**
 * A round's aggregates (participation and band distribution per school), as the server's disclosure
 * module publishes them: hidden figures arrive as null and read "—".
 */
export function useAssessmentAggregates() {
  const { $trpc } = useNuxtApp()
  const { t, locale } = useI18n()
  const { report } = useApiError()
  const data = ref<Awaited<ReturnType<typeof $trpc.assessment.aggregates.query>> | null>(null)
  const loading = ref(false)

  async function open(roundId: number) {
    loading.value = true
    try {
      data.value = await $trpc.assessment.aggregates.query({ roundId })
    } catch (err) {
      report(err)
    } finally {
      loading.value = false
    }
  }
  const close = () => (data.value = null)
  const cell = (n: number | null | undefined) => (n == null ? HIDDEN_MARK : String(n))
  const loc = computed(() => (locale.value === 'en' ? 'en' : 'zh-CN'))
  const bandLabel = (instrument: InstrumentId, key: string) =>
    INSTRUMENTS[instrument].bands.find((b) => b.key === key)?.label[loc.value] ?? key
  const instrumentName = (instrument: InstrumentId) => INSTRUMENTS[instrument].name[loc.value]
  /** A school by its name in the reader's language (table slots hand rows over untyped). */
  const schoolLabel = (row: object) => {
    const { schoolName, schoolNameEn } = row as { schoolName: string; schoolNameEn: string | null }
    return (loc.value === 'en' && schoolNameEn) || schoolName
  }
  const note = computed(() => (data.value ? t('assessment.aggregate.note', { below: data.value.threshold - 1 }) : ''))
  const statusLabel = (c: string) => t(`assessment.aggregate.status.${c}`)
  return { data, loading, open, close, cell, bandLabel, instrumentName, schoolLabel, note, statusLabel }
}
