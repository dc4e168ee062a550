import type { Generated, Insertable, Selectable, Updateable } from 'kysely'
import type { AuditOutcome } from '../shared/audit'
import type { InboxKind } from '../shared/inbox'
import type { NotifyRecipient, RiskLevel, TaskStatus } from '../shared/cases'
import type { Role, SchoolType } from '../shared/roles'
import type { EmploymentType } from '../shared/staffing'
import type { EventKind } from '../shared/programme'
import type { RespondentKind, RoundRecurrence, SupportKind } from '../shared/assessment'
import type { ConsentParty, QuestionnaireKind, WarningLevel, WarningOutcome } from '../shared/screening'
import type { Decision, Stage } from '../shared/accreditation'
import type { AppointmentOrigin, AppointmentStatus, RequesterKind, VisitKind, VisitOutcome } from '../shared/room-ops'

/**
 * One interface for the whole database. Conventions: snake_case singular tables; timestamps are
 * UTC ISO-8601 text; booleans are integers 0/1 so SQLite and PostgreSQL behave alike.
 */
export interface Database {
  street: StreetTable
  school: SchoolTable
  school_year: SchoolYearTable
  enrolment: EnrolmentTable
  account: AccountTable
  session: SessionTable
  account_mfa: AccountMfaTable
  mfa_recovery_code: MfaRecoveryCodeTable
  login_failure: LoginFailureTable
  audit_event: AuditEventTable
  audit_head: AuditHeadTable
  audit_prune: AuditPruneTable
  app_meta: AppMetaTable
  student: StudentTable
  student_case: StudentCaseTable
  case_counsellor: CaseCounsellorTable
  case_note: CaseNoteTable
  case_note_version: CaseNoteVersionTable
  case_risk_change: CaseRiskChangeTable
  case_task: CaseTaskTable
  case_follow_up: CaseFollowUpTable
  case_referral: CaseReferralTable
  case_crisis: CaseCrisisTable
  case_notification: CaseNotificationTable
  inbox_item: InboxItemTable
  disclosure_release: DisclosureReleaseTable
  case_contact: CaseContactTable
  district_setting: DistrictSettingTable
  staff_member: StaffMemberTable
  staff_certificate: StaffCertificateTable
  staff_training: StaffTrainingTable
  counselling_room: CounsellingRoomTable
  programme_team: ProgrammeTeamTable
  programme_class: ProgrammeClassTable
  programme_event: ProgrammeEventTable
  programme_attachment: ProgrammeAttachmentTable
  programme_channel: ProgrammeChannelTable
  programme_clinic: ProgrammeClinicTable
  evaluation_round: EvaluationRoundTable
  evaluation_submission: EvaluationSubmissionTable
  evaluation_report_snapshot: EvaluationReportSnapshotTable
  research_project: ResearchProjectTable
  research_member: ResearchMemberTable
  research_export: ResearchExportTable
  research_export_file: ResearchExportFileTable
  research_noise_spend: ResearchNoiseSpendTable
  teacher: TeacherTable
  assessment_round: AssessmentRoundTable
  assessment_round_school: AssessmentRoundSchoolTable
  assessment_respondent: AssessmentRespondentTable
  assessment_result: AssessmentResultTable
  assessment_alert: AssessmentAlertTable
  assessment_support: AssessmentSupportTable
  stored_file: StoredFileTable
  alert_routing: AlertRoutingTable
  break_glass: BreakGlassTable
  screening_questionnaire: ScreeningQuestionnaireTable
  screening_questionnaire_version: ScreeningQuestionnaireVersionTable
  screening_campaign: ScreeningCampaignTable
  screening_campaign_school: ScreeningCampaignSchoolTable
  screening_consent: ScreeningConsentTable
  screening_session: ScreeningSessionTable
  screening_respondent: ScreeningRespondentTable
  screening_result: ScreeningResultTable
  screening_warning: ScreeningWarningTable
  accreditation_version: AccreditationVersionTable
  accreditation_application: AccreditationApplicationTable
  accreditation_evidence: AccreditationEvidenceTable
  accreditation_panel: AccreditationPanelTable
  accreditation_delta: AccreditationDeltaTable
  accreditation_discussion: AccreditationDiscussionTable
  accreditation_message: AccreditationMessageTable
  accreditation_title: AccreditationTitleTable
  accreditation_reminder: AccreditationReminderTable
  account_employment: AccountEmploymentTable
  room_slot: RoomSlotTable
  room_closure: RoomClosureTable
  room_appointment: RoomAppointmentTable
  room_booking: RoomBookingTable
  room_visit: RoomVisitTable
  room_group: RoomGroupTable
  room_group_member: RoomGroupMemberTable
  room_group_session: RoomGroupSessionTable
  room_group_attendance: RoomGroupAttendanceTable
  room_feed_token: RoomFeedTokenTable
}

