import { sql, type Kysely } from 'kysely'
import { Migrator } from 'kysely/migration'
import { migrationProvider } from './migrations'
import { isPostgres } from './migrations/helpers'

export interface MigrationOutcome {
  applied: string[]
}

export async function migrateToLatest(db: Kysely<any>): Promise<MigrationOutcome> {
  // Kysely looks for its migration tables in *any* schema unless told which one, so a second
  // schema in the same PostgreSQL database (tests, staging) would skip creating its own.
  const migrationTableSchema = isPostgres(db)
    ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
    : undefined
  const migrator = new Migrator({ db, provider: migrationProvider, migrationTableSchema })
  const { error, results } = await migrator.migrateToLatest()
  if (error) throw error instanceof Error ? error : new Error(String(error))
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) }
}
