import type { Kysely } from 'kysely'
import { withId } from './helpers'

/**
 * Feature-school accreditation: the bureau's versioned indicator trees (a published version is
 * frozen), applications scored against the version they were opened under, per-point evidence files,
 * the expert panel with its conflict flags and sheets, reasoned post-visit deltas, discussions on
 * points the experts disagree about, titles with their re-review reminders, and the employment
 * history of accounts (for conflicts of interest).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('accreditation_version'))
    .addColumn('version_no', 'integer', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('tree', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('account.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text')
    .execute()

  await withId(db, db.schema.createTable('accreditation_application'))
    .addColumn('school_id', 'integer', (c) => c.notNull().references('school.id'))
    .addColumn('version_id', 'integer', (c) => c.notNull().references('accreditation_version.id'))
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('self_scores', 'text', (c) => c.notNull())
    .addColumn('self_comments_enc', 'text')
    .addColumn('system_evidence', 'text')
    .addColumn('submitted_at', 'text')
    .addColumn('returned_reason_enc', 'text')
    .addColumn('accepted_at', 'text')
    .addColumn('visited_on', 'text')
    .addColumn('visit_observations_enc', 'text')
    .addColumn('decision', 'text')
    .addColumn('decision_reason_enc', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('decided_by', 'integer', (c) => c.references('account.id'))
    .addColumn('created_by', 'integer', (c) => c.references('account.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()
  await db.schema.createIndex('accreditation_application_school_idx').on('accreditation_application').column('school_id').execute()

  await withId(db, db.schema.createTable('accreditation_evidence'))
    .addColumn('application_id', 'integer', (c) => c.notNull().references('accreditation_application.id'))
    .addColumn('school_id', 'integer', (c) => c.notNull().references('school.id'))
    .addColumn('point_code', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('file_ext', 'text', (c) => c.notNull())
    .addColumn('mime_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull().unique())
    .addColumn('uploaded_by', 'integer', (c) => c.references('account.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('accreditation_evidence_app_idx')
    .on('accreditation_evidence')
    .columns(['application_id', 'point_code'])
    .execute()

  await withId(db, db.schema.createTable('accreditation_panel'))
    .addColumn('application_id', 'integer', (c) => c.notNull().references('accreditation_application.id'))
    .addColumn('expert_id', 'integer', (c) => c.notNull().references('account.id'))
    .addColumn('conflicts', 'text', (c) => c.notNull())
    .addColumn('override_reason_enc', 'text')
    .addColumn('assigned_by', 'integer', (c) => c.references('account.id'))
    .addColumn('assigned_at', 'text', (c) => c.notNull())
    .addColumn('scores', 'text', (c) => c.notNull())
    .addColumn('comments_enc', 'text')
    .addColumn('saved_at', 'text')
    .addColumn('submitted_at', 'text')
    .addUniqueConstraint('accreditation_panel_uq', ['application_id', 'expert_id'])
    .execute()
  await db.schema.createIndex('accreditation_panel_expert_idx').on('accreditation_panel').column('expert_id').execute()

  await withId(db, db.schema.createTable('accreditation_delta'))
    .addColumn('application_id', 'integer', (c) => c.notNull().references('accreditation_application.id'))
    .addColumn('expert_id', 'integer', (c) => c.notNull().references('account.id'))
    .addColumn('point_code', 'text', (c) => c.notNull())
    .addColumn('delta', 'real', (c) => c.notNull())
    .addColumn('reason_enc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('accreditation_delta_app_idx').on('accreditation_delta').column('application_id').execute()

  await withId(db, db.schema.createTable('accreditation_discussion'))
    .addColumn('application_id', 'integer', (c) => c.notNull().references('accreditation_application.id'))
    .addColumn('point_code', 'text', (c) => c.notNull())
    .addColumn('opened_by', 'integer', (c) => c.references('account.id'))
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('accreditation_discussion_uq', ['application_id', 'point_code'])
    .execute()

  await withId(db, db.schema.createTable('accreditation_message'))
    .addColumn('discussion_id', 'integer', (c) => c.notNull().references('accreditation_discussion.id'))
    .addColumn('author_id', 'integer', (c) => c.references('account.id'))
    .addColumn('text_enc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('accreditation_message_disc_idx').on('accreditation_message').column('discussion_id').execute()

  await withId(db, db.schema.createTable('accreditation_title'))
    .addColumn('school_id', 'integer', (c) => c.notNull().references('school.id'))
    .addColumn('application_id', 'integer', (c) => c.notNull().references('accreditation_application.id').unique())
    .addColumn('starts_on', 'text', (c) => c.notNull())
    .addColumn('expires_on', 'text', (c) => c.notNull())
    .addColumn('withdrawn_on', 'text')
    .addColumn('withdrawn_reason_enc', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('accreditation_title_school_idx').on('accreditation_title').column('school_id').execute()

  await db.schema
    .createTable('accreditation_reminder')
    .addColumn('title_id', 'integer', (c) => c.notNull().references('accreditation_title.id'))
    .addColumn('days_before', 'integer', (c) => c.notNull())
    .addColumn('sent_on', 'text', (c) => c.notNull())
    .addColumn('delivered', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('accreditation_reminder_pk', ['title_id', 'days_before'])
    .execute()

  await withId(db, db.schema.createTable('account_employment'))
    .addColumn('account_id', 'integer', (c) => c.notNull().references('account.id'))
    .addColumn('school_id', 'integer', (c) => c.notNull().references('school.id'))
    .addColumn('from_on', 'text', (c) => c.notNull())
    .addColumn('to_on', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('account_employment_account_idx').on('account_employment').column('account_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'account_employment',
    'accreditation_reminder',
    'accreditation_title',
    'accreditation_message',
    'accreditation_discussion',
    'accreditation_delta',
    'accreditation_panel',
    'accreditation_evidence',
    'accreditation_application',
    'accreditation_version',
  ])
    await db.schema.dropTable(t).execute()
}