export interface StreetTable {
  id: Generated<number>
  code: string
  name_zh: string
  name_en: string
  sort_order: number
}

export interface SchoolTable {
  id: Generated<number>
  code: string
  name: string
  name_en: string | null
  type: SchoolType
  street_id: number
  is_public: number
  address: string | null
  disabled_at: string | null
  created_at: string
  updated_at: string
  version: number
}

export interface SchoolYearTable {
  id: Generated<number>
  label: string
  starts_on: string
  ends_on: string
  is_current: number
  disabled_at: string | null
  created_at: string
  updated_at: string
}

export interface EnrolmentTable {
  id: Generated<number>
  school_id: number
  school_year_id: number
  students: number
  classes: number
  updated_at: string
}

export interface AccountTable {
  id: Generated<number>
  username: string
  display_name: string
  role: Role
  school_id: number | null
  password_hash: string
  must_change_password: number
  disabled_at: string | null
  password_changed_at: string
  last_login_at: string | null
  created_at: string
  updated_at: string
  version: number
}

export interface SessionTable {
  id: Generated<number>
  token_hash: string
  account_id: number
  created_at: string
  last_seen_at: string
  expires_at: string
  revoked_at: string | null
  revoked_reason: string | null
  ip: string | null
  user_agent: string | null
  /** set while the password is checked but the second factor is not (migration 0019): not a session yet */
  pending_factor: 'totp' | 'enrol' | null
}

/** An account's TOTP second factor (migration 0019); `enabled_at` null while enrolment is unconfirmed. */
export interface AccountMfaTable {
  account_id: number
  secret_enc: string
  enabled_at: string | null
  /** the last TOTP time step accepted: a code of that step or earlier is refused (replay) */
  last_step: number | null
  created_at: string
  updated_at: string
}

/** Audit rows up to `through_seq` were deleted by retention; the chain now starts after that row's hash (migration 0019). */
export interface AuditPruneTable {
  id: Generated<number>
  through_seq: number
  through_hash: string
  at: string
}

export interface MfaRecoveryCodeTable {
  id: Generated<number>
  account_id: number
  code_hash: string
  created_at: string
  used_at: string | null
}

export interface LoginFailureTable {
  id: Generated<number>
  /** `code`: an unknown assessment code, keyed by client IP; `device`: a signed device cookie */
  kind: 'account' | 'device' | 'ip' | 'code' | 'mfa' | 'room_request'
  key: string
  at: string
}

export interface AuditEventTable {
  id: Generated<number>
  seq: number
  at: string
  actor_id: number | null
  actor_role: string | null
  action: string
  entity_type: string | null
  entity_id: string | null
  school_id: number | null
  outcome: AuditOutcome
  request_id: string | null
  detail: string | null
  prev_hash: string
  hash: string
}

export interface AuditHeadTable {
  id: number
  seq: number
  hash: string
}

export interface AppMetaTable {
  key: string
  value: string
}

export interface StudentTable {
  id: Generated<number>
  school_id: number
  student_no: string
  name_enc: string
  name_index: string
  sex: 'F' | 'M'
  birth_date: string | null
  grade: number
  class_name: string
  guardian_name_enc: string | null
  guardian_phone_enc: string | null
  left_at: string | null
  created_at: string
  updated_at: string
  version: number
}

export interface StudentCaseTable {
  id: Generated<number>
  school_id: number
  student_id: number
  status: 'open' | 'closed'
  risk_level: RiskLevel
  source: string
  /** JSON array of category codes */
  categories: string
  /** JSON array of vulnerable-group flags */
  flags: string
  concern_enc: string
  opened_on: string
  opened_by: number
  closed_at: string | null
  outcome_enc: string | null
  last_activity_at: string
  created_at: string
  updated_at: string
  version: number
}

export interface CaseCounsellorTable {
  case_id: number
  account_id: number
}

export interface CaseNoteTable {
  id: Generated<number>
  case_id: number
  author_id: number
  session_date: string
  duration_min: number
  type: string
  text_enc: string
  private: number
  created_at: string
  updated_at: string
  version: number
}

