import { AUDIT_MIN_MONTHS, type RetentionSettings } from '../../shared/trust'

/** `now` moved back by whole months in UTC, the day clamped to the target month's last day (31 Mar − 1 month = 28/29 Feb). */
export function monthsBefore(now: Date, months: number): Date {
  const y = now.getUTCFullYear()
  const m = now.getUTCMonth() - months
  const target = new Date(Date.UTC(y, m, 1, now.getUTCHours(), now.getUTCMinutes(), now.getUTCSeconds(), now.getUTCMilliseconds()))
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate()
  target.setUTCDate(Math.min(now.getUTCDate(), lastDay))
  return target
}

export interface RetentionCutoffs {
  /** closed cases of students who left before this are deleted */
  studentLeftBefore: string
  /** answers of rounds that closed before this are deleted */
  roundClosedBefore: string
  /** sessions that ended before this are deleted */
  sessionEndedBefore: string
  /** audit events before this are deleted */
  auditBefore: string
}

/**
 * The instants before which each data class is purged. The audit trail is never cut shorter than six
 * months, whatever a stored setting says (the settings form refuses it too).
 */
export function retentionCutoffs(s: RetentionSettings, now: Date): RetentionCutoffs {
  return {
    studentLeftBefore: monthsBefore(now, 12 * s.closedCaseYears).toISOString(),
    roundClosedBefore: monthsBefore(now, s.assessmentAnswerMonths).toISOString(),
    sessionEndedBefore: new Date(now.getTime() - s.sessionDays * 86_400_000).toISOString(),
    auditBefore: monthsBefore(now, Math.max(AUDIT_MIN_MONTHS, s.auditMonths)).toISOString(),
  }
}

/** One run's audit detail: `closed_cases:2,assessment_answers:0,…` in the registry's order. */
export function purgeDetail(counts: readonly { dataClass: string; count: number }[]): string {
  return counts.map((c) => `${c.dataClass}:${c.count}`).join(',')
}
