import type { Kysely } from 'kysely'
import { isPostgres } from './helpers'

/**
 * Stored files (evidence attachments, ethics approvals, research export files) in the database,
 * for deployments where several app processes must read what any one of them wrote
 * (`XINQIAO_FILE_STORE=database`, the default on PostgreSQL). The bytes are the same encrypted
 * envelope the local folder holds; the key is the same random storage key.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('stored_file')
    .addColumn('storage_key', 'text', (c) => c.primaryKey())
    .addColumn('bytes', isPostgres(db) ? 'bytea' : 'blob', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('stored_file').execute()
}
