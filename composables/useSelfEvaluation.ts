import { ElMessage } from 'element-plus'

/** A school's supervision rounds: its self-evaluation sheet for each, and the bureau's scores once given. */
export async function useSelfEvaluation() {
  const { t } = useI18n()
  const session = useSessionStore()
  const { $trpc } = useNuxtApp()
  const rounds = $trpc.evaluation.rounds.useQuery(undefined, { queryKey: 'evaluation-rounds-school' })
  const list = computed(() => rounds.data.value ?? [])
  const { error, errorMessage } = useLoadError(rounds)
  const { busy, run } = useSubmit()
  const canSubmit = computed(() => session.can('evaluation.submit'))
  type Round = (typeof list.value)[number]
  /** A round takes submissions while it is open and the role may submit. */
  const editable = (r: Round) => canSubmit.value && r.status === 'open'

  /** Each round's working sheet: the school's last submission, else empty scores. */
  const sheets = reactive<Record<number, { scores: Record<string, number | null>; summary: string }>>({})
  watch(
    list,
    (all) => {
      for (const r of all)
        sheets[r.id] = {
          scores: { ...(r.own?.selfScores ?? Object.fromEntries(r.indicators.map((i) => [i.code, null]))) },
          summary: r.own?.selfSummary ?? '',
        }
    },
    { immediate: true },
  )

  async function submit(r: Round) {
    const sheet = sheets[r.id]
    if (!sheet) return
    const scores = Object.fromEntries(Object.entries(sheet.scores).filter(([, v]) => v != null)) as Record<string, number>
    const ok = await run(() =>
      $trpc.evaluation.submitSelf.mutate({ roundId: r.id, version: r.own?.version ?? null, scores, summary: sheet.summary || null }),
    )
    if (ok) {
      ElMessage.success(t('evaluation.saved'))
      await rounds.refresh()
    }
  }

  useHead({ title: () => t('evaluation.title') })
  await Promise.all([rounds])
  return { error, errorMessage, list, sheets, canSubmit, editable, submit, busy }
}
