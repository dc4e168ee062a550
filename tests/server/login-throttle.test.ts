import { beforeAll, describe, expect, it } from 'vitest'
import { backoffDelay, LOGIN_THROTTLE } from '../../server/rules/throttle'
import { callerFor, Clock, CookieJar, expectRefusal, login, rejection } from '../fixtures/caller'
import { auditRows, headSeq } from '../fixtures/audit'
import { targets, useTestDatabase } from '../fixtures/db'
import { makeAccount, PASSWORD, unique, type MadeAccount } from '../fixtures/factories'

const WRONG = 'Wrong-password-1'

describe.each(targets)('login throttling on $name', (target) => {
  const t = useTestDatabase(target)
  let ipCounter = 0
  /** Every test signs in from its own address, so per-IP counts never leak between tests. */
  const freshIp = () => `10.0.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`

  function attempt(username: string, password: string, clock: Clock, ip: string, jar?: CookieJar) {
    return login(t.db, username, password, { now: clock.now, ip, jar })
  }

  let alice: MadeAccount
  beforeAll(async () => {
    alice = await makeAccount(t.db, 'bureau')
  })

  const FREE = LOGIN_THROTTLE.account.free

  it('never locks the account: after the free failures each wait doubles up to the cap, and the right password then works', async () => {
    const acc = await makeAccount(t.db, 'expert')
    const clock = new Clock()
    const ip = freshIp()
    const seq = await headSeq(t.db)
    for (let i = 0; i < FREE; i++) await expectRefusal(attempt(acc.username, WRONG, clock, ip), 'UNAUTHORIZED', 'auth.invalidCredentials')
    // the free failures earn a 30 s wait, each further one doubles it: 1, 2, 4, 8, then 15 minutes (the cap)
    const waits: number[] = []
    for (let i = 0; i < 7; i++) {
      const refused = await expectRefusal(attempt(acc.username, acc.password, clock, ip), 'TOO_MANY_REQUESTS', 'auth.throttled')
      waits.push(refused.params!.minutes as number)
      clock.advance(backoffDelay(FREE + i, LOGIN_THROTTLE.account) - 1)
      await expectRefusal(attempt(acc.username, WRONG, clock, ip), 'TOO_MANY_REQUESTS', 'auth.throttled')
      clock.advance(1)
      await expectRefusal(attempt(acc.username, WRONG, clock, freshIp()), 'UNAUTHORIZED', 'auth.invalidCredentials')
    }
    expect(waits).toEqual([1, 1, 2, 4, 8, 15, 15])
    clock.advance(LOGIN_THROTTLE.account.maxDelayMs)
    await expect(attempt(acc.username, acc.password, clock, freshIp())).resolves.toMatchObject({ result: { role: 'expert' } })
    const rows = await auditRows(t.db, seq)
    expect(rows.filter((r) => r.outcome === 'failed').every((r) => r.detail === 'wrong_password' && r.entity_id === String(acc.id))).toBe(
      true,
    )
    expect(rows.filter((r) => r.outcome === 'denied').every((r) => r.detail === 'throttled_account' && r.actor_id === null)).toBe(true)
  })

  it('counts attempts sent in parallel: a burst of 20 wrong passwords gets only the free guesses', async () => {
    const acc = await makeAccount(t.db, 'expert')
    const clock = new Clock()
    const ip = freshIp()
    const errors = await Promise.all(Array.from({ length: 20 }, () => rejection(attempt(acc.username, WRONG, clock, ip))))
    const codes = errors.map((e) => e.code)
    expect(codes.filter((c) => c === 'UNAUTHORIZED')).toHaveLength(FREE)
    expect(codes.filter((c) => c === 'TOO_MANY_REQUESTS')).toHaveLength(20 - FREE)
  })

  it('lets several browsers sign in to one account at the same moment', async () => {
    const acc = await makeAccount(t.db, 'expert')
    const clock = new Clock()
    const ip = freshIp()
    const results = await Promise.all(Array.from({ length: 4 }, () => attempt(acc.username, acc.password, clock, ip)))
    expect(new Set(results.map((r) => r.token)).size).toBe(4)
    const left = await t.db.selectFrom('login_failure').select('id').where('key', 'in', [acc.username, ip]).execute()
    expect(left).toEqual([])
  })

  it('forgets failures once the window has passed', async () => {
    const acc = await makeAccount(t.db, 'expert')
    const clock = new Clock()
    const ip = freshIp()
    for (let i = 0; i < FREE; i++) await expectRefusal(attempt(acc.username, WRONG, clock, ip), 'UNAUTHORIZED', 'auth.invalidCredentials')
    clock.advance(LOGIN_THROTTLE.account.baseDelayMs)
    await expectRefusal(attempt(acc.username, WRONG, clock, ip), 'UNAUTHORIZED', 'auth.invalidCredentials')
    clock.advance(LOGIN_THROTTLE.account.windowMs)
    // all four are forgotten: three free guesses again, no wait
    for (let i = 0; i < FREE; i++) await expectRefusal(attempt(acc.username, WRONG, clock, ip), 'UNAUTHORIZED', 'auth.invalidCredentials')
    clock.advance(LOGIN_THROTTLE.account.baseDelayMs)
    await expect(attempt(acc.username, acc.password, clock, ip)).resolves.toMatchObject({ result: { role: 'expert' } })
  })

  describe('a targeted attack on a username (probe finding: five wrong passwords locked a counsellor out for 15 minutes)', () => {
    it('keeps the owner in from a device that signed in before, while the attacker waits', async () => {
      const counsellor = await makeAccount(t.db, 'expert')
      const clock = new Clock()
      const phone = new CookieJar()
      await attempt(counsellor.username, counsellor.password, clock, freshIp(), phone)
      expect(phone.device).toMatch(/^d1\.[\w-]{22}\.[\w-]{22}$/)
      expect(phone.device).not.toContain(counsellor.username)
      expect(phone.deviceMaxAge).toBe(180 * 24 * 3600)

      // the attacker, from many addresses, keeps the name at the longest wait for an hour
      for (let i = 0; i < 40; i++) {
        await rejection(attempt(counsellor.username, WRONG, clock, freshIp()))
        clock.advance(90_000)
      }
      const attacker = await expectRefusal(
        attempt(counsellor.username, counsellor.password, clock, freshIp()),
        'TOO_MANY_REQUESTS',
        'auth.throttled',
      )
      expect(attacker.params!.minutes).toBeGreaterThan(1)

      // the owner, on the phone that signed in before, gets in at once, even after one typo
      const ip = freshIp()
      await expectRefusal(attempt(counsellor.username, WRONG, clock, ip, phone), 'UNAUTHORIZED', 'auth.invalidCredentials')
      await expect(attempt(counsellor.username, counsellor.password, clock, ip, phone)).resolves.toMatchObject({
        result: { role: 'expert' },
      })
      // and the attack on the name is not reset by the owner's success
      await expectRefusal(attempt(counsellor.username, counsellor.password, clock, freshIp()), 'TOO_MANY_REQUESTS', 'auth.throttled')
    })

    it('a device cookie of another account, a forged or tampered one gives no bypass', async () => {
      const victim = await makeAccount(t.db, 'expert')
      const other = await makeAccount(t.db, 'expert')
      const clock = new Clock()
      const jar = new CookieJar()
      await attempt(other.username, other.password, clock, freshIp(), jar)
      const genuine = jar.device!
      for (let i = 0; i < FREE + 1; i++) await rejection(attempt(victim.username, WRONG, clock, freshIp()))
      const [v, id, mac] = genuine.split('.')
      for (const cookie of [genuine, `${v}.${id}.${'A'.repeat(22)}`, `${v}.${'B'.repeat(22)}.${mac}`, 'garbage', '']) {
        const thief = new CookieJar()
        thief.device = cookie
        await expectRefusal(attempt(victim.username, victim.password, clock, freshIp(), thief), 'TOO_MANY_REQUESTS', 'auth.throttled')
      }
    })

    it('a stolen device cookie still earns its own growing wait', async () => {
      const acc = await makeAccount(t.db, 'expert')
      const clock = new Clock()
      const jar = new CookieJar()
      await attempt(acc.username, acc.password, clock, freshIp(), jar)
      const free = LOGIN_THROTTLE.device.free
      for (let i = 0; i < free; i++)
        await expectRefusal(attempt(acc.username, WRONG, clock, freshIp(), jar), 'UNAUTHORIZED', 'auth.invalidCredentials')
      await expectRefusal(attempt(acc.username, WRONG, clock, freshIp(), jar), 'TOO_MANY_REQUESTS', 'auth.throttled')
    })

    it('a disabled account gets no device bypass', async () => {
      const acc = await makeAccount(t.db, 'expert')
      const clock = new Clock()
      const jar = new CookieJar()
      await attempt(acc.username, acc.password, clock, freshIp(), jar)
      await t.db.updateTable('account').set({ disabled_at: clock.now().toISOString() }).where('id', '=', acc.id).execute()
      await expectRefusal(attempt(acc.username, acc.password, clock, freshIp(), jar), 'UNAUTHORIZED', 'auth.invalidCredentials')
    })
  })

  it('answers an unknown username exactly like a wrong password', async () => {
    const clock = new Clock()
    const wrong = await rejection(attempt(alice.username, WRONG, clock, freshIp()))
    const unknown = await rejection(attempt(unique('nobody.'), WRONG, clock, freshIp()))
    expect({ code: unknown.code, appCode: unknown.appCode, message: unknown.message, params: unknown.params }).toEqual({
      code: wrong.code,
      appCode: wrong.appCode,
      message: wrong.message,
      params: wrong.params,
    })
    expect(unknown.code).toBe('UNAUTHORIZED')
  })

  it('throttles an unknown username the same way, without revealing it does not exist', async () => {
    const ghost = unique('ghost.')
    const clock = new Clock()
    const ip = freshIp()
    const seq = await headSeq(t.db)
    for (let i = 0; i < FREE + 1; i++) {
      await expectRefusal(attempt(ghost, WRONG, clock, ip), 'UNAUTHORIZED', 'auth.invalidCredentials')
      clock.advance(LOGIN_THROTTLE.account.baseDelayMs)
    }
    const error = await expectRefusal(attempt(ghost, WRONG, clock, ip), 'TOO_MANY_REQUESTS', 'auth.throttled')
    expect(error.params).toEqual({ minutes: 1 })
    const rows = await auditRows(t.db, seq)
    expect(rows.map((r) => r.detail)).toEqual([...Array.from({ length: FREE + 1 }, () => 'unknown_account'), 'throttled_account'])
    expect(rows.every((r) => r.entity_id === null)).toBe(true)
  })

  it('counts a username whatever its letter case', async () => {
    const acc = await makeAccount(t.db, 'researcher')
    const clock = new Clock()
    const ip = freshIp()
    for (const name of [acc.username.toUpperCase(), acc.username, ` ${acc.username} `, acc.username.toUpperCase(), acc.username]) {
      await expectRefusal(attempt(name, WRONG, clock, ip), 'UNAUTHORIZED', 'auth.invalidCredentials')
    }
    await expectRefusal(attempt(acc.username, acc.password, clock, ip), 'TOO_MANY_REQUESTS', 'auth.throttled')
  })

  it('clears an account’s count after a successful sign-in', async () => {
    const acc = await makeAccount(t.db, 'expert')
    const clock = new Clock()
    const ip = freshIp()
    for (let i = 0; i < FREE - 1; i++)
      await expectRefusal(attempt(acc.username, WRONG, clock, ip), 'UNAUTHORIZED', 'auth.invalidCredentials')
    const seq = await headSeq(t.db)
    await attempt(acc.username, acc.password, clock, ip)
    const ok = await auditRows(t.db, seq)
    expect(ok).toHaveLength(1)
    expect(ok[0]).toMatchObject({ action: 'auth.login', outcome: 'ok', actor_id: acc.id, actor_role: 'expert', entity_id: String(acc.id) })
    for (let i = 0; i < FREE - 1; i++)
      await expectRefusal(attempt(acc.username, WRONG, clock, ip), 'UNAUTHORIZED', 'auth.invalidCredentials')
    await expect(attempt(acc.username, acc.password, clock, ip)).resolves.toMatchObject({ result: { role: 'expert' } })
  })

  it('slows one address spraying different usernames, then throttles it after 30 failures, but not other addresses', async () => {
    const clock = new Clock()
    const ip = freshIp()
    const names = Array.from({ length: LOGIN_THROTTLE.maxPerIp }, () => unique('spray.'))
    // Sequential on purpose: each attempt must see the failures before it.
    for (const [i, name] of names.entries()) {
      if (i === LOGIN_THROTTLE.ip.free) {
        // past the free failures the address waits before its next guess
        await expectRefusal(attempt(name, WRONG, clock, ip), 'TOO_MANY_REQUESTS', 'auth.throttled')
      }
      clock.advance(backoffDelay(i, LOGIN_THROTTLE.ip))
      await expectRefusal(attempt(name, WRONG, clock, ip), 'UNAUTHORIZED', 'auth.invalidCredentials')
    }
    clock.advance(backoffDelay(names.length, LOGIN_THROTTLE.ip))
    const acc = await makeAccount(t.db, 'expert')
    const seq = await headSeq(t.db)
    const error = await expectRefusal(attempt(acc.username, acc.password, clock, ip), 'TOO_MANY_REQUESTS', 'auth.throttled')
    expect(error.params?.minutes).toBeGreaterThanOrEqual(1)
    expect((await auditRows(t.db, seq)).map((r) => r.detail)).toEqual(['throttled_ip'])
    await expect(attempt(acc.username, acc.password, clock, freshIp())).resolves.toMatchObject({ result: { role: 'expert' } })
    clock.advance(LOGIN_THROTTLE.ipWindowMs)
    await expect(attempt(acc.username, acc.password, clock, ip)).resolves.toMatchObject({ result: { role: 'expert' } })
  })

  it('sets the session cookie only on success', async () => {
    const clock = new Clock()
    const jar = new CookieJar()
    const caller = callerFor(t.db, null, { now: clock.now, ip: freshIp(), cookies: jar })
    await expectRefusal(caller.auth.login({ username: alice.username, password: WRONG }), 'UNAUTHORIZED', 'auth.invalidCredentials')
    expect(jar.token).toBeNull()
    await caller.auth.login({ username: alice.username, password: PASSWORD })
    expect(jar.token).toMatch(/^[\w-]{43}$/)
    expect(jar.maxAge).toBe(12 * 60 * 60)
  })
})
