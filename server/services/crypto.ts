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
  return createHmac('sha256', key)
    .update('student.name.index')
    .update('\n')
    .update(name.replace(/\s+/g, '').toLowerCase())
    .digest('base64url')
    .slice(0, 32)
}

const FILE_MAGIC = Buffer.from('XQE1')

/**
 * Files (evidence photos and scans, which may show students) get the same protection as sensitive
 * text: AES-256-GCM, a random IV, the key version in the header, and the purpose (which names the
 * stored file) as associated data, so a file swapped for another fails to open.
 * Layout: `XQE1` · key version (uint16) · IV (12) · tag (16) · ciphertext.
 */
export function encryptBytes(keys: AppKeys, purpose: string, plain: Uint8Array): Buffer {
  const key = keys.data.get(keys.dataVersion)
  if (!key) throw new Error('no data key for the current version')
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  cipher.setAAD(Buffer.from(purpose))
  const ct = Buffer.concat([cipher.update(plain), cipher.final()])
  const version = Buffer.alloc(2)
  version.writeUInt16BE(keys.dataVersion)
  return Buffer.concat([FILE_MAGIC, version, iv, cipher.getAuthTag(), ct])
}

export function decryptBytes(keys: AppKeys, purpose: string, stored: Buffer): Buffer {
  if (stored.length < 34 || !stored.subarray(0, 4).equals(FILE_MAGIC)) throw new Error(`cannot decrypt ${purpose}: not an encrypted file`)
  const key = keys.data.get(stored.readUInt16BE(4))
  if (!key) throw new Error(`cannot decrypt ${purpose}: unknown key version`)
  const decipher = createDecipheriv('aes-256-gcm', key, stored.subarray(6, 18))
  decipher.setAAD(Buffer.from(purpose))
  decipher.setAuthTag(stored.subarray(18, 34))
  return Buffer.concat([decipher.update(stored.subarray(34)), decipher.final()])
}
