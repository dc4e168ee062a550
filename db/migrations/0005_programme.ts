import type { Kysely } from 'kysely'
import { withId } from './helpers'

/**
 * The "seven ones" programme's evidence per school and school year (team, events with attachments,
 * information channels, clinic link) and the half-yearly supervision evaluation (rounds and each
 * school's self-evaluation and bureau score). Case follow-up and referrals are read from the case tables.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('programme_team'))
    .addColumn('school_id', 'integer', (c) => c.notNull().references('school.id'))
    .addColumn('school_year_id', 'integer', (c) => c.notNull().references('school_year.id'))
    .addColumn('set_up_on', 'text')
    .addColumn('note', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('account.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('programme_team_school_year_uq', ['school_id', 'school_year_id'])
    .execute()

  await withId(db, db.schema.createTable('programme_class'))
    .addColumn('school_id', 'integer', (c) => c.notNull().references('school.id'))
    .addColumn('school_year_id', 'integer', (c) => c.notNull().references('school_year.id'))
    .addColumn('grade', 'integer', (c) => c.notNull())
    .addColumn('class_name', 'text', (c) => c.notNull())
    .addColumn('head_teacher_trained', 'integer', (c) => c.notNull())
    .addColumn('peer_supporters', 'integer', (c) => c.notNull())
    .addUniqueConstraint('programme_class_uq', ['school_id', 'school_year_id', 'grade', 'class_name'])
    .execute()

  await withId(db, db.schema.createTable('programme_event'))
    .addColumn('school_id', 'integer', (c) => c.notNull().references('school.id'))
    .addColumn('school_year_id', 'integer', (c) => c.notNull().references('school_year.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('held_on', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('audiences', 'text', (c) => c.notNull())
    .addColumn('grades', 'text', (c) => c.notNull())
    .addColumn('participants', 'integer', (c) => c.notNull())
    .addColumn('organiser', 'text')
    .addColumn('summary', 'text')
    .addColumn('scenario', 'text')
    .addColumn('roles', 'text', (c) => c.notNull())
    .addColumn('response_minutes', 'double precision')
    .addColumn('problems_found', 'text')
    .addColumn('improvements', 'text')
    .addColumn('created_by', 'integer', (c) => c.references('account.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()
  await db.schema.createIndex('programme_event_school_idx').on('programme_event').columns(['school_year_id', 'school_id', 'kind']).execute()

  await withId(db, db.schema.createTable('programme_attachment'))
    .addColumn('event_id', 'integer', (c) => c.notNull().references('programme_event.id'))
    .addColumn('school_id', 'integer', (c) => c.notNull().references('school.id'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('mime_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull().unique())
    .addColumn('uploaded_by', 'integer', (c) => c.references('account.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('programme_attachment_event_idx').on('programme_attachment').column('event_id').execute()

  await withId(db, db.schema.createTable('programme_channel'))
    .addColumn('school_id', 'integer', (c) => c.notNull().references('school.id'))
    .addColumn('school_year_id', 'integer', (c) => c.notNull().references('school_year.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('address', 'text')
    .addColumn('launched_on', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('programme_channel_school_idx').on('programme_channel').columns(['school_year_id', 'school_id']).execute()

  await withId(db, db.schema.createTable('programme_clinic'))
    .addColumn('school_id', 'integer', (c) => c.notNull().references('school.id'))
    .addColumn('school_year_id', 'integer', (c) => c.notNull().references('school_year.id'))
    .addColumn('hospital', 'text', (c) => c.notNull())
    .addColumn('clinic_name', 'text')
    .addColumn('green_channel', 'integer', (c) => c.notNull())
    .addColumn('agreement_on', 'text')
    .addColumn('contact_name', 'text')
    .addColumn('contact_phone', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('programme_clinic_school_year_uq', ['school_id', 'school_year_id'])
    .execute()

  await withId(db, db.schema.createTable('evaluation_round'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('school_year_id', 'integer', (c) => c.notNull().references('school_year.id'))
    .addColumn('half', 'text', (c) => c.notNull())
    .addColumn('opens_on', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('indicators', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('account.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('evaluation_round_year_half_uq', ['school_year_id', 'half'])
    .execute()

  await withId(db, db.schema.createTable('evaluation_submission'))
    .addColumn('round_id', 'integer', (c) => c.notNull().references('evaluation_round.id'))
    .addColumn('school_id', 'integer', (c) => c.notNull().references('school.id'))
    .addColumn('self_scores', 'text')
    .addColumn('self_total', 'double precision')
    .addColumn('self_summary', 'text')
    .addColumn('submitted_at', 'text')
    .addColumn('submitted_by', 'integer', (c) => c.references('account.id'))
    .addColumn('bureau_scores', 'text')
    .addColumn('bureau_total', 'double precision')
    .addColumn('bureau_comment', 'text')
    .addColumn('scored_at', 'text')
    .addColumn('scored_by', 'integer', (c) => c.references('account.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('evaluation_submission_uq', ['round_id', 'school_id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'evaluation_submission',
    'evaluation_round',
    'programme_clinic',
    'programme_channel',
    'programme_attachment',
    'programme_event',
    'programme_class',
    'programme_team',
  ]) {
    await db.schema.dropTable(t).execute()
  }
}
