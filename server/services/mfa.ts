import { createHash, randomBytes } from 'node:crypto'
import { Secret } from 'otpauth'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema'
import { MFA_ROLES, normaliseFactorCode, RECOVERY_CODE_COUNT } from '../../shared/trust'
import { checkTotp, formatRecoveryCode, recoveryCodeFromBytes, totpUri } from '../rules/mfa'
import { backoffDecision, LOGIN_MEMORY_MS, LOGIN_THROTTLE, strictest } from '../rules/throttle'
import { findAccountById } from '../repositories/account'
import { clearFailures, deleteFailure, lockLoginAttempts, recentFailures, recordFailure } from '../repositories/login-failure'
import {
  advanceStep,
  deleteMfa,
  enableMfa,
  findMfa,
  replaceRecoveryCodes,
  unusedRecoveryCodes,
  upsertPendingMfa,
  useRecoveryCode,
} from '../repositories/mfa'
import { revokeAccountSessions } from '../repositories/session'
import { appendAudit, type AuditEntry } from './audit'
import { completeSignIn } from './auth'
import { decryptText, encryptText } from './crypto'
import { nowIso, requireActor, type PendingSignIn, type ServiceContext, withTransaction } from './context'
import { loadSecuritySettings } from './district-settings'
import { AppError, notFound } from './errors'

const SECRET_PURPOSE = 'account_mfa.secret'

/**
 * Recovery codes carry 80 random bits, so a plain digest cannot be reversed by trying codes (as with
 * assessment codes); the prefix keeps these digests apart from any other.
 */
export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update('xinqiao.mfa.recovery\n').update(normaliseFactorCode(code)).digest('hex')
}

function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => recoveryCodeFromBytes(randomBytes(10)))
}

/** Who a second-factor attempt is by: the waiting sign-in's account, or the signed-in actor. */
interface Subject {
  accountId: number
  role: string
  schoolId: number | null
  username: string
}

function subjectOfPending(p: PendingSignIn): Subject {
  return { accountId: p.accountId, role: p.role, schoolId: p.schoolId, username: p.username }
}

function audit(ctx: ServiceContext, db: Kysely<Database>, who: Subject, entry: AuditEntry) {
  return appendAudit(db, ctx, {
    entityType: 'account',
    entityId: who.accountId,
    schoolId: who.schoolId,
    actorId: who.accountId,
    actorRole: who.role,
    ...entry,
  })
}

/**
 * Codes are throttled like passwords (server/rules/throttle.ts): failures per account and per client
 * address make the next attempt wait, growing with each failure. The attempt is counted as a failure
 * until the code proves right, in one transaction with the count, so a burst of parallel guesses
 * cannot all pass the count. Returns the failure rows to remove when the code is right.
 */
async function countAttempt(ctx: ServiceContext, who: Subject): Promise<{ mine: number; ip: number }> {
  const t = ctx.now().getTime()
  const at = nowIso(ctx)
  const since = new Date(t - LOGIN_MEMORY_MS).toISOString()
  const key = String(who.accountId)
  const ipKey = ctx.ip ?? 'unknown'
  const outcome = await withTransaction(ctx.db, async (trx) => {
    await lockLoginAttempts(trx)
    const decision = strictest(
      backoffDecision(await recentFailures(trx, 'mfa', key, since), LOGIN_THROTTLE.account, t),
      backoffDecision(await recentFailures(trx, 'ip', ipKey, since), LOGIN_THROTTLE.ip, t),
    )
    if (!decision.allowed) return { decision, ids: null }
    return { decision, ids: { mine: await recordFailure(trx, 'mfa', key, at), ip: await recordFailure(trx, 'ip', ipKey, at) } }
  })
  if (!outcome.ids) {
    await audit(ctx, ctx.db, who, { action: 'auth.second_factor', outcome: 'denied', detail: 'throttled_mfa' })
    throw new AppError('TOO_MANY_REQUESTS', 'auth.throttled', { minutes: outcome.decision.retryAfterMinutes })
  }
  return outcome.ids
}

async function forgiveAttempt(trx: Kysely<Database>, who: Subject, ids: { mine: number; ip: number }): Promise<void> {
  await clearFailures(trx, 'mfa', String(who.accountId))
  await deleteFailure(trx, ids.ip)
  await deleteFailure(trx, ids.mine)
}

async function wrongCode(ctx: ServiceContext, who: Subject, reason: string, action: AuditEntry['action']): Promise<never> {
  await audit(ctx, ctx.db, who, { action, outcome: 'failed', detail: reason })
  throw new AppError('BAD_REQUEST', reason === 'replayed_code' ? 'mfa.codeUsed' : 'mfa.wrongCode')
}

/**
 * Checks a TOTP code against the account's secret (enabled, or being enrolled when `enrolling`), and
 * records its step so the same code is refused from now on. Throws a localised error when wrong.
 */
