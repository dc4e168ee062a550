import { describe, expect, it } from 'vitest'
import { RISK_LEVELS, type RiskLevel } from '../../shared/cases'
import {
  canEditNote,
  endOfShanghaiDay,
  isCollapsedHistory,
  isFollowUpOverdue,
  isMoreSevere,
  isTaskOverdue,
  legacyRiskEntry,
  NOTE_EDIT_WINDOW_MS,
  REQUIRED_ACTIONS,
  shanghaiDate,
  tasksForLevel,
} from '../../server/rules/risk'

const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR
/** A Shanghai wall-clock time (UTC+8, no daylight saving) as a Date. */
const sh = (local: string) => new Date(`${local}+08:00`)
const iso = (d: Date) => d.toISOString()

describe('required actions per risk level', () => {
  const dueTable = (level: RiskLevel, at: Date) => Object.fromEntries(tasksForLevel(level, at).map((t) => [t.kind, iso(t.dueAt)]))

  it.each([
    {
      name: 'crisis at 23:30 Shanghai: "same day" leaves half an hour',
      level: 'crisis' as const,
      at: '2026-03-02T23:30:00',
      due: {
        notify_principal: '2026-03-02T15:59:59.999Z',
        notify_guardian: '2026-03-02T15:59:59.999Z',
        hospital_referral: '2026-03-02T15:59:59.999Z',
        incident_record: '2026-03-03T15:30:00.000Z',
        follow_up_24h: '2026-03-03T15:30:00.000Z',
        return_plan: '2026-03-16T15:30:00.000Z',
      },
    },
    {
      name: 'crisis at 00:10 Shanghai (the previous UTC day): "same day" is the Shanghai day, not the UTC one',
      level: 'crisis' as const,
      at: '2026-03-03T00:10:00',
      due: {
        notify_principal: '2026-03-03T15:59:59.999Z',
        notify_guardian: '2026-03-03T15:59:59.999Z',
        hospital_referral: '2026-03-03T15:59:59.999Z',
        incident_record: '2026-03-03T16:10:00.000Z',
        follow_up_24h: '2026-03-03T16:10:00.000Z',
        return_plan: '2026-03-16T16:10:00.000Z',
      },
    },
    {
      name: 'high: interview within 24 h, guardian within 72 h, the rest within a week',
      level: 'high' as const,
      at: '2026-03-02T09:00:00',
      due: {
        interview_24h: '2026-03-03T01:00:00.000Z',
        guardian_meeting: '2026-03-05T01:00:00.000Z',
        referral_recommendation: '2026-03-09T01:00:00.000Z',
        individual_plan: '2026-03-09T01:00:00.000Z',
        weekly_follow_up: '2026-03-09T01:00:00.000Z',
      },
    },
    {
      name: 'watch: monitoring within a week, counselling within two, review within a month',
      level: 'watch' as const,
      at: '2026-03-02T09:00:00',
      due: {
        counselling: '2026-03-16T01:00:00.000Z',
        head_teacher_monitoring: '2026-03-09T01:00:00.000Z',
        monthly_review: '2026-04-01T01:00:00.000Z',
      },
    },
    { name: 'routine: no tasks', level: 'routine' as const, at: '2026-03-02T09:00:00', due: {} },
  ])('$name', ({ level, at, due }) => {
    expect(dueTable(level, sh(at))).toEqual(due)
  })

  it('creates exactly the tasks of the district table for each level, each once', () => {
    for (const level of RISK_LEVELS) {
      const kinds = tasksForLevel(level, new Date()).map((t) => t.kind)
      expect(kinds).toEqual(REQUIRED_ACTIONS[level].map((a) => a.kind))
      expect(new Set(kinds).size).toBe(kinds.length)
    }
  })

  it('never makes a task fall due before the moment that triggered it', () => {
    for (const level of RISK_LEVELS) {
      for (let m = 0; m < 24 * 60; m += 7) {
        const at = new Date(Date.parse('2026-03-02T00:00:00.000Z') + m * MIN)
        for (const t of tasksForLevel(level, at)) expect(t.dueAt.getTime()).toBeGreaterThanOrEqual(at.getTime())
      }
    }
  })

  it.each([
    { at: '2026-03-02T00:00:00', end: '2026-03-02T15:59:59.999Z', date: '2026-03-02' },
    { at: '2026-03-02T07:59:59', end: '2026-03-02T15:59:59.999Z', date: '2026-03-02' },
    { at: '2026-03-02T08:00:00', end: '2026-03-02T15:59:59.999Z', date: '2026-03-02' },
    { at: '2026-03-02T23:59:59.999', end: '2026-03-02T15:59:59.999Z', date: '2026-03-02' },
    { at: '2026-12-31T23:00:00', end: '2026-12-31T15:59:59.999Z', date: '2026-12-31' },
    { at: '2027-01-01T00:00:00', end: '2027-01-01T15:59:59.999Z', date: '2027-01-01' },
  ])('the Shanghai day of $at ends at $end and is dated $date', ({ at, end, date }) => {
    expect(iso(endOfShanghaiDay(sh(at)))).toBe(end)
    expect(shanghaiDate(sh(at))).toBe(date)
  })

  it.each([
    ['crisis', 'high', true],
    ['high', 'watch', true],
    ['watch', 'routine', true],
    ['crisis', 'routine', true],
    ['routine', 'watch', false],
    ['high', 'crisis', false],
    ['watch', 'watch', false],
  ] as const)('%s is more severe than %s: %s', (a, b, expected) => {
    expect(isMoreSevere(a, b)).toBe(expected)
  })
})

