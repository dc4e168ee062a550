import type { Kysely } from 'kysely'
import { withId } from './helpers'

/**
 * One notification inbox for every staff account, used by every domain's alerts and reminders. An item
 * names its kind and the record it is about (a link), never the record's sensitive content: the
 * recipient opens the record, with its own permission check and audit row.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('inbox_item'))
    .addColumn('account_id', 'integer', (c) => c.notNull().references('account.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'integer', (c) => c.notNull())
    .addColumn('school_id', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .execute()
  await db.schema.createIndex('inbox_item_account_idx').on('inbox_item').columns(['account_id', 'read_at', 'created_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('inbox_item').execute()
}
