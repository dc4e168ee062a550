import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { vi } from 'vitest'
import { defineComponent, h, nextTick, type Component } from 'vue'
import { createI18n } from 'vue-i18n'
import en from '../../i18n/locales/en.json'
import zh from '../../i18n/locales/zh-CN.json'

/** The dialog's body and footer rendered in place (Element Plus would animate them into an overlay). */
const DialogStub = defineComponent({
  setup(_, { slots }) {
    return () => h('div', { class: 'dialog-stub' }, [slots.default?.(), slots.footer?.()])
  },
})

/**
 * Mounts a form with the app's i18n and Element Plus, its `$trpc` replaced by `trpc` (the forms reach
 * the API only through composables that call `useNuxtApp()`).
 */
export function mountForm(component: Component, props: Record<string, unknown>, trpc: Record<string, unknown>): VueWrapper {
  vi.stubGlobal('useNuxtApp', () => ({ $trpc: trpc }))
  const i18n = createI18n({ legacy: false, locale: 'en', messages: { en, 'zh-CN': zh }, globalInjection: true })
  return mount(component, { props, global: { plugins: [ElementPlus, i18n], stubs: { ElDialog: DialogStub } } })
}

/** The <input> of an Element Plus field carrying `data-testid` (on the wrapper or the input itself). */
export function field(w: VueWrapper, testId: string) {
  const el = w.find(`[data-testid="${testId}"]`)
  return el.element.tagName === 'INPUT' ? el : el.find('input')
}

/** The inline error messages shown under the form's fields. */
export function fieldErrors(w: VueWrapper): string[] {
  return w.findAll('.el-form-item__error').map((e) => e.text())
}

/** A tRPC error as the server sends it for a zod failure. */
export function serverValidationError(fieldIssues: { path: string; code: string; message?: string }[]) {
  return Object.assign(new Error('validation'), { data: { code: 'BAD_REQUEST', appCode: 'validation', fieldIssues } })
}

/** Clicks a button and waits for the call and for Element Plus to show field errors (it debounces them by 100 ms). */
export async function click(w: VueWrapper, testId: string) {
  await w.find(`[data-testid="${testId}"]`).trigger('click')
  await flushPromises()
  await new Promise((resolve) => setTimeout(resolve, 150))
  await nextTick()
}
