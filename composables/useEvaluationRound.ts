import { ElMessage } from 'element-plus'

/** One supervision round for the bureau: each school's self and bureau totals, scoring, closing and reopening. */
export async function useEvaluationRound() {
  const { t, locale } = useI18n()
  const route = useRoute()
  const { $trpc } = useNuxtApp()
  const { report } = useApiError()
  const roundId = computed(() => Number(route.params.id))
  const detail = $trpc.evaluation.round.useQuery(() => ({ roundId: roundId.value }), { queryKey: `evaluation-round-${roundId.value}` })
  const d = computed(() => detail.data.value)
  const { error, errorMessage } = useLoadError(detail)
  const title = computed(() => d.value?.round.title ?? t('evaluation.title'))
  type Row = NonNullable<typeof d.value>['schools'][number]
  const { busy, run } = useSubmit()
  const schoolName = (s: { name: string; nameEn: string | null }) => (locale.value === 'en' && s.nameEn ? s.nameEn : s.name)
  const streetName = (s: { streetNameZh: string; streetNameEn: string }) => (locale.value === 'en' ? s.streetNameEn : s.streetNameZh)

  /** The school being scored: the bureau's earlier scores, else the school's own, as the starting point. */
  const scoring = ref<{ row: Row; scores: Record<string, number | null>; comment: string } | null>(null)
  const scoringOpen = computed({
    get: () => scoring.value != null,
    set: (v: boolean) => {
      if (!v) scoring.value = null
    },
  })
  // el-table hands its rows over untyped; they are this round's school rows.
  function openScore(schoolRow: object) {
    const row = schoolRow as Row
    const base = row.submission?.bureauScores ?? row.submission?.selfScores ?? {}
    scoring.value = {
      row,
      scores: Object.fromEntries((d.value?.round.indicators ?? []).map((i) => [i.code, base[i.code] ?? null])),
      comment: row.submission?.bureauComment ?? '',
    }
  }
  function cancelScore() {
    scoring.value = null
  }
  async function saveScore() {
    const s = scoring.value
    const round = d.value?.round
    if (!s || !round) return
    const scores = Object.fromEntries(Object.entries(s.scores).filter(([, v]) => v != null)) as Record<string, number>
    const ok = await run(() =>
      $trpc.evaluation.score.mutate({
        roundId: round.id,
        schoolId: s.row.school.id,
        version: s.row.submission?.version ?? null,
        scores,
        comment: s.comment || null,
      }),
    )
    if (ok) {
      scoring.value = null
      ElMessage.success(t('evaluation.saved'))
      await detail.refresh()
    }
  }
  /** Closes an open round, reopens a closed one. */
  async function toggle() {
    const round = d.value?.round
    if (!round) return
    try {
      const input = { roundId: round.id, version: round.version }
      await (round.status === 'open' ? $trpc.evaluation.closeRound : $trpc.evaluation.reopenRound).mutate(input)
      await detail.refresh()
    } catch (err) {
      await report(err)
    }
  }

  useHead({ title: title })
  await Promise.all([detail])
  return { error, errorMessage, d, title, schoolName, streetName, scoring, scoringOpen, openScore, cancelScore, saveScore, toggle, busy }
}
