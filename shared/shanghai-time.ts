/**
 * Calendar days in Asia/Shanghai (UTC+8 all year, no daylight saving), for server and browser alike:
 * the one place that turns an instant into the day a school lives in.
 */
const HOUR = 60 * 60_000
const DAY = 24 * HOUR
const SHANGHAI_OFFSET = 8 * HOUR

/** `at`'s date in Asia/Shanghai as YYYY-MM-DD. */
export function shanghaiDate(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET).toISOString().slice(0, 10)
}

/** The last millisecond of `at`'s calendar day in Asia/Shanghai, as a UTC instant. */
export function endOfShanghaiDay(at: Date): Date {
  const local = at.getTime() + SHANGHAI_OFFSET
  const dayStart = Math.floor(local / DAY) * DAY
  return new Date(dayStart + DAY - 1 - SHANGHAI_OFFSET)
}

/** The first instant of calendar day `day` (YYYY-MM-DD) in Asia/Shanghai, as a UTC ISO string. */
export function shanghaiDayStart(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - SHANGHAI_OFFSET).toISOString()
}

/** The first instant after calendar day `day` in Asia/Shanghai, as a UTC ISO string. */
export function shanghaiDayEnd(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + DAY - SHANGHAI_OFFSET).toISOString()
}
