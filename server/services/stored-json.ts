import type { z } from 'zod'

/**
 * Reads a JSON column written by this application. A row that does not parse, or no longer fits the
 * schema (a hand edit, a half-applied migration), yields `fallback` instead of a crash or a wrongly
 * typed value; the warning names the column but never its content, which may be sensitive.
 */
export function parseStored<S extends z.ZodType>(
  schema: S,
  text: string | null | undefined,
  fallback: z.output<S>,
  column: string,
): z.output<S> {
  if (text == null) return fallback
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    console.warn(`[xinqiao] stored JSON in ${column} is not JSON; using the default`)
    return fallback
  }
  const parsed = schema.safeParse(raw)
  if (parsed.success) return parsed.data
  console.warn(`[xinqiao] stored JSON in ${column} does not fit its schema (${parsed.error.issues.length} issues); using the default`)
  return fallback
}
