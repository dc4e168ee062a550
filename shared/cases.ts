/**
 * Case vocabulary shared by server and UI. Risk levels and their required actions are the district's
 * default convention (DOMAIN.md); there is no national standard.
 */
export const RISK_LEVELS = ['crisis', 'high', 'watch', 'routine'] as const
export type RiskLevel = (typeof RISK_LEVELS)[number]

/** Lower is more severe; the board sorts by it. */
export const RISK_SEVERITY: Readonly<Record<RiskLevel, number>> = { crisis: 1, high: 2, watch: 3, routine: 4 }

/**
 * What wrote a row of a case's level history. The reason column holds only the counsellor's own
 * words: empty for `opened` and `crisis` (the system's label says what happened), the reason typed
 * for `changed` and `reopened`.
 */
export const RISK_CHANGE_KINDS = ['opened', 'changed', 'crisis', 'reopened'] as const
export type RiskChangeKind = (typeof RISK_CHANGE_KINDS)[number]

export const CASE_SOURCES = ['self', 'head_teacher', 'parent', 'screening', 'peer_supporter', 'visit', 'other'] as const
export type CaseSource = (typeof CASE_SOURCES)[number]

export const CASE_CATEGORIES = [
  'study',
  'interpersonal',
  'emotion',
  'self_awareness',
  'family',
  'adaptation',
  'career',
  'bullying',
  'self_harm',
  'aggression',
  'internet',
  'school_refusal',
  'grief_trauma',
  'suspected_disorder',
  'leave_return',
] as const
export type CaseCategory = (typeof CASE_CATEGORIES)[number]

/** Vulnerable-group flags (Fujian opinion): case flags and statistics dimensions. */
export const VULNERABLE_FLAGS = [
  'left_behind',
  'single_parent',
  'hardship',
  'bullying_victim',
  'violence_victim',
  'domestic_violence',
  'sexual_assault_victim',
  'parent_incarcerated',
  'disability',
] as const
export type VulnerableFlag = (typeof VULNERABLE_FLAGS)[number]

export const NOTE_TYPES = ['individual', 'group', 'parent_meeting', 'phone', 'home_visit'] as const
export type NoteType = (typeof NOTE_TYPES)[number]

export const REFERRAL_KINDS = ['hospital_clinic', 'green_channel', 'community_service', 'other'] as const
export const REFERRAL_STATUSES = ['sent', 'accepted', 'feedback_received', 'returned', 'declined'] as const
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number]

export const CONTACT_KINDS = ['guardian_contact', 'consent'] as const
export const CONTACT_METHODS = ['phone', 'meeting', 'written', 'message'] as const
export const GUARDIAN_RELATIONS = ['mother', 'father', 'grandparent', 'other_guardian'] as const

export const TASK_KINDS = [
  'stay_with_student',
  'notify_principal',
  'notify_guardian',
  'hospital_referral',
  'incident_record',
  'follow_up_24h',
  'return_plan',
  'interview_24h',
  'guardian_meeting',
  'referral_recommendation',
  'individual_plan',
  'weekly_follow_up',
  'counselling',
  'head_teacher_monitoring',
  'monthly_review',
] as const
export type TaskKind = (typeof TASK_KINDS)[number]

/**
 * A task is open until someone finishes it, says it does not apply (with a reason), or the case closes
 * (cancelled). `stay_with_student` is no longer created: staying with the student is an immediate step
 * confirmed in the crisis record; open ones from before were retired by migration 0008.
 */
export const TASK_STATUSES = ['open', 'done', 'not_applicable', 'cancelled'] as const
export type TaskStatus = (typeof TASK_STATUSES)[number]

/** Whom a counsellor tells about a crisis: a person or role, picked, never pre-filled. */
export const NOTIFY_RECIPIENTS = [
  'guardian',
  'principal',
  'crisis_group',
  'head_teacher',
  'district_centre',
  'emergency_services',
  'other',
] as const
export type NotifyRecipient = (typeof NOTIFY_RECIPIENTS)[number]

