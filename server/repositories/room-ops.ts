import type { Insertable, Kysely, Updateable } from 'kysely'
import type {
  Database,
  RoomAppointmentTable,
  RoomBookingTable,
  RoomClosureTable,
  RoomGroupSessionTable,
  RoomGroupTable,
  RoomSlotTable,
  RoomVisitTable,
} from '../../db/schema'
import type { AppointmentStatus } from '../../shared/room-ops'

/**
 * Queries of the counselling room's daily work. Every read and write is keyed by the school the
 * service resolved from the actor's scope (or, for the public request page, from the school's code).
 */
export function slotsOf(db: Kysely<Database>, schoolId: number) {
  return db
    .selectFrom('room_slot')
    .leftJoin('account', 'account.id', 'room_slot.counsellor_id')
    .select([
      'room_slot.id',
      'room_slot.weekday',
      'room_slot.start_min',
      'room_slot.end_min',
      'room_slot.counsellor_id',
      'account.display_name as counsellor_name',
    ])
    .where('room_slot.school_id', '=', schoolId)
    .orderBy('room_slot.weekday')
    .orderBy('room_slot.start_min')
    .execute()
}

/** Slots of many schools at once (the bureau's rooms dashboard). */
export function slotsOfSchools(db: Kysely<Database>, schoolIds: readonly number[]) {
  if (!schoolIds.length) return Promise.resolve([])
  return db
    .selectFrom('room_slot')
    .select(['school_id', 'weekday', 'start_min', 'end_min', 'counsellor_id'])
    .where('school_id', 'in', [...schoolIds])
    .execute()
}

export async function replaceSlots(db: Kysely<Database>, schoolId: number, rows: Insertable<RoomSlotTable>[]): Promise<void> {
  await db.deleteFrom('room_slot').where('school_id', '=', schoolId).execute()
  if (rows.length) await db.insertInto('room_slot').values(rows).execute()
}

export function findSlot(db: Kysely<Database>, schoolId: number, id: number) {
  return db.selectFrom('room_slot').selectAll().where('school_id', '=', schoolId).where('id', '=', id).executeTakeFirst()
}

export function closuresOf(db: Kysely<Database>, schoolId: number) {
  return db.selectFrom('room_closure').selectAll().where('school_id', '=', schoolId).orderBy('starts_on').execute()
}

export async function insertClosure(db: Kysely<Database>, row: Insertable<RoomClosureTable>): Promise<number> {
  return (await db.insertInto('room_closure').values(row).returning('id').executeTakeFirstOrThrow()).id
}

export async function deleteClosure(db: Kysely<Database>, schoolId: number, id: number): Promise<boolean> {
  const r = await db.deleteFrom('room_closure').where('school_id', '=', schoolId).where('id', '=', id).executeTakeFirst()
  return Number(r.numDeletedRows) > 0
}

export async function insertAppointment(db: Kysely<Database>, row: Insertable<RoomAppointmentTable>): Promise<number> {
  return (await db.insertInto('room_appointment').values(row).returning('id').executeTakeFirstOrThrow()).id
}

export function findAppointment(db: Kysely<Database>, schoolId: number, id: number) {
  return db.selectFrom('room_appointment').selectAll().where('school_id', '=', schoolId).where('id', '=', id).executeTakeFirst()
}

export function appointmentByCodeHash(db: Kysely<Database>, codeHash: string) {
  return db
    .selectFrom('room_appointment')
    .select(['id', 'school_id', 'status', 'starts_at', 'ends_at'])
    .where('code_hash', '=', codeHash)
    .executeTakeFirst()
}

/** Optimistic update: false when the row moved on since `version` was read. */
export async function updateAppointment(
  db: Kysely<Database>,
  schoolId: number,
  id: number,
  version: number,
  values: Updateable<RoomAppointmentTable>,
): Promise<boolean> {
  const r = await db
    .updateTable('room_appointment')
    .set({ ...values, version: version + 1 })
    .where('school_id', '=', schoolId)
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}

