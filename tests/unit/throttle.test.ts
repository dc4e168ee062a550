import { describe, expect, it } from 'vitest'
import { backoffDecision, backoffDelay, LOGIN_THROTTLE, strictest, throttleDecision } from '../../server/rules/throttle'
import { deviceKey, issueDeviceCookie, trustedDevice } from '../../server/rules/device-cookie'

const MIN = 60_000
const NOW = Date.parse('2026-03-02T08:00:00.000Z')
const WINDOW = LOGIN_THROTTLE.ipWindowMs
/** the fixed-window rule, as the address throttle uses it, exercised with a maximum of 5 */
const MAX = 5
const ago = (ms: number) => NOW - ms

describe('growing delay (no lockout)', () => {
  it('uses the district policy: 5 free failures per name, then 30 s doubling to 15 min; 30 per address in 15 minutes', () => {
    expect(LOGIN_THROTTLE.account).toEqual({ windowMs: 60 * MIN, free: 5, baseDelayMs: 30_000, maxDelayMs: 15 * MIN })
    expect([LOGIN_THROTTLE.maxPerIp, LOGIN_THROTTLE.ipWindowMs]).toEqual([30, 15 * MIN])
  })

  it.each([
    [0, 0],
    [4, 0],
    [5, 30_000],
    [6, MIN],
    [7, 2 * MIN],
    [8, 4 * MIN],
    [9, 8 * MIN],
    [10, 15 * MIN],
    [60, 15 * MIN],
    [10_000, 15 * MIN],
  ])('%i failures → wait %i ms', (count, wait) => {
    expect(backoffDelay(count, LOGIN_THROTTLE.account)).toBe(wait)
  })

  const P = LOGIN_THROTTLE.account
  it.each([
    { name: 'below the free count', failures: [1, 2, 3, 4].map((m) => ago(m * MIN)), allowed: true, minutes: 0 },
    { name: '5 failures just now', failures: [0, 0, 0, 0, 0].map(ago), allowed: false, minutes: 1 },
    { name: '5 failures, latest 30 s ago', failures: [ago(30_000), ...[1, 2, 3, 4].map((m) => ago(m * MIN))], allowed: true, minutes: 0 },
    { name: '9 failures, latest 1 min ago', failures: Array.from({ length: 9 }, (_, i) => ago((i + 1) * MIN)), allowed: false, minutes: 7 },
    {
      name: '20 failures, latest 1 min ago: the cap',
      failures: Array.from({ length: 20 }, (_, i) => ago((i + 1) * 60_000)),
      allowed: false,
      minutes: 14,
    },
    { name: 'old failures are forgotten', failures: Array.from({ length: 20 }, (_, i) => ago(P.windowMs + i)), allowed: true, minutes: 0 },
    {
      name: 'failures in the future (clock skew) do not count',
      failures: Array.from({ length: 9 }, () => NOW + MIN),
      allowed: true,
      minutes: 0,
    },
  ])('$name → allowed $allowed, retry after $minutes min', ({ failures, allowed, minutes }) => {
    expect(backoffDecision(failures, P, NOW)).toEqual({ allowed, retryAfterMinutes: minutes })
  })

  it('takes the strictest of several decisions', () => {
    expect(
      strictest(
        { allowed: true, retryAfterMinutes: 0 },
        { allowed: false, retryAfterMinutes: 3 },
        { allowed: false, retryAfterMinutes: 7 },
      ),
    ).toEqual({
      allowed: false,
      retryAfterMinutes: 7,
    })
    expect(strictest({ allowed: true, retryAfterMinutes: 0 })).toEqual({ allowed: true, retryAfterMinutes: 0 })
  })
})

