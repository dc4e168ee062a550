import type { RiskChangeKind, RiskLevel, TaskKind } from '../../shared/cases'
import { dueWindow, followUpDueState, taskDueState } from '../../shared/due'
import { endOfShanghaiDay, shanghaiDate } from '../../shared/shanghai-time'

const HOUR = 60 * 60_000
const DAY = 24 * HOUR
/** Asia/Shanghai has no daylight saving: a fixed +8 h. */

/** When a task falls due: a number of hours after the trigger, or the end of that day in Shanghai. */
export type Due = { hours: number } | { endOfDay: true }

export interface RequiredAction {
  kind: TaskKind
  due: Due
}

/**
 * The district's default: what a risk level requires, each a task with a due time (DOMAIN.md).
 * "The same day" is the end of the trigger's calendar day in Asia/Shanghai.
 */
export const REQUIRED_ACTIONS: Readonly<Record<RiskLevel, readonly RequiredAction[]>> = {
  crisis: [
    { kind: 'notify_principal', due: { endOfDay: true } },
    { kind: 'notify_guardian', due: { endOfDay: true } },
    { kind: 'hospital_referral', due: { endOfDay: true } },
    { kind: 'incident_record', due: { hours: 24 } },
    { kind: 'follow_up_24h', due: { hours: 24 } },
    { kind: 'return_plan', due: { hours: 14 * 24 } },
  ],
  high: [
    { kind: 'interview_24h', due: { hours: 24 } },
    { kind: 'guardian_meeting', due: { hours: 72 } },
    { kind: 'referral_recommendation', due: { hours: 7 * 24 } },
    { kind: 'individual_plan', due: { hours: 7 * 24 } },
    { kind: 'weekly_follow_up', due: { hours: 7 * 24 } },
  ],
  watch: [
    { kind: 'counselling', due: { hours: 14 * 24 } },
    { kind: 'head_teacher_monitoring', due: { hours: 7 * 24 } },
    { kind: 'monthly_review', due: { hours: 30 * 24 } },
  ],
  routine: [],
}

export { endOfShanghaiDay, shanghaiDate }

export function dueAt(due: Due, trigger: Date): Date {
  return 'endOfDay' in due ? endOfShanghaiDay(trigger) : new Date(trigger.getTime() + due.hours * HOUR)
}

/** The tasks a change to `level` at `at` creates. A crisis always restarts its clocks. */
export function tasksForLevel(level: RiskLevel, at: Date): { kind: TaskKind; dueAt: Date }[] {
  return REQUIRED_ACTIONS[level].map((a) => ({ kind: a.kind, dueAt: dueAt(a.due, at) }))
}

export function isMoreSevere(a: RiskLevel, b: RiskLevel): boolean {
  const order: Record<RiskLevel, number> = { crisis: 1, high: 2, watch: 3, routine: 4 }
  return order[a] < order[b]
}

/** A task is overdue once its due time has passed while it is still open (shared/due.ts). */
export function isTaskOverdue(task: { status: string; dueAt: string }, now: Date): boolean {
  return task.status === 'open' && taskDueState(task.dueAt, dueWindow(now)) === 'overdue'
}

/** A planned follow-up is overdue the day after its date (Shanghai calendar; shared/due.ts). */
export function isFollowUpOverdue(f: { status: string; dueOn: string }, now: Date): boolean {
  return f.status === 'planned' && followUpDueState(f.dueOn, dueWindow(now)) === 'overdue'
}

/** Notes may be edited by their author only, within 24 hours of writing them. */
export const NOTE_EDIT_WINDOW_MS = DAY
export function canEditNote(note: { authorId: number; createdAt: string }, actorId: number, now: Date): boolean {
  return note.authorId === actorId && now.getTime() - Date.parse(note.createdAt) <= NOTE_EDIT_WINDOW_MS
}

/**
 * What a level-history row written before migration 0006 was, from its stored reason and levels.
 * Those rows carried sentinel reasons ('opened', 'crisis event', 'reopened: <words>'); the levels
 * confirm each sentinel (only an opening has no previous level, a crisis ends at crisis, a reopening
 * keeps the level), so a counsellor's reason that happens to read like one stays their words.
 */
export function legacyRiskEntry(from: RiskLevel | null, to: RiskLevel, stored: string): { kind: RiskChangeKind; reason: string | null } {
  if (from == null) return { kind: 'opened', reason: stored === 'opened' || stored === '' ? null : stored }
  if (to === 'crisis' && stored === 'crisis event') return { kind: 'crisis', reason: null }
  const REOPENED = 'reopened: '
  if (from === to && stored.startsWith(REOPENED)) return { kind: 'reopened', reason: stored.slice(REOPENED.length) || null }
  return { kind: 'changed', reason: stored || null }
}

/** Closed cases older than a year are shown collapsed, so a student is not read through old history. */
export function isCollapsedHistory(c: { status: string; closedAt: string | null }, now: Date): boolean {
  return c.status === 'closed' && c.closedAt != null && now.getTime() - Date.parse(c.closedAt) > 365 * DAY
}