export interface CaseNoteVersionTable {
  id: Generated<number>
  note_id: number
  version: number
  session_date: string
  duration_min: number
  type: string
  text_enc: string
  replaced_at: string
}

export interface CaseRiskChangeTable {
  id: Generated<number>
  case_id: number
  from_level: RiskLevel | null
  to_level: RiskLevel
  /** null: written before migration 0006 and not yet converted (server/services/risk-history.ts) */
  kind: import('../shared/cases').RiskChangeKind | null
  /** the counsellor's words, encrypted; the encryption of '' for a system event */
  reason_enc: string
  changed_by: number
  changed_at: string
}

export interface CaseTaskTable {
  id: Generated<number>
  case_id: number
  school_id: number
  kind: string
  level: RiskLevel
  due_at: string
  status: TaskStatus
  completed_at: string | null
  completed_by: number | null
  created_at: string
  /** the counsellor's reason when marked not applicable (encrypted) */
  na_reason_enc: string | null
  /** the notification that fulfilled a notification task */
  notification_id: number | null
  /** the referral that fulfilled a referral task */
  referral_id: number | null
}

export interface CaseFollowUpTable {
  id: Generated<number>
  case_id: number
  school_id: number
  due_on: string
  purpose_enc: string | null
  status: 'planned' | 'done' | 'cancelled'
  done_at: string | null
  created_by: number
  created_at: string
}

export interface CaseReferralTable {
  id: Generated<number>
  case_id: number
  kind: string
  target: string
  status: string
  sent_on: string
  accepted_on: string | null
  feedback_on: string | null
  feedback_enc: string | null
  return_plan_enc: string | null
  created_by: number
  created_at: string
  updated_at: string
  version: number
}

export interface CaseCrisisTable {
  id: Generated<number>
  case_id: number
  occurred_at: string
  what_enc: string
  actions_enc: string
  /** legacy free-text list ({who, at}[]) from before migration 0008; `[]` since */
  notified_enc: string
  created_by: number
  created_at: string
  /** 1 confirmed someone stays with the student, 0 not confirmed, null: recorded before it was asked */
  accompanied: number | null
  accompanied_by_enc: string | null
}

export interface CaseNotificationTable {
  id: Generated<number>
  case_id: number
  school_id: number
  crisis_id: number | null
  recipient: NotifyRecipient
  name_enc: string | null
  notified_at: string
  recorded_by: number
  recorded_at: string
}

export interface CaseContactTable {
  id: Generated<number>
  case_id: number
  kind: string
  relation: string
  method: string
  contacted_at: string
  consent_given: number | null
  note_enc: string | null
  created_by: number
  created_at: string
}

export interface DistrictSettingTable {
  key: string
  /** JSON, validated by the setting's zod schema on read and write */
  value: string
  updated_at: string
  updated_by: number | null
}

export interface StaffMemberTable {
  id: Generated<number>
  school_id: number
  name: string
  employment: EmploymentType
  title: string | null
  starts_on: string
  /** last working day; null while in post */
  ends_on: string | null
  created_at: string
  updated_at: string
  version: number
}

export interface StaffCertificateTable {
  id: Generated<number>
  staff_id: number
  name: string
  issuer: string | null
  issued_on: string | null
  expires_on: string | null
  created_at: string
}

export interface StaffTrainingTable {
  id: Generated<number>
  staff_id: number
  school_year_id: number
  course: string
  hours: number
  level: string
  completed_on: string | null
  created_at: string
}

/** One record per school and school year; a year without one inherits the latest earlier record. */
export interface CounsellingRoomTable {
  id: Generated<number>
  school_id: number
  school_year_id: number
  is_set_up: number
  set_up_on: string | null
  display_name: string | null
  /** null: the area is absent */
  individual_m2: number | null
  group_m2: number | null
  office_m2: number | null
  /** JSON array of OptionalRoomArea */
  optional_areas: string
  has_mailbox: number
  weekly_open_hours: number
  updated_at: string
  updated_by: number | null
  version: number
}

export interface ProgrammeTeamTable {
  id: Generated<number>
  school_id: number
  school_year_id: number
  set_up_on: string | null
  note: string | null
  updated_at: string
  updated_by: number | null
  version: number
}

