import { beforeAll, describe, expect, it } from 'vitest'
import { LOGIN_THROTTLE } from '../../server/rules/throttle'
import { callerFor, Clock, CookieJar, expectRefusal, login, MINUTE, rejection } from '../fixtures/caller'
import { auditRows, headSeq } from '../fixtures/audit'
import { targets, useTestDatabase } from '../fixtures/db'
import { makeAccount, PASSWORD, unique, type MadeAccount } from '../fixtures/factories'

const WRONG = 'Wrong-password-1'

describe.each(targets)('login throttling on $name', (target) => {
  const t = useTestDatabase(target)
  let ipCounter = 0
  /** Every test signs in from its own address, so per-IP counts never leak between tests. */
  const freshIp = () => `10.0.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`

  function attempt(username: string, password: string, clock: Clock, ip: string) {
    return login(t.db, username, password, { now: clock.now, ip })
  }

  let alice: MadeAccount
  beforeAll(async () => {
    alice = await makeAccount(t.db, 'bureau')
  })

  it('refuses the 6th attempt after 5 wrong passwords, even with the right password, and says for how long', async () => {
    const acc = await makeAccount(t.db, 'expert')
    const clock = new Clock()
    const ip = freshIp()
    const seq = await headSeq(t.db)
    for (let i = 0; i < LOGIN_THROTTLE.maxPerAccount; i++) {
      await expectRefusal(attempt(acc.username, WRONG, clock, ip), 'UNAUTHORIZED', 'auth.invalidCredentials')
      clock.advance(MINUTE)
    }
    const error = await expectRefusal(attempt(acc.username, acc.password, clock, ip), 'TOO_MANY_REQUESTS', 'auth.throttled')
    expect(error.params?.minutes).toBeGreaterThanOrEqual(1)
    expect(error.params).toEqual({ minutes: 10 })

    const rows = await auditRows(t.db, seq)
    expect(rows.map((r) => [r.action, r.outcome, r.detail])).toEqual([
      ...Array.from({ length: 5 }, () => ['auth.login', 'failed', 'wrong_password']),
      ['auth.login', 'denied', 'throttled_account'],
    ])
    expect(rows.slice(0, 5).every((r) => r.entity_id === String(acc.id) && r.actor_id === null)).toBe(true)
  })

  it('counts attempts sent in parallel: a burst of 20 wrong passwords gets only 5 guesses', async () => {
    const acc = await makeAccount(t.db, 'expert')
    const clock = new Clock()
    const ip = freshIp()
    const errors = await Promise.all(Array.from({ length: 20 }, () => rejection(attempt(acc.username, WRONG, clock, ip))))
    const codes = errors.map((e) => e.code)
    expect(codes.filter((c) => c === 'UNAUTHORIZED')).toHaveLength(LOGIN_THROTTLE.maxPerAccount)
    expect(codes.filter((c) => c === 'TOO_MANY_REQUESTS')).toHaveLength(20 - LOGIN_THROTTLE.maxPerAccount)
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

  it('lets the account in again once the window has passed', async () => {
    const acc = await makeAccount(t.db, 'expert')
    const clock = new Clock()
    const start = clock.t
    const ip = freshIp()
    for (let i = 0; i < 5; i++) {
      await expectRefusal(attempt(acc.username, WRONG, clock, ip), 'UNAUTHORIZED', 'auth.invalidCredentials')
      clock.advance(MINUTE)
    }
    clock.t = start + LOGIN_THROTTLE.windowMs - 1
    const last = await expectRefusal(attempt(acc.username, acc.password, clock, ip), 'TOO_MANY_REQUESTS', 'auth.throttled')
    expect(last.params).toEqual({ minutes: 1 })
    clock.t = start + LOGIN_THROTTLE.windowMs
    await expect(attempt(acc.username, acc.password, clock, ip)).resolves.toMatchObject({ result: { role: 'expert' } })
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
    for (let i = 0; i < 5; i++) await expectRefusal(attempt(ghost, WRONG, clock, ip), 'UNAUTHORIZED', 'auth.invalidCredentials')
    const error = await expectRefusal(attempt(ghost, WRONG, clock, ip), 'TOO_MANY_REQUESTS', 'auth.throttled')
    expect(error.params).toEqual({ minutes: 15 })
    const rows = await auditRows(t.db, seq)
    expect(rows.map((r) => r.detail)).toEqual([...Array.from({ length: 5 }, () => 'unknown_account'), 'throttled_account'])
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
    for (let i = 0; i < 4; i++) await expectRefusal(attempt(acc.username, WRONG, clock, ip), 'UNAUTHORIZED', 'auth.invalidCredentials')
    const seq = await headSeq(t.db)
    await attempt(acc.username, acc.password, clock, ip)
    const ok = await auditRows(t.db, seq)
    expect(ok).toHaveLength(1)
    expect(ok[0]).toMatchObject({ action: 'auth.login', outcome: 'ok', actor_id: acc.id, actor_role: 'expert', entity_id: String(acc.id) })
    for (let i = 0; i < 4; i++) await expectRefusal(attempt(acc.username, WRONG, clock, ip), 'UNAUTHORIZED', 'auth.invalidCredentials')
    await expect(attempt(acc.username, acc.password, clock, ip)).resolves.toMatchObject({ result: { role: 'expert' } })
  })

  it('throttles one address after 30 failures across different usernames, but not other addresses', async () => {
    const clock = new Clock()
    const ip = freshIp()
    const names = Array.from({ length: LOGIN_THROTTLE.maxPerIp }, () => unique('spray.'))
    // Sequential on purpose: each attempt must see the failures before it.
    for (const name of names) await expectRefusal(attempt(name, WRONG, clock, ip), 'UNAUTHORIZED', 'auth.invalidCredentials')
    const acc = await makeAccount(t.db, 'expert')
    const seq = await headSeq(t.db)
    const error = await expectRefusal(attempt(acc.username, acc.password, clock, ip), 'TOO_MANY_REQUESTS', 'auth.throttled')
    expect(error.params?.minutes).toBeGreaterThanOrEqual(1)
    expect((await auditRows(t.db, seq)).map((r) => r.detail)).toEqual(['throttled_ip'])
    await expect(attempt(acc.username, acc.password, clock, freshIp())).resolves.toMatchObject({ result: { role: 'expert' } })
    clock.advance(LOGIN_THROTTLE.windowMs)
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
