import { Secret, TOTP } from 'otpauth'
import { RECOVERY_ALPHABET, TOTP_DIGITS, TOTP_PERIOD_S } from '../../shared/trust'

/**
 * TOTP (RFC 6238) through the otpauth library: SHA-1, 6 digits, 30-second steps, which every
 * authenticator app reads from the enrolment QR code. A code is accepted one step either side of the
 * server's clock (phones drift), and only for a step later than the last one accepted, so a code seen
 * over a shoulder or replayed from a request cannot be used again.
 */
export const TOTP_WINDOW = 1

function totp(secretBase32: string, label = 'account', issuer = 'Xinqiao'): TOTP {
  return new TOTP({
    issuer,
    label,
    algorithm: 'SHA1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_S,
    secret: Secret.fromBase32(secretBase32),
  })
}

export function stepAt(now: Date): number {
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_S)
}

export type TotpCheck = { ok: true; step: number } | { ok: false; reason: 'wrong_code' | 'replayed_code' }

/** Checks a 6-digit code at `now`; `lastStep` is the step of the last code accepted for this account (null: none yet). */
export function checkTotp(secretBase32: string, code: string, now: Date, lastStep: number | null): TotpCheck {
  if (!/^\d{6}$/.test(code)) return { ok: false, reason: 'wrong_code' }
  const delta = totp(secretBase32).validate({ token: code, timestamp: now.getTime(), window: TOTP_WINDOW })
  if (delta == null) return { ok: false, reason: 'wrong_code' }
  const step = stepAt(now) + delta
  if (lastStep != null && step <= lastStep) return { ok: false, reason: 'replayed_code' }
  return { ok: true, step }
}

/** The code an authenticator app shows at `now` (tests, and nothing else, need this). */
export function totpCodeAt(secretBase32: string, now: Date): string {
  return totp(secretBase32).generate({ timestamp: now.getTime() })
}

/** The `otpauth://` URI the enrolment QR code carries. */
export function totpUri(secretBase32: string, username: string): string {
  return totp(secretBase32, username).toString()
}

/** A recovery code from 10 random bytes: 16 characters of the recovery alphabet (80 bits). */
export function recoveryCodeFromBytes(bytes: Uint8Array): string {
  let bits = 0
  let value = 0
  let out = ''
  for (const b of bytes) {
    value = (value << 8) | b
    bits += 8
    while (bits >= 5) {
      out += RECOVERY_ALPHABET[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
    value &= (1 << bits) - 1
  }
  return out.slice(0, 16)
}

/** "ABCD-EFGH-JKMN-PQRS": how a recovery code is shown. */
export function formatRecoveryCode(code: string): string {
  return code.match(/.{1,4}/g)!.join('-')
}