export interface ProgrammeClassTable {
  id: Generated<number>
  school_id: number
  school_year_id: number
  grade: number
  class_name: string
  head_teacher_trained: number
  peer_supporters: number
}

export interface ProgrammeEventTable {
  id: Generated<number>
  school_id: number
  school_year_id: number
  kind: EventKind
  held_on: string
  title: string
  /** JSON arrays */
  audiences: string
  grades: string
  participants: number
  organiser: string | null
  summary: string | null
  /** drills only */
  scenario: string | null
  roles: string
  response_minutes: number | null
  problems_found: string | null
  improvements: string | null
  created_by: number | null
  created_at: string
  updated_at: string
  version: number
}

export interface ProgrammeAttachmentTable {
  id: Generated<number>
  event_id: number
  school_id: number
  /**
   * the original file name, encrypted (purpose `programme.attachment.name:<storage_key>`); plain only in
   * rows from before 0014_hardening until the start-up conversion (then `file_ext` is null)
   */
  file_name: string
  /** extension of the type detected from the bytes (jpg, png, webp, pdf); null on unconverted rows */
  file_ext: string | null
  mime_type: string
  size_bytes: number
  sha256: string
  /** file name under the uploads folder: random, never derived from user input */
  storage_key: string
  uploaded_by: number | null
  created_at: string
}

export interface ProgrammeChannelTable {
  id: Generated<number>
  school_id: number
  school_year_id: number
  kind: string
  name: string
  address: string | null
  launched_on: string | null
  created_at: string
}

export interface ProgrammeClinicTable {
  id: Generated<number>
  school_id: number
  school_year_id: number
  hospital: string
  clinic_name: string | null
  green_channel: number
  agreement_on: string | null
  contact_name: string | null
  contact_phone: string | null
  updated_at: string
  version: number
}

export interface EvaluationRoundTable {
  id: Generated<number>
  title: string
  school_year_id: number
  half: string
  opens_on: string
  due_on: string
  /** JSON: the indicator list as it was when the round opened */
  indicators: string
  status: 'open' | 'closed'
  created_by: number | null
  created_at: string
  closed_at: string | null
  version: number
}

/** A closed round's report as it stood when the round closed (JSON), one version per closing. */
export interface EvaluationReportSnapshotTable {
  id: Generated<number>
  round_id: number
  version: number
  data: string
  created_at: string
  created_by: number | null
}

export interface EvaluationSubmissionTable {
  id: Generated<number>
  round_id: number
  school_id: number
  /** JSON: indicator code → score */
  self_scores: string | null
  self_total: number | null
  self_summary: string | null
  submitted_at: string | null
  submitted_by: number | null
  bureau_scores: string | null
  bureau_total: number | null
  bureau_comment: string | null
  scored_at: string | null
  scored_by: number | null
  version: number
}

/** A research project registered by the bureau. */
export interface ResearchProjectTable {
  id: Generated<number>
  title: string
  institution: string
  purpose: string
  /** JSON array of ResearchDataset */
  datasets: string
  starts_on: string
  /** last day of access */
  ends_on: string
  /** the bureau officer who approves the project's exports */
  approver_id: number
  ethics_file_name: string | null
  ethics_mime_type: string | null
  ethics_size_bytes: number | null
  ethics_sha256: string | null
  ethics_storage_key: string | null
  /** the pseudonym key, encrypted; null once destroyed */
  key_enc: string | null
  key_destroyed_at: string | null
  closed_at: string | null
  /** privacy-loss budget ε for noisy releases, in thousandths (0 = no noisy releases) */
  epsilon_budget_milli: Generated<number>
  /** ε spent by approved noisy releases, in thousandths; raised only by a conditional update within the budget */
  epsilon_spent_milli: Generated<number>
  created_by: number | null
  created_at: string
  updated_at: string
  version: number
}

export interface ResearchMemberTable {
  project_id: number
  account_id: number
  added_by: number | null
  added_at: string
}

/** One export request: what was asked, the generated files' disclosure report, and the bureau's decision. */
export interface ResearchExportTable {
  id: Generated<number>
  project_id: number
  dataset: string
  form: import('../shared/research').ExportForm
  /** JSON: the request as validated (dimensions, attributes, period) */
  spec: string
  status: import('../shared/research').ExportState
  /** JSON: the disclosure report */
  report: string
  /** JSON: the first rows, for the approver's review */
  sample: string
  requested_by: number
  requested_at: string
  decided_by: number | null
  decided_at: string | null
  /** the bureau's note when returning (or approving) */
  note: string | null
  expires_at: string | null
  /** ε of a noisy aggregate release, in thousandths; null without noise */
  epsilon_milli: number | null
  version: number
}

