import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, reactive, ref, type Component } from 'vue'
import { createI18n } from 'vue-i18n'
import type { z } from 'zod'
import CaseCloseForm from '../../components/case/CaseCloseForm.vue'
import CaseCrisisForm from '../../components/case/CaseCrisisForm.vue'
import CaseNoteForm from '../../components/case/CaseNoteForm.vue'
import CaseNotifyForm from '../../components/case/CaseNotifyForm.vue'
import CaseTaskNaForm from '../../components/case/CaseTaskNaForm.vue'
import CaseReferralUpdateForm from '../../components/case/CaseReferralUpdateForm.vue'
import CaseRiskForm from '../../components/case/CaseRiskForm.vue'
import { useCaseActions } from '../../composables/useCaseActions'
import { issueText } from '../../composables/useApiError'
import { useSubmit } from '../../composables/useSubmit'
import en from '../../i18n/locales/en.json'
import zh from '../../i18n/locales/zh-CN.json'
import { caseCloseInput, crisisInput, noteInput, riskChangeInput, taskCompleteInput } from '../../shared/case-schemas'
import { zodFieldIssues } from '../../shared/field-issues'

// useSubmit imports useApiError explicitly: its error reporting is replaced here, its message helpers are real.
const server = vi.hoisted(() => ({ fieldErrors: {} as Record<string, string> }))
vi.mock('../../composables/useApiError', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../composables/useApiError')>()),
  useApiError: () => ({ report: vi.fn(), fieldErrors: () => server.fieldErrors }),
}))

const i18n = createI18n({ legacy: false, locale: 'en', messages: { en, 'zh-CN': zh }, globalInjection: true })
const { t, te } = i18n.global

/** The message the server's validation error would carry for `field` of `input` (same issues, same texts). */
function serverMessage(schema: z.ZodType, input: unknown, field: string): string {
  const parsed = schema.safeParse(input)
  const issue = zodFieldIssues(parsed.error?.issues ?? []).find((i) => i.path === field)
  if (!issue) throw new Error(`the schema accepts ${field}`)
  return issueText(issue, t, te)
}

const mutate = {
  addNote: vi.fn(),
  changeRisk: vi.fn(),
  close: vi.fn(),
  recordCrisis: vi.fn(),
  updateReferral: vi.fn(),
  notify: vi.fn(),
  completeTask: vi.fn(),
}
const onDone = vi.fn()

/**
 * The real useCaseActions, with the Nuxt auto-imports it and useSubmit use supplied as globals and
 * `useNuxtApp().$trpc` mocked: a form's call reaches exactly one mutation with exactly its input.
 * Created in a component's setup, as the case file does (a save step reads the app's i18n).
 */
function actions(): ReturnType<typeof useCaseActions> {
  let made: ReturnType<typeof useCaseActions> | undefined
  const Host = defineComponent({
    setup() {
      made = useCaseActions(onDone)
      return () => null
    },
  })
  mount(Host, { global: { plugins: [i18n] } })
  return made!
}

beforeEach(() => {
  for (const m of Object.values(mutate)) m.mockReset().mockResolvedValue(undefined)
  onDone.mockReset()
  const $trpc = { case: Object.fromEntries(Object.entries(mutate).map(([k, fn]) => [k, { mutate: fn }])) }
  vi.stubGlobal('useNuxtApp', () => ({ $trpc }))
  server.fieldErrors = {}
  vi.stubGlobal('useApiError', () => ({ report: vi.fn(), fieldErrors: () => server.fieldErrors }))
  vi.stubGlobal('useSubmit', useSubmit)
  vi.stubGlobal('reactive', reactive)
  vi.stubGlobal('ref', ref)
})
afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

function render(component: Component, props: Record<string, unknown>) {
  return mount(component, { props, global: { plugins: [ElementPlus, i18n] }, attachTo: document.body })
}

const errorOf = (w: ReturnType<typeof render>, testId: string) =>
  w.find(`[data-testid="${testId}"]`).element.closest('.el-form-item')?.querySelector('.el-form-item__error')?.textContent?.trim()
const save = async (w: ReturnType<typeof render>) => {
  await w.find('[data-testid="case-action-save"]').trigger('click')
  await flushPromises()
  // el-form-item shows an error after a short debounce.
  await new Promise((resolve) => setTimeout(resolve, 150))
}

