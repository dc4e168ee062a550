import { describe, expect, it } from 'vitest'
import { needsTouch, sessionState, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS, type SessionTimes } from '../../server/rules/session'

const MIN = 60_000
const T0 = Date.parse('2026-03-02T08:00:00.000Z')
const iso = (ms: number) => new Date(ms).toISOString()
const at = (ms: number) => new Date(T0 + ms)

function session(over: Partial<SessionTimes> = {}): SessionTimes {
  return {
    createdAt: iso(T0),
    lastSeenAt: iso(T0),
    expiresAt: iso(T0 + SESSION_ABSOLUTE_MS),
    revokedAt: null,
    accountDisabledAt: null,
    ...over,
  }
}

describe('session rule', () => {
  it('times out after 30 minutes idle and at 12 hours absolute', () => {
    expect(SESSION_IDLE_MS).toBe(30 * MIN)
    expect(SESSION_ABSOLUTE_MS).toBe(12 * 60 * MIN)
  })

  it.each([
    { name: 'just signed in', s: session(), now: at(0), state: 'active' },
    { name: 'idle 29:59', s: session(), now: at(29 * MIN + 59_000), state: 'active' },
    { name: 'idle 29:59.999', s: session(), now: at(30 * MIN - 1), state: 'active' },
    { name: 'idle 30:00', s: session(), now: at(30 * MIN), state: 'idle_expired' },
    {
      name: 'seen 20 min ago, signed in 11 h ago',
      s: session({ lastSeenAt: iso(T0 + 11 * 60 * MIN - 20 * MIN) }),
      now: at(11 * 60 * MIN),
      state: 'active',
    },
    {
      name: 'active but 12 h less 1 ms old',
      s: session({ lastSeenAt: iso(T0 + SESSION_ABSOLUTE_MS - MIN) }),
      now: at(SESSION_ABSOLUTE_MS - 1),
      state: 'active',
    },
    {
      name: 'active but 12 h old',
      s: session({ lastSeenAt: iso(T0 + SESSION_ABSOLUTE_MS - MIN) }),
      now: at(SESSION_ABSOLUTE_MS),
      state: 'absolute_expired',
    },
    { name: 'revoked a moment ago', s: session({ revokedAt: iso(T0 + MIN) }), now: at(2 * MIN), state: 'revoked' },
    { name: 'account disabled', s: session({ accountDisabledAt: iso(T0 + MIN) }), now: at(2 * MIN), state: 'account_disabled' },
    {
      name: 'revoked and disabled',
      s: session({ revokedAt: iso(T0 + MIN), accountDisabledAt: iso(T0 + MIN) }),
      now: at(2 * MIN),
      state: 'revoked',
    },
  ])('$name → $state', ({ s, now, state }) => {
    expect(sessionState(s, now)).toBe(state)
  })

  it.each([
    { elapsed: 0, touch: false },
    { elapsed: 59_999, touch: false },
    { elapsed: 60_000, touch: true },
    { elapsed: 10 * MIN, touch: true },
  ])('writes last-seen after $elapsed ms: $touch', ({ elapsed, touch }) => {
    expect(needsTouch(iso(T0), at(elapsed))).toBe(touch)
  })
})