/** The spend ledger: one row per approved noisy release. */
export interface ResearchNoiseSpendTable {
  id: Generated<number>
  project_id: number
  export_id: number
  epsilon_milli: number
  spent_by: number
  spent_at: string
}

export interface ResearchExportFileTable {
  id: Generated<number>
  export_id: number
  name: string
  mime_type: string
  size_bytes: number
  sha256: string
  storage_key: string
}

export type StreetRow = Selectable<StreetTable>
export type SchoolRow = Selectable<SchoolTable>
export type NewSchool = Insertable<SchoolTable>
export type SchoolUpdate = Updateable<SchoolTable>
export type SchoolYearRow = Selectable<SchoolYearTable>
export type AccountRow = Selectable<AccountTable>
export type SessionRow = Selectable<SessionTable>
export type AuditEventRow = Selectable<AuditEventTable>

export interface InboxItemTable {
  id: Generated<number>
  account_id: number
  kind: InboxKind
  entity_type: string
  entity_id: number
  school_id: number | null
  created_at: string
  read_at: string | null
}

/** One release of aggregate figures to an audience (migration 0011); see `server/services/disclosure.ts`. */
export interface DisclosureReleaseTable {
  id: Generated<number>
  audience: string
  release_key: string
  fingerprint: string
  threshold: number
  entries: number
  /** JSON [entry id, reason][] */
  hidden: string
  /** JSON { entry id: last value shown to this audience } */
  known: string
  released_at: string
  released_by: number | null
}

/** A school's teacher (every teacher, not only psychology staff); the name and phone are encrypted. */
export interface TeacherTable {
  id: Generated<number>
  school_id: number
  staff_no: string
  name_enc: string
  sex: 'F' | 'M'
  birth_year: number | null
  subject: string | null
  phone_enc: string | null
  left_at: string | null
  created_at: string
  updated_at: string
  version: Generated<number>
}

export interface AssessmentRoundTable {
  id: Generated<number>
  respondent_kind: RespondentKind
  name: string
  /** null: a district round opened by the bureau */
  owner_school_id: number | null
  /** JSON array of instrument ids */
  instruments: string
  opens_at: string
  closes_at: string
  consent_zh: string
  consent_en: string
  recurrence: RoundRecurrence
  previous_round_id: number | null
  created_by: number | null
  created_at: string
}

export interface AssessmentRoundSchoolTable {
  round_id: number
  school_id: number
}

/** One person invited to one round; reached only through the code, whose hash alone is kept. */
export interface AssessmentRespondentTable {
  id: Generated<number>
  round_id: number
  school_id: number
  /** the teacher's id for teacher rounds */
  person_id: number
  code_hash: string | null
  code_issued_at: string | null
  draft_enc: string | null
  saved_at: string | null
  submitted_at: string | null
  contact_requested: number
  version: Generated<number>
}

export interface AssessmentResultTable {
  id: Generated<number>
  respondent_id: number
  instrument: string
  instrument_version: number
  answers_enc: string
  total: number
  band: string
  band_rank: number
  /** comma-separated flag keys the answers met */
  flags: string
}

/** A confidential alert (is_alert 1) or a request to be contacted (is_alert 0) for the school's handler. */
export interface AssessmentAlertTable {
  id: Generated<number>
  respondent_id: number
  round_id: number
  school_id: number
  is_alert: number
  /** comma-separated: phq9_item9, band:<instrument>, contact */
  reasons: string
  raised_at: string
  acknowledged_at: string | null
  handler_id: number | null
  escalated_at: string | null
  closed_at: string | null
  outcome_enc: string | null
  version: Generated<number>
  /** when the alert reached the district centre (routed there when raised, or escalated); null: the school's counsellors only */
  centre_at: string | null
  /** 1: raised straight to the district centre (no counsellor, or routed by the bureau); the school's counsellors do not see it */
  routed_to_centre: Generated<number>
}

/** The bureau's routing of a school's assessment alerts to the district centre instead of its counsellors. */
export interface AlertRoutingTable {
  school_id: number
  to_centre: number
  updated_at: string
  updated_by: number | null
}

