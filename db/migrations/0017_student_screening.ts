import type { Kysely } from 'kysely'
import { withId } from './helpers'

/**
 * Student screening: district-defined questionnaires (versioned; a published version is frozen);
 * campaigns for grades and classes of schools; per-student consent (guardian under 14, the student
 * from 14) recorded from paper slips and withdrawable; class sessions with a class code; respondents
 * (consented students only) with a personal code stored as a hash; scored results whose item answers
 * are purged after the retention period; warnings for the school's counsellors with the second-stage
 * interview, its outcome and the case it opened.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('screening_questionnaire'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('account.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()

  await withId(db, db.schema.createTable('screening_questionnaire_version'))
    .addColumn('questionnaire_id', 'integer', (c) => c.notNull().references('screening_questionnaire.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text')
    .addColumn('published_by', 'integer', (c) => c.references('account.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('row_version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('screening_questionnaire_version_uq', ['questionnaire_id', 'version'])
    .execute()

  await withId(db, db.schema.createTable('screening_campaign'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('owner_school_id', 'integer', (c) => c.references('school.id'))
    .addColumn('school_year', 'text', (c) => c.notNull())
    .addColumn('campaign_date', 'text', (c) => c.notNull())
    .addColumn('closes_on', 'text', (c) => c.notNull())
    .addColumn('instruments', 'text', (c) => c.notNull())
    .addColumn('grades', 'text', (c) => c.notNull())
    .addColumn('class_names', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('account.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('screening_campaign_school')
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('screening_campaign.id'))
    .addColumn('school_id', 'integer', (c) => c.notNull().references('school.id'))
    .addPrimaryKeyConstraint('screening_campaign_school_pk', ['campaign_id', 'school_id'])
    .execute()
  await db.schema.createIndex('screening_campaign_school_school_idx').on('screening_campaign_school').column('school_id').execute()

  await withId(db, db.schema.createTable('screening_consent'))
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('screening_campaign.id'))
    .addColumn('student_id', 'integer', (c) => c.notNull().references('student.id'))
    .addColumn('school_id', 'integer', (c) => c.notNull().references('school.id'))
    .addColumn('party', 'text', (c) => c.notNull())
    .addColumn('slip_date', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'integer', (c) => c.references('account.id'))
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('withdrawn_at', 'text')
    .addColumn('withdrawn_by', 'integer', (c) => c.references('account.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('screening_consent_uq', ['campaign_id', 'student_id'])
    .execute()

  await withId(db, db.schema.createTable('screening_session'))
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('screening_campaign.id'))
    .addColumn('school_id', 'integer', (c) => c.notNull().references('school.id'))
    .addColumn('grade', 'integer', (c) => c.notNull())
    .addColumn('class_name', 'text', (c) => c.notNull())
    .addColumn('class_code', 'text', (c) => c.notNull().unique())
    .addColumn('started_by', 'integer', (c) => c.references('account.id'))
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .execute()

  await withId(db, db.schema.createTable('screening_respondent'))
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('screening_campaign.id'))
    .addColumn('school_id', 'integer', (c) => c.notNull().references('school.id'))
    .addColumn('student_id', 'integer', (c) => c.notNull().references('student.id'))
    .addColumn('grade', 'integer', (c) => c.notNull())
    .addColumn('class_name', 'text', (c) => c.notNull())
    .addColumn('sex', 'text', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.unique())
    .addColumn('code_issued_at', 'text')
    .addColumn('draft_enc', 'text')
    .addColumn('saved_at', 'text')
    .addColumn('submitted_at', 'text')
    .addColumn('session_id', 'integer', (c) => c.references('screening_session.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('screening_respondent_student_uq', ['campaign_id', 'student_id'])
    .execute()
  await db.schema.createIndex('screening_respondent_school_idx').on('screening_respondent').columns(['campaign_id', 'school_id']).execute()

  await withId(db, db.schema.createTable('screening_result'))
    .addColumn('respondent_id', 'integer', (c) => c.notNull().references('screening_respondent.id'))
    .addColumn('instrument', 'text', (c) => c.notNull())
    .addColumn('instrument_version', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('answers_enc', 'text')
    .addColumn('answers_purged_at', 'text')
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('band', 'text', (c) => c.notNull())
    .addColumn('band_rank', 'integer', (c) => c.notNull())
    .addColumn('flags', 'text', (c) => c.notNull())
    .addColumn('passed', 'integer')
    .addUniqueConstraint('screening_result_uq', ['respondent_id', 'instrument'])
    .execute()

  await withId(db, db.schema.createTable('screening_warning'))
    .addColumn('respondent_id', 'integer', (c) => c.notNull().references('screening_respondent.id').unique())
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('screening_campaign.id'))
    .addColumn('school_id', 'integer', (c) => c.notNull().references('school.id'))
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('reasons', 'text', (c) => c.notNull())
    .addColumn('raised_at', 'text', (c) => c.notNull())
    .addColumn('interview_on', 'text')
    .addColumn('interview_enc', 'text')
    .addColumn('outcome', 'text')
    .addColumn('outcome_at', 'text')
    .addColumn('outcome_by', 'integer', (c) => c.references('account.id'))
    .addColumn('case_id', 'integer', (c) => c.references('student_case.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()
  await db.schema.createIndex('screening_warning_school_idx').on('screening_warning').columns(['school_id', 'outcome']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'screening_warning',
    'screening_result',
    'screening_respondent',
    'screening_session',
    'screening_consent',
    'screening_campaign_school',
    'screening_campaign',
    'screening_questionnaire_version',
    'screening_questionnaire',
  ])
    await db.schema.dropTable(t).execute()
}