async function proveTotp(
  ctx: ServiceContext,
  who: Subject,
  code: string,
  action: AuditEntry['action'],
  enrolling: boolean,
  then: (trx: Kysely<Database>, step: number) => Promise<void>,
): Promise<void> {
  const mfa = await findMfa(ctx.db, who.accountId)
  if (!mfa || (enrolling ? mfa.enabled_at != null : mfa.enabled_at == null)) {
    throw new AppError('BAD_REQUEST', enrolling ? 'mfa.notEnrolling' : 'mfa.notEnabled')
  }
  const ids = await countAttempt(ctx, who)
  const check = checkTotp(decryptText(ctx.keys, SECRET_PURPOSE, mfa.secret_enc), code, ctx.now(), mfa.last_step)
  if (!check.ok) return wrongCode(ctx, who, check.reason, action)
  const won = await withTransaction(ctx.db, async (trx) => {
    // The step is written only if still later than the last: of two requests with one code, one wins.
    if (!(await advanceStep(trx, who.accountId, check.step, nowIso(ctx)))) return false
    await forgiveAttempt(trx, who, ids)
    await then(trx, check.step)
    return true
  })
  if (!won) return wrongCode(ctx, who, 'replayed_code', action)
}

/** Creates a new secret for an enrolment not yet confirmed; the app shows it as a QR code (drawn in the browser) and as text. */
async function beginEnrolment(ctx: ServiceContext, who: Subject) {
  const existing = await findMfa(ctx.db, who.accountId)
  if (existing?.enabled_at) throw new AppError('CONFLICT', 'mfa.alreadyEnabled')
  const secret = new Secret({ size: 20 }).base32
  await withTransaction(ctx.db, async (trx) => {
    await upsertPendingMfa(trx, who.accountId, encryptText(ctx.keys, SECRET_PURPOSE, secret), nowIso(ctx))
    await audit(ctx, trx, who, { action: 'mfa.enrol', outcome: 'ok', detail: 'started' })
  })
  return { uri: totpUri(secret, who.username), secret: secret.match(/.{1,4}/g)!.join(' ') }
}

/** Confirms an enrolment with a first code; returns the recovery codes, shown this once. */
async function confirmEnrolment(ctx: ServiceContext, who: Subject, code: string, then?: (trx: Kysely<Database>) => Promise<void>) {
  const codes = newRecoveryCodes()
  await proveTotp(ctx, who, code, 'mfa.enrol', true, async (trx, step) => {
    const at = nowIso(ctx)
    await enableMfa(trx, who.accountId, step, at)
    await replaceRecoveryCodes(trx, who.accountId, codes.map(hashRecoveryCode), at)
    await audit(ctx, trx, who, { action: 'mfa.enrol', outcome: 'ok', detail: 'confirmed' })
    await then?.(trx)
  })
  return codes.map(formatRecoveryCode)
}

function requirePending(ctx: ServiceContext, factor: PendingSignIn['factor']): PendingSignIn {
  if (!ctx.pending || ctx.pending.factor !== factor) throw new AppError('UNAUTHORIZED', 'unauthenticated')
  return ctx.pending
}

/** What the second step of sign-in asks for; null when no sign-in is waiting. */
export function signInChallenge(ctx: ServiceContext) {
  return ctx.pending ? { factor: ctx.pending.factor, username: ctx.pending.username } : null
}

/** The second step: a code from the app or an unused recovery code. On success the session becomes a full one. */
export async function verifySignIn(ctx: ServiceContext, code: string) {
  const pending = requirePending(ctx, 'totp')
  const who = subjectOfPending(pending)
  let finish: Awaited<ReturnType<typeof completeSignIn>> | null = null
  if (/^\d{6}$/.test(code)) {
    await proveTotp(ctx, who, code, 'auth.second_factor', false, async (trx) => {
      finish = await completeSignIn(trx, ctx, pending)
      await audit(ctx, trx, who, { action: 'auth.second_factor', outcome: 'ok', detail: 'totp' })
    })
  } else {
    const ids = await countAttempt(ctx, who)
    const used = await withTransaction(ctx.db, async (trx) => {
      if (!(await useRecoveryCode(trx, who.accountId, hashRecoveryCode(code), nowIso(ctx)))) return false
      await forgiveAttempt(trx, who, ids)
      finish = await completeSignIn(trx, ctx, pending)
      const left = await unusedRecoveryCodes(trx, who.accountId)
      await audit(ctx, trx, who, { action: 'auth.second_factor', outcome: 'ok', detail: `recovery_code,codes_left:${left}` })
      return true
    })
    if (!used) await wrongCode(ctx, who, 'wrong_recovery_code', 'auth.second_factor')
  }
  const done = finish as Awaited<ReturnType<typeof completeSignIn>> | null
  if (!done) throw new AppError('UNAUTHORIZED', 'unauthenticated')
  done.setCookies()
  return { landing: done.landing, mustChangePassword: done.mustChangePassword }
}