/** A reasoned, time-limited opening of one restricted case file by an admin or the district centre. */
export interface BreakGlassTable {
  id: Generated<number>
  case_id: number
  school_id: number
  account_id: number
  reason_enc: string
  opened_at: string
  expires_at: string
  reviewed_at: string | null
  reviewed_by: number | null
}

export interface AssessmentSupportTable {
  id: Generated<number>
  alert_id: number
  kind: SupportKind
  /** the contact's day, or a follow-up's due day */
  on_date: string
  text_enc: string
  done_at: string | null
  created_by: number | null
  created_at: string
}

/** A stored file's encrypted bytes, for the database file store (several app processes share it). */
export interface StoredFileTable {
  storage_key: string
  bytes: Uint8Array
  size: number
  created_at: string
}
export interface ScreeningQuestionnaireTable {
  id: Generated<number>
  kind: QuestionnaireKind
  created_by: number | null
  created_at: string
}

export interface ScreeningQuestionnaireVersionTable {
  id: Generated<number>
  questionnaire_id: number
  version: number
  /** JSON of `questionnaireDefinition` (shared/screening.ts); frozen once published */
  definition: string
  published_at: string | null
  published_by: number | null
  updated_at: string
  row_version: number
}

export interface ScreeningCampaignTable {
  id: Generated<number>
  name: string
  /** null: a district campaign of the bureau */
  owner_school_id: number | null
  school_year: string
  /** the day consent ages are taken at, and the first answering day (Asia/Shanghai) */
  campaign_date: string
  closes_on: string
  /** JSON array of instrument refs ("phq9", "q12" = questionnaire version 12) */
  instruments: string
  /** JSON array of grades */
  grades: string
  /** JSON array of class names; empty = every class of the grades */
  class_names: string
  created_by: number | null
  created_at: string
}

export interface ScreeningCampaignSchoolTable {
  campaign_id: number
  school_id: number
}

export interface ScreeningConsentTable {
  id: Generated<number>
  campaign_id: number
  student_id: number
  school_id: number
  party: ConsentParty
  slip_date: string
  recorded_by: number | null
  recorded_at: string
  withdrawn_at: string | null
  withdrawn_by: number | null
  version: number
}

export interface ScreeningSessionTable {
  id: Generated<number>
  campaign_id: number
  school_id: number
  grade: number
  class_name: string
  class_code: string
  started_by: number | null
  started_at: string
  ended_at: string | null
}

export interface ScreeningRespondentTable {
  id: Generated<number>
  campaign_id: number
  school_id: number
  student_id: number
  grade: number
  class_name: string
  sex: 'F' | 'M'
  code_hash: string | null
  code_issued_at: string | null
  draft_enc: string | null
  saved_at: string | null
  submitted_at: string | null
  session_id: number | null
  version: number
}

export interface ScreeningResultTable {
  id: Generated<number>
  respondent_id: number
  instrument: string
  instrument_version: number
  kind: QuestionnaireKind
  /** null once purged after the retention period */
  answers_enc: string | null
  answers_purged_at: string | null
  total: number
  band: string
  band_rank: number
  flags: string
  /** knowledge quiz: 1 at or above the pass mark */
  passed: number | null
}

export interface ScreeningWarningTable {
  id: Generated<number>
  respondent_id: number
  campaign_id: number
  school_id: number
  level: WarningLevel
  reasons: string
  raised_at: string
  interview_on: string | null
  interview_enc: string | null
  outcome: WarningOutcome | null
  outcome_at: string | null
  outcome_by: number | null
  case_id: number | null
  version: number
}

/** A version of the accreditation indicator tree (migration 0015); `tree` is JSON, frozen once published. */
export interface AccreditationVersionTable {
  id: Generated<number>
  version_no: number
  status: 'draft' | 'published'
  tree: string
  created_by: number | null
  created_at: string
  published_at: string | null
}

export interface AccreditationApplicationTable {
  id: Generated<number>
  school_id: number
  version_id: number
  stage: Stage
  /** JSON: point code → self-assessed score */
  self_scores: string
  /** encrypted JSON: point code → the school's comment */
  self_comments_enc: string | null
  /** JSON: the 系统核验 facts as they stood at submission */
  system_evidence: string | null
  submitted_at: string | null
  returned_reason_enc: string | null
  accepted_at: string | null
  visited_on: string | null
  visit_observations_enc: string | null
  decision: Decision | null
  decision_reason_enc: string | null
  decided_at: string | null
  decided_by: number | null
  created_by: number | null
  created_at: string
  updated_at: string
  version: number
}

