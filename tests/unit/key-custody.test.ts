import { mkdtempSync, mkdirSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { isInside, KeyCustodyError, loadKeys } from '../../server/services/keys'

/**
 * Probe finding "keys beside the data": keys.json sat in the data directory, so a copy of that folder
 * decrypted every case text. In production the server now refuses such keys unless told to accept them.
 */
const root = mkdtempSync(join(tmpdir(), 'xq-keys-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
let n = 0
const fresh = () => {
  const base = join(root, String(++n))
  const data = join(base, 'data')
  mkdirSync(data, { recursive: true })
  return { base, data }
}
const hex = (b: number) => Buffer.alloc(32, b).toString('hex')

describe('key custody', () => {
  it('refuses, in production, the default keys.json inside the data directory', () => {
    const { data } = fresh()
    expect(() => loadKeys(data, { NODE_ENV: 'production' })).toThrow(KeyCustodyError)
    expect(() => loadKeys(data, { NODE_ENV: 'production' })).toThrow(/XINQIAO_ACCEPT_FILE_KEYS/)
  })

  it('accepts them with XINQIAO_ACCEPT_FILE_KEYS=1 (the demo and the e2e server), and outside production', () => {
    const { data } = fresh()
    const a = loadKeys(data, { NODE_ENV: 'production', XINQIAO_ACCEPT_FILE_KEYS: '1' })
    const b = loadKeys(data, { NODE_ENV: 'development' })
    expect(a.audit.equals(b.audit)).toBe(true)
  })

  it('accepts keys from the environment', () => {
    const { data } = fresh()
    const keys = loadKeys(data, { NODE_ENV: 'production', XINQIAO_AUDIT_KEY: hex(1), XINQIAO_DATA_KEY: hex(2) })
    expect(keys.audit).toEqual(Buffer.alloc(32, 1))
  })

  it('accepts a key file outside the data, upload and backup paths, creating it owner-only', () => {
    const { base, data } = fresh()
    const file = join(base, 'secrets', 'xinqiao-keys.json')
    const keys = loadKeys(data, { NODE_ENV: 'production', XINQIAO_KEY_FILE: file })
    expect(keys.data.get(1)).toHaveLength(32)
    expect(loadKeys(data, { NODE_ENV: 'production', XINQIAO_KEY_FILE: file }).audit.equals(keys.audit)).toBe(true)
  })

  it.each([
    { name: 'in the data directory', where: (b: string, d: string) => join(d, 'k.json'), env: {} },
    { name: 'in the upload directory', where: (b: string) => join(b, 'up', 'k.json'), env: { XINQIAO_UPLOAD_DIR: 'UP' } },
    { name: 'in the backup directory', where: (b: string) => join(b, 'bk', 'nested', 'k.json'), env: { XINQIAO_BACKUP_DIR: 'BK' } },
  ])('refuses a key file $name', ({ where, env }) => {
    const { base, data } = fresh()
    const resolved = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, join(base, v === 'UP' ? 'up' : 'bk')]))
    expect(() => loadKeys(data, { NODE_ENV: 'production', XINQIAO_KEY_FILE: where(base, data), ...resolved })).toThrow(KeyCustodyError)
  })

  it('sees through a symlink into the data directory', () => {
    const { base, data } = fresh()
    symlinkSync(data, join(base, 'looks-outside'))
    expect(isInside(join(base, 'looks-outside', 'k.json'), data)).toBe(true)
    expect(isInside(join(base, 'elsewhere', 'k.json'), data)).toBe(false)
    expect(isInside(join(base, 'data-other', 'k.json'), data)).toBe(false)
  })
})
