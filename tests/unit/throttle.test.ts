import { describe, expect, it } from 'vitest'
import { LOGIN_THROTTLE, throttleDecision } from '../../server/rules/throttle'

const MIN = 60_000
const NOW = Date.parse('2026-03-02T08:00:00.000Z')
const WINDOW = LOGIN_THROTTLE.windowMs
const MAX = LOGIN_THROTTLE.maxPerAccount
const ago = (ms: number) => NOW - ms

describe('login throttle rule', () => {
  it('uses the district policy: 5 per account, 30 per IP, in 15 minutes', () => {
    expect(LOGIN_THROTTLE).toEqual({ windowMs: 15 * MIN, maxPerAccount: 5, maxPerIp: 30 })
  })

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
