import { openDatabase, dataDir, type DbHandle } from '../db/client'
import { migrateToLatest } from '../db/migrate'
import { seedIfEmpty, type SeedReport } from './demo'
import { loadKeys, type AppKeys } from './services/keys'
import { convertLegacyRiskHistory } from './services/risk-history'
import { encryptPlainAttachmentNames } from './services/attachment-names'

export interface AppRuntime {
  handle: DbHandle
  keys: AppKeys
  seed: SeedReport
}

// One database handle per process (a pool for PostgreSQL, one connection for SQLite); it holds no
// per-user state. Created on first use so tests and scripts can open their own.
let runtime: Promise<AppRuntime> | undefined

export function useRuntime(): Promise<AppRuntime> {
  runtime ??= boot()
  return runtime
}

async function boot(): Promise<AppRuntime> {
  // Keys first: a refused key custody must stop the server before it touches the database.
  const keys = loadKeys(dataDir())
  const handle = openDatabase()
  await migrateToLatest(handle.db)
  await convertLegacyRiskHistory(handle.db, keys)
  await encryptPlainAttachmentNames(handle.db, keys)
  const seed = await seedIfEmpty(handle.db, keys)
  return { handle, keys, seed }
}