/** The task a notification fulfils: telling the guardian, or the principal or the school's crisis group. */
export const NOTIFY_TASK: Readonly<Record<NotifyRecipient, TaskKind | null>> = {
  guardian: 'notify_guardian',
  principal: 'notify_principal',
  crisis_group: 'notify_principal',
  head_teacher: null,
  district_centre: null,
  emergency_services: null,
  other: null,
}

/** Referral kinds that take the student to medical care: recording one fulfils the referral tasks. */
export const MEDICAL_REFERRAL_KINDS: readonly string[] = ['hospital_clinic', 'green_channel']
export const REFERRAL_TASKS: readonly TaskKind[] = ['hospital_referral', 'referral_recommendation']

/**
 * How a task is finished. A notification task is done only by recording who was told and when; the
 * hospital referral only by recording the referral; the others by ticking them off. Any open task may
 * instead be marked not applicable, with a reason.
 */
export type TaskCompletion = 'notification' | 'referral' | 'tick'
export function taskCompletion(kind: string): TaskCompletion {
  if (kind === 'notify_guardian' || kind === 'notify_principal') return 'notification'
  if (kind === 'hospital_referral') return 'referral'
  return 'tick'
}

/** The recipients that fulfil a notification task (empty for any other task). */
export function recipientsForTask(kind: string): NotifyRecipient[] {
  return NOTIFY_RECIPIENTS.filter((r) => NOTIFY_TASK[r] === kind)
}

export const SEXES = ['F', 'M'] as const

/** Grades 0 (kindergarten) to 12 (senior 3). */
export const GRADE_MIN = 0
export const GRADE_MAX = 12
export const GRADES: readonly number[] = Array.from({ length: GRADE_MAX - GRADE_MIN + 1 }, (_, i) => i + GRADE_MIN)

export const NOTE_MAX = 20_000
export const SHORT_TEXT_MAX = 2_000

/**
 * A class name as stored ("2班", as schools write it) in the reader's language: English drops the
 * 班 after a number ("class 2"); any other name is kept as written.
 */
export function classInLocale(className: string, locale: string): string {
  if (locale !== 'en') return className
  const m = /^\s*(\d+)\s*班\s*$/.exec(className)
  return m ? m[1]! : className
}

/** A task as the case file carries it: what finished it, if anything. */
export interface TaskRecord {
  kind: string
  status: string
  completedByName: string | null
  naReason: string | null
  notification: { recipient: string; name: string | null; at: string } | null
  referral: { target: string; sentOn: string } | null
}

/**
 * What finished a task, as one record for the case page and the print: the notification it points at,
 * the referral, the counsellor's reason for not applicable, the system retiring a kind or closing the
 * case, or a plain tick. `null` while open.
 */
export type TaskOutcome =
  | { kind: 'notified'; recipient: string; name: string | null; at: string; by: string | null }
  | { kind: 'referred'; target: string; on: string; by: string | null }
  | { kind: 'notApplicable'; reason: string | null; by: string | null }
  | { kind: 'retired' }
  | { kind: 'cancelled' }
  | { kind: 'done'; by: string | null }

export function taskOutcome(t: TaskRecord): TaskOutcome | null {
  if (t.status === 'open') return null
  if (t.status === 'cancelled') return { kind: 'cancelled' }
  if (t.status === 'not_applicable')
    return t.completedByName == null && t.kind === 'stay_with_student'
      ? { kind: 'retired' }
      : { kind: 'notApplicable', reason: t.naReason, by: t.completedByName }
  if (t.notification) {
    const { recipient, name, at } = t.notification
    return { kind: 'notified', recipient, name, at, by: t.completedByName }
  }
  if (t.referral) return { kind: 'referred', target: t.referral.target, on: t.referral.sentOn, by: t.completedByName }
  return { kind: 'done', by: t.completedByName }
}
