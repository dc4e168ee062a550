import { z } from 'zod'
import { isoDay } from './dates'
import { cleanString } from './text'
import { ROLES, SCHOOL_TYPES } from './roles'
import { CORRECTION_REASON_MAX } from './school-year'
import { AUDIT_ENTITIES, AUDIT_OUTCOMES } from './audit'
import { EXPORT_FORMATS, EXPORT_LOCALES } from './exports'

/**
 * Input schemas shared by the server (tRPC `.input`) and forms. Custom messages are i18n keys
 * under `validation.`; zod's own issue codes are translated by the client.
 */
export const idSchema = z.number().int().positive()
const page = z.number().int().min(1).max(100_000).default(1)
const pageSize = (max: number) => z.number().int().min(1).max(max).default(20)
const search = cleanString().max(60).optional()
const version = z.number().int().min(1)
const filterDay = isoDay('record')

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(3)
  .max(40)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'validation.usernameChars')
export const displayNameSchema = cleanString().min(1).max(60)
export const newPasswordSchema = z.string().min(1).max(128)

export const loginInput = z.strictObject({
  username: cleanString().min(1).max(80),
  password: z.string().min(1).max(200),
})

export const changePasswordInput = z.strictObject({
  currentPassword: z.string().min(1).max(200),
  newPassword: newPasswordSchema,
})

export const accountListInput = z.strictObject({
  search,
  role: z.enum(ROLES).optional(),
  schoolId: idSchema.optional(),
  status: z.enum(['active', 'disabled', 'all']).default('all'),
  page,
  pageSize: pageSize(100),
})

export const accountCreateInput = z.strictObject({
  username: usernameSchema,
  displayName: displayNameSchema,
  role: z.enum(ROLES),
  schoolId: idSchema.nullable(),
  password: newPasswordSchema,
})

export const accountUpdateInput = z.strictObject({
  id: idSchema,
  displayName: displayNameSchema,
  role: z.enum(ROLES),
  schoolId: idSchema.nullable(),
  version,
})

export const accountResetPasswordInput = z.strictObject({ id: idSchema, password: newPasswordSchema })
export const byIdInput = z.strictObject({ id: idSchema })

export const SCHOOL_SORTS = ['street', 'name', 'code', 'type', 'students'] as const
export const schoolListInput = z.strictObject({
  search,
  streetId: idSchema.optional(),
  type: z.enum(SCHOOL_TYPES).optional(),
  status: z.enum(['active', 'disabled', 'all']).default('active'),
  schoolYearId: idSchema.optional(),
  sort: z.enum(SCHOOL_SORTS).default('street'),
  order: z.enum(['asc', 'desc']).default('asc'),
  page,
  pageSize: pageSize(200),
})
/** The school list as filtered and sorted on screen, every page, as CSV or Excel in the reader's language. */
export const schoolExportInput = z.strictObject({
  ...schoolListInput.omit({ page: true, pageSize: true }).shape,
  format: z.enum(EXPORT_FORMATS),
  locale: z.enum(EXPORT_LOCALES),
})

const schoolFields = {
  code: cleanString()
    .min(2)
    .max(30)
    .regex(/^[A-Za-z0-9-]+$/, 'validation.codeChars'),
  name: cleanString().min(2).max(80),
  nameEn: cleanString().max(120).nullable(),
  type: z.enum(SCHOOL_TYPES),
  streetId: idSchema,
  isPublic: z.boolean(),
  address: cleanString().max(200).nullable(),
}
export const schoolCreateInput = z.strictObject(schoolFields)
export const schoolUpdateInput = z.strictObject({ ...schoolFields, id: idSchema, version })

export const enrolmentInput = z.strictObject({
  schoolId: idSchema,
  schoolYearId: idSchema,
  students: z.number().int().min(0).max(20_000),
  classes: z.number().int().min(0).max(500),
  /** required when the year has ended or is disabled: a correction of history, audited */
  correctionReason: cleanString().max(CORRECTION_REASON_MAX).optional(),
})

export const districtOverviewInput = z.strictObject({ schoolYearId: idSchema.optional() })

const isoDate = isoDay('record')
const schoolYearFields = z.strictObject({
  label: cleanString().regex(/^\d{4}-\d{4}$/, 'validation.schoolYearLabel'),
  startsOn: isoDate,
  endsOn: isoDate,
})
function yearConsistent(v: { label: string; startsOn: string; endsOn: string }): boolean {
  const [a, b] = v.label.split('-').map(Number)
  return b === a! + 1 && v.startsOn < v.endsOn && v.startsOn.startsWith(String(a)) && v.endsOn.startsWith(String(b))
}
export const schoolYearCreateInput = schoolYearFields.refine(yearConsistent, { message: 'validation.schoolYearDates', path: ['endsOn'] })
export const schoolYearUpdateInput = schoolYearFields
  .extend({ id: idSchema })
  .refine(yearConsistent, { message: 'validation.schoolYearDates', path: ['endsOn'] })

/**
 * What the audit log is filtered by: an action (exact, or a group such as `case.` as a prefix), the
 * outcome, the person (0 is the system), the entity and a range of calendar days in Asia/Shanghai.
 */
const auditFilters = {
  action: cleanString().max(60).optional(),
  outcome: z.enum(AUDIT_OUTCOMES).optional(),
  actorId: z.number().int().min(0).optional(),
  entityType: z.enum(AUDIT_ENTITIES).optional(),
  from: filterDay.optional(),
  to: filterDay.optional(),
}
const datesInOrder = (v: { from?: string; to?: string }) => !v.from || !v.to || v.from <= v.to
const datesMessage = { message: 'validation.endsBeforeStart', path: ['to'] }
export const auditListInput = z.strictObject({ ...auditFilters, page, pageSize: pageSize(100) }).refine(datesInOrder, datesMessage)
/** The filtered log, every page, as CSV or Excel in the reader's language. */
export const auditExportInput = z
  .strictObject({ ...auditFilters, format: z.enum(EXPORT_FORMATS), locale: z.enum(EXPORT_LOCALES) })
  .refine(datesInOrder, datesMessage)
export type AuditFilters = Pick<z.infer<typeof auditExportInput>, keyof typeof auditFilters>

export type AccountListInput = z.infer<typeof accountListInput>
export type AccountCreateInput = z.infer<typeof accountCreateInput>
export type AccountUpdateInput = z.infer<typeof accountUpdateInput>
export type SchoolListInput = z.infer<typeof schoolListInput>
export type SchoolExportInput = z.infer<typeof schoolExportInput>
export type SchoolCreateInput = z.infer<typeof schoolCreateInput>
export type SchoolUpdateInput = z.infer<typeof schoolUpdateInput>
export type EnrolmentInput = z.infer<typeof enrolmentInput>
export type SchoolYearCreateInput = z.infer<typeof schoolYearCreateInput>
export type SchoolYearUpdateInput = z.infer<typeof schoolYearUpdateInput>
export type AuditListInput = z.infer<typeof auditListInput>
export type AuditExportInput = z.infer<typeof auditExportInput>
