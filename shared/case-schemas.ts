import { z } from 'zod'
import { isoDay, isoInstant } from './dates'
import { cleanString, optionalText, requiredText } from './text'
import { EXPORT_FORMATS, EXPORT_LOCALES } from './exports'
import {
  CASE_CATEGORIES,
  CASE_SOURCES,
  CONTACT_KINDS,
  CONTACT_METHODS,
  GRADE_MAX,
  GRADE_MIN,
  GUARDIAN_RELATIONS,
  NOTE_MAX,
  NOTE_TYPES,
  NOTIFY_RECIPIENTS,
  REFERRAL_KINDS,
  REFERRAL_STATUSES,
  RISK_LEVELS,
  SEXES,
  SHORT_TEXT_MAX,
  VULNERABLE_FLAGS,
} from './cases'
import { DUE_VIEWS } from './due'

const id = z.number().int().positive()
const isoDate = isoDay('record')
const isoDateTime = isoInstant('record')
const text = (max: number) => requiredText(max)
const version = z.number().int().min(1)

export const studentFields = {
  studentNo: cleanString()
    .min(1)
    .max(30)
    .regex(/^[A-Za-z0-9-]+$/, 'validation.studentNoChars'),
  name: text(40),
  sex: z.enum(SEXES),
  birthDate: isoDay('birth').nullable(),
  grade: z.number().int().min(GRADE_MIN).max(GRADE_MAX),
  className: text(20),
  guardianName: optionalText(40),
  guardianPhone: cleanString()
    .max(20)
    .regex(/^[0-9+\- ]*$/, 'validation.phoneChars')
    .nullable()
    .optional(),
}
export const studentCreateInput = z.strictObject(studentFields)
export const studentUpdateInput = z.strictObject({ ...studentFields, id, version })
export const studentListInput = z.strictObject({
  search: cleanString().max(40).optional(),
  grade: z.number().int().min(GRADE_MIN).max(GRADE_MAX).optional(),
  className: cleanString().max(20).optional(),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(200).default(50),
})
/** Largest class-list file: its base64 form must fit the API's 1 MB request cap. */
export const IMPORT_MAX_BYTES = 512 * 1024
/** An import: the raw file as base64 (CSV or XLSX). */
export const studentImportInput = z.strictObject({
  fileName: cleanString().min(1).max(200),
  contentBase64: z
    .string()
    .min(1)
    .max(Math.ceil(IMPORT_MAX_BYTES / 3) * 4),
  commit: z.boolean(),
})

export const caseOpenInput = z.strictObject({
  studentId: id,
  source: z.enum(CASE_SOURCES),
  categories: z.array(z.enum(CASE_CATEGORIES)).min(1).max(CASE_CATEGORIES.length),
  flags: z.array(z.enum(VULNERABLE_FLAGS)).max(VULNERABLE_FLAGS.length).default([]),
  concern: text(SHORT_TEXT_MAX),
  riskLevel: z.enum(RISK_LEVELS),
  openedOn: isoDate,
  counsellorIds: z.array(id).min(1).max(5),
})

export const caseUpdateInput = z.strictObject({
  caseId: id,
  version,
  source: z.enum(CASE_SOURCES),
  categories: z.array(z.enum(CASE_CATEGORIES)).min(1).max(CASE_CATEGORIES.length),
  flags: z.array(z.enum(VULNERABLE_FLAGS)).max(VULNERABLE_FLAGS.length).default([]),
  concern: text(SHORT_TEXT_MAX),
  counsellorIds: z.array(id).min(1).max(5),
})

export const caseListInput = z.strictObject({
  status: z.enum(['open', 'closed', 'all']).default('open'),
  riskLevel: z.enum(RISK_LEVELS).optional(),
  category: z.enum(CASE_CATEGORIES).optional(),
  grade: z.number().int().min(GRADE_MIN).max(GRADE_MAX).optional(),
  className: cleanString().max(20).optional(),
  search: cleanString().max(40).optional(),
  mine: z.boolean().default(false),
  due: z.enum(DUE_VIEWS).optional(),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(200).default(50),
})

export const caseByIdInput = z.strictObject({ id })

export const noteInput = z.strictObject({
  caseId: id,
  sessionDate: isoDate,
  durationMin: z.number().int().min(0).max(600),
  type: z.enum(NOTE_TYPES),
  text: text(NOTE_MAX),
  private: z.boolean().default(false),
})
export const noteUpdateInput = z.strictObject({
  noteId: id,
  version,
  sessionDate: isoDate,
  durationMin: z.number().int().min(0).max(600),
  type: z.enum(NOTE_TYPES),
  text: text(NOTE_MAX),
})

