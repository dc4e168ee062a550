import { chmodSync, existsSync, mkdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { dirname, join, relative, resolve, isAbsolute } from 'node:path'

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

/** The server refuses to start on keys a copy of the data would carry along (see keyCustodyProblem). */
export class KeyCustodyError extends Error {
  override name = 'KeyCustodyError'
}

/** The real path of `p`, or of its nearest existing parent joined with the rest (for files not yet created). */
function realish(p: string): string {
  const abs = resolve(p)
  if (existsSync(abs)) return realpathSync(abs)
  const parent = dirname(abs)
  return parent === abs ? abs : join(realish(parent), abs.slice(parent.length + 1))
}

/** Whether `file` lies inside directory `dir` (after resolving symlinks). */
export function isInside(file: string, dir: string): boolean {
  const rel = relative(realish(dir), realish(file))
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}

export interface KeyCustody {
  production: boolean
  /** XINQIAO_ACCEPT_FILE_KEYS=1: the operator accepts keys stored beside the data (demo, tests) */
  accept: boolean
  /** the key file in use, or null when both keys come from the environment */
  keyFile: string | null
  /** the data, upload and backup directories: a copy of any of them must not carry the keys */
  guarded: readonly string[]
}

/**
 * Why these keys may not be used, or null. In production a key file inside the data, upload or backup
 * directory is refused unless explicitly accepted: a copy of that folder would decrypt every case text.
 */
export function keyCustodyProblem(c: KeyCustody): string | null {
  if (!c.production || c.accept || c.keyFile == null) return null
  const inside = c.guarded.find((dir) => isInside(c.keyFile!, dir))
  if (!inside) return null
  return (
    `[xinqiao] refusing to start: the encryption keys are in ${c.keyFile}, inside ${inside}, so a copy of that folder ` +
    'decrypts every case text. Set XINQIAO_AUDIT_KEY and XINQIAO_DATA_KEY from your secret store, or XINQIAO_KEY_FILE ' +
    'to a file outside the data, upload and backup paths; or set XINQIAO_ACCEPT_FILE_KEYS=1 to accept this (demo only). See README, "Key custody".'
  )
}

/**
 * Keys come from the environment (XINQIAO_AUDIT_KEY, XINQIAO_DATA_KEY) or from a key file: XINQIAO_KEY_FILE,
 * else `keys.json` beside the database, generated on first start and readable by the owner only. In
 * production a key file inside the data, upload or backup directory is refused (KeyCustodyError) unless
 * XINQIAO_ACCEPT_FILE_KEYS=1.
 */
export function loadKeys(dir: string, env: NodeJS.ProcessEnv = process.env): AppKeys {
  const envAudit = env.XINQIAO_AUDIT_KEY
  const envData = env.XINQIAO_DATA_KEY
  if (envAudit && envData) {
    return { audit: decodeKey('XINQIAO_AUDIT_KEY', envAudit), data: new Map([[1, decodeKey('XINQIAO_DATA_KEY', envData)]]), dataVersion: 1 }
  }
  const file = env.XINQIAO_KEY_FILE ? resolve(env.XINQIAO_KEY_FILE) : join(dir, 'keys.json')
  const problem = keyCustodyProblem({
    production: env.NODE_ENV === 'production',
    accept: env.XINQIAO_ACCEPT_FILE_KEYS === '1',
    keyFile: file,
    guarded: [dir, env.XINQIAO_UPLOAD_DIR || join(dir, 'uploads'), env.XINQIAO_BACKUP_DIR].filter((d): d is string => !!d),
  })
  if (problem) throw new KeyCustodyError(problem)
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true })
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
