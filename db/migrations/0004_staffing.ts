import type { Kysely } from 'kysely'
import { withId } from './helpers'

/**
 * The psychology team of each school (with certificates and training), its counselling room per
 * school year, and the district's editable local rules (staffing ratio, room targets and standard).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('district_setting')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('account.id'))
    .execute()

  await withId(db, db.schema.createTable('staff_member'))
    .addColumn('school_id', 'integer', (c) => c.notNull().references('school.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('employment', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('starts_on', 'text', (c) => c.notNull())
    .addColumn('ends_on', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()
  await db.schema.createIndex('staff_member_school_idx').on('staff_member').columns(['school_id', 'starts_on']).execute()

  await withId(db, db.schema.createTable('staff_certificate'))
    .addColumn('staff_id', 'integer', (c) => c.notNull().references('staff_member.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('issuer', 'text')
    .addColumn('issued_on', 'text')
    .addColumn('expires_on', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('staff_certificate_staff_idx').on('staff_certificate').column('staff_id').execute()
  await db.schema.createIndex('staff_certificate_expiry_idx').on('staff_certificate').column('expires_on').execute()

  await withId(db, db.schema.createTable('staff_training'))
    .addColumn('staff_id', 'integer', (c) => c.notNull().references('staff_member.id').onDelete('cascade'))
    .addColumn('school_year_id', 'integer', (c) => c.notNull().references('school_year.id'))
    .addColumn('course', 'text', (c) => c.notNull())
    .addColumn('hours', 'double precision', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('completed_on', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('staff_training_year_idx').on('staff_training').columns(['school_year_id', 'staff_id']).execute()

  await withId(db, db.schema.createTable('counselling_room'))
    .addColumn('school_id', 'integer', (c) => c.notNull().references('school.id'))
    .addColumn('school_year_id', 'integer', (c) => c.notNull().references('school_year.id'))
    .addColumn('is_set_up', 'integer', (c) => c.notNull())
    .addColumn('set_up_on', 'text')
    .addColumn('display_name', 'text')
    .addColumn('individual_m2', 'double precision')
    .addColumn('group_m2', 'double precision')
    .addColumn('office_m2', 'double precision')
    .addColumn('optional_areas', 'text', (c) => c.notNull())
    .addColumn('has_mailbox', 'integer', (c) => c.notNull())
    .addColumn('weekly_open_hours', 'double precision', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('account.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('counselling_room_school_year_uq', ['school_id', 'school_year_id'])
    .execute()
  await db.schema.createIndex('counselling_room_year_idx').on('counselling_room').columns(['school_year_id', 'school_id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['counselling_room', 'staff_training', 'staff_certificate', 'staff_member', 'district_setting']) {
    await db.schema.dropTable(t).execute()
  }
}
