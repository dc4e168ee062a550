import { EXPORT_TABLES } from './staffing-schemas'

/**
 * The audit vocabulary: every action and entity type the server writes to `audit_event`. The write
 * function takes only these, so a misspelt action fails the type check; the audit log translates them
 * (`audit.actions.<action>`, `audit.entities.<entity>` in both locales). Rows already stored keep
 * whatever they say: readers treat the column as text and fall back to it when a label is missing.
 */
export const AUDIT_ACTIONS = [
  'auth.login', 'auth.logout', 'auth.password_change', 'auth.session_revoke',
  'account.create', 'account.update', 'account.permission_change', 'account.disable', 'account.enable', 'account.password_reset',
  'permission.denied',
  'audit.verify',
  'street.create',
  'school.create', 'school.update', 'school.disable', 'school.enable', 'school.enrolment_set', 'school.enrolment_import',
  'school_year.create', 'school_year.update', 'school_year.set_current', 'school_year.disable', 'school_year.enable',
  'district.settings_update',
  'student.list', 'student.read', 'student.create', 'student.update', 'student.import', 'student.promote',
  'case.list', 'case.read', 'case.open', 'case.update', 'case.note_add', 'case.note_edit', 'case.note_versions_read', 'case.risk_change',
  'case.follow_up_add', 'case.follow_up_complete', 'case.task_complete', 'case.referral_add', 'case.referral_update', 'case.crisis',
  'case.consent', 'case.guardian_contact', 'case.close', 'case.reopen', 'case.district_stats',
  'staff.create', 'staff.update', 'staff.remove', 'staff.certificate_add', 'staff.certificate_update', 'staff.certificate_remove',
  'staff.training_add', 'staff.training_remove',
  'room.save',
  'programme.team_save', 'programme.event_create', 'programme.event_update', 'programme.event_remove', 'programme.attachment_add',
  'programme.attachment_read', 'programme.attachment_remove', 'programme.channel_add', 'programme.channel_remove', 'programme.clinic_save',
  'programme.clinic_remove',
  'evaluation.round_create', 'evaluation.round_close', 'evaluation.round_reopen', 'evaluation.self_submit', 'evaluation.bureau_score',
  'evaluation.report_view',
  'export.download',
] as const
export type AuditAction = (typeof AUDIT_ACTIONS)[number]

/** The records audit rows point at (mostly table names), and the tables an export writes. */
export const AUDIT_ENTITIES = [
  'account', 'procedure', 'street', 'school', 'school_year', 'enrolment', 'district_setting',
  'student', 'case', 'case_note',
  'staff_member', 'staff_certificate', 'staff_training', 'counselling_room',
  'programme_team', 'programme_event', 'programme_attachment', 'programme_channel', 'programme_clinic', 'evaluation_round',
  ...EXPORT_TABLES,
] as const
export type AuditEntity = (typeof AUDIT_ENTITIES)[number]

export const AUDIT_OUTCOMES = ['ok', 'denied', 'failed'] as const
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number]
