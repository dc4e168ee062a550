import type { Kysely } from 'kysely'
import { withId } from './helpers'

/**
 * A crisis record states only what somebody did. Each notification is its own row: the person or role
 * told and when, by whom it was recorded; a notification task is done by pointing at one. A task may
 * be marked not applicable with a reason, and a referral task points at the referral that fulfilled it.
 * Staying with the student becomes a step confirmed in the crisis record; open `stay_with_student`
 * tasks are retired (status not_applicable, no reason, no person: the system did it, and says so).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('case_notification'))
    .addColumn('case_id', 'integer', (c) => c.notNull().references('student_case.id'))
    .addColumn('school_id', 'integer', (c) => c.notNull())
    .addColumn('crisis_id', 'integer', (c) => c.references('case_crisis.id'))
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('name_enc', 'text')
    .addColumn('notified_at', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'integer', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('case_notification_case_idx').on('case_notification').column('case_id').execute()

  await db.schema.alterTable('case_task').addColumn('na_reason_enc', 'text').execute()
  await db.schema.alterTable('case_task').addColumn('notification_id', 'integer').execute()
  await db.schema.alterTable('case_task').addColumn('referral_id', 'integer').execute()

  // 1 confirmed, 0 not confirmed; null on crises recorded before this migration: not asked, never "no".
  await db.schema.alterTable('case_crisis').addColumn('accompanied', 'integer').execute()
  await db.schema.alterTable('case_crisis').addColumn('accompanied_by_enc', 'text').execute()

  const at = new Date().toISOString()
  await db
    .updateTable('case_task')
    .set({ status: 'not_applicable', completed_at: at, completed_by: null })
    .where('kind', '=', 'stay_with_student')
    .where('status', '=', 'open')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('case_crisis').dropColumn('accompanied_by_enc').execute()
  await db.schema.alterTable('case_crisis').dropColumn('accompanied').execute()
  for (const column of ['referral_id', 'notification_id', 'na_reason_enc'])
    await db.schema.alterTable('case_task').dropColumn(column).execute()
  await db.schema.dropTable('case_notification').execute()
}