export async function insertBooking(db: Kysely<Database>, row: Insertable<RoomBookingTable>): Promise<void> {
  await db.insertInto('room_booking').values(row).execute()
}

export async function deleteBooking(db: Kysely<Database>, appointmentId: number): Promise<void> {
  await db.deleteFrom('room_booking').where('appointment_id', '=', appointmentId).execute()
}

/** Bookings of the school's room or of one counsellor that overlap [from, to). */
export function overlappingBookings(db: Kysely<Database>, schoolId: number, counsellorId: number, from: string, to: string) {
  return db
    .selectFrom('room_booking')
    .select(['appointment_id', 'starts_at', 'ends_at'])
    .where((eb) => eb.or([eb('school_id', '=', schoolId), eb('counsellor_id', '=', counsellorId)]))
    .where('starts_at', '<', to)
    .where('ends_at', '>', from)
    .execute()
}

export function bookingsBetween(db: Kysely<Database>, schoolId: number, from: string, to: string) {
  return db
    .selectFrom('room_booking')
    .select(['appointment_id', 'counsellor_id', 'starts_at', 'ends_at'])
    .where('school_id', '=', schoolId)
    .where('starts_at', '<', to)
    .where('ends_at', '>', from)
    .execute()
}

export function appointmentsOf(
  db: Kysely<Database>,
  schoolId: number,
  f: { statuses: readonly AppointmentStatus[]; from?: string; to?: string },
) {
  let q = db
    .selectFrom('room_appointment')
    .leftJoin('account', 'account.id', 'room_appointment.counsellor_id')
    .selectAll('room_appointment')
    .select('account.display_name as counsellor_name')
    .where('room_appointment.school_id', '=', schoolId)
    .where('room_appointment.status', 'in', [...f.statuses])
  if (f.from) q = q.where('room_appointment.starts_at', '>=', f.from)
  if (f.to) q = q.where('room_appointment.starts_at', '<', f.to)
  return q
    .orderBy('room_appointment.urgent', 'desc')
    .orderBy('room_appointment.starts_at')
    .orderBy('room_appointment.created_at')
    .limit(500)
    .execute()
}

export function appointmentsOfCounsellor(db: Kysely<Database>, accountId: number, from: string) {
  return db
    .selectFrom('room_appointment')
    .select(['id', 'school_id', 'starts_at', 'ends_at', 'status'])
    .where('counsellor_id', '=', accountId)
    .where('status', 'in', ['confirmed', 'attended'])
    .where('starts_at', '>=', from)
    .orderBy('starts_at')
    .limit(1000)
    .execute()
}

export async function insertVisit(db: Kysely<Database>, row: Insertable<RoomVisitTable>): Promise<number> {
  return (await db.insertInto('room_visit').values(row).returning('id').executeTakeFirstOrThrow()).id
}

export function visitsOf(db: Kysely<Database>, schoolId: number, f: { from?: string; to?: string; limit: number; offset: number }) {
  let q = db
    .selectFrom('room_visit')
    .leftJoin('account', 'account.id', 'room_visit.counsellor_id')
    .selectAll('room_visit')
    .select('account.display_name as counsellor_name')
    .where('room_visit.school_id', '=', schoolId)
  if (f.from) q = q.where('room_visit.occurred_on', '>=', f.from)
  if (f.to) q = q.where('room_visit.occurred_on', '<=', f.to)
  return q.orderBy('room_visit.occurred_on', 'desc').orderBy('room_visit.start_min', 'desc').limit(f.limit).offset(f.offset).execute()
}

export function findVisit(db: Kysely<Database>, schoolId: number, id: number) {
  return db.selectFrom('room_visit').selectAll().where('school_id', '=', schoolId).where('id', '=', id).executeTakeFirst()
}