describe('the risk level form', () => {
  it("refuses a change without a reason with the server's message, and sends nothing", async () => {
    const w = render(CaseRiskForm, { caseId: 7, version: 3, current: 'watch', action: actions().changeRisk })
    await w.find('input[type="radio"][value="high"]').setValue(true)
    await w.find('[data-testid="risk-reason"]').setValue('   ')
    await save(w)
    expect(mutate.changeRisk).not.toHaveBeenCalled()
    const expected = serverMessage(riskChangeInput, { caseId: 7, version: 3, level: 'high', reason: '   ' }, 'reason')
    expect(expected).toBe('Required')
    expect(errorOf(w, 'risk-reason')).toBe(expected)
    // The toast names the field by its label and asks for it.
    expect(document.body.textContent).toContain(`Please fill in: ${en.case.reason}`)
  })

  it('sends the change with the version it was opened on', async () => {
    const w = render(CaseRiskForm, { caseId: 7, version: 3, current: 'watch', action: actions().changeRisk })
    expect(w.find('input[type="radio"][value="watch"]').attributes('disabled')).toBeDefined()
    await w.find('input[type="radio"][value="high"]').setValue(true)
    await w.find('[data-testid="risk-reason"]').setValue('Self-harm disclosed to the head teacher')
    await save(w)
    expect(mutate.changeRisk).toHaveBeenCalledExactlyOnceWith({
      caseId: 7,
      version: 3,
      level: 'high',
      reason: 'Self-harm disclosed to the head teacher',
    })
    expect(onDone).toHaveBeenCalledOnce()
  })
})

describe('the close form', () => {
  it("refuses to close without an outcome, with the server's message", async () => {
    const w = render(CaseCloseForm, { caseId: 5, version: 2, action: actions().close })
    await save(w)
    expect(mutate.close).not.toHaveBeenCalled()
    expect(errorOf(w, 'close-outcome')).toBe(serverMessage(caseCloseInput, { caseId: 5, version: 2, outcome: '' }, 'outcome'))
  })

  it('refuses an outcome longer than the server takes, with the same limit', async () => {
    const w = render(CaseCloseForm, { caseId: 5, version: 2, action: actions().close })
    const long = 'x'.repeat(2001)
    // The textarea's maxlength stops typing; a paste or a script can still exceed it.
    ;(w.find('[data-testid="close-outcome"]').element as HTMLTextAreaElement).removeAttribute('maxlength')
    await w.find('[data-testid="close-outcome"]').setValue(long)
    await save(w)
    expect(mutate.close).not.toHaveBeenCalled()
    expect(errorOf(w, 'close-outcome')).toBe(serverMessage(caseCloseInput, { caseId: 5, version: 2, outcome: long }, 'outcome'))
    expect(errorOf(w, 'close-outcome')).toContain('2000')
  })

  it('closes with the outcome', async () => {
    const w = render(CaseCloseForm, { caseId: 5, version: 2, action: actions().close })
    await w.find('[data-testid="close-outcome"]').setValue('Settled back in class')
    await save(w)
    expect(mutate.close).toHaveBeenCalledExactlyOnceWith({ caseId: 5, version: 2, outcome: 'Settled back in class' })
  })

  it("keeps the form open and shows the server's field error when the server refuses", async () => {
    mutate.close.mockRejectedValue({ data: { appCode: 'validation', fieldIssues: [{ path: 'outcome', code: 'too_big', maximum: 2000 }] } })
    server.fieldErrors = { outcome: 'from the server' }
    const w = render(CaseCloseForm, { caseId: 5, version: 2, action: actions().close })
    await w.find('[data-testid="close-outcome"]').setValue('Settled')
    await save(w)
    expect(onDone).not.toHaveBeenCalled()
    expect(errorOf(w, 'close-outcome')).toBe('from the server')
  })
})

describe('the crisis form', () => {
  it('refuses a crisis without what happened and what was done, and sends nothing', async () => {
    const w = render(CaseCrisisForm, { caseId: 9, action: actions().recordCrisis })
    await save(w)
    expect(mutate.recordCrisis).not.toHaveBeenCalled()
    const input = { caseId: 9, occurredAt: new Date().toISOString(), what: '', actions: '', notified: [] }
    expect(errorOf(w, 'crisis-what')).toBe(serverMessage(crisisInput, input, 'what'))
    expect(errorOf(w, 'crisis-actions')).toBe(serverMessage(crisisInput, input, 'actions'))
  })

  it('claims nothing in advance: no one notified, the immediate step not confirmed unless ticked', async () => {
    const w = render(CaseCrisisForm, { caseId: 9, action: actions().recordCrisis })
    expect(w.findAll('[data-testid="crisis-notified-row"]')).toHaveLength(0)
    expect(w.find('[data-testid="crisis-none-notified"]').exists()).toBe(true)
    await w.find('[data-testid="crisis-what"]').setValue('Said she did not want to live')
    await w.find('[data-testid="crisis-actions"]').setValue('Took her to the counselling room')
    await save(w)
    expect(mutate.recordCrisis).toHaveBeenCalledOnce()
    const sent = mutate.recordCrisis.mock.calls[0]![0]
    expect(sent).toEqual({
      caseId: 9,
      occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      what: 'Said she did not want to live',
      actions: 'Took her to the counselling room',
      accompanied: false,
      accompaniedBy: null,
      notified: [],
    })
    expect(crisisInput.safeParse(sent).success).toBe(true)
  })

  it('sends the confirmation with who stays, and refuses a notification row without who or when', async () => {
    const w = render(CaseCrisisForm, { caseId: 9, action: actions().recordCrisis })
    await w.find('[data-testid="crisis-what"]').setValue('Self-harm in the toilets')
    await w.find('[data-testid="crisis-actions"]').setValue('First aid')
    await w.find('[data-testid="crisis-accompanied"]').trigger('click')
    await flushPromises()
    await w.find('[data-testid="crisis-accompanied-by"]').setValue('Ms Li')
    await w.find('[data-testid="crisis-add-notified"]').trigger('click')
    await flushPromises()
    await save(w)
    // A row with neither who nor when is refused before anything is sent.
    expect(mutate.recordCrisis).not.toHaveBeenCalled()
    const row = w.find('[data-testid="crisis-notified-row"]')
    expect(row.findAll('.el-form-item__error').map((e) => e.text())).toHaveLength(2)
    await row.find('button').trigger('click')
    await flushPromises()
    await save(w)
    expect(mutate.recordCrisis).toHaveBeenCalledOnce()
    expect(mutate.recordCrisis.mock.calls[0]![0]).toMatchObject({ accompanied: true, accompaniedBy: 'Ms Li', notified: [] })
  })
})

