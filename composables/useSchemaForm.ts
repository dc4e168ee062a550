import { computed, ref, watch } from 'vue'
import { useI18n } from 'vue-i18n'
import type { z } from 'zod'
import { zodFieldIssues } from '~~/shared/field-issues'
import { fieldErrorTexts } from './useApiError'
import { schemaRules, useFormErrors } from './useFormErrors'

/**
 * A form that checks its input with the server's own schema before sending it: a refused field shows
 * the message the server would have sent (same issues, same texts), is named in the toast and is
 * scrolled to and focused, and nothing is sent. Until the next check, the field errors are the client's;
 * after a passing check, the server's (`serverErrors`), whose first field is scrolled to and focused too.
 * `rules` puts the asterisk on each field the schema requires.
 * Template: `<el-form ref="formRef" :rules="rules">` and `prop="<field>"` on each `<el-form-item>`.
 * Explicit imports, so a form also mounts in a plain component test.
 */
export function useSchemaForm<S extends z.ZodType>(schema: S, serverErrors: () => Record<string, string>) {
  const { t, te } = useI18n()
  const { formRef, reveal, revealFields } = useFormErrors()
  const local = ref<Record<string, string> | null>(null)
  const errors = computed(() => local.value ?? serverErrors())
  const rules = schemaRules(schema)

  /** True when `input` passes the schema; otherwise shows why and returns false. */
  function check(input: z.input<S>): boolean {
    const parsed = schema.safeParse(input)
    if (parsed.success) {
      local.value = null
      return true
    }
    const issues = zodFieldIssues(parsed.error.issues, input)
    local.value = fieldErrorTexts(issues, t, te)
    void reveal(issues)
    return false
  }

  watch(serverErrors, (server) => {
    const paths = Object.keys(server)
    if (paths.length && !local.value) void revealFields(paths)
  })

  return { errors, check, formRef, rules }
}

/** Today in Asia/Shanghai as YYYY-MM-DD, the default date of a case form. */
export { shanghaiToday } from '~~/shared/school-year'

/** A date picker's value (Date or text) as an ISO instant; '' when it is not a date, which the schema refuses. */
export function toIsoInstant(value: Date | string | null | undefined): string {
  if (value == null || value === '') return ''
  const d = value instanceof Date ? value : new Date(value)
  return Number.isNaN(d.getTime()) ? '' : d.toISOString()
}
