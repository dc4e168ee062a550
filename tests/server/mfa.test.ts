import { Secret, TOTP } from 'otpauth'
import { beforeAll, describe, expect, it } from 'vitest'
import { resolveRequestSession } from '../../server/services/auth'
import { createContextInner } from '../../server/services/context'
import { decryptText } from '../../server/services/crypto'
import { testKeys } from '../../server/services/keys'
import { createCallerFactory } from '../../server/trpc/init'
import { appRouter } from '../../server/trpc/routers'
import { LOGIN_THROTTLE } from '../../server/rules/throttle'
import { LANDING } from '../../shared/permissions'
import { DEFAULT_SECURITY_SETTINGS } from '../../shared/trust'
import { auditRows, headSeq } from '../fixtures/audit'
import { actorFromToken, callerFor, Clock, CookieJar, expectRefusal, login, signIn } from '../fixtures/caller'
import { targets, useTestDatabase } from '../fixtures/db'
import { makeAccount, type MadeAccount } from '../fixtures/factories'

const createCaller = createCallerFactory(appRouter)

/** What an authenticator app shows for the secret at `now`, computed independently of the server's rule module. */
function appCode(secret: string, now: Date): string {
  return new TOTP({ secret: Secret.fromBase32(secret.replace(/\s/g, '')), digits: 6, period: 30 }).generate({ timestamp: now.getTime() })
}