export const riskChangeInput = z.strictObject({ caseId: id, version, level: z.enum(RISK_LEVELS), reason: text(SHORT_TEXT_MAX) })
export const followUpInput = z.strictObject({ caseId: id, dueOn: isoDate, purpose: optionalText(SHORT_TEXT_MAX) })
export const followUpDoneInput = z.strictObject({ followUpId: id, status: z.enum(['done', 'cancelled']) })
/** Ticking a task off, or saying it does not apply, with the reason (kept in the history). */
export const taskCompleteInput = z.discriminatedUnion('status', [
  z.strictObject({ taskId: id, status: z.literal('done') }),
  z.strictObject({ taskId: id, status: z.literal('not_applicable'), reason: text(SHORT_TEXT_MAX) }),
])

/** Who was told and when: a person or role picked by the counsellor, an optional name, the real time. */
export const notificationFields = {
  recipient: z.enum(NOTIFY_RECIPIENTS),
  name: optionalText(60),
  at: isoDateTime,
}
/** A notification recorded on its own, or to complete a notification task (`taskId`). */
export const notificationInput = z.strictObject({ caseId: id, taskId: id.optional(), ...notificationFields })

export const referralInput = z.strictObject({
  caseId: id,
  kind: z.enum(REFERRAL_KINDS),
  target: text(120),
  sentOn: isoDate,
})
export const referralUpdateInput = z.strictObject({
  referralId: id,
  version,
  status: z.enum(REFERRAL_STATUSES),
  on: isoDate,
  /** what the hospital or service reported back, recorded as received (never the counsellor's diagnosis) */
  feedback: optionalText(SHORT_TEXT_MAX),
  returnPlan: optionalText(SHORT_TEXT_MAX),
})

export const crisisInput = z.strictObject({
  caseId: id,
  occurredAt: isoDateTime,
  what: text(SHORT_TEXT_MAX),
  actions: text(SHORT_TEXT_MAX),
  /** the immediate step: someone stays with the student (confirmed, not a task) */
  accompanied: z.boolean(),
  accompaniedBy: optionalText(60),
  /** starts empty: only notifications that happened, each picked with its time */
  notified: z.array(z.strictObject(notificationFields)).max(20).default([]),
})

export const contactInput = z.strictObject({
  caseId: id,
  kind: z.enum(CONTACT_KINDS),
  relation: z.enum(GUARDIAN_RELATIONS),
  method: z.enum(CONTACT_METHODS),
  contactedAt: isoDateTime,
  consentGiven: z.boolean().nullable().default(null),
  note: optionalText(SHORT_TEXT_MAX),
})

export const caseCloseInput = z.strictObject({ caseId: id, version, outcome: text(SHORT_TEXT_MAX) })
export const caseReopenInput = z.strictObject({ caseId: id, version, reason: text(SHORT_TEXT_MAX) })
export const STATS_DIMENSIONS = ['risk_level', 'category', 'status'] as const
export const districtStatsInput = z.strictObject({ dimension: z.enum(STATS_DIMENSIONS).default('risk_level') })
/** The statistics exactly as the screen shows them (the same suppression), as CSV or Excel. */
export const districtStatsExportInput = z.strictObject({
  dimension: z.enum(STATS_DIMENSIONS).default('risk_level'),
  format: z.enum(EXPORT_FORMATS),
  locale: z.enum(EXPORT_LOCALES),
})

export type StudentCreateInput = z.infer<typeof studentCreateInput>
export type StudentUpdateInput = z.infer<typeof studentUpdateInput>
export type StudentListInput = z.infer<typeof studentListInput>
export type CaseOpenInput = z.infer<typeof caseOpenInput>
export type CaseListInput = z.infer<typeof caseListInput>
export type CaseUpdateInput = z.infer<typeof caseUpdateInput>
export type NoteInput = z.infer<typeof noteInput>
export type NoteUpdateInput = z.infer<typeof noteUpdateInput>
export type RiskChangeInput = z.infer<typeof riskChangeInput>
export type ReferralInput = z.infer<typeof referralInput>
export type ReferralUpdateInput = z.infer<typeof referralUpdateInput>
export type CrisisInput = z.infer<typeof crisisInput>
export type NotificationInput = z.infer<typeof notificationInput>
export type TaskCompleteInput = z.infer<typeof taskCompleteInput>
export type ContactInput = z.infer<typeof contactInput>
export type DistrictStatsInput = z.infer<typeof districtStatsInput>
export type DistrictStatsExportInput = z.infer<typeof districtStatsExportInput>
