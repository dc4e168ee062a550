import { z } from 'zod'
import { ROLES, SCHOOL_TYPES } from './roles'
import { CORRECTION_REASON_MAX } from './school-year'
import { AUDIT_OUTCOMES } from './audit'

/**
 * Input schemas shared by the server (tRPC `.input`) and forms. Custom messages are i18n keys
 * under `validation.`; zod's own issue codes are translated by the client.
 */
export const idSchema = z.number().int().positive()
const page = z.number().int().min(1).max(100_000).default(1)
const pageSize = (max: number) => z.number().int().min(1).max(max).default(20)
const search = z.string().trim().max(60).optional()
const version = z.number().int().min(1)

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(3)
  .max(40)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'validation.usernameChars')
export const displayNameSchema = z.string().trim().min(1).max(60)
export const newPasswordSchema = z.string().min(1).max(128)

export const loginInput = z.strictObject({
  username: z.string().trim().min(1).max(80),
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

const schoolFields = {
  code: z
    .string()
    .trim()
    .min(2)
    .max(30)
    .regex(/^[A-Za-z0-9-]+$/, 'validation.codeChars'),
  name: z.string().trim().min(2).max(80),
  nameEn: z.string().trim().max(120).nullable(),
  type: z.enum(SCHOOL_TYPES),
  streetId: idSchema,
  isPublic: z.boolean(),
  address: z.string().trim().max(200).nullable(),
}
export const schoolCreateInput = z.strictObject(schoolFields)
export const schoolUpdateInput = z.strictObject({ ...schoolFields, id: idSchema, version })

export const enrolmentInput = z.strictObject({
  schoolId: idSchema,
  schoolYearId: idSchema,
  students: z.number().int().min(0).max(20_000),
  classes: z.number().int().min(0).max(500),
  /** required when the year has ended or is disabled: a correction of history, audited */
  correctionReason: z.string().trim().max(CORRECTION_REASON_MAX).optional(),
})

export const districtOverviewInput = z.strictObject({ schoolYearId: idSchema.optional() })

const isoDate = z.iso.date()
const schoolYearFields = z.strictObject({
  label: z
    .string()
    .trim()
    .regex(/^\d{4}-\d{4}$/, 'validation.schoolYearLabel'),
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

export const auditListInput = z.strictObject({
  action: z.string().trim().max(60).optional(),
  outcome: z.enum(AUDIT_OUTCOMES).optional(),
  actorId: idSchema.optional(),
  page,
  pageSize: pageSize(100),
})

export type AccountListInput = z.infer<typeof accountListInput>
export type AccountCreateInput = z.infer<typeof accountCreateInput>
export type AccountUpdateInput = z.infer<typeof accountUpdateInput>
export type SchoolListInput = z.infer<typeof schoolListInput>
export type SchoolCreateInput = z.infer<typeof schoolCreateInput>
export type SchoolUpdateInput = z.infer<typeof schoolUpdateInput>
export type EnrolmentInput = z.infer<typeof enrolmentInput>
export type SchoolYearCreateInput = z.infer<typeof schoolYearCreateInput>
export type SchoolYearUpdateInput = z.infer<typeof schoolYearUpdateInput>
export type AuditListInput = z.infer<typeof auditListInput>
