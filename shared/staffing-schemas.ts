import { z } from 'zod'
import { isoDay } from './dates'
import { cleanString, optionalText, requiredText } from './text'
import { SCHOOL_TYPES } from './roles'
import { CORRECTION_REASON_MAX } from './school-year'
import { IMPORT_MAX_BYTES } from './case-schemas'
import {
  DASHBOARD_FLAGS,
  EMPLOYMENT_TYPES,
  OPTIONAL_ROOM_AREAS,
  ROOM_FLAGS,
  TRAINING_LEVELS,
  roomSettingsSchema,
  staffingSettingsSchema,
} from './staffing'

const id = z.number().int().positive()
const isoDate = isoDay('record')
const careerDate = isoDay('career')
const version = z.number().int().min(1)
const text = (max: number) => requiredText(max)
const area = z.number().min(0).max(1000).nullable()

/** `schoolId` is needed by the bureau; a school role may omit it and always gets its own school. */
export const schoolYearScopeInput = z.strictObject({ schoolId: id.optional(), schoolYearId: id.optional() })

const memberFields = {
  name: text(40),
  employment: z.enum(EMPLOYMENT_TYPES),
  title: optionalText(60),
  startsOn: careerDate,
  endsOn: careerDate.nullable(),
}
function endsAfterStart(v: { startsOn: string; endsOn: string | null }): boolean {
  return v.endsOn == null || v.endsOn >= v.startsOn
}
const endsMessage = { message: 'validation.endsBeforeStart', path: ['endsOn'] }
export const staffCreateInput = z.strictObject(memberFields).refine(endsAfterStart, endsMessage)
export const staffUpdateInput = z.strictObject({ ...memberFields, id, version }).refine(endsAfterStart, endsMessage)

const certificateFields = {
  name: text(60),
  issuer: optionalText(60),
  issuedOn: careerDate.nullable(),
  expiresOn: careerDate.nullable(),
}
function expiresAfterIssue(v: { issuedOn: string | null; expiresOn: string | null }): boolean {
  return v.issuedOn == null || v.expiresOn == null || v.expiresOn > v.issuedOn
}
const expiresMessage = { message: 'validation.expiresBeforeIssue', path: ['expiresOn'] }
export const certificateCreateInput = z.strictObject({ ...certificateFields, staffId: id }).refine(expiresAfterIssue, expiresMessage)
export const certificateUpdateInput = z.strictObject({ ...certificateFields, id }).refine(expiresAfterIssue, expiresMessage)

export const trainingCreateInput = z.strictObject({
  staffId: id,
  schoolYearId: id,
  course: text(80),
  hours: z.number().min(0.5).max(500).multipleOf(0.5),
  level: z.enum(TRAINING_LEVELS),
  completedOn: careerDate.nullable(),
})

export const roomSaveInput = z.strictObject({
  schoolYearId: id,
  /** the version of the year's record being replaced; null when the year has no record yet */
  version: version.nullable(),
  isSetUp: z.boolean(),
  setUpOn: isoDate.nullable(),
  displayName: optionalText(30),
  individualM2: area,
  groupM2: area,
  officeM2: area,
  optionalAreas: z.array(z.enum(OPTIONAL_ROOM_AREAS)).max(OPTIONAL_ROOM_AREAS.length),
  hasMailbox: z.boolean(),
  weeklyOpenHours: z.number().min(0).max(80),
})

export const schoolEnrolmentInput = z.strictObject({
  schoolYearId: id,
  students: z.number().int().min(0).max(20_000),
  classes: z.number().int().min(0).max(500),
})

export const enrolmentImportInput = z.strictObject({
  schoolYearId: id,
  fileName: cleanString().min(1).max(200),
  contentBase64: z
    .string()
    .min(1)
    .max(Math.ceil(IMPORT_MAX_BYTES / 3) * 4),
  commit: z.boolean(),
  /** required to commit into a year that has ended or is disabled: a correction of history, audited */
  correctionReason: cleanString().max(CORRECTION_REASON_MAX).optional(),
})

const dashboardFilters = {
  schoolYearId: id.optional(),
  streetId: id.optional(),
  type: z.enum(SCHOOL_TYPES).optional(),
}
export const STAFFING_SORTS = [
  'street',
  'name',
  'students',
  'required',
  'counted',
  'shortfall',
  'partTime',
  'purchased',
  'trainingBelow',
] as const
export const ROOM_SORTS = ['street', 'name', 'setUpOn', 'reasons', 'hours'] as const
const table = {
  order: z.enum(['asc', 'desc']).default('desc'),
  page: z.number().int().min(1).max(100_000).default(1),
  pageSize: z.number().int().min(1).max(200).default(20),
}
export const staffingDashboardInput = z.strictObject({
  ...dashboardFilters,
  flag: z.enum(DASHBOARD_FLAGS).optional(),
  sort: z.enum(STAFFING_SORTS).default('shortfall'),
  ...table,
})
export const roomDashboardInput = z.strictObject({
  ...dashboardFilters,
  flag: z.enum(ROOM_FLAGS).optional(),
  sort: z.enum(ROOM_SORTS).default('street'),
  ...table,
})
export const trendInput = z.strictObject({ streetId: id.optional(), type: z.enum(SCHOOL_TYPES).optional() })
/** The certificate list is judged on the chosen year's reference date, like the figure above it. */
export const certificatesInput = z.strictObject({ ...dashboardFilters })

export const EXPORT_TABLES = [
  'staffing',
  'staffingByStreet',
  'staffingByType',
  'rooms',
  'roomsByStreet',
  'roomsByType',
  'certificates',
] as const
export const exportInput = z.strictObject({
  table: z.enum(EXPORT_TABLES),
  format: z.enum(['csv', 'xlsx']),
  locale: z.enum(['zh-CN', 'en']),
  ...dashboardFilters,
  flag: z.enum([...DASHBOARD_FLAGS, ...ROOM_FLAGS]).optional(),
})

export const settingsUpdateInput = z.strictObject({
  staffing: staffingSettingsSchema,
  rooms: roomSettingsSchema,
})

/** counselling_room.optional_areas as stored (read back on the server through parseStored) */
export const storedOptionalAreas = z.array(z.enum(OPTIONAL_ROOM_AREAS))

export type StaffCreateInput = z.infer<typeof staffCreateInput>
export type StaffUpdateInput = z.infer<typeof staffUpdateInput>
export type CertificateCreateInput = z.infer<typeof certificateCreateInput>
export type CertificateUpdateInput = z.infer<typeof certificateUpdateInput>
export type TrainingCreateInput = z.infer<typeof trainingCreateInput>
export type RoomSaveInput = z.infer<typeof roomSaveInput>
export type StaffingDashboardInput = z.infer<typeof staffingDashboardInput>
export type RoomDashboardInput = z.infer<typeof roomDashboardInput>
export type ExportInput = z.infer<typeof exportInput>
