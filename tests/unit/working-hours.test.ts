import { describe, expect, it } from 'vitest'
import { addWorkingHours, isPastWorkingDeadline, workingMsBetween } from '../../server/rules/working-hours'

const at = (local: string) => new Date(`${local}+08:00`)
const iso = (local: string) => at(local).toISOString()
const HOUR = 3_600_000

// 2026-03-02 is a Monday; 2026-03-06 a Friday. Times are Asia/Shanghai.
describe('addWorkingHours (Asia/Shanghai, Mon–Fri 08:30–12:00 and 14:00–17:30)', () => {
  it.each([
    ['inside the morning', '2026-03-02T09:00:00', 2, '2026-03-02T11:00:00'],
    ['running into the lunch break: resumes at 14:00', '2026-03-02T11:00:00', 2, '2026-03-02T15:00:00'],
    ['ending exactly at noon', '2026-03-02T10:00:00', 2, '2026-03-02T12:00:00'],
    ['raised during lunch', '2026-03-02T12:30:00', 2, '2026-03-02T16:00:00'],
    ['raised before the day starts', '2026-03-02T06:00:00', 2, '2026-03-02T10:30:00'],
    ['raised late afternoon: rolls to the next morning', '2026-03-02T17:00:00', 2, '2026-03-03T10:00:00'],
    ['raised after hours', '2026-03-02T20:00:00', 2, '2026-03-03T10:30:00'],
    ['Friday afternoon: rolls over the weekend', '2026-03-06T16:30:00', 2, '2026-03-09T09:30:00'],
    ['raised on Saturday', '2026-03-07T10:00:00', 2, '2026-03-09T10:30:00'],
    ['raised on Sunday night', '2026-03-08T23:59:00', 0.5, '2026-03-09T09:00:00'],
    ['a full working day is 7 hours', '2026-03-02T08:30:00', 7, '2026-03-02T17:30:00'],
    ['more than a day', '2026-03-02T08:30:00', 9, '2026-03-03T10:30:00'],
    ['half an hour', '2026-03-02T11:45:00', 0.5, '2026-03-02T14:15:00'],
    ['zero hours is the instant itself', '2026-03-07T10:00:00', 0, '2026-03-07T10:00:00'],
  ])('%s: %s + %sh → %s', (_why, from, hours, want) => {
    expect(addWorkingHours(at(from), hours).toISOString()).toBe(iso(want))
  })

  it('skips the holidays it is given', () => {
    const holidays = new Set(['2026-03-03'])
    expect(addWorkingHours(at('2026-03-02T17:00:00'), 2, { holidays }).toISOString()).toBe(iso('2026-03-04T10:00:00'))
  })

  it('refuses a negative or infinite number of hours', () => {
    expect(() => addWorkingHours(at('2026-03-02T09:00:00'), -1)).toThrow(RangeError)
    expect(() => addWorkingHours(at('2026-03-02T09:00:00'), Number.POSITIVE_INFINITY)).toThrow(RangeError)
  })
})

describe('workingMsBetween', () => {
  it.each([
    ['same morning', '2026-03-02T09:00:00', '2026-03-02T10:30:00', 1.5],
    ['across lunch', '2026-03-02T11:00:00', '2026-03-02T15:00:00', 2],
    ['a whole weekday', '2026-03-02T00:00:00', '2026-03-03T00:00:00', 7],
    ['a weekend', '2026-03-07T00:00:00', '2026-03-09T00:00:00', 0],
    ['Friday evening to Monday 09:00', '2026-03-06T17:00:00', '2026-03-09T09:00:00', 1],
    ['backwards', '2026-03-02T10:00:00', '2026-03-02T09:00:00', 0],
  ])('%s', (_why, from, to, hours) => {
    expect(workingMsBetween(at(from), at(to))).toBe(hours * HOUR)
  })

  it('agrees with addWorkingHours', () => {
    for (const from of ['2026-03-02T11:13:00', '2026-03-06T16:59:00', '2026-03-07T03:00:00']) {
      for (const h of [0.5, 2, 7.25, 30]) expect(workingMsBetween(at(from), addWorkingHours(at(from), h))).toBe(h * HOUR)
    }
  })
})

describe('isPastWorkingDeadline', () => {
  it.each([
    ['one minute before', '2026-03-02T10:59:00', false],
    ['at the deadline', '2026-03-02T11:00:00', true],
    ['after it', '2026-03-02T11:01:00', true],
  ])('%s', (_why, now, past) => {
    expect(isPastWorkingDeadline(at('2026-03-02T09:00:00'), 2, at(now))).toBe(past)
  })
})
