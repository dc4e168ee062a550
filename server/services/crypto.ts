import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto'
import type { AppKeys } from './keys'

/**
 * Sensitive text (student names, guardian phones, case notes, crisis details) is encrypted here,
 * before it reaches a repository: AES-256-GCM with a random 96-bit IV, the key version stored with
 * each value, and the column's purpose as associated data so a value cannot be moved to another
 * column unnoticed. Format: `v<keyVersion>.<iv>.<tag>.<ciphertext>` (base64url parts).
 */
export function encryptText(keys: AppKeys, purpose: string, plain: string): string {
  const key = keys.data.get(keys.dataVersion)
  if (!key) throw new Error('no data key for the current version')
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  cipher.setAAD(Buffer.from(purpose))
  const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
  return `v${keys.dataVersion}.${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${ct.toString('base64url')}`
}

export function decryptText(keys: AppKeys, purpose: string, stored: string): string {
  const [v, iv, tag, ct] = stored.split('.')
  const key = v ? keys.data.get(Number(v.slice(1))) : undefined
  if (!key || !iv || !tag || ct === undefined) throw new Error(`cannot decrypt ${purpose}: unknown key version or malformed value`)
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
  decipher.setAAD(Buffer.from(purpose))
  decipher.setAuthTag(Buffer.from(tag, 'base64url'))
  return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8')
}

export function encryptOptional(keys: AppKeys, purpose: string, plain: string | null | undefined): string | null {
  return plain == null || plain === '' ? null : encryptText(keys, purpose, plain)
}

export function decryptOptional(keys: AppKeys, purpose: string, stored: string | null): string | null {
  return stored == null ? null : decryptText(keys, purpose, stored)
}

/** Names are searched by exact match on a keyed hash (a blind index): whitespace removed, case folded. */
export function nameIndex(keys: AppKeys, name: string): string {
  const key = keys.data.get(keys.dataVersion)!
  return createHmac('sha256', key).update('student.name.index').update('\n').update(name.replace(/\s+/g, '').toLowerCase()).digest('base64url').slice(0, 32)
}
