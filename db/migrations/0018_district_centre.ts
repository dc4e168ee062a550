import type { Kysely } from 'kysely'
import { withId } from './helpers'

/**
 * The district centre (区级未成年人心理健康成长辅导中心) as an alert handler and break-glass reader.
 * - `assessment_alert.centre_at`: when the alert reached the district centre (routed there when raised, or
 *   escalated); the centre sees exactly these alerts. `routed_to_centre` 1: raised straight to the centre (the
 *   school has no counsellor, or the bureau routed the school there), so the school's counsellors never see it.
 * - `alert_routing`: the bureau's per-school decision that the school's alerts go to the centre, not to its
 *   counsellors (e.g. the only counsellor is in the teacher's line of management).
 * - `break_glass`: a time-limited, reasoned opening of one restricted case file by an admin or the centre,
 *   listed for the bureau's review. The reason is encrypted like case notes.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('assessment_alert').addColumn('centre_at', 'text').execute()
  await db.schema
    .alterTable('assessment_alert')
    .addColumn('routed_to_centre', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()

  await db.schema
    .createTable('alert_routing')
    .addColumn('school_id', 'integer', (c) => c.primaryKey().references('school.id'))
    .addColumn('to_centre', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('account.id'))
    .execute()

  await withId(db, db.schema.createTable('break_glass'))
    .addColumn('case_id', 'integer', (c) => c.notNull().references('student_case.id'))
    .addColumn('school_id', 'integer', (c) => c.notNull().references('school.id'))
    .addColumn('account_id', 'integer', (c) => c.notNull().references('account.id'))
    .addColumn('reason_enc', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('reviewed_at', 'text')
    .addColumn('reviewed_by', 'integer', (c) => c.references('account.id'))
    .execute()
  await db.schema.createIndex('break_glass_account_idx').on('break_glass').columns(['account_id', 'expires_at']).execute()
  await db.schema.createIndex('break_glass_review_idx').on('break_glass').columns(['reviewed_at', 'opened_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('break_glass').execute()
  await db.schema.dropTable('alert_routing').execute()
  await db.schema.alterTable('assessment_alert').dropColumn('routed_to_centre').execute()
  await db.schema.alterTable('assessment_alert').dropColumn('centre_at').execute()
}
