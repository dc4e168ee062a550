import { ElMessage } from 'element-plus'
import { useI18n } from 'vue-i18n'
import type { FieldIssue } from '~~/shared/errors'

interface ErrorData {
  code?: string
  appCode?: string
  params?: Record<string, string | number>
  fieldIssues?: FieldIssue[]
}

function dataOf(err: unknown): ErrorData | null {
  if (err && typeof err === 'object' && 'data' in err) {
    const data = (err as { data: unknown }).data
    if (data && typeof data === 'object') return data as ErrorData
  }
  return null
}

/** The field issues a validation error carries (none for any other error). */
export function fieldIssuesOf(err: unknown): FieldIssue[] {
  const data = dataOf(err)
  return data?.appCode === 'validation' ? (data.fieldIssues ?? []) : []
}

type Translate = (key: string, params?: Record<string, unknown>) => string
type HasKey = (key: string) => boolean

/** Whether an issue means "nothing was entered" (a blank field, or an empty text or list the schema needs). */
export function isMissing(issue: FieldIssue): boolean {
  return !!issue.blank || (issue.code === 'too_small' && issue.minimum === 1)
}

/** One field issue as text: the schema's own i18n key when it gave one, else the issue code's. */
export function issueText(issue: FieldIssue, t: Translate, te: HasKey): string {
  if (issue.message && te(issue.message)) return t(issue.message)
  // A blank field, or an empty required text or list ("too small, minimum 1"): to a person that is "required".
  if (isMissing(issue)) return t('validation.required')
  const key = `validation.${issue.code}`
  return te(key) ? t(key, { min: issue.minimum ?? '', max: issue.maximum ?? '' }) : t('validation.invalid')
}

/** Field path → message, for el-form items (the first issue of each field). */
export function fieldErrorTexts(issues: readonly FieldIssue[], t: Translate, te: HasKey): Record<string, string> {
  const out: Record<string, string> = {}
  for (const issue of issues) out[issue.path] ??= issueText(issue, t, te)
  return out
}

/** A field's name from the shared `fields.*` labels, by its path or its last segment; undefined when there is none. */
export function fieldName(path: string, t: Translate, te: HasKey): string | undefined {
  const leaf = path.split('.').pop() ?? path
  if (te(`fields.${path}`)) return t(`fields.${path}`)
  if (te(`fields.${leaf}`)) return t(`fields.${leaf}`)
  return undefined
}

/**
 * The message shown for a validation failure: it names the first field in error and says what is wrong,
 * "请填写：参与对象" / "Please fill in: Audience" for a blank one. `label` gives the field's name as the
 * form shows it (its el-form-item label); without one, the shared `fields.*` names are used, and a form
 * whose field has no name at all gets the general "check your input" message.
 */
export function validationMessage(
  issues: readonly FieldIssue[],
  t: Translate,
  te: HasKey,
  label: (path: string) => string | undefined = () => undefined,
): string {
  const first = issues[0]
  if (!first) return t('errors.validation')
  const field = label(first.path) || fieldName(first.path, t, te)
  if (!field) return t('errors.validation')
  if (isMissing(first) && !(first.message && te(first.message))) return t('validation.fillIn', { field })
  return t('validation.fieldProblem', { field, problem: issueText(first, t, te) })
}

/**
 * Turns an API error into localised text. The server sends codes, never prose, so every message
 * a user reads comes from i18n; an expired session sends the user back to the sign-in page.
 */
export function useApiError() {
  const { t, te } = useI18n()

  function message(err: unknown): string {
    const data = dataOf(err)
    if (!data?.appCode) return t('errors.network')
    if (data.appCode === 'validation' && data.fieldIssues?.length) return validationMessage(data.fieldIssues, t, te)
    if (data.appCode === 'auth.passwordPolicy' && data.params?.problems) {
      return String(data.params.problems)
        .split(',')
        .map((p) => t(`password.${p}`))
        .join(t('punct.clause'))
    }
    const key = `errors.${data.appCode}`
    return te(key) ? t(key, data.params ?? {}) : t('errors.internal')
  }

  /** Field path → message, for el-form items. */
  function fieldErrors(err: unknown): Record<string, string> {
    return fieldErrorTexts(dataOf(err)?.fieldIssues ?? [], t, te)
  }

  function isUnauthenticated(err: unknown): boolean {
    return dataOf(err)?.code === 'UNAUTHORIZED' && dataOf(err)?.appCode === 'unauthenticated'
  }

  /** Shows the error; returns to sign-in when the session has ended. */
  async function report(err: unknown): Promise<void> {
    if (isUnauthenticated(err)) {
      useSessionStore().clear()
      await navigateTo('/login?expired=1')
      return
    }
    ElMessage.error({ message: message(err), grouping: true })
  }

  return { message, fieldErrors, report, isUnauthenticated }
}
