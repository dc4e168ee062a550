/**
 * Slot arithmetic for the counselling room's duty rota. Pure: dates are Asia/Shanghai calendar days
 * (YYYY-MM-DD), times are minutes after local midnight, and Shanghai has no daylight saving, so an
 * instant is the local time less eight hours.
 */
export interface RotaSlot {
  id?: number
  weekday: number
  startMin: number
  endMin: number
  counsellorId: number
}
export interface Closure {
  startsOn: string
  endsOn: string
}
export type SlotProblem = 'midnight' | 'empty' | 'overlap'
export type OccurrenceProblem = 'wrongWeekday' | 'closed' | 'past' | 'tooFar'

const DAY_MS = 86_400_000
const SHANGHAI_OFFSET_MS = 8 * 3_600_000

const dayMs = (date: string) => Date.parse(`${date}T00:00:00Z`)

export function addDays(date: string, n: number): string {
  return new Date(dayMs(date) + n * DAY_MS).toISOString().slice(0, 10)
}

/** ISO weekday of a calendar day: 1 = Monday … 7 = Sunday. */
export function weekdayOf(date: string): number {
  const d = new Date(dayMs(date)).getUTCDay()
  return d === 0 ? 7 : d
}

/** The Monday of the week `date` lies in. */
export function mondayOf(date: string): string {
  return addDays(date, 1 - weekdayOf(date))
}

/** The instant (UTC ISO) of `min` minutes after midnight of Shanghai day `date`. */
export function localInstant(date: string, min: number): string {
  return new Date(dayMs(date) + min * 60_000 - SHANGHAI_OFFSET_MS).toISOString()
}

/** Shanghai day and minutes of an instant. */
export function localParts(at: string): { date: string; min: number } {
  const local = Date.parse(at) + SHANGHAI_OFFSET_MS
  const date = new Date(local).toISOString().slice(0, 10)
  return { date, min: Math.round((local - dayMs(date)) / 60_000) }
}

export function formatTime(min: number): string {
  return `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`
}

/**
 * What is wrong with each slot of a rota, by index. A slot ending at or before its start would run
 * across midnight (or last nothing); the room is one place, so slots of one weekday may not overlap,
 * whoever is on duty. Touching slots (10:00–11:00, 11:00–12:00) are fine.
 */
export function rotaProblems(slots: readonly RotaSlot[]): { index: number; problem: SlotProblem }[] {
  const out: { index: number; problem: SlotProblem }[] = []
  slots.forEach((s, index) => {
    if (s.endMin === s.startMin) out.push({ index, problem: 'empty' })
    else if (s.endMin < s.startMin) out.push({ index, problem: 'midnight' })
  })
  const bad = new Set(out.map((p) => p.index))
  slots.forEach((s, index) => {
    if (bad.has(index)) return
    const clash = slots.some(
      (o, j) => j !== index && !bad.has(j) && o.weekday === s.weekday && o.startMin < s.endMin && s.startMin < o.endMin,
    )
    if (clash) out.push({ index, problem: 'overlap' })
  })
  return out.sort((a, b) => a.index - b.index)
}

export function isClosed(date: string, closures: readonly Closure[]): boolean {
  return closures.some((c) => c.startsOn <= date && date <= c.endsOn)
}

const hours = (min: number) => Math.round((min / 60) * 100) / 100

/** The rota's regular opening hours in a week without closures: what the room standard compares. */
export function regularWeeklyHours(slots: readonly RotaSlot[]): number {
  return hours(slots.reduce((sum, s) => sum + Math.max(0, s.endMin - s.startMin), 0))
}

export interface Occurrence {
  slotId: number
  date: string
  startsAt: string
  endsAt: string
  counsellorId: number
}

/** The slots of the week starting `monday` that fall on open days, in time order. */
export function weekOccurrences(slots: readonly (RotaSlot & { id: number })[], closures: readonly Closure[], monday: string): Occurrence[] {
  return slots
    .map((s) => ({ s, date: addDays(monday, s.weekday - 1) }))
    .filter(({ date }) => !isClosed(date, closures))
    .map(({ s, date }) => ({
      slotId: s.id,
      date,
      startsAt: localInstant(date, s.startMin),
      endsAt: localInstant(date, s.endMin),
      counsellorId: s.counsellorId,
    }))
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt))
}

/** Opening hours of one week (Monday given), closures taken off. */
export function weekOpenHours(slots: readonly RotaSlot[], closures: readonly Closure[], monday: string): number {
  const min = slots
    .filter((s) => !isClosed(addDays(monday, s.weekday - 1), closures))
    .reduce((sum, s) => sum + Math.max(0, s.endMin - s.startMin), 0)
  return hours(min)
}

/** Open hours from `from` to `to` inclusive (both Shanghai days), closures taken off. */
export function openHoursBetween(slots: readonly RotaSlot[], closures: readonly Closure[], from: string, to: string): number {
  let min = 0
  for (let d = from; d <= to; d = addDays(d, 1)) {
    if (isClosed(d, closures)) continue
    const wd = weekdayOf(d)
    for (const s of slots) if (s.weekday === wd) min += Math.max(0, s.endMin - s.startMin)
  }
  return hours(min)
}

/**
 * Whether slot `slot` may be booked on `date` at `now`: the date must be the slot's weekday, not in
 * a closure, not started yet, and within the booking horizon.
 */
export function occurrenceProblem(
  slot: RotaSlot,
  date: string,
  closures: readonly Closure[],
  now: Date,
  horizonDays: number,
): OccurrenceProblem | null {
  if (weekdayOf(date) !== slot.weekday) return 'wrongWeekday'
  if (isClosed(date, closures)) return 'closed'
  if (Date.parse(localInstant(date, slot.startMin)) <= now.getTime()) return 'past'
  if (Date.parse(localInstant(date, slot.startMin)) > now.getTime() + horizonDays * DAY_MS) return 'tooFar'
  return null
}

/** Booked hours over open hours as a whole percentage; null when the room was never open. */
export function utilisation(bookedHours: number, openHours: number): number | null {
  if (openHours <= 0) return null
  return Math.round((bookedHours / openHours) * 100)
}
