import { execFile, spawn } from 'node:child_process'
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { gunzipSync, gzipSync } from 'node:zlib'
import BetterSqlite3 from 'better-sqlite3'
import { isPostgresUrl, resolveSqliteFile } from '../../db/client'

/**
 * Encrypted backups of the whole database (issue 16). SQLite: the online backup API (a consistent copy
 * while the app keeps writing); PostgreSQL: `pg_dump --format=custom`. Either is gzip-compressed
 * (`node:zlib`) and sealed with AES-256-GCM under a backup key of its own (never the data or audit key),
 * so a stolen backup file is useless without it. The header (kind, time, size and SHA-256 of the plain
 * dump) is authenticated with the contents: a changed byte anywhere fails the restore, which then writes
 * nothing.
 */

const MAGIC = 'XINQIAO-BACKUP-1\n'
const execFileP = promisify(execFile)

export interface BackupHeader {
  kind: 'sqlite' | 'postgres'
  createdAt: string
  /** size and SHA-256 of the plain dump (the SQLite file, or pg_dump's archive) */
  bytes: number
  sha256: string
  /** PostgreSQL: the schema dumped, when not the default one */
  schema: string | null
  iv: string
  tag: string
}

/** The backup key: 32 bytes, hex or base64, from XINQIAO_BACKUP_KEY or a key file outside the data directory. */
export function decodeBackupKey(value: string): Buffer {
  const text = value.trim()
  const buf = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64')
  if (buf.length !== 32) throw new Error('the backup key must be 32 bytes, hex or base64')
  return buf
}

export function backupKeyFrom(opts: { keyFile?: string | null; env?: NodeJS.ProcessEnv }): Buffer {
  if (opts.keyFile) return decodeBackupKey(readFileSync(opts.keyFile, 'utf8'))
  const env = (opts.env ?? process.env).XINQIAO_BACKUP_KEY
  if (!env) throw new Error('no backup key: set XINQIAO_BACKUP_KEY or pass --key-file (keep it away from the data and the backups)')
  return decodeBackupKey(env)
}

const aad = (h: Omit<BackupHeader, 'tag'>) => Buffer.from(JSON.stringify({ ...h, tag: undefined }))

function seal(plain: Buffer, key: Buffer, meta: Omit<BackupHeader, 'iv' | 'tag'>): Buffer {
  const iv = randomBytes(12)
  const header: Omit<BackupHeader, 'tag'> = { ...meta, iv: iv.toString('base64') }
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  cipher.setAAD(aad(header))
  const body = Buffer.concat([cipher.update(gzipSync(plain)), cipher.final()])
  const full: BackupHeader = { ...header, tag: cipher.getAuthTag().toString('base64') }
  return Buffer.concat([Buffer.from(MAGIC), Buffer.from(JSON.stringify(full) + '\n'), body])
}

/** The header and the plain dump; throws (and nothing is written anywhere) on a wrong key or a changed byte. */
export function openBackup(file: Buffer, key: Buffer): { header: BackupHeader; plain: Buffer } {
  if (!file.subarray(0, MAGIC.length).equals(Buffer.from(MAGIC))) throw new Error('not a Xinqiao backup file')
  const end = file.indexOf(0x0a, MAGIC.length)
  if (end < 0) throw new Error('not a Xinqiao backup file')
  const header = JSON.parse(file.subarray(MAGIC.length, end).toString('utf8')) as BackupHeader
  const { tag, ...rest } = header
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(header.iv, 'base64'))
  decipher.setAAD(aad(rest))
  decipher.setAuthTag(Buffer.from(tag, 'base64'))
  let plain: Buffer
  try {
    plain = gunzipSync(Buffer.concat([decipher.update(file.subarray(end + 1)), decipher.final()]))
  } catch {
    throw new Error('the backup cannot be opened: wrong key, or the file was changed')
  }
  if (plain.length !== header.bytes || createHash('sha256').update(plain).digest('hex') !== header.sha256)
    throw new Error('the backup does not match its own checksum')
  return { header, plain }
}

function writeAtomically(path: string, bytes: Buffer) {
  const tmp = `${path}.partial-${randomBytes(4).toString('hex')}`
  writeFileSync(tmp, bytes, { mode: 0o600 })
  renameSync(tmp, path)
}

