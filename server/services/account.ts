import type { Role } from '../../shared/roles'
import { isSchoolRole } from '../../shared/roles'
import type { AccountCreateInput, AccountListInput, AccountUpdateInput } from '../../shared/schemas'
import { passwordProblems } from '../rules/password'
import { findAccountById, findAccountByUsername, insertAccount, listAccounts, updateAccount } from '../repositories/account'
import { enrolledAmong } from '../repositories/mfa'
import { findSchool } from '../repositories/school'
import { revokeAccountSessions } from '../repositories/session'
import { appendAudit } from './audit'
import { nowIso, requireActor, type ServiceContext, withTransaction } from './context'
import { AppError, conflict, notFound, uniqueAs } from './errors'
import { hashPassword } from './password-hash'

function toAccount(r: {
  id: number
  username: string
  display_name: string
  role: Role
  school_id: number | null
  disabled_at: string | null
  last_login_at: string | null
  must_change_password: number
  created_at: string
  version: number
  school_name?: string | null
}) {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    schoolId: r.school_id,
    schoolName: r.school_name ?? null,
    disabled: r.disabled_at != null,
    disabledAt: r.disabled_at,
    lastLoginAt: r.last_login_at,
    mustChangePassword: !!r.must_change_password,
    createdAt: r.created_at,
    version: r.version,
  }
}

async function checkRoleSchool(ctx: ServiceContext, role: Role, schoolId: number | null): Promise<void> {
  if (isSchoolRole(role)) {
    if (schoolId == null) throw new AppError('BAD_REQUEST', 'account.schoolRequired')
    const school = await findSchool(ctx.db, { kind: 'all' }, schoolId)
    if (!school || school.disabled_at) throw new AppError('BAD_REQUEST', 'account.schoolRequired')
  } else if (schoolId != null) {
    throw new AppError('BAD_REQUEST', 'account.schoolNotAllowed')
  }
}

function checkPassword(password: string, username: string): void {
  const problems = passwordProblems(password, username)
  if (problems.length) throw new AppError('BAD_REQUEST', 'auth.passwordPolicy', { problems: problems.join(',') })
}

export async function listAccountsService(ctx: ServiceContext, input: AccountListInput) {
  requireActor(ctx)
  const { total, rows } = await listAccounts(ctx.db, input)
  const enrolled = await enrolledAmong(
    ctx.db,
    rows.map((r) => r.id),
  )
  return { total, rows: rows.map((r) => ({ ...toAccount(r), mfaEnabled: enrolled.has(r.id) })) }
}

export async function getAccount(ctx: ServiceContext, id: number) {
  requireActor(ctx)
  const row = await findAccountById(ctx.db, id)
  if (!row) throw notFound()
  return toAccount(row)
}

export async function createAccount(ctx: ServiceContext, input: AccountCreateInput, opts: { mustChangePassword?: boolean } = {}) {
  const username = input.username
  await checkRoleSchool(ctx, input.role, input.schoolId)
  checkPassword(input.password, username)
  if (await findAccountByUsername(ctx.db, username)) throw new AppError('CONFLICT', 'account.usernameTaken')
  const hash = await hashPassword(input.password)
  const at = nowIso(ctx)
  return uniqueAs(
    withTransaction(ctx.db, async (trx) => {
      const id = await insertAccount(trx, {
        username,
        display_name: input.displayName,
        role: input.role,
        school_id: input.schoolId,
        password_hash: hash,
        must_change_password: opts.mustChangePassword === false ? 0 : 1,
        password_changed_at: at,
        created_at: at,
        updated_at: at,
        version: 1,
      })
      await appendAudit(trx, ctx, {
        action: 'account.create',
        outcome: 'ok',
        entityType: 'account',
        entityId: id,
        schoolId: input.schoolId,
        detail: `role:${input.role}`,
      })
      return { id }
    }),
    'account.usernameTaken',
  )
}

export async function updateAccountService(ctx: ServiceContext, input: AccountUpdateInput) {
  const actor = requireActor(ctx)
  const current = await findAccountById(ctx.db, input.id)
  if (!current) throw notFound()
  await checkRoleSchool(ctx, input.role, input.schoolId)
  if (input.id === actor.accountId && input.role !== current.role) throw new AppError('BAD_REQUEST', 'account.cannotChangeOwnRole')
  const at = nowIso(ctx)
  await withTransaction(ctx.db, async (trx) => {
    const ok = await updateAccount(trx, input.id, input.version, {
      display_name: input.displayName,
      role: input.role,
      school_id: input.schoolId,
      updated_at: at,
    })
    if (!ok) throw conflict()
    const changed = [
      input.displayName !== current.display_name && 'display_name',
      input.role !== current.role && 'role',
      input.schoolId !== current.school_id && 'school',
    ].filter(Boolean)
    const permissionChange = input.role !== current.role || input.schoolId !== current.school_id
    // A new role or school takes effect on the next request anyway (the actor is rebuilt per
    // request); open sessions are still closed so the person signs in knowingly under the new role.
    if (permissionChange) await revokeAccountSessions(trx, input.id, at, 'permission_change')
    await appendAudit(trx, ctx, {
      action: permissionChange ? 'account.permission_change' : 'account.update',
      outcome: 'ok',
      entityType: 'account',
      entityId: input.id,
      schoolId: input.schoolId,
      detail: changed.join(',') || null,
    })
  })
  return getAccount(ctx, input.id)
}

export async function setAccountDisabled(ctx: ServiceContext, id: number, disabled: boolean) {
  const actor = requireActor(ctx)
  if (id === actor.accountId) throw new AppError('BAD_REQUEST', 'account.cannotDisableSelf')
  const current = await findAccountById(ctx.db, id)
  if (!current) throw notFound()
  const at = nowIso(ctx)
  await withTransaction(ctx.db, async (trx) => {
    await updateAccount(trx, id, null, { disabled_at: disabled ? (current.disabled_at ?? at) : null, updated_at: at })
    const revoked = disabled ? await revokeAccountSessions(trx, id, at, 'account_disabled') : 0
    await appendAudit(trx, ctx, {
      action: disabled ? 'account.disable' : 'account.enable',
      outcome: 'ok',
      entityType: 'account',
      entityId: id,
      schoolId: current.school_id,
      detail: disabled ? `revoked_sessions:${revoked}` : null,
    })
  })
  return getAccount(ctx, id)
}

export async function resetAccountPassword(ctx: ServiceContext, id: number, password: string) {
  requireActor(ctx)
  const current = await findAccountById(ctx.db, id)
  if (!current) throw notFound()
  checkPassword(password, current.username)
  const hash = await hashPassword(password)
  const at = nowIso(ctx)
  await withTransaction(ctx.db, async (trx) => {
    await updateAccount(trx, id, null, { password_hash: hash, password_changed_at: at, must_change_password: 1, updated_at: at })
    const revoked = await revokeAccountSessions(trx, id, at, 'password_reset')
    await appendAudit(trx, ctx, {
      action: 'account.password_reset',
      outcome: 'ok',
      entityType: 'account',
      entityId: id,
      schoolId: current.school_id,
      detail: `revoked_sessions:${revoked}`,
    })
  })
  return getAccount(ctx, id)
}
