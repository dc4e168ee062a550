import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'

export interface AppKeys {
  /** HMAC key of the audit chain */
  audit: Buffer
  /** AES-256-GCM keys for sensitive text by version; `dataVersion` is the one new values use */
  data: ReadonlyMap<number, Buffer>
  dataVersion: number
}

interface KeyFile {
  audit: string
  data: Record<string, string>
  dataVersion: number
}

function decodeKey(name: string, value: string): Buffer {
  const buf = /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64')
  if (buf.length !== 32) throw new Error(`${name} must be 32 bytes, hex or base64`)
  return buf
}

/**
 * Keys come from the environment (XINQIAO_AUDIT_KEY, XINQIAO_DATA_KEY) in a real deployment. The
 * embedded default generates `keys.json` beside the database on first start, readable by the owner only.
 */
export function loadKeys(dir: string): AppKeys {
  const envAudit = process.env.XINQIAO_AUDIT_KEY
  const envData = process.env.XINQIAO_DATA_KEY
  if (envAudit && envData) {
    return { audit: decodeKey('XINQIAO_AUDIT_KEY', envAudit), data: new Map([[1, decodeKey('XINQIAO_DATA_KEY', envData)]]), dataVersion: 1 }
  }
  const file = join(dir, 'keys.json')
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true })
    const fresh: KeyFile = { audit: randomBytes(32).toString('hex'), data: { 1: randomBytes(32).toString('hex') }, dataVersion: 1 }
    writeFileSync(file, JSON.stringify(fresh, null, 2), { mode: 0o600, flag: 'wx' })
  }
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600)
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as KeyFile
  const data = new Map(Object.entries(parsed.data).map(([v, k]) => [Number(v), decodeKey(`data key ${v}`, k)]))
  return {
    audit: envAudit ? decodeKey('XINQIAO_AUDIT_KEY', envAudit) : decodeKey('audit key', parsed.audit),
    data: envData ? new Map([[1, decodeKey('XINQIAO_DATA_KEY', envData)]]) : data,
    dataVersion: envData ? 1 : parsed.dataVersion,
  }
}

/** Fixed keys for tests only. */
export function testKeys(): AppKeys {
  return { audit: Buffer.alloc(32, 7), data: new Map([[1, Buffer.alloc(32, 9)]]), dataVersion: 1 }
}