export interface BackupOptions {
  /** DATABASE_URL: a SQLite path or postgres://… */
  url?: string
  /** PostgreSQL: only this schema */
  pgSchema?: string | null
  key: Buffer
  outFile: string
  now?: () => Date
}

export async function backupDatabase(opts: BackupOptions): Promise<BackupHeader> {
  const createdAt = (opts.now ?? (() => new Date()))().toISOString()
  let plain: Buffer
  let kind: BackupHeader['kind']
  if (isPostgresUrl(opts.url)) {
    kind = 'postgres'
    const args = ['--format=custom', '--no-owner', '--no-privileges', ...(opts.pgSchema ? ['--schema', opts.pgSchema] : []), opts.url!]
    plain = (await execFileP('pg_dump', args, { encoding: 'buffer', maxBuffer: 4 * 1024 ** 3 })).stdout
  } else {
    kind = 'sqlite'
    const file = resolveSqliteFile(opts.url)
    const work = mkdtempSync(join(tmpdir(), 'xinqiao-backup-'))
    try {
      const src = new BetterSqlite3(file, { readonly: true, fileMustExist: true })
      try {
        await src.backup(join(work, 'copy.sqlite'))
      } finally {
        src.close()
      }
      plain = readFileSync(join(work, 'copy.sqlite'))
    } finally {
      rmSync(work, { recursive: true, force: true })
    }
  }
  const meta = {
    kind,
    createdAt,
    bytes: plain.length,
    sha256: createHash('sha256').update(plain).digest('hex'),
    schema: kind === 'postgres' ? (opts.pgSchema ?? null) : null,
  }
  const sealed = seal(plain, opts.key, meta)
  writeAtomically(opts.outFile, sealed)
  const { tag, iv } = openBackup(sealed, opts.key).header
  return { ...meta, iv, tag }
}

export interface RestoreOptions {
  inFile: string
  key: Buffer
  /** where to restore: a SQLite path (must not exist unless `force`) or postgres://… (an empty database) */
  url?: string
  force?: boolean
}

export interface RestoreResult {
  header: BackupHeader
  /** SQLite: `PRAGMA integrity_check` and the foreign-key check of the restored file */
  integrity: 'ok' | string
}

export async function restoreDatabase(opts: RestoreOptions): Promise<RestoreResult> {
  const { header, plain } = openBackup(readFileSync(opts.inFile), opts.key)
  const toPostgres = isPostgresUrl(opts.url)
  if ((header.kind === 'postgres') !== toPostgres) throw new Error(`a ${header.kind} backup cannot be restored to this database`)
  if (header.kind === 'postgres') {
    await new Promise<void>((resolveDone, reject) => {
      const child = spawn('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', '-d', opts.url!], {
        stdio: ['pipe', 'ignore', 'pipe'],
      })
      let err = ''
      child.stderr.on('data', (d: Buffer) => (err += d.toString()))
      child.on('error', reject)
      child.on('close', (code) => (code === 0 ? resolveDone() : reject(new Error(`pg_restore failed: ${err.trim().slice(0, 500)}`))))
      child.stdin.end(plain)
    })
    return { header, integrity: 'ok' }
  }
  const file = resolveSqliteFile(opts.url)
  if (existsSync(file) && !opts.force) throw new Error(`${file} exists; restore to a new path, or pass --force to replace it`)
  const tmp = join(dirname(file), `.restore-${randomBytes(4).toString('hex')}.sqlite`)
  writeFileSync(tmp, plain, { mode: 0o600 })
  const check = new BetterSqlite3(tmp)
  let integrity: string
  try {
    const rows = check.pragma('integrity_check') as { integrity_check: string }[]
    const fk = check.pragma('foreign_key_check') as unknown[]
    integrity = rows.length === 1 && rows[0]!.integrity_check === 'ok' && fk.length === 0 ? 'ok' : JSON.stringify({ rows, fk })
  } finally {
    check.close()
  }
  if (integrity !== 'ok') {
    rmSync(tmp, { force: true })
    throw new Error(`the restored database fails its integrity check: ${integrity}`)
  }
  for (const suffix of ['-wal', '-shm']) rmSync(file + suffix, { force: true })
  renameSync(tmp, file)
  return { header, integrity }
}
