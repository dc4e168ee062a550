import { z } from 'zod'

/**
 * Text hygiene for every free-text field: one place decides what a stored text may contain.
 *
 * - normalised to NFC (a name typed on two keyboards compares equal), line breaks as `\n`;
 * - control characters other than newline and tab (NUL, BEL, ESC, DEL, C1 …) are refused;
 * - bidirectional overrides and isolates (U+202A–202E, U+2066–2069) are refused: they make a
 *   name or a CSV cell read differently from what it stores;
 * - lone surrogates (not valid Unicode, break exports and PostgreSQL) are refused;
 * - a value made only of invisible characters (spaces of any kind, zero-width space, ZWJ/ZWNJ,
 *   word joiner, BOM, soft hyphen) counts as empty, so a required field refuses it; invisible
 *   characters around the text are trimmed.
 */

/** Control characters a text may not hold: C0 except tab and newline, DEL and C1. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/
/** Bidirectional embedding/override (LRE, RLE, PDF, LRO, RLO) and isolate (LRI, RLI, FSI, PDI) characters. */
const BIDI = /[\u202A-\u202E\u2066-\u2069]/
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
/** Characters that show nothing: zero-width space/joiners, word joiner, BOM, soft hyphen, Mongolian vowel separator, … */
const INVISIBLE = '\\u00AD\\u180E\\u200B-\\u200F\\u2060-\\u2064\\uFEFF'
const EDGE = new RegExp(`^[\\s${INVISIBLE}]+|[\\s${INVISIBLE}]+$`, 'g')
const ONLY_INVISIBLE = new RegExp(`^[\\s${INVISIBLE}]*$`)

/** What is wrong with a text, or null when it may be stored. */
export type TextProblem = 'control' | 'bidi' | 'surrogate'

export function textProblem(value: string): TextProblem | null {
  if (LONE_SURROGATE.test(value)) return 'surrogate'
  if (CONTROL.test(value)) return 'control'
  if (BIDI.test(value)) return 'bidi'
  return null
}

/** Whether a text shows nothing at all (empty, spaces or zero-width characters only). */
export function isInvisibleOnly(value: string): boolean {
  return ONLY_INVISIBLE.test(value)
}

/** The text as it is stored: line breaks unified, NFC, invisible edges trimmed, invisible-only → ''. */
export function normaliseText(value: string): string {
  const lines = value.replace(/\r\n?/g, '\n')
  // normalize() throws nothing on lone surrogates, but keep them so the check below refuses them
  const nfc = LONE_SURROGATE.test(lines) ? lines : lines.normalize('NFC')
  if (isInvisibleOnly(nfc)) return ''
  return nfc.replace(EDGE, '')
}

/** i18n keys of the problems (validation.*), both locales. */
export const TEXT_PROBLEM_MESSAGES: Record<TextProblem, string> = {
  control: 'validation.textControl',
  bidi: 'validation.textBidi',
  surrogate: 'validation.textSurrogate',
}

/** Attaches the problem checks to a string schema (after normalising). */
function checked(schema: z.ZodString): z.ZodString {
  return schema.overwrite(normaliseText).check((ctx) => {
    const problem = textProblem(ctx.value)
    if (problem) ctx.issues.push({ code: 'custom', message: TEXT_PROBLEM_MESSAGES[problem], input: ctx.value })
  })
}

/** Any free text, cleaned and checked, without length limits (add .min/.max/.regex after). */
export function cleanString(): z.ZodString {
  return checked(z.string())
}

/** A text that must be filled in (invisible-only counts as empty), at most `max` characters. */
export function requiredText(max: number, min = 1): z.ZodString {
  return cleanString().min(min).max(max)
}

/** A text that may be left empty, at most `max` characters. */
export function optionalText(max: number) {
  return cleanString().max(max).nullable().optional()
}

/** A filter or search text (not stored), cleaned the same way. */
export function searchText(max: number) {
  return cleanString().max(max).optional()
}

/** Makes a text safe for a text export cell or log: drops what the schemas refuse (for data stored before the rule). */
export function stripUnsafeText(value: string): string {
  return value
    .replace(new RegExp(LONE_SURROGATE.source, 'g'), '\uFFFD')
    .replace(new RegExp(CONTROL.source, 'g'), '')
    .replace(new RegExp(BIDI.source, 'g'), '')
}
