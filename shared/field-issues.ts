import type { z } from 'zod'
import type { FieldIssue } from './errors'

/**
 * A zod failure as the field issues a form shows: the server sends these with a validation error, and
 * a form that checks its input with the same schema first builds them the same way, so a field's
 * message has one source (composables/useApiError.ts turns them into text).
 */
export function zodFieldIssues(issues: readonly z.core.$ZodIssue[]): FieldIssue[] {
  return issues.slice(0, 50).map((i) => {
    const issue: FieldIssue = { path: i.path.map(String).join('.'), code: i.code }
    if ('minimum' in i && typeof i.minimum === 'number') issue.minimum = i.minimum
    if ('maximum' in i && typeof i.maximum === 'number') issue.maximum = i.maximum
    if (i.message.startsWith('validation.')) issue.message = i.message
    return issue
  })
}
