/**
 * Failed-login throttling. Nobody can lock an account: failures make the next attempt wait, with a
 * delay that doubles per failure up to a cap, counted per account name (whether or not it exists, so
 * the answer never reveals which names are real), per trusted device, and per client address; on top,
 * an address that fails too often in a window is refused for the rest of it (password spraying).
 * A device that signed in to the account before is counted on its own, so an attack on a username
 * does not keep its owner out.
 */
export interface BackoffPolicy {
  /** failures older than this are forgotten */
  windowMs: number
  /** failures allowed without any wait: after this many, the next attempt waits */
  free: number
  /** the wait after `free` failures; doubles with each further failure */
  baseDelayMs: number
  /** the longest wait */
  maxDelayMs: number
}

export interface ThrottlePolicy {
  account: BackoffPolicy
  /** a device that signed in to this account before (signed device cookie) */
  device: BackoffPolicy
  ip: BackoffPolicy
  /** the address throttle: at most `maxPerIp` failures per `ipWindowMs` */
  ipWindowMs: number
  maxPerIp: number
}

const MIN = 60_000

export const LOGIN_THROTTLE: ThrottlePolicy = {
  account: { windowMs: 60 * MIN, free: 5, baseDelayMs: 30_000, maxDelayMs: 15 * MIN },
  device: { windowMs: 60 * MIN, free: 5, baseDelayMs: 30_000, maxDelayMs: 15 * MIN },
  ip: { windowMs: 60 * MIN, free: 10, baseDelayMs: 1_000, maxDelayMs: 30_000 },
  ipWindowMs: 15 * MIN,
  maxPerIp: 30,
}

/** The longest window any count needs: failures older than this are pruned. */
export const LOGIN_MEMORY_MS = Math.max(
  LOGIN_THROTTLE.account.windowMs,
  LOGIN_THROTTLE.device.windowMs,
  LOGIN_THROTTLE.ip.windowMs,
  LOGIN_THROTTLE.ipWindowMs,
)
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

const ALLOWED: ThrottleDecision = { allowed: true, retryAfterMinutes: 0 }

function refusedUntil(at: number, now: number): ThrottleDecision {
  return { allowed: false, retryAfterMinutes: Math.max(1, Math.ceil((at - now) / 60_000)) }
}

/** The wait after `count` recent failures: none below `free`, then base · 2^(count − free), capped. */
export function backoffDelay(count: number, p: BackoffPolicy): number {
  if (count < p.free) return 0
  const doublings = Math.min(count - p.free, 30)
  return Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** doublings)
}

/**
 * `failures` are the times (ms) of recent failures for one key, any order. Allowed once the delay the
 * recent failures earn has passed since the latest of them. Refused attempts are not failures (no
 * password was tried), so waiting out a delay is always enough.
 */
export function backoffDecision(failures: readonly number[], p: BackoffPolicy, now: number): ThrottleDecision {
  const recent = failures.filter((t) => t > now - p.windowMs && t <= now)
  const delay = backoffDelay(recent.length, p)
  if (delay === 0) return ALLOWED
  const openAt = Math.max(...recent) + delay
  return now >= openAt ? ALLOWED : refusedUntil(openAt, now)
}

/**
 * The address throttle. Refused once the window holds `max` failures; allowed again when the oldest of
 * the last `max` leaves the window.
 */
export function throttleDecision(failures: readonly number[], max: number, now: number, windowMs: number): ThrottleDecision {
  const recent = failures.filter((t) => t > now - windowMs && t <= now).sort((a, b) => b - a)
  if (recent.length < max) return ALLOWED
  return refusedUntil(recent[max - 1]! + windowMs, now)
}

/** The stricter of several decisions (refused if any refuses, for the longest wait). */
export function strictest(...decisions: ThrottleDecision[]): ThrottleDecision {
  const refused = decisions.filter((d) => !d.allowed)
  if (refused.length === 0) return ALLOWED
  return { allowed: false, retryAfterMinutes: Math.max(...refused.map((d) => d.retryAfterMinutes)) }
}
