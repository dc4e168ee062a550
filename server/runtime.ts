import { openDatabase, dataDir, type DbHandle } from '../db/client'
import { migrateToLatest } from '../db/migrate'
import { seedIfEmpty, type SeedReport } from './demo'
import { loadKeys, type AppKeys } from './services/keys'
import { convertLegacyRiskHistory } from './services/risk-history'
import { encryptPlainAttachmentNames } from './services/attachment-names'
import { configuredFileStore, type FileStore } from './services/file-store'

export interface AppRuntime {
  handle: DbHandle
  keys: AppKeys
  /** the local uploads folder, or the database when several processes share it (XINQIAO_FILE_STORE) */
  files: FileStore
  seed: SeedReport
}

// One database handle per process (a pool for PostgreSQL, one connection for SQLite); it holds no
// per-user state. Created on first use so tests and scripts can open their own.
let runtime: Promise<AppRuntime> | undefined
let ready = false

export function useRuntime(): Promise<AppRuntime> {
  runtime ??= boot().then((r) => {
    ready = true
    return r
  })
  return runtime
}

/** Whether this process has migrated, seeded and loaded its keys (the readiness probe). */
export function runtimeReady(): boolean {
  return ready
}

async function boot(): Promise<AppRuntime> {
  // Keys first: a refused key custody must stop the server before it touches the database.
  const keys = loadKeys(dataDir())
  const handle = openDatabase()
  await migrateToLatest(handle.db)
  await convertLegacyRiskHistory(handle.db, keys)
  await encryptPlainAttachmentNames(handle.db, keys)
  const files = configuredFileStore(handle.db)
  const seed = await seedIfEmpty(handle.db, keys, files)
  return { handle, keys, files, seed }
}
