import type { Kysely } from 'kysely'
import { withId } from './helpers'

/**
 * The assessment engine, first used for teachers: a school's teacher roster; rounds (a window, a list
 * of instruments, target schools, the consent text, a recurrence); one respondent per person invited to
 * a round, reached through a single-use code stored only as a hash; the scored answers; confidential
 * alerts raised in the submission's transaction, with their support contacts and follow-ups.
 * Respondents are of a kind (`teacher` now, students later), so the round, code and scoring tables
 * do not name teachers.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('teacher'))
    .addColumn('school_id', 'integer', (c) => c.notNull().references('school.id'))
    .addColumn('staff_no', 'text', (c) => c.notNull())
    .addColumn('name_enc', 'text', (c) => c.notNull())
    .addColumn('sex', 'text', (c) => c.notNull())
    .addColumn('birth_year', 'integer')
    .addColumn('subject', 'text')
    .addColumn('phone_enc', 'text')
    .addColumn('left_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('teacher_school_no_uq', ['school_id', 'staff_no'])
    .execute()

  await withId(db, db.schema.createTable('assessment_round'))
    .addColumn('respondent_kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('owner_school_id', 'integer', (c) => c.references('school.id'))
    .addColumn('instruments', 'text', (c) => c.notNull())
    .addColumn('opens_at', 'text', (c) => c.notNull())
    .addColumn('closes_at', 'text', (c) => c.notNull())
    .addColumn('consent_zh', 'text', (c) => c.notNull())
    .addColumn('consent_en', 'text', (c) => c.notNull())
    .addColumn('recurrence', 'text', (c) => c.notNull())
    .addColumn('previous_round_id', 'integer', (c) => c.references('assessment_round.id').unique())
    .addColumn('created_by', 'integer', (c) => c.references('account.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('assessment_round_school')
    .addColumn('round_id', 'integer', (c) => c.notNull().references('assessment_round.id'))
    .addColumn('school_id', 'integer', (c) => c.notNull().references('school.id'))
    .addPrimaryKeyConstraint('assessment_round_school_pk', ['round_id', 'school_id'])
    .execute()
  await db.schema.createIndex('assessment_round_school_school_idx').on('assessment_round_school').column('school_id').execute()

  await withId(db, db.schema.createTable('assessment_respondent'))
    .addColumn('round_id', 'integer', (c) => c.notNull().references('assessment_round.id'))
    .addColumn('school_id', 'integer', (c) => c.notNull().references('school.id'))
    .addColumn('person_id', 'integer', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.unique())
    .addColumn('code_issued_at', 'text')
    .addColumn('draft_enc', 'text')
    .addColumn('saved_at', 'text')
    .addColumn('submitted_at', 'text')
    .addColumn('contact_requested', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('assessment_respondent_person_uq', ['round_id', 'person_id'])
    .execute()
  await db.schema.createIndex('assessment_respondent_school_idx').on('assessment_respondent').columns(['round_id', 'school_id']).execute()

  await withId(db, db.schema.createTable('assessment_result'))
    .addColumn('respondent_id', 'integer', (c) => c.notNull().references('assessment_respondent.id'))
    .addColumn('instrument', 'text', (c) => c.notNull())
    .addColumn('instrument_version', 'integer', (c) => c.notNull())
    .addColumn('answers_enc', 'text', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('band', 'text', (c) => c.notNull())
    .addColumn('band_rank', 'integer', (c) => c.notNull())
    .addColumn('flags', 'text', (c) => c.notNull())
    .addUniqueConstraint('assessment_result_uq', ['respondent_id', 'instrument'])
    .execute()

  await withId(db, db.schema.createTable('assessment_alert'))
    .addColumn('respondent_id', 'integer', (c) => c.notNull().references('assessment_respondent.id').unique())
    .addColumn('round_id', 'integer', (c) => c.notNull().references('assessment_round.id'))
    .addColumn('school_id', 'integer', (c) => c.notNull().references('school.id'))
    .addColumn('is_alert', 'integer', (c) => c.notNull())
    .addColumn('reasons', 'text', (c) => c.notNull())
    .addColumn('raised_at', 'text', (c) => c.notNull())
    .addColumn('acknowledged_at', 'text')
    .addColumn('handler_id', 'integer', (c) => c.references('account.id'))
    .addColumn('escalated_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('outcome_enc', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()
  await db.schema.createIndex('assessment_alert_school_idx').on('assessment_alert').columns(['school_id', 'closed_at']).execute()

  await withId(db, db.schema.createTable('assessment_support'))
    .addColumn('alert_id', 'integer', (c) => c.notNull().references('assessment_alert.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('on_date', 'text', (c) => c.notNull())
    .addColumn('text_enc', 'text', (c) => c.notNull())
    .addColumn('done_at', 'text')
    .addColumn('created_by', 'integer', (c) => c.references('account.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('assessment_support_alert_idx').on('assessment_support').column('alert_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'assessment_support',
    'assessment_alert',
    'assessment_result',
    'assessment_respondent',
    'assessment_round_school',
    'assessment_round',
    'teacher',
  ])
    await db.schema.dropTable(t).execute()
}
