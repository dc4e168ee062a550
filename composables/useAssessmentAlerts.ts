import { ElMessage } from 'element-plus'
import { INSTRUMENTS, type InstrumentId, type InstrumentLocale } from '~~/shared/instruments'
import type { SupportKind } from '~~/shared/assessment'
import { shanghaiDate } from '~~/shared/shanghai-time'

/** The alert handler's list: open alerts and contact requests of the school, newest first. */
export function useAssessmentAlerts() {
  const { $trpc } = useNuxtApp()
  const status = ref<'open' | 'closed' | 'all'>('open')
  const list = $trpc.assessment.alerts.useQuery(
    computed(() => ({ status: status.value })),
    { queryKey: 'assessment-alerts' },
  )
  const rows = computed(() => list.data.value ?? [])
  return { status, list, rows }
}

/** One alert: acknowledge it, read the teacher's results, record support and follow-ups, close it with an outcome. */
export function useAssessmentAlert(id: number) {
  const { $trpc } = useNuxtApp()
  const { t, locale } = useI18n()
  const { report } = useApiError()
  const q = $trpc.assessment.alert.useQuery({ id }, { queryKey: `assessment-alert-${id}` })
  const alert = computed(() => q.data.value ?? null)
  const loc = computed<InstrumentLocale>(() => (locale.value === 'en' ? 'en' : 'zh-CN'))
  const support = reactive<{ kind: SupportKind; onDate: string; text: string }>({
    kind: 'contact',
    // today in Asia/Shanghai, the day the server compares with
    onDate: shanghaiDate(new Date()),
    text: '',
  })
  const outcome = ref('')
  const { run, errors, busy } = useSubmit()

  const results = computed(() =>
    (alert.value?.results ?? []).map((r) => {
      const def = INSTRUMENTS[r.instrument as InstrumentId]
      return {
        instrument: r.instrument,
        name: def?.name[loc.value] ?? r.instrument,
        total: r.total,
        band: def?.bands.find((b) => b.key === r.band)?.label[loc.value] ?? r.band,
        items: (def?.items ?? []).map((item, i) => ({
          n: i + 1,
          text: item.text[loc.value],
          answer: def!.options.find((o) => o.value === r.answers[item.key])?.label[loc.value] ?? String(r.answers[item.key]),
          flagged: r.instrument === 'phq9' && item.key === 'phq9_9' && (r.answers[item.key] ?? 0) >= 1,
        })),
      }
    }),
  )

  async function acknowledge() {
    try {
      await $trpc.assessment.acknowledge.mutate({ id })
      await q.refresh()
    } catch (err) {
      await report(err)
    }
  }
  async function addSupport() {
    const ok = await run(() => $trpc.assessment.addSupport.mutate({ alertId: id, ...support }))
    if (ok) {
      support.text = ''
      ElMessage.success(t('common.saved'))
      await q.refresh()
    }
  }
  async function completeSupport(supportId: number) {
    try {
      await $trpc.assessment.completeSupport.mutate({ id: supportId })
      await q.refresh()
    } catch (err) {
      await report(err)
    }
  }
  async function close() {
    if (!alert.value) return
    const version = alert.value.version
    const ok = await run(() => $trpc.assessment.closeAlert.mutate({ id, version, outcome: outcome.value }))
    if (ok) await q.refresh()
  }
  return { q, alert, results, support, outcome, errors, busy, acknowledge, addSupport, completeSupport, close }
}