/** The visits linked to a case, for its timeline. */
export function visitsOfCase(db: Kysely<Database>, caseId: number) {
  return db
    .selectFrom('room_visit')
    .leftJoin('account', 'account.id', 'room_visit.counsellor_id')
    .select([
      'room_visit.id',
      'room_visit.kind',
      'room_visit.occurred_on',
      'room_visit.start_min',
      'room_visit.duration_min',
      'room_visit.topic',
      'room_visit.outcome',
      'room_visit.created_at',
      'account.display_name as counsellor_name',
    ])
    .where('room_visit.case_id', '=', caseId)
    .execute()
}

/** Visit counts by school, day and kind within [from, to] (the figures; no identities). */
export function visitCounts(db: Kysely<Database>, schoolIds: 'all' | readonly number[], from: string, to: string) {
  let q = db
    .selectFrom('room_visit')
    .select((eb) => ['school_id', 'occurred_on', 'kind', eb.fn.countAll<number>().as('n')])
    .where('occurred_on', '>=', from)
    .where('occurred_on', '<=', to)
  if (schoolIds !== 'all') {
    if (!schoolIds.length) return Promise.resolve([])
    q = q.where('school_id', 'in', [...schoolIds])
  }
  return q.groupBy(['school_id', 'occurred_on', 'kind']).execute()
}

/** Appointments by school and status whose slot lies within [from, to) (instants). */
export function appointmentCounts(db: Kysely<Database>, schoolIds: 'all' | readonly number[], from: string, to: string) {
  let q = db
    .selectFrom('room_appointment')
    .select(['school_id', 'status', 'starts_at', 'ends_at'])
    .where('starts_at', '>=', from)
    .where('starts_at', '<', to)
    .where('status', 'in', ['confirmed', 'attended', 'no_show'])
  if (schoolIds !== 'all') {
    if (!schoolIds.length) return Promise.resolve([])
    q = q.where('school_id', 'in', [...schoolIds])
  }
  return q.execute()
}

export async function insertGroup(db: Kysely<Database>, row: Insertable<RoomGroupTable>): Promise<number> {
  return (await db.insertInto('room_group').values(row).returning('id').executeTakeFirstOrThrow()).id
}

export async function insertGroupMembers(db: Kysely<Database>, groupId: number, studentIds: readonly number[]): Promise<void> {
  if (studentIds.length)
    await db
      .insertInto('room_group_member')
      .values(studentIds.map((student_id) => ({ group_id: groupId, student_id })))
      .execute()
}

export async function insertGroupSessions(db: Kysely<Database>, rows: Insertable<RoomGroupSessionTable>[]): Promise<void> {
  if (rows.length) await db.insertInto('room_group_session').values(rows).execute()
}

export function groupsOf(db: Kysely<Database>, schoolId: number) {
  return db.selectFrom('room_group').selectAll().where('school_id', '=', schoolId).orderBy('created_at', 'desc').execute()
}

export function findGroup(db: Kysely<Database>, schoolId: number, id: number) {
  return db.selectFrom('room_group').selectAll().where('school_id', '=', schoolId).where('id', '=', id).executeTakeFirst()
}

export function groupMembers(db: Kysely<Database>, groupId: number) {
  return db.selectFrom('room_group_member').select('student_id').where('group_id', '=', groupId).execute()
}

export function groupSessions(db: Kysely<Database>, groupIds: readonly number[]) {
  if (!groupIds.length) return Promise.resolve([])
  return db
    .selectFrom('room_group_session')
    .selectAll()
    .where('group_id', 'in', [...groupIds])
    .orderBy('on_date')
    .orderBy('start_min')
    .execute()
}

/** A session with its group's school, so the caller can check the school. */
export function findSessionWithGroup(db: Kysely<Database>, sessionId: number) {
  return db
    .selectFrom('room_group_session')
    .innerJoin('room_group', 'room_group.id', 'room_group_session.group_id')
    .selectAll('room_group_session')
    .select(['room_group.school_id', 'room_group.counts_as_activity', 'room_group.theme'])
    .where('room_group_session.id', '=', sessionId)
    .executeTakeFirst()
}

