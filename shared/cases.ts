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

export const CASE_SOURCES = ['self', 'head_teacher', 'parent', 'screening', 'peer_supporter', 'other'] as const
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
