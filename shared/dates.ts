import { z } from 'zod'
import { shanghaiDate } from './shanghai-time'

/**
 * One plausible-range rule per kind of date, so `0000-01-01`, `9999-12-31` or a birth date in the
 * future are refused the same way in every field. Bounds are inclusive calendar days (YYYY-MM-DD);
 * `today` is today's date in Asia/Shanghai when the input is checked.
 *
 * - birth: a student's or staff member's birth date — from 1900, never in the future;
 * - record: what the service records or plans (case opened, session, referral, follow-up, drills,
 *   events, school years, research periods, audit filters) — the years the service can exist in;
 * - career: a staff member's employment, certificates and training — may predate the service.
 */
export const DATE_KINDS = {
  birth: { min: '1900-01-01', max: 'today', message: 'validation.dateBirth' },
  record: { min: '2000-01-01', max: '2099-12-31', message: 'validation.dateRecord' },
  career: { min: '1950-01-01', max: '2099-12-31', message: 'validation.dateCareer' },
} as const
export type DateKind = keyof typeof DATE_KINDS

/** The inclusive bounds of a kind of date, `today` resolved against `now`. */
export function dateBounds(kind: DateKind, now = new Date()): { min: string; max: string } {
  const { min, max } = DATE_KINDS[kind]
  return { min, max: max === 'today' ? shanghaiDate(now) : max }
}

/** Whether an ISO day (YYYY-MM-DD, already valid) is plausible for its kind. */
export function dateInRange(kind: DateKind, day: string, now = new Date()): boolean {
  const { min, max } = dateBounds(kind, now)
  return day >= min && day <= max
}

/** A calendar day of the given kind: a valid ISO date within the kind's range. */
export function isoDay(kind: DateKind) {
  return z.iso.date().refine((d) => dateInRange(kind, d), { message: DATE_KINDS[kind].message })
}

/** An instant with its offset whose calendar day (in Asia/Shanghai) is within the kind's range. */
export function isoInstant(kind: DateKind) {
  return z.iso
    .datetime({ offset: true })
    .refine((at) => Number.isFinite(Date.parse(at)) && dateInRange(kind, shanghaiDate(new Date(at))), { message: DATE_KINDS[kind].message })
}