export function attendanceOf(db: Kysely<Database>, sessionIds: readonly number[]) {
  if (!sessionIds.length) return Promise.resolve([])
  return db
    .selectFrom('room_group_attendance')
    .selectAll()
    .where('session_id', 'in', [...sessionIds])
    .execute()
}

export async function replaceAttendance(
  db: Kysely<Database>,
  sessionId: number,
  rows: { student_id: number; present: number }[],
  values: Updateable<RoomGroupSessionTable>,
): Promise<void> {
  await db.deleteFrom('room_group_attendance').where('session_id', '=', sessionId).execute()
  if (rows.length)
    await db
      .insertInto('room_group_attendance')
      .values(rows.map((r) => ({ ...r, session_id: sessionId })))
      .execute()
  await db.updateTable('room_group_session').set(values).where('id', '=', sessionId).execute()
}

/** Group sessions held (attendance taken) per school within [from, to]. */
export function groupSessionCounts(db: Kysely<Database>, schoolIds: 'all' | readonly number[], from: string, to: string) {
  let q = db
    .selectFrom('room_group_session')
    .innerJoin('room_group', 'room_group.id', 'room_group_session.group_id')
    .select((eb) => ['room_group.school_id', eb.fn.countAll<number>().as('n')])
    .where('room_group_session.on_date', '>=', from)
    .where('room_group_session.on_date', '<=', to)
    .where('room_group_session.attendance_taken_at', 'is not', null)
  if (schoolIds !== 'all') {
    if (!schoolIds.length) return Promise.resolve([])
    q = q.where('room_group.school_id', 'in', [...schoolIds])
  }
  return q.groupBy('room_group.school_id').execute()
}

export async function setFeedToken(db: Kysely<Database>, accountId: number, tokenHash: string, at: string): Promise<void> {
  await db.deleteFrom('room_feed_token').where('account_id', '=', accountId).execute()
  await db.insertInto('room_feed_token').values({ account_id: accountId, token_hash: tokenHash, created_at: at }).execute()
}

export async function deleteFeedToken(db: Kysely<Database>, accountId: number): Promise<void> {
  await db.deleteFrom('room_feed_token').where('account_id', '=', accountId).execute()
}

export function feedTokenOf(db: Kysely<Database>, accountId: number) {
  return db.selectFrom('room_feed_token').select('created_at').where('account_id', '=', accountId).executeTakeFirst()
}

/** The active counsellor a feed token belongs to. */
export function feedOwner(db: Kysely<Database>, tokenHash: string) {
  return db
    .selectFrom('room_feed_token')
    .innerJoin('account', 'account.id', 'room_feed_token.account_id')
    .select(['account.id', 'account.school_id'])
    .where('room_feed_token.token_hash', '=', tokenHash)
    .where('account.disabled_at', 'is', null)
    .where('account.role', '=', 'counsellor')
    .executeTakeFirst()
}

export function schoolByCode(db: Kysely<Database>, code: string) {
  return db
    .selectFrom('school')
    .select(['id', 'name', 'name_en'])
    .where('code', '=', code)
    .where('disabled_at', 'is', null)
    .executeTakeFirst()
}

/** The student-facing display name from the latest room record of a school. */
export async function roomDisplayName(db: Kysely<Database>, schoolId: number): Promise<string | null> {
  const row = await db
    .selectFrom('counselling_room')
    .innerJoin('school_year', 'school_year.id', 'counselling_room.school_year_id')
    .select('counselling_room.display_name')
    .where('counselling_room.school_id', '=', schoolId)
    .orderBy('school_year.starts_on', 'desc')
    .executeTakeFirst()
  return row?.display_name ?? null
}
