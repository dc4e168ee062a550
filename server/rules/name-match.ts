/**
 * Finding a student by part of a name, as a counsellor types it. Both sides are normalised the same
 * way: Unicode NFKC (full-width letters, digits and brackets become their ordinary forms, so "（示例）"
 * and "(示例)" are the same), case folded, and whitespace and the middle dots that separate the parts
 * of a transliterated name ("阿依古丽·买买提") dropped. Then any substring matches.
 */
const IGNORED = /[\s\u00b7\u2022\u2027\u30fb\uff65.]/gu

export function normaliseName(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(IGNORED, '')
}

/** Letters, digits and hyphens with at least one digit: the shape of a student number, not of a name. */
const STUDENT_NO_SHAPE = /^(?=.*\d)[a-z0-9-]+$/

/**
 * A matcher for one search term, or null when the term cannot be part of a name: it normalises to
 * nothing, or it is shaped like a student number ("2026", "S-0101"), so the caller need not decrypt a
 * single name. A term with other characters is a name even when it holds a digit: a pasted full name
 * may carry a mark such as "（E2E）".
 */
export function nameMatcher(term: string): ((name: string) => boolean) | null {
  const needle = normaliseName(term)
  if (needle === '' || STUDENT_NO_SHAPE.test(needle)) return null
  return (name) => normaliseName(name).includes(needle)
}

/**
 * A term that looks like a student number (letters, digits, hyphens once normalised) also matches
 * numbers that start with it, case-insensitively; "０１０１" typed on a full-width keyboard counts.
 */
export function studentNoMatcher(term: string): ((studentNo: string) => boolean) | null {
  const prefix = term.normalize('NFKC').trim().toLowerCase()
  if (!/^[a-z0-9-]+$/.test(prefix)) return null
  return (studentNo) => studentNo.toLowerCase().startsWith(prefix)
}