export interface AccreditationEvidenceTable {
  id: Generated<number>
  application_id: number
  school_id: number
  point_code: string
  /** the original file name, encrypted (purpose `accreditation.evidence.name:<storage_key>`) */
  file_name: string
  file_ext: string
  mime_type: string
  size_bytes: number
  sha256: string
  storage_key: string
  uploaded_by: number | null
  created_at: string
}

export interface AccreditationPanelTable {
  id: Generated<number>
  application_id: number
  expert_id: number
  /** JSON array of ConflictKind found when the expert was assigned */
  conflicts: string
  override_reason_enc: string | null
  assigned_by: number | null
  assigned_at: string
  /** JSON: point code → desk score */
  scores: string
  /** encrypted JSON: point code → comment */
  comments_enc: string | null
  saved_at: string | null
  submitted_at: string | null
}

export interface AccreditationDeltaTable {
  id: Generated<number>
  application_id: number
  expert_id: number
  point_code: string
  delta: number
  reason_enc: string
  created_at: string
}

export interface AccreditationDiscussionTable {
  id: Generated<number>
  application_id: number
  point_code: string
  opened_by: number | null
  opened_at: string
}

export interface AccreditationMessageTable {
  id: Generated<number>
  discussion_id: number
  author_id: number | null
  text_enc: string
  created_at: string
}

export interface AccreditationTitleTable {
  id: Generated<number>
  school_id: number
  application_id: number
  starts_on: string
  expires_on: string
  withdrawn_on: string | null
  withdrawn_reason_enc: string | null
  created_at: string
}

export interface AccreditationReminderTable {
  title_id: number
  days_before: number
  sent_on: string
  delivered: number
}

/** Where an account's holder worked (migration 0015): conflicts of interest in accreditation panels. */
export interface AccountEmploymentTable {
  id: Generated<number>
  account_id: number
  school_id: number
  from_on: string
  to_on: string | null
  created_at: string
}

/** One weekly opening of the counselling room (minutes after Shanghai midnight) and who is on duty. */
export interface RoomSlotTable {
  id: Generated<number>
  school_id: number
  /** ISO weekday, 1 = Monday */
  weekday: number
  start_min: number
  end_min: number
  counsellor_id: number
  created_at: string
}

export interface RoomClosureTable {
  id: Generated<number>
  school_id: number
  starts_on: string
  ends_on: string
  reason: string
  created_by: number | null
  created_at: string
}

export interface RoomAppointmentTable {
  id: Generated<number>
  school_id: number
  origin: AppointmentOrigin
  status: AppointmentStatus
  requester_kind: RequesterKind
  student_id: number | null
  /** encrypted JSON { name, phone } of a requester without a roster entry */
  requester_enc: string | null
  topic_enc: string | null
  /** JSON array of { date, slotId } the requester prefers */
  preferred: string
  urgent: number
  code_hash: string | null
  counsellor_id: number | null
  starts_at: string | null
  ends_at: string | null
  created_at: string
  updated_at: string
  version: Generated<number>
}

/** The hold a confirmed appointment has on its room and counsellor; unique keys make double booking impossible. */
export interface RoomBookingTable {
  appointment_id: number
  school_id: number
  counsellor_id: number
  starts_at: string
  ends_at: string
}

export interface RoomVisitTable {
  id: Generated<number>
  school_id: number
  kind: VisitKind
  student_id: number | null
  anonymous: number
  occurred_on: string
  start_min: number
  duration_min: number
  topic: string
  outcome: VisitOutcome
  case_id: number | null
  appointment_id: number | null
  counsellor_id: number | null
  notes_enc: string | null
  created_at: string
}

export interface RoomGroupTable {
  id: Generated<number>
  school_id: number
  theme: string
  /** JSON array of account ids */
  facilitators: string
  counts_as_activity: number
  created_by: number | null
  created_at: string
}

export interface RoomGroupMemberTable {
  group_id: number
  student_id: number
}

export interface RoomGroupSessionTable {
  id: Generated<number>
  group_id: number
  on_date: string
  start_min: number
  duration_min: number
  notes_enc: string | null
  attendance_taken_at: string | null
}

export interface RoomGroupAttendanceTable {
  session_id: number
  student_id: number
  present: number
}

export interface RoomFeedTokenTable {
  account_id: number
  token_hash: string
  created_at: string
}
