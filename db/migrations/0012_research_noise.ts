import type { Kysely } from 'kysely'
import { withId } from './helpers'

/**
 * Noisy counts for research aggregate tables: a project's privacy-loss budget ε (set by the bureau)
 * and what its approved releases have spent, kept as integers in thousandths of ε so sums are exact on
 * both databases. The spend ledger holds one row per approved noisy release.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('research_project')
    .addColumn('epsilon_budget_milli', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema
    .alterTable('research_project')
    .addColumn('epsilon_spent_milli', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema.alterTable('research_export').addColumn('epsilon_milli', 'integer').execute()

  await withId(db, db.schema.createTable('research_noise_spend'))
    .addColumn('project_id', 'integer', (c) => c.notNull().references('research_project.id'))
    .addColumn('export_id', 'integer', (c) => c.notNull().unique().references('research_export.id'))
    .addColumn('epsilon_milli', 'integer', (c) => c.notNull())
    .addColumn('spent_by', 'integer', (c) => c.notNull().references('account.id'))
    .addColumn('spent_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('research_noise_spend_project_idx').on('research_noise_spend').column('project_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('research_noise_spend').execute()
  await db.schema.alterTable('research_export').dropColumn('epsilon_milli').execute()
  await db.schema.alterTable('research_project').dropColumn('epsilon_spent_milli').execute()
  await db.schema.alterTable('research_project').dropColumn('epsilon_budget_milli').execute()
}