describe('the notification form', () => {
  it('picks the only recipient that fulfils the task, asks for the time, then sends one notification for that task', async () => {
    const w = render(CaseNotifyForm, { caseId: 9, taskId: 31, recipients: ['guardian'], action: actions().notify })
    await save(w)
    expect(mutate.notify).not.toHaveBeenCalled()
    // A time left blank is asked for, not called malformed.
    expect(errorOf(w, 'notify-at')).toBe('Required')
    await w.find('[data-testid="notify-name"]').setValue('Mrs Qin')
    const picker = w.find('[data-testid="notify-at"] input')
    await picker.setValue('2026-03-02 09:40:00')
    await picker.trigger('change')
    await flushPromises()
    await save(w)
    expect(mutate.notify).toHaveBeenCalledOnce()
    expect(mutate.notify.mock.calls[0]![0]).toEqual({
      caseId: 9,
      taskId: 31,
      recipient: 'guardian',
      name: 'Mrs Qin',
      at: new Date('2026-03-02T09:40:00').toISOString(),
    })
  })
})

describe('the not-applicable form', () => {
  it('needs a reason, then sends it with the task', async () => {
    const w = render(CaseTaskNaForm, { taskId: 12, kind: 'return_plan', action: actions().markTask })
    await save(w)
    expect(mutate.completeTask).not.toHaveBeenCalled()
    expect(errorOf(w, 'task-na-reason')).toBe(
      serverMessage(taskCompleteInput, { taskId: 12, status: 'not_applicable', reason: '' }, 'reason'),
    )
    await w.find('[data-testid="task-na-reason"]').setValue('Never left school')
    await save(w)
    expect(mutate.completeTask).toHaveBeenCalledWith({ taskId: 12, status: 'not_applicable', reason: 'Never left school' })
  })
})

describe('the session note form', () => {
  it("refuses a note without text, with the server's message", async () => {
    const w = render(CaseNoteForm, { caseId: 3, action: actions().addNote })
    await save(w)
    expect(mutate.addNote).not.toHaveBeenCalled()
    expect(errorOf(w, 'note-text')).toBe(
      serverMessage(
        noteInput,
        { caseId: 3, sessionDate: '2026-03-02', durationMin: 45, type: 'individual', text: '', private: false },
        'text',
      ),
    )
  })

  it("writes a private note of today's session", async () => {
    const w = render(CaseNoteForm, { caseId: 3, action: actions().addNote })
    await w.find('[data-testid="note-text"]').setValue('Talked about sleep and exams.')
    await w.find('[data-testid="note-private"] input').setValue(true)
    await save(w)
    expect(mutate.addNote).toHaveBeenCalledExactlyOnceWith({
      caseId: 3,
      sessionDate: new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date()),
      durationMin: 45,
      type: 'individual',
      text: 'Talked about sleep and exams.',
      private: true,
    })
  })
})

describe('the referral move form', () => {
  const referral = {
    referralId: 4,
    version: 6,
    from: 'feedback_received',
    next: 'feedback_received',
    feedback: 'Seen; review in two weeks',
  }

  it('starts a further feedback from the one recorded and sends it as feedback received', async () => {
    const w = render(CaseReferralUpdateForm, { referral, action: actions().updateReferral })
    const text = w.find('[data-testid="referral-feedback"]')
    expect((text.element as HTMLTextAreaElement).value).toBe('Seen; review in two weeks')
    await text.setValue('Seen again; medication started by the hospital')
    await save(w)
    expect(mutate.updateReferral).toHaveBeenCalledExactlyOnceWith({
      referralId: 4,
      version: 6,
      status: 'feedback_received',
      on: expect.stringMatching(/^\d{4}-\d\d-\d\d$/),
      feedback: 'Seen again; medication started by the hospital',
      returnPlan: null,
    })
  })
})
