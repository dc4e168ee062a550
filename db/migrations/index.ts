import type { Migration, MigrationProvider } from 'kysely/migration'
import * as m0001 from './0001_init'

/** Static registry: bundlers cannot follow a folder scan, and the order must never depend on the file system. */
export const migrations: Record<string, Migration> = {
  '0001_init': m0001,
}

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
}
