import type { InstrumentLocale } from '~~/shared/instruments'

type Answers = Record<string, Record<string, number>>
export type ScreeningStep = 'code' | 'answer' | 'done'

/**
 * A student's questionnaire in class, without an account: the class code from the board and the personal
 * code from the slip (typed, or in the address's fragment `/s#CODE`, removed at once). Both travel only in
 * POST bodies. Answers save as they are given; after submitting the student sees a thank-you and where
 * to find help, never a score or a band.
 */
export function useScreeningAnswer() {
  const { $trpc } = useNuxtApp()
  type Opened = Awaited<ReturnType<typeof $trpc.screeningRespond.open.mutate>>
  type Submitted = Awaited<ReturnType<typeof $trpc.screeningRespond.submit.mutate>>
  const { t, locale } = useI18n()
  const { message } = useApiError()
  const step = ref<ScreeningStep>('code')
  const classCode = ref('')
  const code = ref('')
  const opened = ref<Opened | null>(null)
  const answers = ref<Answers>({})
  const result = ref<Submitted | null>(null)
  const error = ref('')
  const busy = ref(false)
  const saveState = ref<'idle' | 'saving' | 'saved' | 'failed'>('idle')
  let saveTimer: ReturnType<typeof setTimeout> | null = null

  const loc = computed<InstrumentLocale>(() => (locale.value === 'en' ? 'en' : 'zh-CN'))
  const instruments = computed(() => opened.value?.instruments ?? [])
  const totalItems = computed(() => instruments.value.reduce((n, d) => n + d.items.length, 0))
  const answeredItems = computed(() =>
    instruments.value.reduce((n, d) => n + d.items.filter((i) => answers.value[d.ref]?.[i.key] != null).length, 0),
  )

  function takeCodeFromAddress() {
    if (!import.meta.client) return
    const fragment = decodeURIComponent(window.location.hash.replace(/^#/, ''))
    if (fragment) {
      code.value = fragment
      history.replaceState(null, '', window.location.pathname)
    }
  }

  async function open() {
    error.value = ''
    busy.value = true
    try {
      opened.value = await $trpc.screeningRespond.open.mutate({ classCode: classCode.value, code: code.value })
      answers.value = opened.value.draft ?? {}
      step.value = 'answer'
    } catch (err) {
      error.value = message(err)
    } finally {
      busy.value = false
    }
  }

  async function saveNow() {
    saveState.value = 'saving'
    try {
      await $trpc.screeningRespond.save.mutate({ classCode: classCode.value, code: code.value, answers: answers.value })
      saveState.value = 'saved'
    } catch (err) {
      saveState.value = 'failed'
      error.value = message(err)
    }
  }

  function setAnswer(instrument: string, item: string, value: number) {
    answers.value = { ...answers.value, [instrument]: { ...answers.value[instrument], [item]: value } }
    if (saveTimer) clearTimeout(saveTimer)
    saveTimer = setTimeout(() => void saveNow(), 600)
  }

  async function submit() {
    error.value = ''
    if (answeredItems.value < totalItems.value) {
      error.value = t('errors.assessment.unanswered', { n: totalItems.value - answeredItems.value })
      return
    }
    if (saveTimer) clearTimeout(saveTimer)
    busy.value = true
    try {
      result.value = await $trpc.screeningRespond.submit.mutate({ classCode: classCode.value, code: code.value, answers: answers.value })
      step.value = 'done'
      code.value = ''
      opened.value = null
      answers.value = {}
      if (import.meta.client) window.scrollTo(0, 0)
    } catch (err) {
      error.value = message(err)
    } finally {
      busy.value = false
    }
  }

  /** The next student on the same device: back to the code step, the class code kept. */
  function next() {
    result.value = null
    error.value = ''
    saveState.value = 'idle'
    step.value = 'code'
  }

  onBeforeUnmount(() => {
    if (saveTimer) clearTimeout(saveTimer)
  })

  return {
    step,
    classCode,
    code,
    opened,
    answers,
    result,
    error,
    busy,
    saveState,
    loc,
    instruments,
    totalItems,
    answeredItems,
    takeCodeFromAddress,
    open,
    setAnswer,
    submit,
    next,
  }
}
