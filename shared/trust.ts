import { z } from 'zod'

/**
 * Second factor and retention: what the bureau sets for the district, and the shapes both sides check.
 * MFA applies to the staff roles that see people's records or manage accounts.
 */
export const MFA_ROLES = ['admin', 'bureau', 'school_admin', 'counsellor'] as const
export type MfaRole = (typeof MFA_ROLES)[number]

/** Security logs are kept at least six months (Cybersecurity Law art. 21): a shorter setting is refused. */
export const AUDIT_MIN_MONTHS = 6

export const retentionSettingsSchema = z.strictObject({
  /** a closed case is deleted this many years after its student left the school */
  closedCaseYears: z.int().min(1).max(30),
  /** a teacher's assessment answers (item by item) are deleted this many months after the round closed; totals and bands stay */
  assessmentAnswerMonths: z.int().min(1).max(120),
  /** ended sessions (expired, revoked, signed out) are deleted this many days after they ended */
  sessionDays: z.int().min(1).max(365),
  /** audit events older than this are deleted; never fewer than six months */
  auditMonths: z.int().min(AUDIT_MIN_MONTHS, 'validation.auditRetentionMin').max(1200),
})
export type RetentionSettings = z.infer<typeof retentionSettingsSchema>

export const securitySettingsSchema = z.strictObject({
  /** roles that must sign in with a second factor; an account of such a role without one enrols at its next sign-in */
  mfaRequiredRoles: z.array(z.enum(MFA_ROLES)).max(MFA_ROLES.length),
  retention: retentionSettingsSchema,
})
export type SecuritySettings = z.infer<typeof securitySettingsSchema>

/** Off by default: accounts sign in with their password alone until the bureau asks for more. */
export const DEFAULT_SECURITY_SETTINGS: SecuritySettings = {
  mfaRequiredRoles: [],
  retention: { closedCaseYears: 10, assessmentAnswerMonths: 24, sessionDays: 30, auditMonths: 36 },
}

export const TOTP_DIGITS = 6
export const TOTP_PERIOD_S = 30
export const RECOVERY_CODE_COUNT = 10
/** 16 characters of Crockford-like base32 (no I, L, O, U): 80 random bits, shown in four groups of four */
export const RECOVERY_ALPHABET = 'ABCDEFGHJKMNPQRSTVWXYZ0123456789'

/** A code as typed: spaces and dashes removed, letters upper-cased. */
export function normaliseFactorCode(code: string): string {
  return code.replace(/[\s-]/g, '').toUpperCase()
}

const factorCode = z
  .string()
  .max(40)
  .transform(normaliseFactorCode)
  .pipe(z.string().regex(/^(\d{6}|[A-Z0-9]{16})$/, 'validation.factorCode'))

const totpCode = z
  .string()
  .max(20)
  .transform(normaliseFactorCode)
  .pipe(z.string().regex(/^\d{6}$/, 'validation.totpCode'))

/** The second step of sign-in: a 6-digit code from the app, or a recovery code. */
export const mfaVerifyInput = z.strictObject({ code: factorCode })
/** Confirming enrolment, disabling, regenerating recovery codes: a current code from the app. */
export const mfaCodeInput = z.strictObject({ code: totpCode })

export type SecondFactor = 'totp' | 'enrol'
