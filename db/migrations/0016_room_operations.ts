import type { Kysely } from 'kysely'
import { withId } from './helpers'

/**
 * The counselling room's daily work: the duty rota (weekly opening slots with the counsellor on duty)
 * and closures; appointments (booked by a counsellor or requested from the public page, reached by a
 * code stored only as a hash) and the booking that holds a room slot — one row per confirmed
 * appointment with unique (school, start) and (counsellor, start) keys, so two confirmations of one
 * slot cannot both commit on either database; the visit log; group counselling with sessions and
 * attendance; and each counsellor's revocable calendar-feed token (hash only).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('room_slot'))
    .addColumn('school_id', 'integer', (c) => c.notNull().references('school.id'))
    .addColumn('weekday', 'integer', (c) => c.notNull())
    .addColumn('start_min', 'integer', (c) => c.notNull())
    .addColumn('end_min', 'integer', (c) => c.notNull())
    .addColumn('counsellor_id', 'integer', (c) => c.notNull().references('account.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('room_slot_school_idx').on('room_slot').columns(['school_id', 'weekday']).execute()

  await withId(db, db.schema.createTable('room_closure'))
    .addColumn('school_id', 'integer', (c) => c.notNull().references('school.id'))
    .addColumn('starts_on', 'text', (c) => c.notNull())
    .addColumn('ends_on', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('account.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('room_closure_school_idx').on('room_closure').columns(['school_id', 'starts_on']).execute()

  await withId(db, db.schema.createTable('room_appointment'))
    .addColumn('school_id', 'integer', (c) => c.notNull().references('school.id'))
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('requester_kind', 'text', (c) => c.notNull())
    .addColumn('student_id', 'integer', (c) => c.references('student.id'))
    .addColumn('requester_enc', 'text')
    .addColumn('topic_enc', 'text')
    .addColumn('preferred', 'text', (c) => c.notNull())
    .addColumn('urgent', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('code_hash', 'text', (c) => c.unique())
    .addColumn('counsellor_id', 'integer', (c) => c.references('account.id'))
    .addColumn('starts_at', 'text')
    .addColumn('ends_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()
  await db.schema.createIndex('room_appointment_school_idx').on('room_appointment').columns(['school_id', 'status', 'starts_at']).execute()

  await db.schema
    .createTable('room_booking')
    .addColumn('appointment_id', 'integer', (c) => c.primaryKey().references('room_appointment.id'))
    .addColumn('school_id', 'integer', (c) => c.notNull().references('school.id'))
    .addColumn('counsellor_id', 'integer', (c) => c.notNull().references('account.id'))
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('room_booking_room_uq', ['school_id', 'starts_at'])
    .addUniqueConstraint('room_booking_counsellor_uq', ['counsellor_id', 'starts_at'])
    .execute()

  await withId(db, db.schema.createTable('room_visit'))
    .addColumn('school_id', 'integer', (c) => c.notNull().references('school.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('student_id', 'integer', (c) => c.references('student.id'))
    .addColumn('anonymous', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('occurred_on', 'text', (c) => c.notNull())
    .addColumn('start_min', 'integer', (c) => c.notNull())
    .addColumn('duration_min', 'integer', (c) => c.notNull())
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('case_id', 'integer', (c) => c.references('student_case.id'))
    .addColumn('appointment_id', 'integer', (c) => c.references('room_appointment.id').unique())
    .addColumn('counsellor_id', 'integer', (c) => c.references('account.id'))
    .addColumn('notes_enc', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('room_visit_school_idx').on('room_visit').columns(['school_id', 'occurred_on']).execute()
  await db.schema.createIndex('room_visit_case_idx').on('room_visit').column('case_id').execute()

  await withId(db, db.schema.createTable('room_group'))
    .addColumn('school_id', 'integer', (c) => c.notNull().references('school.id'))
    .addColumn('theme', 'text', (c) => c.notNull())
    .addColumn('facilitators', 'text', (c) => c.notNull())
    .addColumn('counts_as_activity', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'integer', (c) => c.references('account.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('room_group_school_idx').on('room_group').column('school_id').execute()

  await db.schema
    .createTable('room_group_member')
    .addColumn('group_id', 'integer', (c) => c.notNull().references('room_group.id'))
    .addColumn('student_id', 'integer', (c) => c.notNull().references('student.id'))
    .addPrimaryKeyConstraint('room_group_member_pk', ['group_id', 'student_id'])
    .execute()

  await withId(db, db.schema.createTable('room_group_session'))
    .addColumn('group_id', 'integer', (c) => c.notNull().references('room_group.id'))
    .addColumn('on_date', 'text', (c) => c.notNull())
    .addColumn('start_min', 'integer', (c) => c.notNull())
    .addColumn('duration_min', 'integer', (c) => c.notNull())
    .addColumn('notes_enc', 'text')
    .addColumn('attendance_taken_at', 'text')
    .execute()
  await db.schema.createIndex('room_group_session_group_idx').on('room_group_session').columns(['group_id', 'on_date']).execute()

  await db.schema
    .createTable('room_group_attendance')
    .addColumn('session_id', 'integer', (c) => c.notNull().references('room_group_session.id'))
    .addColumn('student_id', 'integer', (c) => c.notNull().references('student.id'))
    .addColumn('present', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('room_group_attendance_pk', ['session_id', 'student_id'])
    .execute()

  await db.schema
    .createTable('room_feed_token')
    .addColumn('account_id', 'integer', (c) => c.primaryKey().references('account.id'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'room_feed_token',
    'room_group_attendance',
    'room_group_session',
    'room_group_member',
    'room_group',
    'room_visit',
    'room_booking',
    'room_appointment',
    'room_closure',
    'room_slot',
  ])
    await db.schema.dropTable(t).execute()
}
