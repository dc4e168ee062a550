import { ElMessage } from 'element-plus'
import type { ROUND_HALVES } from '~~/shared/programme'
import { roundCreateInput } from '~~/shared/programme-schemas'

type Half = (typeof ROUND_HALVES)[number]

/** The bureau's supervision rounds, and the dialog that opens a new one. */
export async function useEvaluationRounds() {
  const { t } = useI18n()
  const { $trpc } = useNuxtApp()
  const { years } = useStreetsAndYears()
  const rounds = $trpc.evaluation.rounds.useQuery(undefined, { queryKey: 'evaluation-rounds' })
  const list = computed(() => rounds.data.value ?? [])
  const yearList = computed(() => years.data.value ?? [])
  const { error, errorMessage } = useLoadError(rounds)
  const { busy, errors, run, check, formRef, rules } = useFormSchema(roundCreateInput)

  const creating = ref(false)
  const form = reactive<{ title: string; schoolYearId: number; half: Half; opensOn: string; dueOn: string }>({
    title: '',
    schoolYearId: 0,
    half: '1',
    opensOn: '',
    dueOn: '',
  })
  /** A new round defaults to the current year's first half, titled like its report. */
  function openCreate() {
    const current = yearList.value.find((y) => y.isCurrent) ?? yearList.value[0]
    Object.assign(form, {
      schoolYearId: current?.id ?? 0,
      half: '1',
      title: current ? t('evaluation.reportTitle', { year: current.label, half: t('evaluation.halves.1') }) : '',
      opensOn: '',
      dueOn: '',
    })
    errors.value = {}
    creating.value = true
  }
  async function create() {
    if (!check(roundCreateInput, { ...form })) return
    const ok = await run(() => $trpc.evaluation.createRound.mutate({ ...form }))
    if (ok) {
      creating.value = false
      ElMessage.success(t('evaluation.saved'))
      await rounds.refresh()
    }
  }

  useHead({ title: () => t('evaluation.title') })
  await Promise.all([years, rounds])
  return { error, errorMessage, list, yearList, creating, form, formRef, rules, errors, busy, openCreate, create }
}
