/**
 * Working time in Asia/Shanghai (UTC+8 all year, no daylight saving) for deadlines such as "acknowledge an
 * alert within 2 working hours". A working day is Monday to Friday, 08:30–12:00 and 14:00–17:30 (the usual
 * office hours of schools and the bureau); public holidays are the `holidays` the caller names (YYYY-MM-DD,
 * Shanghai calendar days). Time outside these hours does not count.
 */
const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
const OFFSET = 8 * HOUR

/** The working periods of a working day, as [start, end) offsets from local midnight. */
export const WORKING_PERIODS: readonly (readonly [number, number])[] = [
  [8 * HOUR + 30 * MINUTE, 12 * HOUR],
  [14 * HOUR, 17 * HOUR + 30 * MINUTE],
]

export interface WorkingCalendar {
  holidays?: ReadonlySet<string>
}

function isWorkingDay(localDayStart: number, cal: WorkingCalendar): boolean {
  const d = new Date(localDayStart)
  const weekday = d.getUTCDay()
  if (weekday === 0 || weekday === 6) return false
  return !cal.holidays?.has(d.toISOString().slice(0, 10))
}

/** The instant `hours` working hours after `from` (a deadline). Zero hours is `from` itself. */
export function addWorkingHours(from: Date, hours: number, cal: WorkingCalendar = {}): Date {
  if (!(hours >= 0) || !Number.isFinite(hours)) throw new RangeError('hours must be a finite number ≥ 0')
  let remaining = Math.round(hours * HOUR)
  if (remaining === 0) return new Date(from)
  const local = from.getTime() + OFFSET
  let day = Math.floor(local / DAY) * DAY
  // Ten years of days is far beyond any setting; the bound only guards against a calendar of all holidays.
  for (let i = 0; i < 3660; i++, day += DAY) {
    if (!isWorkingDay(day, cal)) continue
    for (const [s, e] of WORKING_PERIODS) {
      const start = Math.max(day + s, local)
      const end = day + e
      if (start >= end) continue
      if (remaining <= end - start) return new Date(start + remaining - OFFSET)
      remaining -= end - start
    }
  }
  throw new RangeError('no working time in the calendar')
}

/** Working milliseconds between two instants (0 when `to` is not after `from`). */
export function workingMsBetween(from: Date, to: Date, cal: WorkingCalendar = {}): number {
  const a = from.getTime() + OFFSET
  const b = to.getTime() + OFFSET
  if (b <= a) return 0
  let total = 0
  for (let day = Math.floor(a / DAY) * DAY; day < b; day += DAY) {
    if (!isWorkingDay(day, cal)) continue
    for (const [s, e] of WORKING_PERIODS) total += Math.max(0, Math.min(day + e, b) - Math.max(day + s, a))
  }
  return total
}

/** Has the deadline of `hours` working hours after `from` passed at `now`? */
export function isPastWorkingDeadline(from: Date, hours: number, now: Date, cal: WorkingCalendar = {}): boolean {
  return now.getTime() >= addWorkingHours(from, hours, cal).getTime()
}
