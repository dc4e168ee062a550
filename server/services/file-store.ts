import { randomUUID } from 'node:crypto'
import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Kysely } from 'kysely'
import { dataDir } from '../../db/client'
import { isPostgres } from '../../db/migrations/helpers'
import type { Database } from '../../db/schema'
import type { AttachmentType } from '../../shared/programme'

/** The extension of each detected type: stored files and download names use it, never the uploader's. */
export const EXTENSION: Record<AttachmentType, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
}
const KEY = /^[0-9a-f-]{36}\.(jpg|png|webp|pdf|csv|xlsx|json)$/

export function defaultUploadDir(): string {
  return process.env.XINQIAO_UPLOAD_DIR || join(dataDir(), 'uploads')
}

/** A fresh random name: stored files are never named after anything a user typed. */
export function newStorageKey(type: AttachmentType): string {
  return `${randomUUID()}.${EXTENSION[type]}`
}

/** A fresh random name for a file the server generated itself (research export files). */
export function newGeneratedKey(extension: 'csv' | 'xlsx' | 'json'): string {
  return `${randomUUID()}.${extension}`
}

function pathOf(dir: string, key: string): string {
  if (!KEY.test(key)) throw new Error('invalid storage key')
  return join(dir, key)
}

/** Written owner-only, and never over an existing file. */
export async function storeFile(dir: string, key: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 })
  await writeFile(pathOf(dir, key), bytes, { mode: 0o600, flag: 'wx' })
}

export function readStoredFile(dir: string, key: string): Promise<Buffer> {
  return readFile(pathOf(dir, key))
}

/** Removing a file that is already gone is not an error: the row was the record. */
export async function removeStoredFile(dir: string, key: string): Promise<void> {
  await unlink(pathOf(dir, key)).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err
  })
}

/**
 * Where stored files live. The bytes handed in are already encrypted by the caller; a store only
 * keeps them under their random key. `put` never overwrites, `get` rejects when the key is unknown,
 * `remove` of a missing key is not an error.
 */
export interface FileStore {
  readonly kind: 'local' | 'database'
  put(key: string, bytes: Uint8Array): Promise<void>
  get(key: string): Promise<Buffer>
  remove(key: string): Promise<void>
}

/** The embedded default: a folder of owner-only files (`./data/uploads`). One app process. */
export function localFileStore(dir: string): FileStore {
  return {
    kind: 'local',
    put: (key, bytes) => storeFile(dir, key, bytes),
    get: (key) => readStoredFile(dir, key),
    remove: (key) => removeStoredFile(dir, key),
  }
}

/**
 * Files in the database (`stored_file`): every app process on one PostgreSQL database reads what
 * any of them wrote, backups (`pg_dump`) carry them, and a write is as durable as the row naming it.
 */
export function databaseFileStore(db: Kysely<Database>, now: () => Date = () => new Date()): FileStore {
  const checked = (key: string) => {
    if (!KEY.test(key)) throw new Error('invalid storage key')
    return key
  }
  return {
    kind: 'database',
    async put(key, bytes) {
      await db
        .insertInto('stored_file')
        .values({ storage_key: checked(key), bytes: Buffer.from(bytes), size: bytes.byteLength, created_at: now().toISOString() })
        .execute()
    },
    async get(key) {
      const row = await db.selectFrom('stored_file').select('bytes').where('storage_key', '=', checked(key)).executeTakeFirst()
      if (!row) throw Object.assign(new Error('stored file not found'), { code: 'ENOENT' })
      return Buffer.from(row.bytes)
    },
    async remove(key) {
      await db.deleteFrom('stored_file').where('storage_key', '=', checked(key)).execute()
    },
  }
}

export type FileStoreKind = FileStore['kind']

/**
 * The store a server uses: `XINQIAO_FILE_STORE` (`local` or `database`) when set, otherwise the
 * database on PostgreSQL (where several app processes may serve one district or province) and the
 * local folder on SQLite (one process by construction).
 */
export function fileStoreKind(db: Kysely<Database>, env: NodeJS.ProcessEnv = process.env): FileStoreKind {
  const chosen = env.XINQIAO_FILE_STORE
  if (chosen === 'local' || chosen === 'database') return chosen
  if (chosen) throw new Error(`XINQIAO_FILE_STORE must be "local" or "database", not "${chosen}"`)
  return isPostgres(db) ? 'database' : 'local'
}

export function configuredFileStore(db: Kysely<Database>, env: NodeJS.ProcessEnv = process.env): FileStore {
  return fileStoreKind(db, env) === 'database'
    ? databaseFileStore(db)
    : localFileStore(env.XINQIAO_UPLOAD_DIR || join(dataDir(), 'uploads'))
}