/** Enrolment required by the district, at sign-in: start (a new secret each time) … */
export function signInEnrolStart(ctx: ServiceContext) {
  return beginEnrolment(ctx, subjectOfPending(requirePending(ctx, 'enrol')))
}

/** … and confirm with a first code, which also completes the sign-in. */
export async function signInEnrolConfirm(ctx: ServiceContext, code: string) {
  const pending = requirePending(ctx, 'enrol')
  let finish: Awaited<ReturnType<typeof completeSignIn>> | null = null
  const recoveryCodes = await confirmEnrolment(ctx, subjectOfPending(pending), code, async (trx) => {
    finish = await completeSignIn(trx, ctx, pending)
  })
  const done = finish as Awaited<ReturnType<typeof completeSignIn>> | null
  if (!done) throw new AppError('UNAUTHORIZED', 'unauthenticated')
  done.setCookies()
  return { landing: done.landing, mustChangePassword: done.mustChangePassword, recoveryCodes }
}

function subjectOfActor(ctx: ServiceContext): Subject {
  const a = requireActor(ctx)
  return { accountId: a.accountId, role: a.role, schoolId: a.schoolId, username: a.username }
}

function mfaApplies(role: string): boolean {
  return (MFA_ROLES as readonly string[]).includes(role)
}

/** The account page's second-factor card. */
export async function myMfaStatus(ctx: ServiceContext) {
  const who = subjectOfActor(ctx)
  const [mfa, settings] = await Promise.all([findMfa(ctx.db, who.accountId), loadSecuritySettings(ctx.db)])
  const enabled = mfa?.enabled_at != null
  return {
    /** whether the district can require it of this role */
    requirable: mfaApplies(who.role),
    enabled,
    enabledAt: mfa?.enabled_at ?? null,
    required: (settings.mfaRequiredRoles as readonly string[]).includes(who.role),
    recoveryCodesLeft: enabled ? await unusedRecoveryCodes(ctx.db, who.accountId) : 0,
  }
}

/** Any account may turn a second factor on; the district can require it of the staff roles (MFA_ROLES). */
export async function myMfaEnrolStart(ctx: ServiceContext) {
  return beginEnrolment(ctx, subjectOfActor(ctx))
}

export async function myMfaEnrolConfirm(ctx: ServiceContext, code: string) {
  const who = subjectOfActor(ctx)
  return { recoveryCodes: await confirmEnrolment(ctx, who, code) }
}

/** Turning the second factor off takes a current code; refused while the district requires one for the role. */
export async function myMfaDisable(ctx: ServiceContext, code: string) {
  const who = subjectOfActor(ctx)
  const settings = await loadSecuritySettings(ctx.db)
  if ((settings.mfaRequiredRoles as readonly string[]).includes(who.role)) throw new AppError('BAD_REQUEST', 'mfa.required')
  await proveTotp(ctx, who, code, 'mfa.disable', false, async (trx) => {
    await deleteMfa(trx, who.accountId)
    await audit(ctx, trx, who, { action: 'mfa.disable', outcome: 'ok' })
  })
}

/** New recovery codes (the old ones stop working), for a current code. */
export async function myRecoveryCodesRegenerate(ctx: ServiceContext, code: string) {
  const who = subjectOfActor(ctx)
  const codes = newRecoveryCodes()
  await proveTotp(ctx, who, code, 'mfa.recovery_regenerate', false, async (trx) => {
    await replaceRecoveryCodes(trx, who.accountId, codes.map(hashRecoveryCode), nowIso(ctx))
    await audit(ctx, trx, who, { action: 'mfa.recovery_regenerate', outcome: 'ok' })
  })
  return { recoveryCodes: codes.map(formatRecoveryCode) }
}

/**
 * An administrator removes a user's second factor (a lost phone and no recovery code left): the user's
 * sessions end, and the next sign-in is by password (then enrolment again where the district requires it).
 */
export async function resetAccountMfa(ctx: ServiceContext, accountId: number) {
  const actor = requireActor(ctx)
  const account = await findAccountById(ctx.db, accountId)
  if (!account) throw notFound()
  if (accountId === actor.accountId) throw new AppError('BAD_REQUEST', 'mfa.cannotResetSelf')
  const at = nowIso(ctx)
  await withTransaction(ctx.db, async (trx) => {
    const removed = await deleteMfa(trx, accountId)
    const revoked = await revokeAccountSessions(trx, accountId, at, 'mfa_reset')
    await appendAudit(trx, ctx, {
      action: 'account.mfa_reset',
      outcome: 'ok',
      entityType: 'account',
      entityId: accountId,
      schoolId: account.school_id,
      detail: `${removed ? 'removed' : 'none'},revoked_sessions:${revoked}`,
    })
  })
  return { ok: true as const }
}
