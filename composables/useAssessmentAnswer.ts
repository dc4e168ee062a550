import { INSTRUMENTS, NOT_A_DIAGNOSIS, type InstrumentId, type InstrumentLocale } from '~~/shared/instruments'

type Answers = Record<string, Record<string, number>>
export type AnswerStep = 'code' | 'consent' | 'declined' | 'answer' | 'done'

/**
 * The teacher's questionnaire, without an account. The code arrives typed or in the address's
 * fragment (`/a#CODE`: a fragment never reaches the server or its logs) and is then removed from the
 * address bar; it travels only in POST bodies. Answers are saved as they are given, so the same code
 * resumes; the bands come back once, on submit.
 */
export function useAssessmentAnswer() {
  const { $trpc } = useNuxtApp()
  type Opened = Awaited<ReturnType<typeof $trpc.respond.open.mutate>>
  type Submitted = Awaited<ReturnType<typeof $trpc.respond.submit.mutate>>
  const { t, locale } = useI18n()
  const { message } = useApiError()
  const step = ref<AnswerStep>('code')
  const code = ref('')
  const opened = ref<Opened | null>(null)
  const answers = ref<Answers>({})
  const contactMe = ref(false)
  const result = ref<Submitted | null>(null)
  const error = ref('')
  const busy = ref(false)
  const saveState = ref<'idle' | 'saving' | 'saved' | 'failed'>('idle')
  let saveTimer: ReturnType<typeof setTimeout> | null = null

  const loc = computed<InstrumentLocale>(() => (locale.value === 'en' ? 'en' : 'zh-CN'))
  const instruments = computed(() => (opened.value?.instruments ?? []).map((id: InstrumentId) => INSTRUMENTS[id]))
  const totalItems = computed(() => instruments.value.reduce((n, d) => n + d.items.length, 0))
  const answeredItems = computed(() =>
    instruments.value.reduce((n, d) => n + d.items.filter((i) => answers.value[d.id]?.[i.key] != null).length, 0),
  )
  const consent = computed(() => (opened.value ? (loc.value === 'en' ? opened.value.consentEn : opened.value.consentZh) : ''))
  const notADiagnosis = computed(() => NOT_A_DIAGNOSIS[loc.value])

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
      opened.value = await $trpc.respond.open.mutate({ code: code.value })
      answers.value = opened.value.draft ?? {}
      step.value = 'consent'
    } catch (err) {
      error.value = message(err)
    } finally {
      busy.value = false
    }
  }

  function agree() {
    step.value = 'answer'
    if (import.meta.client) window.scrollTo(0, 0)
  }

  function decline() {
    step.value = 'declined'
    opened.value = null
    answers.value = {}
  }

  async function saveNow() {
    saveState.value = 'saving'
    try {
      await $trpc.respond.save.mutate({ code: code.value, answers: answers.value })
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
      result.value = await $trpc.respond.submit.mutate({ code: code.value, answers: answers.value, contactMe: contactMe.value })
      step.value = 'done'
      code.value = ''
      if (import.meta.client) window.scrollTo(0, 0)
    } catch (err) {
      error.value = message(err)
    } finally {
      busy.value = false
    }
  }

  const bands = computed(() =>
    (result.value?.scores ?? []).map((s) => {
      const def = INSTRUMENTS[s.instrument]
      const band = def.bands.find((b) => b.key === s.band)
      return {
        instrument: s.instrument,
        name: def.name[loc.value],
        band: band?.label[loc.value] ?? s.band,
        rank: s.rank,
        total: s.total,
        percent: s.percent,
        max: def.bands.at(-1)?.max ?? s.total,
      }
    }),
  )

  onBeforeUnmount(() => {
    if (saveTimer) clearTimeout(saveTimer)
  })

  return {
    step,
    code,
    opened,
    answers,
    contactMe,
    result,
    error,
    busy,
    saveState,
    loc,
    instruments,
    totalItems,
    answeredItems,
    consent,
    notADiagnosis,
    bands,
    takeCodeFromAddress,
    open,
    agree,
    decline,
    setAnswer,
    submit,
  }
}
