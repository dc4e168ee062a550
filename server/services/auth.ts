import { createHash, randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema'
import type { Role } from '../../shared/roles'
import { LANDING, MATRIX } from '../../shared/permissions'
import { passwordProblems } from '../rules/password'
import { needsTouch, sessionState, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from '../rules/session'
import { backoffDecision, LOGIN_MEMORY_MS, LOGIN_THROTTLE, strictest, throttleDecision } from '../rules/throttle'
import { DEVICE_COOKIE_MAX_AGE_S, deviceKey, issueDeviceCookie, trustedDevice } from '../rules/device-cookie'
import { findAccountById, findAccountByUsername, recordSignIn, updateAccount } from '../repositories/account'
import { accountSignInActivity } from '../repositories/audit'
import {
  clearFailures,
  deleteFailure,
  lockLoginAttempts,
  pruneFailures,
  recentFailures,
  recordFailure,
} from '../repositories/login-failure'
import { findMfa } from '../repositories/mfa'
import {
  completeSession,
  findSessionWithAccount,
  insertSession,
  listOpenSessions,
  revokeAccountSessions,
  revokeSession,
  touchSession,
} from '../repositories/session'
import { appendAudit } from './audit'
import { nowIso, requireActor, scopeFor, type Actor, type PendingSignIn, type ServiceContext, withTransaction } from './context'
import { loadSecuritySettings } from './district-settings'
import { AppError } from './errors'
import { dummyPasswordHash, hashPassword, verifyPassword } from './password-hash'

export const SESSION_COOKIE = 'xq_session'
/** How long the second step of sign-in may take before the password must be given again. */
export const PENDING_SIGN_IN_MS = 10 * 60_000

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

function ipKey(ip: string | null): string {
  return ip ?? 'unknown'
}

/**
 * Sign in. The same answer for an unknown name, a wrong password and a disabled account, at the
 * same cost (a password hash is always verified), so the form cannot be used to find accounts.
 * Failures delay the next attempt (server/rules/throttle.ts), never lock the account: a device that
 * signed in to this account before is counted on its own, so an attack on the username does not keep
 * its owner out.
 */
export async function login(ctx: ServiceContext, input: { username: string; password: string }) {
  const username = input.username.trim().toLowerCase()
  const now = ctx.now()
  const t = now.getTime()
  const attemptAt = nowIso(ctx)
  const account = await findAccountByUsername(ctx.db, username)
  const devKey = deviceKey(ctx.keys.audit)
  const deviceId = account && !account.disabled_at ? trustedDevice(devKey, ctx.cookies.readDevice?.(), account.id) : null
  // A trusted device's failures are its own; everyone else's count against the name.
  const nameKind = deviceId ? ('device' as const) : ('account' as const)
  const nameKey = deviceId ? `${deviceId}:${username}` : username
  const since = new Date(t - LOGIN_MEMORY_MS).toISOString()
  // Count and record the attempt in one transaction, as a failure until the password proves right:
  // otherwise parallel attempts all pass the count while their hashes are computed (a burst of
  // guesses far beyond the limit).
  const { byName, byIp, ipAttemptId } = await withTransaction(ctx.db, async (trx) => {
    await lockLoginAttempts(trx)
    const nameFailures = await recentFailures(trx, nameKind, nameKey, since)
    const ipFailures = await recentFailures(trx, 'ip', ipKey(ctx.ip), since)
    const byName = backoffDecision(nameFailures, deviceId ? LOGIN_THROTTLE.device : LOGIN_THROTTLE.account, t)
    const byIp = strictest(
      backoffDecision(ipFailures, LOGIN_THROTTLE.ip, t),
      throttleDecision(ipFailures, LOGIN_THROTTLE.maxPerIp, t, LOGIN_THROTTLE.ipWindowMs),
    )
    if (!byName.allowed || !byIp.allowed) return { byName, byIp, ipAttemptId: null }
    await recordFailure(trx, nameKind, nameKey, attemptAt)
    return { byName, byIp, ipAttemptId: await recordFailure(trx, 'ip', ipKey(ctx.ip), attemptAt) }
  })
  if (!byName.allowed || !byIp.allowed) {
    await appendAudit(ctx.db, ctx, {
      action: 'auth.login',
      outcome: 'denied',
      detail: byName.allowed ? 'throttled_ip' : 'throttled_account',
      actorId: null,
      actorRole: null,
    })
    throw new AppError('TOO_MANY_REQUESTS', 'auth.throttled', { minutes: strictest(byName, byIp).retryAfterMinutes })
  }

  const passwordOk = await verifyPassword(input.password, account?.password_hash ?? (await dummyPasswordHash()))
  if (!account || !passwordOk || account.disabled_at) {
    await withTransaction(ctx.db, async (trx) => {
      await pruneFailures(trx, new Date(t - 2 * LOGIN_MEMORY_MS).toISOString())
      await appendAudit(trx, ctx, {
        action: 'auth.login',
        outcome: 'failed',
        detail: !account ? 'unknown_account' : account.disabled_at ? 'account_disabled' : 'wrong_password',
        entityType: account ? 'account' : null,
        entityId: account?.id ?? null,
        schoolId: account?.school_id ?? null,
        actorId: null,
        actorRole: null,
      })
    })
    throw new AppError('UNAUTHORIZED', 'auth.invalidCredentials')
  }

  // An account with a second factor, or of a role the district requires one of, is not signed in yet:
  // its session waits for the code (or the enrolment) and opens nothing else meanwhile.
  const factor = await secondFactorFor(ctx.db, account)
  const lifetime = factor ? PENDING_SIGN_IN_MS : SESSION_ABSOLUTE_MS
  const token = randomBytes(32).toString('base64url')
  const at = nowIso(ctx)
  await withTransaction(ctx.db, async (trx) => {
    const sessionId = await insertSession(trx, {
      token_hash: hashToken(token),
      account_id: account.id,
      created_at: at,
      last_seen_at: at,
      expires_at: new Date(now.getTime() + lifetime).toISOString(),
      ip: ctx.ip,
      user_agent: ctx.userAgent?.slice(0, 200) ?? null,
      pending_factor: factor,
    })
    if (!factor) await recordSignIn(trx, account.id, at)
    // Only the count this attempt was made under: a trusted device's success does not reset an attack on the name.
    await clearFailures(trx, nameKind, nameKey)
    if (ipAttemptId != null) await deleteFailure(trx, ipAttemptId)
    await appendAudit(trx, ctx, {
      action: 'auth.login',
      outcome: 'ok',
      entityType: 'account',
      entityId: account.id,
      schoolId: account.school_id,
      actorId: account.id,
      actorRole: account.role,
      detail: factor ? `session:${sessionId},pending:${factor}` : `session:${sessionId}`,
    })
  })
  ctx.cookies.set(token, lifetime / 1000)
  // The answer for an account without a second factor is exactly what it was before MFA existed.
  if (factor) return { role: account.role, landing: '/mfa', mustChangePassword: !!account.must_change_password, secondFactor: factor }
  ctx.cookies.setDevice?.(issueDeviceCookie(devKey, account.id, deviceId ?? undefined), DEVICE_COOKIE_MAX_AGE_S)
  return {
    role: account.role,
    landing: account.must_change_password ? '/account' : LANDING[account.role],
    mustChangePassword: !!account.must_change_password,
  }
}

/** 'totp' when the account has a second factor, 'enrol' when its role must have one and it has none, else null. */
export async function secondFactorFor(db: Kysely<Database>, account: { id: number; role: Role }): Promise<'totp' | 'enrol' | null> {
  const mfa = await findMfa(db, account.id)
  if (mfa?.enabled_at) return 'totp'
  const settings = await loadSecuritySettings(db)
  return (settings.mfaRequiredRoles as readonly string[]).includes(account.role) ? 'enrol' : null
}

/**
 * The second factor is proven: the waiting session becomes a full one under a new token (the one
 * the password step set is never good for more than the second step), and the device is remembered.
 */
export async function completeSignIn(trx: Kysely<Database>, ctx: ServiceContext, pending: PendingSignIn) {
  const token = randomBytes(32).toString('base64url')
  const now = ctx.now()
  const at = now.toISOString()
  const done = await completeSession(trx, pending.sessionId, {
    token_hash: hashToken(token),
    last_seen_at: at,
    expires_at: new Date(now.getTime() + SESSION_ABSOLUTE_MS).toISOString(),
  })
  if (!done) throw new AppError('UNAUTHORIZED', 'unauthenticated')
  await recordSignIn(trx, pending.accountId, at)
  const account = await findAccountById(trx, pending.accountId)
  return {
    token,
    mustChangePassword: !!account?.must_change_password,
    landing: account?.must_change_password ? '/account' : LANDING[pending.role],
    setCookies: () => {
      ctx.cookies.set(token, SESSION_ABSOLUTE_MS / 1000)
      const devKey = deviceKey(ctx.keys.audit)
      const deviceId = trustedDevice(devKey, ctx.cookies.readDevice?.(), pending.accountId)
      ctx.cookies.setDevice?.(issueDeviceCookie(devKey, pending.accountId, deviceId ?? undefined), DEVICE_COOKIE_MAX_AGE_S)
    },
  }
}

export async function logout(ctx: ServiceContext): Promise<void> {
  ctx.cookies.clear()
  // Giving up at the second step ends the waiting sign-in too.
  if (ctx.pending) await revokeSession(ctx.db, ctx.pending.sessionId, nowIso(ctx), 'logout')
  if (!ctx.actor) return
  await withTransaction(ctx.db, async (trx) => {
    await revokeSession(trx, ctx.actor!.sessionId, nowIso(ctx), 'logout')
    await appendAudit(trx, ctx, {
      action: 'auth.logout',
      outcome: 'ok',
      entityType: 'account',
      entityId: ctx.actor!.accountId,
      schoolId: ctx.actor!.schoolId,
    })
  })
}

/**
 * Turns a cookie token into an actor, or null. Expired sessions are closed as they are found;
 * a disabled account's sessions stop working even before their revocation is written.
 */
export async function resolveSession(db: Kysely<Database>, token: string, now: Date): Promise<Actor | null> {
  return (await resolveRequestSession(db, token, now)).actor
}

const SIGNED_OUT = { actor: null, pending: null } as const

/** A request's cookie as a full session (actor) or a sign-in waiting for its second factor (pending), or neither. */
export async function resolveRequestSession(
  db: Kysely<Database>,
  token: string,
  now: Date,
): Promise<{ actor: Actor | null; pending: PendingSignIn | null }> {
  if (!token || token.length > 100) return SIGNED_OUT
  const row = await findSessionWithAccount(db, hashToken(token))
  if (!row) return SIGNED_OUT
  const state = sessionState(
    {
      createdAt: row.created_at,
      lastSeenAt: row.last_seen_at,
      expiresAt: row.expires_at,
      revokedAt: row.revoked_at,
      accountDisabledAt: row.disabled_at,
    },
    now,
  )
  if (state !== 'active') {
    if (!row.revoked_at) await revokeSession(db, row.session_id, now.toISOString(), state)
    return SIGNED_OUT
  }
  if (row.pending_factor) {
    return {
      actor: null,
      pending: {
        sessionId: row.session_id,
        accountId: row.account_id,
        username: row.username,
        role: row.role,
        schoolId: row.school_id,
        factor: row.pending_factor,
      },
    }
  }
  if (needsTouch(row.last_seen_at, now)) await touchSession(db, row.session_id, now.toISOString())
  const actor: Actor = {
    accountId: row.account_id,
    sessionId: row.session_id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    schoolId: row.school_id,
    mustChangePassword: !!row.must_change_password,
    scope: scopeFor(row.role, row.school_id),
  }
  return { actor, pending: null }
}

/** What the UI needs to know about the signed-in user; null when signed out. */
export async function currentSession(ctx: ServiceContext) {
  const actor = ctx.actor
  if (!actor) return null
  let schoolName: string | null = null
  if (actor.schoolId != null) {
    const s = await ctx.db.selectFrom('school').select('name').where('id', '=', actor.schoolId).executeTakeFirst()
    schoolName = s?.name ?? null
  }
  const demo = await ctx.db.selectFrom('app_meta').select('value').where('key', '=', 'demo_seed').executeTakeFirst()
  return {
    accountId: actor.accountId,
    username: actor.username,
    displayName: actor.displayName,
    role: actor.role,
    schoolId: actor.schoolId,
    schoolName,
    mustChangePassword: actor.mustChangePassword,
    permissions: [...MATRIX[actor.role]],
    landing: LANDING[actor.role],
    idleTimeoutMinutes: SESSION_IDLE_MS / 60_000,
    demo: !!demo,
  }
}

export async function changePassword(ctx: ServiceContext, input: { currentPassword: string; newPassword: string }): Promise<void> {
  const actor = requireActor(ctx)
  const account = await findAccountById(ctx.db, actor.accountId)
  if (!account || !(await verifyPassword(input.currentPassword, account.password_hash))) {
    await appendAudit(ctx.db, ctx, {
      action: 'auth.password_change',
      outcome: 'failed',
      entityType: 'account',
      entityId: actor.accountId,
      detail: 'wrong_current',
    })
    throw new AppError('BAD_REQUEST', 'auth.wrongCurrentPassword')
  }
  const problems = passwordProblems(input.newPassword, account.username)
  if (problems.length) throw new AppError('BAD_REQUEST', 'auth.passwordPolicy', { problems: problems.join(',') })
  const hash = await hashPassword(input.newPassword)
  const at = nowIso(ctx)
  await withTransaction(ctx.db, async (trx) => {
    await updateAccount(trx, account.id, null, { password_hash: hash, password_changed_at: at, must_change_password: 0, updated_at: at })
    // Every other browser signed in as this account must sign in again with the new password.
    const revoked = await revokeAccountSessions(trx, account.id, at, 'password_change', actor.sessionId)
    await appendAudit(trx, ctx, {
      action: 'auth.password_change',
      outcome: 'ok',
      entityType: 'account',
      entityId: account.id,
      detail: `revoked_sessions:${revoked}`,
    })
  })
}

export async function mySessions(ctx: ServiceContext) {
  const actor = requireActor(ctx)
  const rows = await listOpenSessions(ctx.db, actor.accountId, nowIso(ctx))
  const idleCutoff = ctx.now().getTime() - SESSION_IDLE_MS
  return rows
    .filter((r) => Date.parse(r.last_seen_at) > idleCutoff)
    .map((r) => ({
      id: r.id,
      createdAt: r.created_at,
      lastSeenAt: r.last_seen_at,
      ip: r.ip,
      userAgent: r.user_agent,
      current: r.id === actor.sessionId,
    }))
}

export async function revokeMySession(ctx: ServiceContext, sessionId: number): Promise<void> {
  const actor = requireActor(ctx)
  const open = await listOpenSessions(ctx.db, actor.accountId, nowIso(ctx))
  if (!open.some((s) => s.id === sessionId)) throw new AppError('NOT_FOUND', 'notFound')
  await withTransaction(ctx.db, async (trx) => {
    await revokeSession(trx, sessionId, nowIso(ctx), 'revoked_by_owner')
    await appendAudit(trx, ctx, {
      action: 'auth.session_revoke',
      outcome: 'ok',
      entityType: 'account',
      entityId: actor.accountId,
      detail: `session:${sessionId}`,
    })
  })
  if (sessionId === actor.sessionId) ctx.cookies.clear()
}

export async function myActivity(ctx: ServiceContext) {
  const actor = requireActor(ctx)
  return accountSignInActivity(ctx.db, actor.accountId, 20)
}
