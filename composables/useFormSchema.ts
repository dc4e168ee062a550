import { ElMessage } from 'element-plus'
import type { z } from 'zod'
import { zodFieldIssues } from '~~/shared/field-issues'
import { useI18n } from 'vue-i18n'
import { fieldErrorTexts, validationMessage } from './useApiError'
import { useSubmit } from './useSubmit'

/**
 * A form's save step that first checks the values with the server's own zod schema: a bad field is
 * refused in the browser with the very message the server would send (same issue → same i18n text,
 * inline and as a toast), and nothing is sent. `run` then sends as `useSubmit` does.
 */
export function useFormSchema() {
  const submit = useSubmit()
  const { t, te } = useI18n()

  /** True when `value` passes `schema`; otherwise the field errors are set and shown. */
  function check<S extends z.ZodType>(schema: S, value: z.input<S>): boolean {
    const result = schema.safeParse(value)
    if (result.success) {
      submit.errors.value = {}
      return true
    }
    const issues = zodFieldIssues(result.error.issues)
    submit.errors.value = fieldErrorTexts(issues, t, te)
    ElMessage.error({ message: validationMessage(issues, t, te), grouping: true })
    return false
  }

  return { ...submit, check }
}