describe.each(targets)('two-step verification on $name', (target) => {
  const t = useTestDatabase(target)
  let ip = 0
  const freshIp = () => `10.9.${Math.floor(++ip / 250)}.${ip % 250}`

  /** The caller a browser holding `jar`'s cookie would get: an actor, or a sign-in waiting for its second step. */
  async function browser(jar: CookieJar, clock: Clock, address: string) {
    const { actor, pending } = jar.token ? await resolveRequestSession(t.db, jar.token, clock.now()) : { actor: null, pending: null }
    return createCaller(createContextInner({ db: t.db, keys: testKeys(), actor, pending, now: clock.now, ip: address, cookies: jar }))
  }

  /** Signs in and turns two-step verification on from the account page; returns the secret and the recovery codes. */
  async function enrolled(role: 'bureau' | 'counsellor' | 'admin' | 'school_admin', clock: Clock) {
    const acc = await makeAccount(t.db, role)
    const { actor } = await signIn(t.db, acc.username, acc.password, { now: clock.now })
    const me = callerFor(t.db, actor, { now: clock.now })
    const { secret, uri } = await me.mfa.enrolStart()
    expect(uri).toMatch(/^otpauth:\/\/totp\//)
    const { recoveryCodes } = await me.mfa.enrolConfirm({ code: appCode(secret, clock.now()) })
    clock.advance(30_000)
    return { acc, secret, recoveryCodes }
  }

  async function passwordStep(acc: MadeAccount, clock: Clock, address = freshIp()) {
    const jar = new CookieJar()
    const { result } = await login(t.db, acc.username, acc.password, { now: clock.now, ip: address, jar })
    return { jar, result, address }
  }

  let bureauAdmin: MadeAccount
  beforeAll(async () => {
    bureauAdmin = await makeAccount(t.db, 'admin')
  })

  it('keeps password-only sign-in unchanged for an account without a second factor (the default)', async () => {
    const acc = await makeAccount(t.db, 'counsellor')
    const clock = new Clock()
    const { jar, result } = await passwordStep(acc, clock)
    expect(result).toEqual({ role: 'counsellor', landing: LANDING.counsellor, mustChangePassword: false })
    expect(await actorFromToken(t.db, jar.token!, clock.now())).toMatchObject({ accountId: acc.id })
  })

  it('enrols from the account page: the secret is stored encrypted, recovery codes as hashes', async () => {
    const clock = new Clock()
    const { acc, secret, recoveryCodes } = await enrolled('bureau', clock)
    expect(recoveryCodes).toHaveLength(10)
    expect(new Set(recoveryCodes).size).toBe(10)
    const row = await t.db.selectFrom('account_mfa').selectAll().where('account_id', '=', acc.id).executeTakeFirstOrThrow()
    expect(row.enabled_at).not.toBeNull()
    expect(row.secret_enc).not.toContain(secret.replace(/\s/g, ''))
    expect(decryptText(testKeys(), 'account_mfa.secret', row.secret_enc)).toBe(secret.replace(/\s/g, ''))
    const stored = await t.db.selectFrom('mfa_recovery_code').select('code_hash').where('account_id', '=', acc.id).execute()
    expect(stored.map((r) => r.code_hash).some((h) => recoveryCodes.some((c) => h.includes(c.replace(/-/g, ''))))).toBe(false)
  })

  it('signs in with password then code: the waiting sign-in opens nothing, the finished one opens the app under a new token', async () => {
    const clock = new Clock()
    const { acc, secret } = await enrolled('bureau', clock)
    const { jar, result, address } = await passwordStep(acc, clock)
    expect(result).toMatchObject({ secondFactor: 'totp', landing: '/mfa' })
    const waitingToken = jar.token!
    expect(await actorFromToken(t.db, waitingToken, clock.now())).toBeNull()
    const waiting = await browser(jar, clock, address)
    await expect(waiting.auth.session()).resolves.toBeNull()
    await expectRefusal(waiting.staffing.settings(), 'UNAUTHORIZED')
    await expect(waiting.mfa.challenge()).resolves.toEqual({ factor: 'totp', username: acc.username })

    await expect(waiting.mfa.verify({ code: appCode(secret, clock.now()) })).resolves.toMatchObject({ landing: '/bureau' })
    expect(jar.token).not.toBe(waitingToken)
    expect(await actorFromToken(t.db, waitingToken, clock.now())).toBeNull()
    expect(await actorFromToken(t.db, jar.token!, clock.now())).toMatchObject({ accountId: acc.id, role: 'bureau' })
    const rows = (await auditRows(t.db)).filter((r) => r.action === 'auth.second_factor' && r.entity_id === String(acc.id))
    expect(rows.map((r) => [r.outcome, r.detail])).toEqual([['ok', 'totp']])
  })

  it('refuses a wrong code, and the same code a second time within its step (replay)', async () => {
    const clock = new Clock()
    const { acc, secret } = await enrolled('counsellor', clock)
    const first = await passwordStep(acc, clock)
    const code = appCode(secret, clock.now())
    const wrong = code === '000000' ? '111111' : '000000'
    await expectRefusal((await browser(first.jar, clock, first.address)).mfa.verify({ code: wrong }), 'BAD_REQUEST', 'mfa.wrongCode')
    await (await browser(first.jar, clock, first.address)).mfa.verify({ code })

    clock.advance(5_000)
    const second = await passwordStep(acc, clock)
    await expectRefusal((await browser(second.jar, clock, second.address)).mfa.verify({ code }), 'BAD_REQUEST', 'mfa.codeUsed')
    expect(await actorFromToken(t.db, second.jar.token!, clock.now())).toBeNull()
    clock.advance(30_000)
    await expect(
      (await browser(second.jar, clock, second.address)).mfa.verify({ code: appCode(secret, clock.now()) }),
    ).resolves.toBeTruthy()
    const details = (await auditRows(t.db)).filter((r) => r.action === 'auth.second_factor' && r.entity_id === String(acc.id))
    expect(details.map((r) => r.detail)).toEqual(['wrong_code', 'totp', 'replayed_code', 'totp'])
  })

  it('accepts a code one step either side of the clock, not two', async () => {
    const clock = new Clock()
    const { acc, secret } = await enrolled('school_admin', clock)
    const a = await passwordStep(acc, clock)
    await expectRefusal(
      (await browser(a.jar, clock, a.address)).mfa.verify({ code: appCode(secret, new Date(clock.t - 61_000)) }),
      'BAD_REQUEST',
      'mfa.wrongCode',
    )
    await expect(
      (await browser(a.jar, clock, a.address)).mfa.verify({ code: appCode(secret, new Date(clock.t + 30_000)) }),
    ).resolves.toBeTruthy()
  })

  it('takes each recovery code once', async () => {
    const clock = new Clock()
    const { acc, recoveryCodes } = await enrolled('admin', clock)
    const a = await passwordStep(acc, clock)
    await expect((await browser(a.jar, clock, a.address)).mfa.verify({ code: recoveryCodes[0]!.toLowerCase() })).resolves.toBeTruthy()
    const b = await passwordStep(acc, clock)
    await expectRefusal((await browser(b.jar, clock, b.address)).mfa.verify({ code: recoveryCodes[0]! }), 'BAD_REQUEST', 'mfa.wrongCode')
    await expect((await browser(b.jar, clock, b.address)).mfa.verify({ code: recoveryCodes[1]! })).resolves.toBeTruthy()
    const me = callerFor(t.db, await actorFromToken(t.db, b.jar.token!, clock.now()), { now: clock.now })
    await expect(me.mfa.status()).resolves.toMatchObject({ enabled: true, recoveryCodesLeft: 8 })
  })

  it('throttles wrong codes like passwords: after the free failures the next attempt waits, even with the right code', async () => {
    const clock = new Clock()
    const { acc, secret } = await enrolled('bureau', clock)
    const a = await passwordStep(acc, clock)
    const step = await browser(a.jar, clock, a.address)
    const right = appCode(secret, clock.now())
    const wrong = right === '123456' ? '654321' : '123456'
    for (let i = 0; i < LOGIN_THROTTLE.account.free; i++)
      await expectRefusal(step.mfa.verify({ code: wrong }), 'BAD_REQUEST', 'mfa.wrongCode')
    await expectRefusal(step.mfa.verify({ code: right }), 'TOO_MANY_REQUESTS', 'auth.throttled')
    clock.advance(LOGIN_THROTTLE.account.baseDelayMs)
    const later = await browser(a.jar, clock, a.address)
    await expect(later.mfa.verify({ code: appCode(secret, clock.now()) })).resolves.toBeTruthy()
  })

  it('enrols at sign-in when the district requires it for the role, and not for other roles', async () => {
    const clock = new Clock()
    const bureau = await makeAccount(t.db, 'bureau')
    const { actor } = await signIn(t.db, bureau.username, bureau.password, { now: clock.now })
    await callerFor(t.db, actor, { now: clock.now }).security.updateSettings({
      ...DEFAULT_SECURITY_SETTINGS,
      mfaRequiredRoles: ['counsellor'],
    })
    try {
      const expert = await makeAccount(t.db, 'expert')
      expect((await passwordStep(expert, clock)).result).not.toHaveProperty('secondFactor')
      const acc = await makeAccount(t.db, 'counsellor')
      const { jar, result, address } = await passwordStep(acc, clock)
      expect(result).toMatchObject({ secondFactor: 'enrol', landing: '/mfa' })
      const waiting = await browser(jar, clock, address)
      await expectRefusal(waiting.mfa.verify({ code: '123456' }), 'UNAUTHORIZED')
      const { secret } = await waiting.mfa.signInEnrolStart()
      const done = await waiting.mfa.signInEnrolConfirm({ code: appCode(secret, clock.now()) })
      expect(done.recoveryCodes).toHaveLength(10)
      expect(await actorFromToken(t.db, jar.token!, clock.now())).toMatchObject({ accountId: acc.id })
      // now enrolled: the next sign-in asks for a code, and the factor cannot be turned off while required
      clock.advance(30_000)
      const me = callerFor(t.db, await actorFromToken(t.db, jar.token!, clock.now()), { now: clock.now })
      await expectRefusal(me.mfa.disable({ code: appCode(secret, clock.now()) }), 'BAD_REQUEST', 'mfa.required')
      expect((await passwordStep(acc, clock)).result.secondFactor).toBe('totp')
    } finally {
      await callerFor(t.db, actor, { now: clock.now }).security.updateSettings(DEFAULT_SECURITY_SETTINGS)
    }
  })

  it('refuses an audit retention shorter than six months, and stores nothing', async () => {
    const bureau = await makeAccount(t.db, 'bureau')
    const { actor } = await signIn(t.db, bureau.username, bureau.password)
    const me = callerFor(t.db, actor)
    const before = await me.security.settings()
    const err = await expectRefusal(
      me.security.updateSettings({ ...DEFAULT_SECURITY_SETTINGS, retention: { ...DEFAULT_SECURITY_SETTINGS.retention, auditMonths: 5 } }),
      'BAD_REQUEST',
    )
    expect(JSON.stringify(err.cause)).toContain('validation.auditRetentionMin')
    expect(await me.security.settings()).toEqual(before)
  })

  it('an administrator resets a lost factor: sessions end, the reset is audited, the next sign-in is by password', async () => {
    const clock = new Clock()
    const { acc, secret } = await enrolled('counsellor', clock)
    // signed in twice: on enrolment, and now with the code
    const a = await passwordStep(acc, clock)
    await (await browser(a.jar, clock, a.address)).mfa.verify({ code: appCode(secret, clock.now()) })
    const { actor } = await signIn(t.db, bureauAdmin.username, bureauAdmin.password, { now: clock.now })
    const admin = callerFor(t.db, actor, { now: clock.now })
    const seq = await headSeq(t.db)
    await admin.mfa.reset({ id: acc.id })
    expect(await actorFromToken(t.db, a.jar.token!, clock.now())).toBeNull()
    const rows = await auditRows(t.db, seq)
    expect(rows.map((r) => [r.action, r.entity_id, r.actor_id, r.detail])).toEqual([
      ['account.mfa_reset', String(acc.id), bureauAdmin.id, 'removed,revoked_sessions:2'],
    ])
    expect((await passwordStep(acc, clock)).result).not.toHaveProperty('secondFactor')
    // only account managers may reset
    const { actor: counsellor } = await signIn(t.db, acc.username, acc.password, { now: clock.now })
    await expectRefusal(callerFor(t.db, counsellor, { now: clock.now }).mfa.reset({ id: bureauAdmin.id }), 'FORBIDDEN')
  })
})
