import { describe, expect, it } from 'vitest'
import { LANDING, MATRIX } from '../../shared/permissions'
import { hashToken } from '../../server/services/auth'
import { actorFromToken, callerFor, Clock, CookieJar, expectRefusal, HOUR, login, MINUTE } from '../fixtures/caller'
import { auditRows, headSeq } from '../fixtures/audit'
import { targets, useTestDatabase } from '../fixtures/db'
import { makeAccount } from '../fixtures/factories'

describe.each(targets)('sessions on $name', (target) => {
  const t = useTestDatabase(target)

  async function signedIn(role: 'counsellor' | 'expert' = 'expert') {
    const acc = await makeAccount(t.db, role)
    const clock = new Clock()
    const { token } = await login(t.db, acc.username, acc.password, { now: clock.now })
    return { acc, clock, token }
  }

  async function revokedReason(token: string): Promise<string | null> {
    const row = await t.db
      .selectFrom('session')
      .select('revoked_reason')
      .where('token_hash', '=', hashToken(token))
      .executeTakeFirstOrThrow()
    return row.revoked_reason
  }

  it('keeps a session for 29:59 without activity and ends it at 30:00', async () => {
    const { token, clock, acc } = await signedIn()
    const t0 = clock.t
    expect(await actorFromToken(t.db, token, new Date(t0 + 29 * MINUTE + 59_000))).toMatchObject({ accountId: acc.id })
    // That lookup counted as activity; measure the idle time from it.
    const seen = t0 + 29 * MINUTE + 59_000
    expect(await actorFromToken(t.db, token, new Date(seen + 30 * MINUTE - 1))).not.toBeNull()
    expect(await actorFromToken(t.db, token, new Date(seen + 30 * MINUTE - 1 + 30 * MINUTE))).toBeNull()
    expect(await revokedReason(token)).toBe('idle_expired')
  })

  it('ends an untouched session exactly 30 minutes after sign-in', async () => {
    const { token, clock } = await signedIn()
    expect(await actorFromToken(t.db, token, new Date(clock.t + 30 * MINUTE))).toBeNull()
    expect(await actorFromToken(t.db, token, new Date(clock.t + MINUTE))).toBeNull()
  })

  it('ends a session 12 hours after sign-in even when it is used all the time', async () => {
    const { token, clock } = await signedIn()
    const t0 = clock.t
    for (let at = 20 * MINUTE; at < 12 * HOUR; at += 20 * MINUTE) {
      expect(await actorFromToken(t.db, token, new Date(t0 + at)), `at ${at / MINUTE} min`).not.toBeNull()
    }
    expect(await actorFromToken(t.db, token, new Date(t0 + 12 * HOUR - 1))).not.toBeNull()
    expect(await actorFromToken(t.db, token, new Date(t0 + 12 * HOUR))).toBeNull()
    expect(await revokedReason(token)).toBe('absolute_expired')
  })

  it('does not resolve a made-up or oversized token', async () => {
    expect(await actorFromToken(t.db, 'x'.repeat(43))).toBeNull()
    expect(await actorFromToken(t.db, 'x'.repeat(500))).toBeNull()
    expect(await actorFromToken(t.db, '')).toBeNull()
  })

  it('signs out: the cookie is cleared, the session is revoked and the sign-out is audited', async () => {
    const { token, clock, acc } = await signedIn()
    const actor = (await actorFromToken(t.db, token, clock.now()))!
    const jar = new CookieJar()
    jar.token = token
    const seq = await headSeq(t.db)
    await callerFor(t.db, actor, { now: clock.now, cookies: jar }).auth.logout()
    expect(jar.token).toBeNull()
    expect(await actorFromToken(t.db, token, clock.now())).toBeNull()
    expect(await revokedReason(token)).toBe('logout')
    expect((await auditRows(t.db, seq)).map((r) => [r.action, r.entity_id])).toEqual([['auth.logout', String(acc.id)]])
  })

  it('signs out quietly when already signed out', async () => {
    const jar = new CookieJar()
    jar.token = 'stale'
    await expect(callerFor(t.db, null, { cookies: jar }).auth.logout()).resolves.toBeUndefined()
    expect(jar.token).toBeNull()
  })

  it('describes the signed-in user to the UI, and nothing when signed out', async () => {
    const { token, clock, acc } = await signedIn('counsellor')
    const actor = (await actorFromToken(t.db, token, clock.now()))!
    const me = await callerFor(t.db, actor, { now: clock.now }).auth.session()
    expect(me).toMatchObject({
      accountId: acc.id,
      role: 'counsellor',
      schoolId: acc.schoolId,
      permissions: [...MATRIX.counsellor],
      landing: LANDING.counsellor,
      idleTimeoutMinutes: 30,
      mustChangePassword: false,
      demo: false,
    })
    expect(me?.schoolName).toEqual(expect.any(String))
    await expect(callerFor(t.db, null).auth.session()).resolves.toBeNull()
  })

  it('changes the password: other browsers are signed out, this one stays', async () => {
    const { acc, clock, token: here } = await signedIn()
    const { token: there } = await login(t.db, acc.username, acc.password, { now: clock.now })
    const actor = (await actorFromToken(t.db, here, clock.now()))!
    const seq = await headSeq(t.db)
    await callerFor(t.db, actor, { now: clock.now }).auth.changePassword({ currentPassword: acc.password, newPassword: 'Brand-new-pass-9' })
    expect((await auditRows(t.db, seq)).map((r) => [r.action, r.detail])).toEqual([['auth.password_change', 'revoked_sessions:1']])
    expect(await actorFromToken(t.db, here, clock.now())).not.toBeNull()
    expect(await actorFromToken(t.db, there, clock.now())).toBeNull()
    await expectRefusal(login(t.db, acc.username, acc.password, { now: clock.now }), 'UNAUTHORIZED', 'auth.invalidCredentials')
    await expect(login(t.db, acc.username, 'Brand-new-pass-9', { now: clock.now })).resolves.toBeDefined()
  })

  it('refuses a password change with the wrong current password, and audits the attempt', async () => {
    const { acc, clock, token } = await signedIn()
    const caller = callerFor(t.db, (await actorFromToken(t.db, token, clock.now()))!, { now: clock.now })
    const seq = await headSeq(t.db)
    await expectRefusal(
      caller.auth.changePassword({ currentPassword: 'Not-the-one-1', newPassword: 'Brand-new-pass-9' }),
      'BAD_REQUEST',
      'auth.wrongCurrentPassword',
    )
    expect((await auditRows(t.db, seq)).map((r) => [r.action, r.outcome])).toEqual([['auth.password_change', 'failed']])
    await expectRefusal(
      caller.auth.changePassword({ currentPassword: acc.password, newPassword: 'tooshort' }),
      'BAD_REQUEST',
      'auth.passwordPolicy',
    )
  })

  it('lists my open sessions and lets me end one of them', async () => {
    const { acc, clock, token: here } = await signedIn()
    const { token: there } = await login(t.db, acc.username, acc.password, { now: clock.now })
    const jar = new CookieJar()
    const caller = callerFor(t.db, (await actorFromToken(t.db, here, clock.now()))!, { now: clock.now, cookies: jar })
    const sessions = await caller.auth.sessions()
    expect(sessions).toHaveLength(2)
    expect(sessions.filter((s) => s.current)).toHaveLength(1)
    const other = sessions.find((s) => !s.current)!
    await caller.auth.revokeSession({ id: other.id })
    expect(await actorFromToken(t.db, there, clock.now())).toBeNull()
    expect(await actorFromToken(t.db, here, clock.now())).not.toBeNull()
    expect(await caller.auth.sessions()).toHaveLength(1)
  })

  it('ending my current session also clears my cookie', async () => {
    const { clock, token } = await signedIn()
    const actor = (await actorFromToken(t.db, token, clock.now()))!
    const jar = new CookieJar()
    jar.token = token
    await callerFor(t.db, actor, { now: clock.now, cookies: jar }).auth.revokeSession({ id: actor.sessionId })
    expect(jar.token).toBeNull()
    expect(await actorFromToken(t.db, token, clock.now())).toBeNull()
  })

  it('answers NOT_FOUND for another account’s session id, and leaves that session alone', async () => {
    const mine = await signedIn()
    const theirs = await signedIn()
    const theirActor = (await actorFromToken(t.db, theirs.token, theirs.clock.now()))!
    const caller = callerFor(t.db, (await actorFromToken(t.db, mine.token, mine.clock.now()))!, { now: mine.clock.now })
    await expectRefusal(caller.auth.revokeSession({ id: theirActor.sessionId }), 'NOT_FOUND', 'notFound')
    await expectRefusal(caller.auth.revokeSession({ id: 999_999 }), 'NOT_FOUND', 'notFound')
    expect(await actorFromToken(t.db, theirs.token, theirs.clock.now())).not.toBeNull()
  })

  it('shows my own sign-in activity', async () => {
    const { acc, clock, token } = await signedIn()
    const caller = callerFor(t.db, (await actorFromToken(t.db, token, clock.now()))!, { now: clock.now })
    const activity = await caller.auth.activity()
    expect(activity.map((a) => [a.action, a.outcome])).toEqual([['auth.login', 'ok']])
    expect(activity.every((a) => a.detail == null || !a.detail.includes(acc.password))).toBe(true)
  })
})
