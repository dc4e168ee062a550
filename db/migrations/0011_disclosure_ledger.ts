import type { Kysely } from 'kysely'
import { withId } from './helpers'

/**
 * The disclosure ledger: every release of aggregate figures to an audience (the bureau's dashboards,
 * a research project), with what it published. A later release to the same audience is judged against
 * what that audience already holds, so comparing two releases never recovers a small count.
 * `known` is the cumulative map entry → last value this audience was shown; `fingerprint` lets an
 * unchanged release be served again without a new row.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('disclosure_release'))
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('release_key', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('threshold', 'integer', (c) => c.notNull())
    .addColumn('entries', 'integer', (c) => c.notNull())
    .addColumn('hidden', 'text', (c) => c.notNull())
    .addColumn('known', 'text', (c) => c.notNull())
    .addColumn('released_at', 'text', (c) => c.notNull())
    .addColumn('released_by', 'integer')
    .execute()
  await db.schema.createIndex('disclosure_release_key_idx').on('disclosure_release').columns(['audience', 'release_key', 'id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('disclosure_release').execute()
}
