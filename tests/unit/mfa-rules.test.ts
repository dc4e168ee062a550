import { Secret, TOTP } from 'otpauth'
import { describe, expect, it } from 'vitest'
import { checkTotp, formatRecoveryCode, recoveryCodeFromBytes, stepAt, totpCodeAt, totpUri } from '../../server/rules/mfa'
import { hashRecoveryCode } from '../../server/services/mfa'
import { mfaCodeInput, mfaVerifyInput, normaliseFactorCode, RECOVERY_ALPHABET } from '../../shared/trust'

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'
const T0 = new Date('2026-03-02T01:00:15.000Z')
const at = (offsetS: number) => new Date(T0.getTime() + offsetS * 1000)
/** An authenticator app's code, computed by the library directly (not through the rule under test). */
const app = (when: Date) => new TOTP({ secret: Secret.fromBase32(SECRET), digits: 6, period: 30 }).generate({ timestamp: when.getTime() })

describe('TOTP window', () => {
  it.each([
    ['the current step', 0, true],
    ['the previous step (phone 30 s behind)', -30, true],
    ['the next step (phone 30 s ahead)', 30, true],
    ['two steps behind', -60, false],
    ['two steps ahead', 60, false],
    ['ten minutes old', -600, false],
  ])('a code from %s is %s', (_label, offset, ok) => {
    expect(checkTotp(SECRET, app(at(offset)), T0, null).ok).toBe(ok)
  })

  it.each([
    ['never used', null, true],
    ['an earlier step used', stepAt(T0) - 1, true],
    ['this step used (replay)', stepAt(T0), false],
    ['a later step used', stepAt(T0) + 1, false],
  ])('the current code with %s is accepted: %s', (_label, lastStep, ok) => {
    const r = checkTotp(SECRET, app(T0), T0, lastStep)
    expect(r.ok).toBe(ok)
    if (!r.ok) expect(r.reason).toBe('replayed_code')
  })

  it('reports the step of the code it accepted, so a code of the next step is still good after it', () => {
    const r = checkTotp(SECRET, app(at(30)), T0, null)
    expect(r).toEqual({ ok: true, step: stepAt(T0) + 1 })
    expect(checkTotp(SECRET, app(T0), T0, stepAt(T0) + 1)).toEqual({ ok: false, reason: 'replayed_code' })
  })

  it.each(['', '12345', '1234567', 'abcdef', ' 123456'])('refuses a malformed code %j', (code) => {
    expect(checkTotp(SECRET, code, T0, null)).toEqual({ ok: false, reason: 'wrong_code' })
  })

  it('generates what the app shows, and an otpauth URI the app can scan', () => {
    expect(totpCodeAt(SECRET, T0)).toBe(app(T0))
    expect(totpUri(SECRET, 'zhang.wei')).toBe(
      `otpauth://totp/Xinqiao:zhang.wei?issuer=Xinqiao&secret=${SECRET}&algorithm=SHA1&digits=6&period=30`,
    )
  })
})

describe('recovery codes', () => {
  it('are 16 characters of the unambiguous alphabet from 10 random bytes', () => {
    const code = recoveryCodeFromBytes(new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 255]))
    expect(code).toHaveLength(16)
    expect([...code].every((c) => RECOVERY_ALPHABET.includes(c))).toBe(true)
    expect(RECOVERY_ALPHABET).toHaveLength(32)
    expect(RECOVERY_ALPHABET).not.toMatch(/[ILOU]/)
    expect(recoveryCodeFromBytes(new Uint8Array(10))).toBe('AAAAAAAAAAAAAAAA')
    expect(recoveryCodeFromBytes(new Uint8Array(10).fill(255))).toBe('9999999999999999')
  })

  it('are shown in groups of four and read back however they are typed', () => {
    expect(formatRecoveryCode('ABCDEFGHJKMNPQRS')).toBe('ABCD-EFGH-JKMN-PQRS')
    expect(hashRecoveryCode('abcd-efgh jkmn-pqrs')).toBe(hashRecoveryCode('ABCDEFGHJKMNPQRS'))
    expect(hashRecoveryCode('ABCDEFGHJKMNPQRS')).not.toBe(hashRecoveryCode('ABCDEFGHJKMNPQRT'))
    expect(hashRecoveryCode('ABCDEFGHJKMNPQRS')).not.toContain('ABCDEFGH')
  })

  it.each([
    ['123456', true],
    ['123 456', true],
    ['ABCD-EFGH-JKMN-PQRS', true],
    ['abcd efgh jkmn pqrs', true],
    ['12345', false],
    ['ABCD-EFGH-JKMN', false],
    ['<script>', false],
  ])('the second step takes %j: %s', (code, ok) => {
    expect(mfaVerifyInput.safeParse({ code }).success).toBe(ok)
  })

  it('confirming with the app takes digits only', () => {
    expect(mfaCodeInput.safeParse({ code: '123456' }).success).toBe(true)
    expect(mfaCodeInput.safeParse({ code: 'ABCD-EFGH-JKMN-PQRS' }).success).toBe(false)
    expect(normaliseFactorCode(' ab-cd ')).toBe('ABCD')
  })
})
