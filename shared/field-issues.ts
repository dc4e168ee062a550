import { z } from 'zod'
import type { FieldIssue } from './errors'
import { isInvisibleOnly } from './text'

/** A form value that counts as not filled in: nothing, blank text (invisible characters only) or an empty list. */
export function isBlank(value: unknown): boolean {
  return value == null || (typeof value === 'string' && isInvisibleOnly(value)) || (Array.isArray(value) && value.length === 0)
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input
  for (const key of path) {
    if (v == null || typeof v !== 'object') return undefined
    v = (v as Record<PropertyKey, unknown>)[key]
  }
  return v
}

/**
 * A zod failure as the field issues a form shows: the server sends these with a validation error, and
 * a form that checks its input with the same schema first builds them the same way, so a field's
 * message has one source (composables/useApiError.ts turns them into text). Given the input, an issue
 * on a field left blank is marked `blank`, so the form can say "please fill in" rather than "invalid".
 */
export function zodFieldIssues(issues: readonly z.core.$ZodIssue[], input?: unknown): FieldIssue[] {
  return issues.slice(0, 50).map((i) => {
    const issue: FieldIssue = { path: i.path.map(String).join('.'), code: i.code }
    if ('minimum' in i && typeof i.minimum === 'number') issue.minimum = i.minimum
    if ('maximum' in i && typeof i.maximum === 'number') issue.maximum = i.maximum
    if (i.message.startsWith('validation.')) issue.message = i.message
    if (input !== undefined && i.path.length > 0 && isBlank(valueAt(input, i.path))) issue.blank = true
    return issue
  })
}

function objectShape(schema: z.ZodType): Record<string, z.ZodType> | null {
  if (schema instanceof z.ZodObject) return schema.shape as Record<string, z.ZodType>
  if (schema instanceof z.ZodPipe) return objectShape(schema.in as z.ZodType)
  return null
}

const BLANKS: readonly unknown[] = [undefined, null, '', []]

/**
 * Each field of an object schema (dotted paths for nested objects) and whether a person must fill it in:
 * true when the field refuses every blank value. A yes/no field is never required (unticked is an
 * answer), nor is a field with a default.
 */
export function fieldRequirements(schema: z.ZodType): Record<string, boolean> {
  const shape = objectShape(schema)
  if (!shape) return {}
  const out: Record<string, boolean> = {}
  for (const [key, field] of Object.entries(shape)) {
    if (objectShape(field)) for (const [path, required] of Object.entries(fieldRequirements(field))) out[`${key}.${path}`] = required
    else out[key] = !BLANKS.some((v) => field.safeParse(v).success) && !field.safeParse(false).success
  }
  return out
}

/** The fields of an object schema a person must fill in; the forms mark them with Element Plus's asterisk, so the mark and the check agree. */
export function requiredFields(schema: z.ZodType): string[] {
  return Object.entries(fieldRequirements(schema))
    .filter(([, required]) => required)
    .map(([path]) => path)
}
