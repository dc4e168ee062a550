import { ElMessage } from 'element-plus'
import type { QuestionnaireDefinition, QuestionnaireKind } from '~~/shared/screening'

/** The district's questionnaires: an editor for a draft (items, options, correct answers or bands), publishing freezes a version. */
export function useScreeningQuestionnaires() {
  const { $trpc } = useNuxtApp()
  const { t } = useI18n()
  const { report } = useApiError()
  const list = $trpc.screening.questionnaires.useQuery(undefined, { queryKey: 'screening-questionnaires' })
  const rows = computed(() => list.data.value ?? [])
  const editing = ref<{ questionnaireId?: number; definition: QuestionnaireDefinition } | null>(null)
  const problems = ref<string[]>([])
  const { run, errors, busy } = useSubmit()

  const option = (value: number, zh: string, en: string) => ({ value, labelZh: zh, labelEn: en })
  function blankItem(kind: QuestionnaireKind, n: number) {
    return {
      key: `i${n}`,
      textZh: '',
      textEn: '',
      options:
        kind === 'quiz'
          ? [option(0, '正确', 'True'), option(1, '错误', 'False')]
          : [option(0, '没有', 'Not at all'), option(1, '有时', 'Sometimes'), option(2, '经常', 'Often'), option(3, '总是', 'Always')],
      correct: kind === 'quiz' ? 0 : null,
      critical: null,
    }
  }
  function startNew(kind: QuestionnaireKind) {
    problems.value = []
    editing.value = {
      definition: {
        kind,
        nameZh: '',
        nameEn: '',
        stemZh: '',
        stemEn: '',
        items: [blankItem(kind, 1)],
        bands: kind === 'quiz' ? [] : [{ key: 'low', labelZh: '低', labelEn: 'Low', min: 0, max: 3, warn: 'none' }],
      },
    }
  }
  function edit(row: (typeof rows.value)[number]) {
    problems.value = []
    editing.value = { questionnaireId: row.questionnaireId, definition: structuredClone(toRaw(row.latest.definition)) }
  }
  async function saveDraft(definition: QuestionnaireDefinition) {
    if (!editing.value) return
    const e = { ...editing.value, definition }
    const ok = await run(async () => {
      const out = await $trpc.screening.saveQuestionnaire.mutate(e)
      problems.value = out.problems
    })
    if (ok) {
      ElMessage.success(t('common.saved'))
      editing.value = null
      await list.refresh()
    }
  }
  async function publish(versionId: number) {
    try {
      await $trpc.screening.publishQuestionnaire.mutate({ versionId })
      ElMessage.success(t('screening.questionnaire.published'))
      await list.refresh()
    } catch (err) {
      await report(err)
    }
  }
  return { list, rows, editing, problems, errors, busy, startNew, edit, saveDraft, publish }
}