describe('overdue rules', () => {
  const due = '2026-03-02T10:00:00.000Z'
  const t0 = Date.parse(due)

  it.each([
    { name: 'open, a minute before due', status: 'open', now: t0 - MIN, overdue: false },
    { name: 'open, exactly at the due time', status: 'open', now: t0, overdue: false },
    { name: 'open, 1 ms after the due time', status: 'open', now: t0 + 1, overdue: true },
    { name: 'open, a week late', status: 'open', now: t0 + 7 * DAY, overdue: true },
    { name: 'done, a week late', status: 'done', now: t0 + 7 * DAY, overdue: false },
    { name: 'cancelled, a week late', status: 'cancelled', now: t0 + 7 * DAY, overdue: false },
  ])('a task $name → overdue $overdue', ({ status, now, overdue }) => {
    expect(isTaskOverdue({ status, dueAt: due }, new Date(now))).toBe(overdue)
  })

  it.each([
    { name: 'planned, due today, late evening in Shanghai', status: 'planned', now: '2026-03-02T23:59:59', overdue: false },
    {
      name: 'planned, due today, early morning in Shanghai (still the UTC day before)',
      status: 'planned',
      now: '2026-03-02T00:30:00',
      overdue: false,
    },
    { name: 'planned, due yesterday, just after Shanghai midnight', status: 'planned', now: '2026-03-03T00:00:00', overdue: true },
    {
      name: 'planned, due yesterday, 07:00 Shanghai (UTC still on the due date)',
      status: 'planned',
      now: '2026-03-03T07:00:00',
      overdue: true,
    },
    { name: 'planned, due tomorrow', status: 'planned', now: '2026-03-01T12:00:00', overdue: false },
    { name: 'done, due a week ago', status: 'done', now: '2026-03-09T12:00:00', overdue: false },
    { name: 'cancelled, due a week ago', status: 'cancelled', now: '2026-03-09T12:00:00', overdue: false },
  ])('a follow-up $name → overdue $overdue', ({ status, now, overdue }) => {
    expect(isFollowUpOverdue({ status, dueOn: '2026-03-02' }, sh(now))).toBe(overdue)
  })
})

describe('note edit window', () => {
  const createdAt = '2026-03-02T02:00:00.000Z'
  const written = Date.parse(createdAt)
  const author = 7

  it('is 24 hours', () => {
    expect(NOTE_EDIT_WINDOW_MS).toBe(DAY)
  })

  it.each([
    { name: 'the author, right away', actor: author, after: 0, editable: true },
    { name: 'the author, 23 h 59 min later', actor: author, after: 23 * HOUR + 59 * MIN, editable: true },
    { name: 'the author, exactly 24 h later', actor: author, after: DAY, editable: true },
    { name: 'the author, 24 h 1 min later', actor: author, after: DAY + MIN, editable: false },
    { name: 'the author, a month later', actor: author, after: 30 * DAY, editable: false },
    { name: 'another counsellor, right away', actor: 8, after: 0, editable: false },
    { name: 'another counsellor, 23 h 59 min later', actor: 8, after: 23 * HOUR + 59 * MIN, editable: false },
  ])('$name → editable $editable', ({ actor, after, editable }) => {
    expect(canEditNote({ authorId: author, createdAt }, actor, new Date(written + after))).toBe(editable)
  })
})

describe('collapsed history', () => {
  const now = new Date('2027-03-02T02:00:00.000Z')
  const ago = (days: number) => new Date(now.getTime() - days * DAY).toISOString()

  it.each([
    { name: 'closed 364 days ago', c: { status: 'closed', closedAt: ago(364) }, collapsed: false },
    { name: 'closed exactly 365 days ago', c: { status: 'closed', closedAt: ago(365) }, collapsed: false },
    { name: 'closed 366 days ago', c: { status: 'closed', closedAt: ago(366) }, collapsed: true },
    { name: 'closed five years ago', c: { status: 'closed', closedAt: ago(5 * 365) }, collapsed: true },
    { name: 'open for two years', c: { status: 'open', closedAt: null }, collapsed: false },
    { name: 'reopened (open, an old closing date left behind)', c: { status: 'open', closedAt: ago(800) }, collapsed: false },
    { name: 'closed without a closing time', c: { status: 'closed', closedAt: null }, collapsed: false },
  ])('a case $name → collapsed $collapsed', ({ c, collapsed }) => {
    expect(isCollapsedHistory(c, now)).toBe(collapsed)
  })
})

describe('level history written before it recorded its kind', () => {
  it.each([
    { from: null, to: 'watch', stored: 'opened', kind: 'opened', reason: null },
    { from: 'watch', to: 'crisis', stored: 'crisis event', kind: 'crisis', reason: null },
    { from: 'crisis', to: 'crisis', stored: 'crisis event', kind: 'crisis', reason: null },
    { from: 'high', to: 'high', stored: 'reopened: 期末压力复发', kind: 'reopened', reason: '期末压力复发' },
    { from: 'watch', to: 'high', stored: '自述有自伤想法', kind: 'changed', reason: '自述有自伤想法' },
    // A counsellor's words that read like a sentinel stay theirs when the levels say it was a change.
    { from: 'watch', to: 'high', stored: 'opened', kind: 'changed', reason: 'opened' },
    { from: 'watch', to: 'high', stored: 'crisis event', kind: 'changed', reason: 'crisis event' },
    { from: 'watch', to: 'high', stored: 'reopened: no', kind: 'changed', reason: 'reopened: no' },
  ] as const)('$from → $to "$stored" is $kind', ({ from, to, stored, kind, reason }) => {
    expect(legacyRiskEntry(from, to, stored)).toEqual({ kind, reason })
  })
})
