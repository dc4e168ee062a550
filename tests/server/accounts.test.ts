import { beforeAll, describe, expect, it } from 'vitest'
import { verifyAuditChain } from '../../server/services/audit'
import type { Actor } from '../../server/services/context'
import { testKeys } from '../../server/services/keys'
import { actorFromToken, callerFor, expectRefusal, login, signIn, type Caller } from '../fixtures/caller'
import { auditRows, headSeq } from '../fixtures/audit'
import { snapshotTables, targets, useTestDatabase } from '../fixtures/db'
import { makeAccount, makeSchool, makeStreet, PASSWORD, unique } from '../fixtures/factories'

describe.each(targets)('accounts on $name', (target) => {
  const t = useTestDatabase(target)
  let admin: Actor
  let asAdmin: Caller
  let schoolId: number

  beforeAll(async () => {
    const a = await makeAccount(t.db, 'admin')
    admin = (await signIn(t.db, a.username, a.password)).actor
    asAdmin = callerFor(t.db, admin)
    schoolId = (await makeSchool(t.db)).id
  })

  /** Runs a write and returns the audit rows it left. */
  async function audited(fn: () => Promise<unknown>) {
    const seq = await headSeq(t.db)
    await fn()
    return auditRows(t.db, seq)
  }

  it('creates an account whose first sign-in must change the password, and audits it', async () => {
    const username = unique('new.counsellor')
    let id = 0
    const rows = await audited(async () => {
      id = (await asAdmin.account.create({ username, displayName: '新心理教师', role: 'counsellor', schoolId, password: PASSWORD })).id
    })
    expect(rows.map((r) => [r.action, r.outcome, r.entity_id, r.actor_id])).toEqual([['account.create', 'ok', String(id), admin.accountId]])
    const shown = await asAdmin.account.byId({ id })
    expect(shown).toMatchObject({ username, role: 'counsellor', schoolId, mustChangePassword: true, disabled: false, version: 1 })
    const { result } = await login(t.db, username, PASSWORD)
    expect(result).toEqual({ role: 'counsellor', landing: '/account', mustChangePassword: true })
  })

  it('refuses a second account with the same username, whatever its case', async () => {
    const username = unique('dup.user')
    await asAdmin.account.create({ username, displayName: 'First', role: 'expert', schoolId: null, password: PASSWORD })
    const before = await snapshotTables(t.db)
    await expectRefusal(
      asAdmin.account.create({
        username: username.toUpperCase(),
        displayName: 'Second',
        role: 'expert',
        schoolId: null,
        password: PASSWORD,
      }),
      'CONFLICT',
      'account.usernameTaken',
    )
    expect(await snapshotTables(t.db)).toEqual(before)
  })

  it('refuses a school role without a school', async () => {
    await expectRefusal(
      asAdmin.account.create({ username: unique('no.school'), displayName: 'X', role: 'school_admin', schoolId: null, password: PASSWORD }),
      'BAD_REQUEST',
      'account.schoolRequired',
    )
  })

  it('refuses a school role at a school that does not exist or is disabled', async () => {
    await expectRefusal(
      asAdmin.account.create({
        username: unique('ghost.school'),
        displayName: 'X',
        role: 'counsellor',
        schoolId: 999_999,
        password: PASSWORD,
      }),
      'BAD_REQUEST',
      'account.schoolRequired',
    )
    const closed = await makeSchool(t.db)
    await asAdmin.school.disable({ id: closed.id })
    await expectRefusal(
      asAdmin.account.create({
        username: unique('closed.school'),
        displayName: 'X',
        role: 'counsellor',
        schoolId: closed.id,
        password: PASSWORD,
      }),
      'BAD_REQUEST',
      'account.schoolRequired',
    )
  })

  it.each(['admin', 'bureau', 'expert', 'researcher'] as const)('refuses a school for the district role %s', async (role) => {
    await expectRefusal(
      asAdmin.account.create({ username: unique('with.school'), displayName: 'X', role, schoolId, password: PASSWORD }),
      'BAD_REQUEST',
      'account.schoolNotAllowed',
    )
  })

  it.each([
    { password: 'short1', problems: 'tooShort' },
    { password: 'onlyletterslong', problems: 'tooSimple' },
    { password: 'weak.user-2026', problems: 'sameAsUsername' },
  ])('refuses the weak password "$password" ($problems)', async ({ password, problems }) => {
    const error = await expectRefusal(
      asAdmin.account.create({ username: 'weak.user', displayName: 'X', role: 'expert', schoolId: null, password }),
      'BAD_REQUEST',
      'auth.passwordPolicy',
    )
    expect(error.params).toEqual({ problems })
  })

  it.each([
    {
      name: 'a username with spaces',
      input: { username: 'wang li', displayName: 'X', role: 'expert', schoolId: null, password: PASSWORD },
    },
    { name: 'an unknown role', input: { username: 'root.user', displayName: 'X', role: 'root', schoolId: null, password: PASSWORD } },
    {
      name: 'an extra field',
      input: { username: 'extra.user', displayName: 'X', role: 'admin', schoolId: null, password: PASSWORD, isRoot: true },
    },
    { name: 'a missing display name', input: { username: 'nameless', role: 'expert', schoolId: null, password: PASSWORD } },
  ])('answers $name with BAD_REQUEST and writes nothing', async ({ input }) => {
    const before = await snapshotTables(t.db)
    await expectRefusal(asAdmin.account.create(input as never), 'BAD_REQUEST')
    expect(await snapshotTables(t.db)).toEqual(before)
  })

  it('refuses to save over a newer version of an account', async () => {
    const acc = await makeAccount(t.db, 'expert')
    const v1 = await asAdmin.account.byId({ id: acc.id })
    const saved = await asAdmin.account.update({
      id: acc.id,
      displayName: 'Renamed once',
      role: 'expert',
      schoolId: null,
      version: v1.version,
    })
    expect(saved.version).toBe(v1.version + 1)
    const before = await snapshotTables(t.db)
    await expectRefusal(
      asAdmin.account.update({ id: acc.id, displayName: 'Stale edit', role: 'expert', schoolId: null, version: v1.version }),
      'CONFLICT',
      'conflict',
    )
    expect(await snapshotTables(t.db)).toEqual(before)
    expect((await asAdmin.account.byId({ id: acc.id })).displayName).toBe('Renamed once')
  })

  it('does not count the person signing in as an edit: an open edit form still saves', async () => {
    const acc = await makeAccount(t.db, 'expert')
    const opened = await asAdmin.account.byId({ id: acc.id })
    await login(t.db, acc.username, acc.password)
    const saved = await asAdmin.account.update({
      id: acc.id,
      displayName: 'Edited while signed in',
      role: 'expert',
      schoolId: null,
      version: opened.version,
    })
    expect(saved).toMatchObject({ displayName: 'Edited while signed in', lastLoginAt: expect.any(String) })
  })

  it('finds accounts by username or display name, whatever the letter case', async () => {
    const acc = await makeAccount(t.db, 'expert', { username: unique('case.search') })
    const { version } = await asAdmin.account.byId({ id: acc.id })
    await asAdmin.account.update({ id: acc.id, displayName: 'Dr Zhou Findme', role: 'expert', schoolId: null, version })
    for (const search of ['FINDME', 'findme', 'Findme', acc.username.toUpperCase()]) {
      const found = await asAdmin.account.list({ search })
      expect(
        found.rows.map((r) => r.id),
        search,
      ).toEqual([acc.id])
    }
  })

  it('signs a person out when their role changes, and audits it as a permission change', async () => {
    const acc = await makeAccount(t.db, 'expert')
    const { token } = await login(t.db, acc.username, acc.password)
    const { version } = await asAdmin.account.byId({ id: acc.id })
    const rows = await audited(() =>
      asAdmin.account.update({ id: acc.id, displayName: 'Now bureau', role: 'bureau', schoolId: null, version }),
    )
    expect(rows.map((r) => [r.action, r.detail])).toEqual([['account.permission_change', 'display_name,role']])
    expect(await actorFromToken(t.db, token)).toBeNull()
  })

  it('disables an account: its open sessions stop at once and it cannot sign in', async () => {
    const acc = await makeAccount(t.db, 'counsellor', { schoolId })
    const { token } = await login(t.db, acc.username, acc.password)
    expect(await actorFromToken(t.db, token)).not.toBeNull()

    const rows = await audited(() => asAdmin.account.disable({ id: acc.id }))
    expect(rows.map((r) => [r.action, r.detail])).toEqual([['account.disable', 'revoked_sessions:1']])
    expect(await actorFromToken(t.db, token)).toBeNull()
    const failed = await audited(() => expectRefusal(login(t.db, acc.username, acc.password), 'UNAUTHORIZED', 'auth.invalidCredentials'))
    expect(failed.map((r) => [r.action, r.outcome, r.detail])).toEqual([['auth.login', 'failed', 'account_disabled']])

    const enabled = await audited(() => asAdmin.account.enable({ id: acc.id }))
    expect(enabled.map((r) => r.action)).toEqual(['account.enable'])
    await expect(login(t.db, acc.username, acc.password)).resolves.toMatchObject({ result: { role: 'counsellor' } })
  })

  it('does not let an admin disable their own account', async () => {
    await expectRefusal(asAdmin.account.disable({ id: admin.accountId }), 'BAD_REQUEST', 'account.cannotDisableSelf')
    expect((await asAdmin.account.byId({ id: admin.accountId })).disabled).toBe(false)
  })

  it('does not let an admin change their own role', async () => {
    const { version } = await asAdmin.account.byId({ id: admin.accountId })
    await expectRefusal(
      asAdmin.account.update({ id: admin.accountId, displayName: 'Me', role: 'bureau', schoolId: null, version }),
      'BAD_REQUEST',
      'account.cannotChangeOwnRole',
    )
  })

  it('resets a password: sessions end, and nothing but the own account answers until it is changed', async () => {
    const acc = await makeAccount(t.db, 'counsellor', { schoolId })
    const { token: oldToken } = await login(t.db, acc.username, acc.password)
    const temporary = 'Temporary-pass-7'
    const rows = await audited(() => asAdmin.account.resetPassword({ id: acc.id, password: temporary }))
    expect(rows.map((r) => [r.action, r.detail])).toEqual([['account.password_reset', 'revoked_sessions:1']])
    expect(await actorFromToken(t.db, oldToken)).toBeNull()
    expect((await asAdmin.account.byId({ id: acc.id })).mustChangePassword).toBe(true)
    await expectRefusal(login(t.db, acc.username, acc.password), 'UNAUTHORIZED', 'auth.invalidCredentials')

    const { token, result } = await login(t.db, acc.username, temporary)
    expect(result).toEqual({ role: 'counsellor', landing: '/account', mustChangePassword: true })
    const pending = (await actorFromToken(t.db, token))!
    expect(pending.mustChangePassword).toBe(true)
    const asPending = callerFor(t.db, pending)
    await expectRefusal(asPending.school.list({}), 'FORBIDDEN', 'forbidden')
    await expectRefusal(asPending.schoolYear.list(), 'FORBIDDEN', 'forbidden')
    const denied = await auditRows(t.db, (await headSeq(t.db)) - 1)
    expect(denied[0]).toMatchObject({ action: 'permission.denied', detail: 'must_change_password' })
    await expect(asPending.auth.ping()).resolves.toEqual({ ok: true, accountId: acc.id })

    await asPending.auth.changePassword({ currentPassword: temporary, newPassword: 'My-own-secret-8' })
    const ready = (await actorFromToken(t.db, token))!
    expect(ready.mustChangePassword).toBe(false)
    const list = await callerFor(t.db, ready).school.list({})
    expect(list.rows.map((r) => r.id)).toEqual([schoolId])
  })

  it('lists accounts with filters', async () => {
    const street = await makeStreet(t.db)
    const school = await makeSchool(t.db, { streetId: street })
    const acc = await makeAccount(t.db, 'school_admin', { schoolId: school.id })
    const bySchool = await asAdmin.account.list({ schoolId: school.id })
    expect(bySchool.rows.map((r) => [r.username, r.schoolName])).toEqual([[acc.username, school.name]])
    const admins = await asAdmin.account.list({ role: 'admin' })
    expect(admins.rows.every((r) => r.role === 'admin')).toBe(true)
    expect(admins.total).toBe(admins.rows.length)
  })

  it('keeps an intact audit chain after all of the above', async () => {
    const result = await verifyAuditChain(t.db, testKeys().audit)
    expect(result.ok).toBe(true)
    expect(result.checked).toBe(await headSeq(t.db))
    await expect(asAdmin.audit.verify()).resolves.toMatchObject({ ok: true, firstBreak: null })
  })
})
