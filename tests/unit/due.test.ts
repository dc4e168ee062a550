import { describe, expect, it } from 'vitest'
import { dueWindow, followUpDueState, inDueView, nextDue, taskDueState, type DueState, type DueView } from '../../shared/due'

/** An instant given as Shanghai wall-clock time. */
const sh = (local: string) => new Date(`${local}+08:00`)
const iso = (local: string) => sh(local).toISOString()

describe('due window', () => {
  it.each([
    { now: '2026-03-02T09:00:00', today: '2026-03-02', endOfToday: '2026-03-02T23:59:59.999' },
    // 00:30 in Shanghai is still the previous day in UTC
    { now: '2026-03-02T00:30:00', today: '2026-03-02', endOfToday: '2026-03-02T23:59:59.999' },
    { now: '2026-03-02T23:59:59.999', today: '2026-03-02', endOfToday: '2026-03-02T23:59:59.999' },
    { now: '2026-03-03T00:00:00', today: '2026-03-03', endOfToday: '2026-03-03T23:59:59.999' },
  ])('at $now Shanghai time, today is $today', ({ now, today, endOfToday }) => {
    expect(dueWindow(sh(now))).toEqual({ now: iso(now), today, endOfToday: iso(endOfToday) })
  })
})

describe('a task due at an instant', () => {
  const now = '2026-03-02T15:00:00'
  it.each<[string, string, DueState]>([
    ['an hour ago', '2026-03-02T14:00:00', 'overdue'],
    ['1 ms ago', '2026-03-02T14:59:59.999', 'overdue'],
    ['exactly now', now, 'today'],
    ['this evening', '2026-03-02T20:00:00', 'today'],
    ['at the last millisecond of the Shanghai day', '2026-03-02T23:59:59.999', 'today'],
    ['at Shanghai midnight', '2026-03-03T00:00:00', 'later'],
    ['at 07:00 tomorrow (still today in UTC)', '2026-03-03T07:00:00', 'later'],
    ['yesterday', '2026-03-01T12:00:00', 'overdue'],
  ])('due %s is %s', (_, dueAt, state) => {
    expect(taskDueState(iso(dueAt), dueWindow(sh(now)))).toBe(state)
  })

  it('treats "due today" early in the Shanghai morning as the Shanghai day, not the UTC day', () => {
    // 01:00 on 3 March in Shanghai is 17:00 on 2 March in UTC
    const w = dueWindow(sh('2026-03-03T01:00:00'))
    expect(taskDueState(iso('2026-03-03T18:00:00'), w)).toBe('today')
    expect(taskDueState(iso('2026-03-04T00:30:00'), w)).toBe('later')
  })
})

describe('a follow-up due on a day', () => {
  it.each<[string, string, DueState]>([
    ['2026-03-01', '2026-03-02T09:00:00', 'overdue'],
    ['2026-03-02', '2026-03-02T00:00:00', 'today'],
    ['2026-03-02', '2026-03-02T23:59:59.999', 'today'],
    ['2026-03-02', '2026-03-03T00:00:00', 'overdue'],
    ['2026-03-03', '2026-03-02T23:59:59.999', 'later'],
    // 07:00 on 3 March Shanghai is still 2 March in UTC: the follow-up of the 2nd is overdue all the same
    ['2026-03-02', '2026-03-03T07:00:00', 'overdue'],
  ])('due on %s, at %s Shanghai time, is %s', (dueOn, now, state) => {
    expect(followUpDueState(dueOn, dueWindow(sh(now)))).toBe(state)
  })
})

describe('due views of the board', () => {
  it.each<[DueView, number, number, boolean]>([
    ['overdue_or_today', 1, 0, true],
    ['overdue_or_today', 0, 2, true],
    ['overdue_or_today', 0, 0, false],
    ['overdue', 1, 0, true],
    ['overdue', 0, 3, false],
    ['today', 0, 3, true],
    ['today', 2, 0, false],
    ['today', 2, 1, true],
  ])('%s with %i overdue and %i due today: %s', (view, overdue, dueToday, shown) => {
    expect(inDueView(view, { overdue, dueToday })).toBe(shown)
  })
})

describe('what falls due next', () => {
  it.each([
    { task: null, followUp: null, next: null },
    { task: iso('2026-03-02T17:00:00'), followUp: null, next: { kind: 'task', at: iso('2026-03-02T17:00:00') } },
    { task: null, followUp: '2026-03-05', next: { kind: 'followUp', on: '2026-03-05' } },
    // a follow-up is due all day: a task later that same day still comes first
    { task: iso('2026-03-05T23:00:00'), followUp: '2026-03-05', next: { kind: 'task', at: iso('2026-03-05T23:00:00') } },
    { task: iso('2026-03-06T00:00:00'), followUp: '2026-03-05', next: { kind: 'followUp', on: '2026-03-05' } },
    { task: iso('2026-03-04T09:00:00'), followUp: '2026-03-05', next: { kind: 'task', at: iso('2026-03-04T09:00:00') } },
  ])('task $task, follow-up $followUp → $next', ({ task, followUp, next }) => {
    expect(nextDue(task, followUp)).toEqual(next)
  })
})