describe('device cookie', () => {
  const key = deviceKey(Buffer.alloc(32, 7))
  it('is trusted only for the account it was issued to, and only unaltered', () => {
    const cookie = issueDeviceCookie(key, 42)
    expect(trustedDevice(key, cookie, 42)).toMatch(/^[\w-]{22}$/)
    expect(trustedDevice(key, cookie, 43)).toBeNull()
    expect(trustedDevice(deviceKey(Buffer.alloc(32, 8)), cookie, 42)).toBeNull()
    const [v, id, mac] = cookie.split('.')
    expect(trustedDevice(key, `${v}.${id}.${mac!.slice(0, -2)}AA`, 42)).toBeNull()
    expect(trustedDevice(key, `${v}.${'x'.repeat(22)}.${mac}`, 42)).toBeNull()
    for (const bad of [undefined, '', 'd1', 'd1..', 'd2.' + id + '.' + mac, cookie + '.x']) expect(trustedDevice(key, bad, 42)).toBeNull()
    expect(trustedDevice(key, cookie, null)).toBeNull()
  })
  it('keeps its device id when renewed; the account is only inside the MAC', () => {
    const first = issueDeviceCookie(key, 42)
    const id = trustedDevice(key, first, 42)!
    expect(issueDeviceCookie(key, 42, id)).toBe(first)
    expect(issueDeviceCookie(key, 43, id).split('.').slice(0, 2)).toEqual(first.split('.').slice(0, 2))
  })
})

describe('address throttle (fixed window)', () => {
  it.each([
    { name: 'no failures', failures: [], allowed: true, minutes: 0 },
    { name: '4 recent failures', failures: [1, 2, 3, 4].map((m) => ago(m * MIN)), allowed: true, minutes: 0 },
    { name: '5 failures just now', failures: [0, 0, 0, 0, 0].map(ago), allowed: false, minutes: 15 },
    { name: '5 failures, oldest 10 min ago', failures: [10, 4, 3, 2, 1].map((m) => ago(m * MIN)), allowed: false, minutes: 5 },
    {
      name: '5 failures, oldest 10 min ago less 1 ms',
      failures: [ago(10 * MIN - 1), ...[4, 3, 2, 1].map((m) => ago(m * MIN))],
      allowed: false,
      minutes: 6,
    },
    {
      name: '5 failures, oldest leaving in 30 s',
      failures: [ago(WINDOW - 30_000), ...[4, 3, 2, 1].map((m) => ago(m * MIN))],
      allowed: false,
      minutes: 1,
    },
    {
      name: '5 failures, oldest leaving in 1 ms',
      failures: [ago(WINDOW - 1), ...[4, 3, 2, 1].map((m) => ago(m * MIN))],
      allowed: false,
      minutes: 1,
    },
    {
      name: '5 failures, oldest exactly a window ago',
      failures: [ago(WINDOW), ...[4, 3, 2, 1].map((m) => ago(m * MIN))],
      allowed: true,
      minutes: 0,
    },
    { name: '5 failures, all older than the window', failures: [16, 17, 18, 19, 20].map((m) => ago(m * MIN)), allowed: true, minutes: 0 },
    {
      name: '4 recent and 1 in the future (clock skew)',
      failures: [...[1, 2, 3, 4].map((m) => ago(m * MIN)), NOW + MIN],
      allowed: true,
      minutes: 0,
    },
    {
      name: '6 failures: waits for the 5th newest, not the oldest',
      failures: [14, 1, 1, 1, 1, 1].map((m) => ago(m * MIN)),
      allowed: false,
      minutes: 14,
    },
    { name: 'failures in any order', failures: [1, 10, 3, 2, 4].map((m) => ago(m * MIN)), allowed: false, minutes: 5 },
  ])('$name → allowed $allowed, retry after $minutes min', ({ failures, allowed, minutes }) => {
    expect(throttleDecision(failures, MAX, NOW, WINDOW)).toEqual({ allowed, retryAfterMinutes: minutes })
  })

  it('counts per IP against its own maximum', () => {
    const thirty = Array.from({ length: 30 }, (_, i) => ago(i * 10_000))
    expect(throttleDecision(thirty.slice(0, 29), LOGIN_THROTTLE.maxPerIp, NOW, WINDOW).allowed).toBe(true)
    expect(throttleDecision(thirty, LOGIN_THROTTLE.maxPerIp, NOW, WINDOW).allowed).toBe(false)
  })
})
