import type { z } from 'zod'
import { zodFieldIssues } from '~~/shared/field-issues'
import { useI18n } from 'vue-i18n'
import { fieldErrorTexts } from './useApiError'
import { schemaRules } from './useFormErrors'
import { useSubmit } from './useSubmit'

/**
 * A form's save step that first checks the values with the server's own zod schema: a bad field is
 * refused in the browser with the very message the server would send (same issue → same i18n text,
 * inline, and named in the toast), the page scrolls to it and focuses it, and nothing is sent. `run`
 * then sends as `useSubmit` does. Given the schema, `rules` puts the asterisk on each field it requires.
 * Template: `<el-form ref="formRef" :rules="rules">` and `prop="<field>"` on each `<el-form-item>`.
 */
export function useFormSchema(schema?: z.ZodType) {
  const submit = useSubmit()
  const { t, te } = useI18n()
  const rules = schema ? schemaRules(schema) : {}

  /** True when `value` passes `schema`; otherwise the field errors are set and shown. */
  function check<S extends z.ZodType>(schema: S, value: z.input<S>): boolean {
    const result = schema.safeParse(value)
    if (result.success) {
      submit.errors.value = {}
      return true
    }
    const issues = zodFieldIssues(result.error.issues, value)
    submit.errors.value = fieldErrorTexts(issues, t, te)
    void submit.reveal(issues)
    return false
  }

  return { ...submit, check, rules }
}
