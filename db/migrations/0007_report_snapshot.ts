import type { Kysely } from 'kysely'
import { withId } from './helpers'

/**
 * A supervision round's report is frozen when the round closes: the figures as they stood then,
 * stored as a versioned snapshot (closing again after a reopen adds a version, never rewrites one).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('evaluation_report_snapshot'))
    .addColumn('round_id', 'integer', (c) => c.notNull().references('evaluation_round.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('account.id'))
    .addUniqueConstraint('evaluation_report_snapshot_uq', ['round_id', 'version'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('evaluation_report_snapshot').execute()
}
