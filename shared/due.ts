import { endOfShanghaiDay, shanghaiDate } from './shanghai-time'

/**
 * When open case work counts as overdue, due today or later, in the school's calendar (Asia/Shanghai).
 * The one statement of the rule: the case file applies it per task through `taskDueState`, and the
 * caseload board's SQL counts with the same bounds from `dueWindow`, so the two cannot drift apart.
 *
 * A task is due at an instant: overdue once that instant has passed, due today while it falls before
 * the end of the current Shanghai day. A follow-up is due on a calendar day: due today on that day,
 * overdue from the next.
 */
export type DueState = 'overdue' | 'today' | 'later'

/** The bounds of "now" and "today" as the stored values compare to them (UTC ISO instants, YYYY-MM-DD days). */
export interface DueWindow {
  /** now, as a UTC ISO instant: a task due before this is overdue */
  now: string
  /** the last millisecond of today in Shanghai, as a UTC ISO instant: a task due up to this is due today */
  endOfToday: string
  /** today in Shanghai, YYYY-MM-DD: a follow-up before this is overdue, on it due today */
  today: string
}

export function dueWindow(now: Date): DueWindow {
  return { now: now.toISOString(), endOfToday: endOfShanghaiDay(now).toISOString(), today: shanghaiDate(now) }
}

export function taskDueState(dueAt: string, w: DueWindow): DueState {
  const at = Date.parse(dueAt)
  if (at < Date.parse(w.now)) return 'overdue'
  return at <= Date.parse(w.endOfToday) ? 'today' : 'later'
}

export function followUpDueState(dueOn: string, w: DueWindow): DueState {
  if (dueOn < w.today) return 'overdue'
  return dueOn === w.today ? 'today' : 'later'
}

/**
 * What falls due next on a case: its earliest open task or planned follow-up. A follow-up counts as
 * due at the end of its day (it becomes overdue only on the next), so a task due at 17:00 comes first.
 */
export function nextDue(
  nextTaskDue: string | null,
  nextFollowUp: string | null,
): { kind: 'task'; at: string } | { kind: 'followUp'; on: string } | null {
  if (!nextTaskDue) return nextFollowUp ? { kind: 'followUp', on: nextFollowUp } : null
  if (!nextFollowUp) return { kind: 'task', at: nextTaskDue }
  const followUpEnd = endOfShanghaiDay(new Date(`${nextFollowUp}T12:00:00+08:00`)).getTime()
  return Date.parse(nextTaskDue) <= followUpEnd ? { kind: 'task', at: nextTaskDue } : { kind: 'followUp', on: nextFollowUp }
}

/** The caseload board's views of what is due: overdue or due today together, or either alone. */
export const DUE_VIEWS = ['overdue_or_today', 'overdue', 'today'] as const
export type DueView = (typeof DUE_VIEWS)[number]

/** Whether a case with `overdue` and `dueToday` open items belongs in `view`. */
export function inDueView(view: DueView, c: { overdue: number; dueToday: number }): boolean {
  if (view === 'overdue') return c.overdue > 0
  if (view === 'today') return c.dueToday > 0
  return c.overdue > 0 || c.dueToday > 0
}
