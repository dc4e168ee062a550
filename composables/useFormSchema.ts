import { ElMessage } from 'element-plus'
import type { z } from 'zod'
import { zodFieldIssues } from '~~/shared/field-issues'
import { useApiError } from './useApiError'
import { useSubmit } from './useSubmit'

/**
 * A form's save step that first checks the values with the server's own zod schema: a bad field is
 * refused in the browser with the very message the server would send (same issue → same i18n text,
 * inline and as a toast), and nothing is sent. `run` then sends as `useSubmit` does.
 */
export function useFormSchema() {
  const submit = useSubmit()
  const { issuesByField, issuesMessage } = useApiError()

  /** True when `value` passes `schema`; otherwise the field errors are set and shown. */
  function check<S extends z.ZodType>(schema: S, value: z.input<S>): boolean {
    const result = schema.safeParse(value)
    if (result.success) {
      submit.errors.value = {}
      return true
    }
    const issues = zodFieldIssues(result.error)
    submit.errors.value = issuesByField(issues)
    ElMessage.error({ message: issuesMessage(issues), grouping: true })
    return false
  }

  return { ...submit, check }
}
