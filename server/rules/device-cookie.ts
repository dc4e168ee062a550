import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/**
 * The long-lived device cookie set at a successful sign-in: a random device id and an HMAC binding it
 * to the account. It names nobody (the account id is only inside the MAC) and cannot be forged without
 * the server's key. A correct password from such a device is not held back by an attack on the username.
 */
export const DEVICE_COOKIE = 'xq_device'
export const DEVICE_COOKIE_MAX_AGE_S = 180 * 24 * 60 * 60
const VERSION = 'd1'

/** The MAC key, derived from the audit key so it needs no storage of its own. */
export function deviceKey(auditKey: Buffer): Buffer {
  return createHmac('sha256', auditKey).update('xinqiao device cookie v1').digest()
}

function mac(key: Buffer, deviceId: string, accountId: number): Buffer {
  return createHmac('sha256', key).update(`${deviceId}:${accountId}`).digest().subarray(0, 16)
}

/** A new cookie value for this account (a fresh device id unless one is given). */
export function issueDeviceCookie(key: Buffer, accountId: number, deviceId = randomBytes(16).toString('base64url')): string {
  return `${VERSION}.${deviceId}.${mac(key, deviceId, accountId).toString('base64url')}`
}

/** The device id when the cookie is genuine for this account, else null. */
export function trustedDevice(key: Buffer, cookie: string | undefined, accountId: number | null | undefined): string | null {
  if (!cookie || accountId == null) return null
  const parts = cookie.split('.')
  if (parts.length !== 3 || parts[0] !== VERSION || !/^[\w-]{22}$/.test(parts[1]!)) return null
  const given = Buffer.from(parts[2]!, 'base64url')
  const expected = mac(key, parts[1]!, accountId)
  return given.length === expected.length && timingSafeEqual(given, expected) ? parts[1]! : null
}
