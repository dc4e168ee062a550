export const SESSION_IDLE_MS = 30 * 60_000
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60_000
/** last_seen_at is written at most this often, so an authenticated read is not a disk write */
export const SESSION_TOUCH_MS = 60_000

export type SessionState = 'active' | 'revoked' | 'idle_expired' | 'absolute_expired' | 'account_disabled'

export interface SessionTimes {
  createdAt: string
  lastSeenAt: string
  expiresAt: string
  revokedAt: string | null
  accountDisabledAt: string | null
}

export function sessionState(s: SessionTimes, now: Date): SessionState {
  const t = now.getTime()
  if (s.revokedAt) return 'revoked'
  if (s.accountDisabledAt) return 'account_disabled'
  if (t >= Date.parse(s.expiresAt)) return 'absolute_expired'
  if (t >= Date.parse(s.lastSeenAt) + SESSION_IDLE_MS) return 'idle_expired'
  return 'active'
}

export function needsTouch(lastSeenAt: string, now: Date): boolean {
  return now.getTime() - Date.parse(lastSeenAt) >= SESSION_TOUCH_MS
}
