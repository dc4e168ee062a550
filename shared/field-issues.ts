import type { ZodError } from 'zod'
import type { FieldIssue } from './errors'

/**
 * A zod error as the field issues the API sends (path, code, bounds, and the i18n key when the schema
 * gave one), so a form that checks a shared schema in the browser shows exactly what the server would.
 */
export function zodFieldIssues(error: ZodError): FieldIssue[] {
  return error.issues.slice(0, 50).map((i) => {
    const issue: FieldIssue = { path: i.path.join('.'), code: i.code }
    if ('minimum' in i && typeof i.minimum === 'number') issue.minimum = i.minimum
    if ('maximum' in i && typeof i.maximum === 'number') issue.maximum = i.maximum
    if (i.message.startsWith('validation.')) issue.message = i.message
    return issue
  })
}
