import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, nextTick } from 'vue'
import { createI18n } from 'vue-i18n'
import ProgrammeEventDialog, { type EventFormValue } from '../../components/programme/ProgrammeEventDialog.vue'
import en from '../../i18n/locales/en.json'
import zh from '../../i18n/locales/zh-CN.json'
import { serverValidationError } from './form-harness'

// The drill form of the seven-ones evidence: the reproducer of "输入: 必填" with the field off-screen.

const DialogStub = defineComponent({
  setup(_, { slots }) {
    return () => h('div', { class: 'dialog-stub' }, [slots.default?.(), slots.footer?.()])
  },
})

const createEvent = vi.fn(async (_input: unknown) => ({ id: 11 }))
const trpc = { programme: { createEvent: { mutate: createEvent }, updateEvent: { mutate: vi.fn() } } }

const DRILL: EventFormValue = {
  schoolYearId: 3,
  kind: 'drill',
  heldOn: '2026-11-20',
  title: 'Rooftop drill',
  audiences: [],
  grades: [],
  participants: 40,
  organiser: null,
  summary: null,
  scenario: 'A pupil on the roof',
  roles: [],
  responseMinutes: null,
  problemsFound: null,
  improvements: null,
}

function render(value: EventFormValue, locale: 'en' | 'zh-CN' = 'en'): VueWrapper {
  vi.stubGlobal('useNuxtApp', () => ({ $trpc: trpc }))
  const i18n = createI18n({ legacy: false, locale, messages: { en, 'zh-CN': zh }, globalInjection: true })
  return mount(ProgrammeEventDialog, {
    props: { value },
    global: { plugins: [ElementPlus, i18n], stubs: { ElDialog: DialogStub } },
    attachTo: document.body,
  })
}

/** The form item whose label reads `label`. */
function item(w: VueWrapper, label: string): HTMLElement {
  const found = w.findAll('.el-form-item').find((i) => i.find('.el-form-item__label').text() === label)
  if (!found) throw new Error(`no field labelled ${label}`)
  return found.element as HTMLElement
}

/** The toasts Element Plus shows (rendered into the body). */
const toasts = () => [...document.querySelectorAll('.el-message__content')].map((e) => e.textContent?.trim())

async function save(w: VueWrapper) {
  await w.find('[data-testid="event-save"]').trigger('click')
  await flushPromises()
  // el-form-item shows an error after a 100 ms debounce.
  await new Promise((resolve) => setTimeout(resolve, 150))
  await nextTick()
}

afterEach(() => {
  vi.clearAllMocks()
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

describe('the required-field asterisk', () => {
  it('marks exactly the fields the event schema requires', () => {
    const w = render(DRILL)
    const e = en.programme.event
    const required = w
      .findAll('.el-form-item')
      .filter((i) => i.classes('is-required'))
      .map((i) => i.find('.el-form-item__label').text())
    expect(required).toEqual([e.heldOn, e.title, e.audiences, e.participants])
    // Element Plus draws the asterisk for these, and only these, from the class.
    expect(item(w, e.organiser).classList.contains('is-required')).toBe(false)
    expect(item(w, e.scenario).classList.contains('is-required')).toBe(false)
  })
})

describe('a refused save', () => {
  it('names the blank field in the message, in English', async () => {
    const w = render(DRILL)
    await save(w)
    expect(toasts()).toEqual(['Please fill in: Audience'])
    expect(item(w, 'Audience').querySelector('.el-form-item__error')?.textContent?.trim()).toBe(en.validation.required)
    expect(createEvent).not.toHaveBeenCalled()
  })

  it('names the blank field in the message, in Chinese, never as "输入: 必填"', async () => {
    const w = render(DRILL, 'zh-CN')
    await save(w)
    expect(toasts()).toEqual(['请填写：参与对象'])
    expect(toasts().join()).not.toContain('输入')
  })

  it('focuses the first field in error, in the order of the form', async () => {
    const w = render({ ...DRILL, title: '  ', heldOn: '' })
    await save(w)
    // Date, title and audience are all blank: the date comes first on the form.
    expect(toasts()).toEqual(['Please fill in: Date'])
    expect(item(w, 'Date').contains(document.activeElement)).toBe(true)
  })

  it('puts the cursor in the audience field when that is the one missing', async () => {
    const w = render(DRILL)
    await save(w)
    const audience = item(w, 'Audience')
    expect(audience.contains(document.activeElement)).toBe(true)
    expect((document.activeElement as HTMLInputElement).type).toBe('checkbox')
  })

  it('says what is wrong with a field that is filled in but refused', async () => {
    const w = render({ ...DRILL, audiences: ['staff'], title: 'x'.repeat(101) })
    await save(w)
    expect(toasts()).toEqual([`Title: ${en.validation.too_big.replace('{max}', '100')}`])
    expect(item(w, 'Title').contains(document.activeElement)).toBe(true)
  })

  it("names and focuses the field of the server's refusal too", async () => {
    // e.g. a date the server finds outside the school year
    createEvent.mockRejectedValueOnce(serverValidationError([{ path: 'heldOn', code: 'invalid_format' }]))
    const w = render({ ...DRILL, audiences: ['students'] })
    await save(w)
    expect(createEvent).toHaveBeenCalledTimes(1)
    expect(toasts()).toEqual([`Date: ${en.validation.invalid_format}`])
    expect(item(w, 'Date').contains(document.activeElement)).toBe(true)
    expect(w.emitted('saved')).toBeUndefined()
  })

  it('sends a complete drill', async () => {
    const w = render({ ...DRILL, audiences: ['students', 'staff'] })
    await save(w)
    expect(toasts()).toEqual([])
    expect(createEvent).toHaveBeenCalledTimes(1)
    expect(w.emitted('saved')).toEqual([[11]])
  })
})
