import { ElMessage } from 'element-plus'
import type { CaseCategory, RiskLevel } from '~~/shared/cases'
import type { WarningOutcome } from '~~/shared/screening'
import { shanghaiDate } from '~~/shared/shanghai-time'

/** The school's screening warnings, open ones first by level. */
export function useScreeningWarnings() {
  const { $trpc } = useNuxtApp()
  const status = ref<'open' | 'done' | 'all'>('open')
  const list = $trpc.screening.warnings.useQuery(
    computed(() => ({ status: status.value })),
    { queryKey: 'screening-warnings' },
  )
  const rows = computed(() => list.data.value ?? [])
  return { status, list, rows }
}

/** One warning: the student's results, the second-stage interview and its outcome (a case in one step). */
export function useScreeningWarning(id: number) {
  const { $trpc } = useNuxtApp()
  const { t, locale } = useI18n()
  const q = $trpc.screening.warning.useQuery({ id }, { queryKey: `screening-warning-${id}` })
  const warning = computed(() => q.data.value ?? null)
  const loc = computed(() => (locale.value === 'en' ? 'en' : 'zh-CN'))
  const form = reactive<{ interviewOn: string; notes: string; outcome: WarningOutcome; riskLevel: RiskLevel; categories: CaseCategory[] }>({
    interviewOn: shanghaiDate(new Date()),
    notes: '',
    outcome: 'watch',
    riskLevel: 'watch',
    categories: [],
  })
  const { run, errors, busy } = useSubmit()
  const results = computed(() =>
    (warning.value?.results ?? []).map((r) => ({
      ...r,
      label: r.name?.[loc.value] ?? r.instrument,
      bandText: r.bandLabel?.[loc.value] ?? r.band,
    })),
  )
  async function save() {
    if (!warning.value) return
    const version = warning.value.version
    let caseId: number | null = null
    const ok = await run(async () => {
      const out = await $trpc.screening.recordOutcome.mutate({ id, version, ...form })
      caseId = out.caseId
    })
    if (ok) {
      ElMessage.success(t(caseId ? 'screening.warning.caseOpened' : 'common.saved'))
      await q.refresh()
    }
  }
  return { q, warning, results, form, errors, busy, save }
}
