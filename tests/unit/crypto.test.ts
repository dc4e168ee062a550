import { describe, expect, it } from 'vitest'
import { decryptOptional, decryptText, encryptOptional, encryptText, nameIndex } from '../../server/services/crypto'
import { testKeys, type AppKeys } from '../../server/services/keys'

const keys = testKeys()
const otherKeys: AppKeys = { audit: Buffer.alloc(32, 7), data: new Map([[1, Buffer.alloc(32, 3)]]), dataVersion: 1 }
/** After a rotation: version 2 writes, version 1 still reads. */
const rotated: AppKeys = {
  audit: keys.audit,
  data: new Map([
    [1, keys.data.get(1)!],
    [2, Buffer.alloc(32, 5)],
  ]),
  dataVersion: 2,
}

/** Flips one bit of the base64url part `part` (1 = iv, 2 = tag, 3 = ciphertext). */
function tamper(stored: string, part: number): string {
  const parts = stored.split('.')
  const bytes = Buffer.from(parts[part]!, 'base64url')
  bytes[0] = bytes[0]! ^ 1
  parts[part] = bytes.toString('base64url')
  return parts.join('.')
}

describe('encryption of sensitive text', () => {
  it.each([
    ['a Chinese name', '欧阳娜娜'],
    ['a note with punctuation and newlines', '第一次面谈：情绪低落。\n计划：每周随访。 "quotes" & <tags>'],
    ['a phone number', '+86 138-0013-8000'],
    ['a single character', '芳'],
    ['an emoji', '😢 心情'],
    ['a long note', '长'.repeat(20_000)],
  ])('reads back %s exactly', (_name, plain) => {
    const stored = encryptText(keys, 'case.note', plain)
    expect(stored).not.toContain(plain)
    expect(decryptText(keys, 'case.note', stored)).toBe(plain)
  })

  it('stores the key version and a fresh IV each time, so equal texts look different', () => {
    const a = encryptText(keys, 'student.name', '王芳')
    const b = encryptText(keys, 'student.name', '王芳')
    expect(a).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/)
    expect(a).not.toBe(b)
    expect(Buffer.from(a.split('.')[1]!, 'base64url')).toHaveLength(12)
    expect(Buffer.from(a.split('.')[2]!, 'base64url')).toHaveLength(16)
  })

  it('refuses to read a value under another purpose (a name moved into a note column)', () => {
    const stored = encryptText(keys, 'student.name', '王芳')
    expect(() => decryptText(keys, 'case.note', stored)).toThrow()
  })

  it.each([
    ['the IV', 1],
    ['the authentication tag', 2],
    ['the ciphertext', 3],
  ])('refuses a value whose %s was tampered with', (_name, part) => {
    const stored = encryptText(keys, 'case.note', '会谈记录')
    expect(() => decryptText(keys, 'case.note', tamper(stored, part))).toThrow()
  })

  it('refuses a truncated value', () => {
    const stored = encryptText(keys, 'case.note', '会谈记录')
    expect(() => decryptText(keys, 'case.note', stored.split('.').slice(0, 2).join('.'))).toThrow(/malformed|unknown key/)
  })

  it('refuses a value written under a key version it does not hold', () => {
    const stored = encryptText(rotated, 'case.note', '会谈记录')
    expect(stored.startsWith('v2.')).toBe(true)
    expect(() => decryptText(keys, 'case.note', stored)).toThrow(/unknown key version/)
    expect(() => decryptText(keys, 'case.note', stored.replace(/^v2/, 'v9'))).toThrow(/unknown key version/)
  })

  it('refuses a value under a different key of the same version', () => {
    expect(() => decryptText(otherKeys, 'case.note', encryptText(keys, 'case.note', '会谈记录'))).toThrow()
  })

  it('still reads values of an older key version after a rotation', () => {
    const old = encryptText(keys, 'case.note', '旧记录')
    expect(decryptText(rotated, 'case.note', old)).toBe('旧记录')
  })

  it.each([
    [null, null],
    [undefined, null],
    ['', null],
  ])('stores an optional %j as null', (plain, stored) => {
    expect(encryptOptional(keys, 'student.guardian_phone', plain)).toBe(stored)
    expect(decryptOptional(keys, 'student.guardian_phone', null)).toBeNull()
  })

  it('round-trips an optional value', () => {
    const stored = encryptOptional(keys, 'student.guardian_phone', '13800138000')!
    expect(decryptOptional(keys, 'student.guardian_phone', stored)).toBe('13800138000')
  })
})

describe('blind name index', () => {
  it.each([
    ['王芳', '王 芳'],
    ['王芳', ' 王芳 '],
    ['王芳', '王\u3000芳'],
    ['Li Ming', 'liming'],
    ['LI MING', 'Li  Ming'],
    ['Ouyang Nana', 'ouyang\tnana'],
  ])('matches "%s" and "%s"', (a, b) => {
    expect(nameIndex(keys, a)).toBe(nameIndex(keys, b))
  })

  it.each([
    ['王芳', '王方'],
    ['Li Ming', 'Li Min'],
    ['王芳', '王芳芳'],
  ])('tells "%s" from "%s"', (a, b) => {
    expect(nameIndex(keys, a)).not.toBe(nameIndex(keys, b))
  })

  it('depends on the key, so a copied index cannot be matched against a name list without it', () => {
    expect(nameIndex(keys, '王芳')).not.toBe(nameIndex(otherKeys, '王芳'))
  })

  it('does not contain the name', () => {
    const index = nameIndex(keys, 'Li Ming')
    expect(index).toHaveLength(32)
    expect(index.toLowerCase()).not.toContain('liming')
  })
})
