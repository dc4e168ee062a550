// Explicit imports (not Nuxt auto-imports) so a form using this also mounts in a plain component test.
import { ElMessage, type FormInstance, type FormItemContext, type FormItemRule, type FormRules } from 'element-plus'
import { nextTick, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import type { z } from 'zod'
import type { FieldIssue } from '~~/shared/errors'
import { fieldRequirements } from '~~/shared/field-issues'
import { validationMessage } from './useApiError'

const checkedElsewhere: FormItemRule['validator'] = (_rule, _value, callback) => callback()

/**
 * Element Plus rules for the fields of a schema: `required` puts the asterisk on each field the schema
 * cannot do without (see `fieldRequirements`). Element Plus itself checks nothing (no blur or change
 * trigger, and a validator that passes): the schema does the checking. Every field gets its rule, so
 * an item marked `required` by hand (a condition the schema states elsewhere) is not checked on blur either.
 */
export function schemaRules(schema: z.ZodType): FormRules {
  return Object.fromEntries(
    Object.entries(fieldRequirements(schema)).map(([path, required]) => [path, [{ required, trigger: [], validator: checkedElsewhere }]]),
  )
}

const FOCUSABLE = [
  'input:not([type="hidden"]):not([disabled])',
  'textarea:not([disabled])',
  'select:not([disabled])',
  'button:not([disabled])',
  '[tabindex]:not([tabindex="-1"])',
].join(', ')

/** The form item that shows `path`: its own, or that of the list or group the path lies in ("notified.0.who"). */
function fieldFor(fields: readonly FormItemContext[], path: string): FormItemContext | undefined {
  let best: FormItemContext | undefined
  for (const f of fields) {
    const p = f.propString
    if (p && (p === path || path.startsWith(`${p}.`)) && (!best || p.length > best.propString.length)) best = f
  }
  return best
}

function before(a: Element, b: Element): number {
  return a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1
}

/**
 * What a form does when a save is refused, whoever refused it (its schema in the browser, Element Plus's
 * rules or the server): the message names the first field in error, in the words of its label, and the
 * page scrolls to that field and puts the cursor in it. Bind `formRef` to the `<el-form>` and give each
 * `<el-form-item>` its field's path as `prop`.
 */
export function useFormErrors() {
  const { t, te } = useI18n()
  const formRef = ref<FormInstance>()

  const fields = (): readonly FormItemContext[] => (formRef.value?.fields as FormItemContext[] | undefined) ?? []
  /** The label the form shows for a field path, if the form has that field. */
  const label = (path: string): string | undefined => fieldFor(fields(), path)?.label || undefined

  /** The paths in the order their fields come on the page; paths the form shows no field for keep their order, last. */
  function inPageOrder<T>(items: readonly T[], pathOf: (item: T) => string): T[] {
    const placed = items.map((item, i) => ({ item, i, el: fieldFor(fields(), pathOf(item))?.$el }))
    return placed
      .sort((a, b) => (a.el && b.el ? (a.el === b.el ? a.i - b.i : before(a.el, b.el)) : a.el ? -1 : b.el ? 1 : a.i - b.i))
      .map((p) => p.item)
  }

  /** Scrolls the first of these fields (in page order) into view and focuses its input. */
  function focusFirst(paths: readonly string[]): void {
    const first = inPageOrder(paths, (p) => p)[0]
    const item = (first && fieldFor(fields(), first)?.$el) || formRef.value?.$el?.querySelector?.('.el-form-item.is-error')
    if (!(item instanceof HTMLElement)) return
    item.scrollIntoView({ block: 'center' })
    item.querySelector<HTMLElement>(FOCUSABLE)?.focus({ preventScroll: true })
  }

  /** A refused save: the message names the first field in error, and that field is scrolled to and focused. */
  async function reveal(issues: readonly FieldIssue[]): Promise<void> {
    await nextTick()
    const ordered = inPageOrder(issues, (i) => i.path)
    ElMessage.error({ message: validationMessage(ordered, t, te, label), grouping: true })
    focusFirst(ordered.map((i) => i.path))
  }

  /** After errors were shown by someone else (the server's, through the screen's composable): scroll to and focus the first. */
  async function revealFields(paths: readonly string[]): Promise<void> {
    await nextTick()
    focusFirst(paths)
  }

  /**
   * Runs Element Plus's own rules (`:rules` on the form); true when they pass. When they refuse, the
   * message names the first refused field with its rule's message, and that field is scrolled to and focused.
   */
  async function validate(): Promise<boolean> {
    const form = formRef.value
    if (!form) return true
    try {
      await form.validate()
      return true
    } catch (invalid) {
      const refused = Object.entries((invalid ?? {}) as Record<string, { message?: string }[]>)
      const [path, errs] = inPageOrder(refused, ([p]) => p)[0] ?? ['', []]
      const problem = errs[0]?.message || t('validation.invalid')
      const field = label(path)
      const message = !field
        ? problem
        : problem === t('validation.required')
          ? t('validation.fillIn', { field })
          : t('validation.fieldProblem', { field, problem })
      ElMessage.error({ message, grouping: true })
      focusFirst([path])
      return false
    }
  }

  return { formRef, reveal, revealFields, validate }
}
