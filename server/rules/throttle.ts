/**
 * Failed-login throttling. Counting is per account name (whether or not it exists, so the
 * answer never reveals which names are real) and per client IP.
 */
export interface ThrottlePolicy {
  windowMs: number
  maxPerAccount: number
  maxPerIp: number
}

export const LOGIN_THROTTLE: ThrottlePolicy = {
  windowMs: 15 * 60_000,
  maxPerAccount: 5,
  maxPerIp: 30,
}

/** Unknown assessment codes per client IP: enough for typos on a shared school network, far too few to guess 80-bit codes. */
export const CODE_THROTTLE = {
  windowMs: 15 * 60_000,
  maxPerIp: 20,
} as const

export interface ThrottleDecision {
  allowed: boolean
  /** whole minutes until a new attempt is accepted (≥ 1 when refused) */
  retryAfterMinutes: number
}

/**
 * `failures` are the times (ms) of recent failures for one key, any order. Refused once the
 * window holds `max` failures; allowed again when the oldest of the last `max` leaves the window.
 */
export function throttleDecision(failures: readonly number[], max: number, now: number, windowMs: number): ThrottleDecision {
  const recent = failures.filter((t) => t > now - windowMs && t <= now).sort((a, b) => b - a)
  if (recent.length < max) return { allowed: true, retryAfterMinutes: 0 }
  const unlockAt = recent[max - 1]! + windowMs
  return { allowed: false, retryAfterMinutes: Math.max(1, Math.ceil((unlockAt - now) / 60_000)) }
}
