import type { ExpressionBuilder, Insertable, Kysely, Updateable } from 'kysely'
import type { CounsellingRoomTable, Database, StaffCertificateTable, StaffMemberTable, StaffTrainingTable } from '../../db/schema'
import type { SchoolType } from '../../shared/roles'
import type { Scope } from './scope'
import { scopedSchoolIds } from './scope'

function inScope(scope: Scope): number[] | null {
  const ids = scopedSchoolIds(scope)
  return ids === 'all' ? null : ids.length ? ids : [-1]
}

// ── district settings ────────────────────────────────────────────────────────────────────────

export function findSetting(db: Kysely<Database>, key: string) {
  return db.selectFrom('district_setting').select(['key', 'value', 'updated_at', 'updated_by']).where('key', '=', key).executeTakeFirst()
}

export async function upsertSetting(
  db: Kysely<Database>,
  values: { key: string; value: string; updated_at: string; updated_by: number | null },
) {
  await db
    .insertInto('district_setting')
    .values(values)
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: values.value, updated_at: values.updated_at, updated_by: values.updated_by }))
    .execute()
}

// ── team ─────────────────────────────────────────────────────────────────────────────────────

export function staffOfSchool(db: Kysely<Database>, schoolId: number) {
  return db
    .selectFrom('staff_member')
    .selectAll()
    .where('school_id', '=', schoolId)
    .orderBy('ends_on', (ob) => ob.nullsFirst())
    .orderBy('starts_on')
    .orderBy('id')
    .execute()
}

export function certificatesOfSchool(db: Kysely<Database>, schoolId: number) {
  return db
    .selectFrom('staff_certificate')
    .innerJoin('staff_member', 'staff_member.id', 'staff_certificate.staff_id')
    .select([
      'staff_certificate.id',
      'staff_certificate.staff_id',
      'staff_certificate.name',
      'staff_certificate.issuer',
      'staff_certificate.issued_on',
      'staff_certificate.expires_on',
    ])
    .where('staff_member.school_id', '=', schoolId)
    .orderBy('staff_certificate.id')
    .execute()
}

export function trainingOfSchool(db: Kysely<Database>, schoolId: number, schoolYearId: number) {
  return db
    .selectFrom('staff_training')
    .innerJoin('staff_member', 'staff_member.id', 'staff_training.staff_id')
    .select([
      'staff_training.id',
      'staff_training.staff_id',
      'staff_training.course',
      'staff_training.hours',
      'staff_training.level',
      'staff_training.completed_on',
      'staff_training.school_year_id',
    ])
    .where('staff_member.school_id', '=', schoolId)
    .where('staff_training.school_year_id', '=', schoolYearId)
    .orderBy('staff_training.completed_on', (ob) => ob.nullsLast())
    .orderBy('staff_training.id')
    .execute()
}

/** A team member if the scope admits their school; otherwise nothing, exactly as for a missing id. */
export function findStaff(db: Kysely<Database>, scope: Scope, id: number) {
  const ids = inScope(scope)
  let q = db.selectFrom('staff_member').selectAll().where('id', '=', id)
  if (ids) q = q.where('school_id', 'in', ids)
  return q.executeTakeFirst()
}

export async function insertStaff(db: Kysely<Database>, values: Insertable<StaffMemberTable>): Promise<number> {
  return (await db.insertInto('staff_member').values(values).returning('id').executeTakeFirstOrThrow()).id
}

export async function updateStaff(
  db: Kysely<Database>,
  id: number,
  version: number,
  values: Updateable<StaffMemberTable>,
): Promise<boolean> {
  const r = await db
    .updateTable('staff_member')
    .set((eb) => ({ ...values, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export async function deleteStaff(db: Kysely<Database>, id: number): Promise<void> {
  await db.deleteFrom('staff_certificate').where('staff_id', '=', id).execute()
  await db.deleteFrom('staff_training').where('staff_id', '=', id).execute()
  await db.deleteFrom('staff_member').where('id', '=', id).execute()
}

export function findCertificate(db: Kysely<Database>, scope: Scope, id: number) {
  const ids = inScope(scope)
  let q = db
    .selectFrom('staff_certificate')
    .innerJoin('staff_member', 'staff_member.id', 'staff_certificate.staff_id')
    .select(['staff_certificate.id', 'staff_certificate.staff_id', 'staff_member.school_id'])
    .where('staff_certificate.id', '=', id)
  if (ids) q = q.where('staff_member.school_id', 'in', ids)
  return q.executeTakeFirst()
}

export function findTraining(db: Kysely<Database>, scope: Scope, id: number) {
  const ids = inScope(scope)
  let q = db
    .selectFrom('staff_training')
    .innerJoin('staff_member', 'staff_member.id', 'staff_training.staff_id')
    .select(['staff_training.id', 'staff_training.staff_id', 'staff_training.school_year_id', 'staff_member.school_id'])
    .where('staff_training.id', '=', id)
  if (ids) q = q.where('staff_member.school_id', 'in', ids)
  return q.executeTakeFirst()
}

export async function insertCertificate(db: Kysely<Database>, values: Insertable<StaffCertificateTable>): Promise<number> {
  return (await db.insertInto('staff_certificate').values(values).returning('id').executeTakeFirstOrThrow()).id
}

export async function updateCertificate(db: Kysely<Database>, id: number, values: Updateable<StaffCertificateTable>): Promise<void> {
  await db.updateTable('staff_certificate').set(values).where('id', '=', id).execute()
}

export async function deleteCertificate(db: Kysely<Database>, id: number): Promise<void> {
  await db.deleteFrom('staff_certificate').where('id', '=', id).execute()
}

export async function insertTraining(db: Kysely<Database>, values: Insertable<StaffTrainingTable>): Promise<number> {
  return (await db.insertInto('staff_training').values(values).returning('id').executeTakeFirstOrThrow()).id
}

export async function deleteTraining(db: Kysely<Database>, id: number): Promise<void> {
  await db.deleteFrom('staff_training').where('id', '=', id).execute()
}

// ── counselling room ─────────────────────────────────────────────────────────────────────────

const ROOM_COLUMNS = [
  'counselling_room.id',
  'counselling_room.school_id',
  'counselling_room.school_year_id',
  'counselling_room.is_set_up',
  'counselling_room.set_up_on',
  'counselling_room.display_name',
  'counselling_room.individual_m2',
  'counselling_room.group_m2',
  'counselling_room.office_m2',
  'counselling_room.optional_areas',
  'counselling_room.has_mailbox',
  'counselling_room.weekly_open_hours',
  'counselling_room.updated_at',
  'counselling_room.version',
] as const

/**
 * The room record in force for a school in a year: that year's own, else the latest earlier one
 * (a room does not disappear because a school skipped a year's update).
 */
function effectiveRoomYear(eb: ExpressionBuilder<Database, 'counselling_room' | 'school_year'>, startsOn: string) {
  return eb(
    'school_year.starts_on',
    '=',
    eb
      .selectFrom('counselling_room as r2')
      .innerJoin('school_year as y2', 'y2.id', 'r2.school_year_id')
      .select((e) => e.fn.max('y2.starts_on').as('s'))
      .whereRef('r2.school_id', '=', 'counselling_room.school_id')
      .where('y2.starts_on', '<=', startsOn),
  )
}

export function findEffectiveRoom(db: Kysely<Database>, schoolId: number, startsOn: string) {
  return db
    .selectFrom('counselling_room')
    .innerJoin('school_year', 'school_year.id', 'counselling_room.school_year_id')
    .select([...ROOM_COLUMNS, 'school_year.label as year_label'])
    .where('counselling_room.school_id', '=', schoolId)
    .where((eb) => effectiveRoomYear(eb, startsOn))
    .executeTakeFirst()
}

export function findRoomOfYear(db: Kysely<Database>, schoolId: number, schoolYearId: number) {
  return db
    .selectFrom('counselling_room')
    .select(ROOM_COLUMNS)
    .where('school_id', '=', schoolId)
    .where('school_year_id', '=', schoolYearId)
    .executeTakeFirst()
}

export async function insertRoom(db: Kysely<Database>, values: Insertable<CounsellingRoomTable>): Promise<void> {
  await db.insertInto('counselling_room').values(values).execute()
}

export async function updateRoom(
  db: Kysely<Database>,
  id: number,
  version: number,
  values: Updateable<CounsellingRoomTable>,
): Promise<boolean> {
  const r = await db
    .updateTable('counselling_room')
    .set((eb) => ({ ...values, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

// ── district dashboards ──────────────────────────────────────────────────────────────────────

export interface DistrictFilter {
  streetId?: number
  type?: SchoolType
}

function districtSchools(db: Kysely<Database>, scope: Scope, f: DistrictFilter) {
  const ids = inScope(scope)
  let q = db.selectFrom('school').innerJoin('street', 'street.id', 'school.street_id').where('school.disabled_at', 'is', null)
  if (ids) q = q.where('school.id', 'in', ids)
  if (f.streetId) q = q.where('school.street_id', '=', f.streetId)
  if (f.type) q = q.where('school.type', '=', f.type)
  return q
}

/**
 * One row per active school: the year's enrolment, posts in post on `refDate` by kind, and how many
 * of those fall short of the training requirement. Counting happens in derived tables grouped once
 * per school, so the cost is one pass over each table whatever the number of schools.
 */
export function staffingBySchool(
  db: Kysely<Database>,
  scope: Scope,
  f: DistrictFilter,
  p: { schoolYearId: number; refDate: string; trainingHours: number; warnUntil: string },
) {
  const inPost = <T extends ExpressionBuilder<Database, 'staff_member'>>(eb: T) =>
    eb.and([
      eb('staff_member.starts_on', '<=', p.refDate),
      eb.or([eb('staff_member.ends_on', 'is', null), eb('staff_member.ends_on', '>=', p.refDate)]),
    ])
  const posts = db
    .selectFrom('staff_member')
    .select((eb) => [
      'staff_member.school_id',
      eb.fn.sum<number>(eb.case().when('staff_member.employment', '=', 'full_time').then(1).else(0).end()).as('full_time'),
      eb.fn.sum<number>(eb.case().when('staff_member.employment', '=', 'part_time').then(1).else(0).end()).as('part_time'),
      eb.fn.sum<number>(eb.case().when('staff_member.employment', '=', 'purchased').then(1).else(0).end()).as('purchased'),
    ])
    .where(inPost)
    .groupBy('staff_member.school_id')
    .as('p')
  const hours = db
    .selectFrom('staff_training')
    .select((eb) => ['staff_training.staff_id', eb.fn.sum<number>('staff_training.hours').as('hours')])
    .where('staff_training.school_year_id', '=', p.schoolYearId)
    .groupBy('staff_training.staff_id')
    .as('h')
  const training = db
    .selectFrom('staff_member')
    .leftJoin(hours, (j) => j.onRef('h.staff_id', '=', 'staff_member.id'))
    .select((eb) => ['staff_member.school_id', eb.fn.countAll<number>().as('below')])
    .where(inPost)
    .where((eb) => eb(eb.fn.coalesce('h.hours', eb.lit(0)), '<', p.trainingHours))
    .groupBy('staff_member.school_id')
    .as('t')
  // Certificates are judged on the year's reference date, for staff in post then: expired or expiring
  // within the warning window. The same condition as `expiringCertificates`, so the figure is the list's length.
  const certs = db
    .selectFrom('staff_certificate')
    .innerJoin('staff_member', 'staff_member.id', 'staff_certificate.staff_id')
    .select((eb) => ['staff_member.school_id', eb.fn.countAll<number>().as('expiring')])
    .where('staff_certificate.expires_on', '<=', p.warnUntil)
    .where(inPost)
    .groupBy('staff_member.school_id')
    .as('c')
  return districtSchools(db, scope, f)
    .leftJoin('enrolment', (j) => j.onRef('enrolment.school_id', '=', 'school.id').on('enrolment.school_year_id', '=', p.schoolYearId))
    .leftJoin(posts, (j) => j.onRef('p.school_id', '=', 'school.id'))
    .leftJoin(training, (j) => j.onRef('t.school_id', '=', 'school.id'))
    .leftJoin(certs, (j) => j.onRef('c.school_id', '=', 'school.id'))
    .select([
      'school.id',
      'school.code',
      'school.name',
      'school.name_en',
      'school.type',
      'school.street_id',
      'street.name_zh as street_name_zh',
      'street.name_en as street_name_en',
      'street.sort_order as street_sort',
      'enrolment.students',
      'enrolment.classes',
      'p.full_time',
      'p.part_time',
      'p.purchased',
      't.below as training_below',
      'c.expiring',
    ])
    .orderBy('street.sort_order')
    .orderBy('school.name')
    .orderBy('school.id')
    .execute()
}

function effectiveRooms(db: Kysely<Database>, startsOn: string) {
  return db
    .selectFrom('counselling_room')
    .innerJoin('school_year', 'school_year.id', 'counselling_room.school_year_id')
    .select([...ROOM_COLUMNS, 'school_year.label as year_label'])
    .where((eb) => effectiveRoomYear(eb, startsOn))
    .as('r')
}

/**
 * One row per active school with the facts of the room in force for the year: only what the
 * figures, flags and sorting need. Names and free text are read for the rows shown (roomDetails),
 * because turning them into objects for every school cost more than the query itself (bench/staffing.ts).
 */
export function roomsBySchool(db: Kysely<Database>, scope: Scope, f: DistrictFilter, startsOn: string) {
  return districtSchools(db, scope, f)
    .leftJoin(effectiveRooms(db, startsOn), (j) => j.onRef('r.school_id', '=', 'school.id'))
    .select([
      'school.id',
      'school.name',
      'school.type',
      'school.street_id',
      'street.sort_order as street_sort',
      'r.is_set_up',
      'r.set_up_on',
      'r.individual_m2',
      'r.group_m2',
      'r.office_m2',
      'r.has_mailbox',
      'r.weekly_open_hours',
      'r.year_label',
    ])
    .orderBy('street.sort_order')
    .orderBy('school.name')
    .orderBy('school.id')
    .execute()
}

/** The descriptive side of `roomsBySchool` for the given schools (or every school the filter admits). */
export function roomDetails(db: Kysely<Database>, scope: Scope, f: DistrictFilter, startsOn: string, schoolIds: readonly number[] | null) {
  let q = districtSchools(db, scope, f).leftJoin(effectiveRooms(db, startsOn), (j) => j.onRef('r.school_id', '=', 'school.id'))
  if (schoolIds) q = q.where('school.id', 'in', schoolIds.length ? [...schoolIds] : [-1])
  return q
    .select([
      'school.id',
      'school.code',
      'school.name_en',
      'street.name_zh as street_name_zh',
      'street.name_en as street_name_en',
      'r.display_name',
      'r.optional_areas',
    ])
    .execute()
}

/** Certificates of staff in post on `refDate` that expire by `until` (already lapsed ones included), earliest lapse first. */
export function expiringCertificates(db: Kysely<Database>, scope: Scope, f: DistrictFilter, refDate: string, until: string) {
  const ids = inScope(scope)
  let q = db
    .selectFrom('staff_certificate')
    .innerJoin('staff_member', 'staff_member.id', 'staff_certificate.staff_id')
    .innerJoin('school', 'school.id', 'staff_member.school_id')
    .innerJoin('street', 'street.id', 'school.street_id')
    .where('school.disabled_at', 'is', null)
    .where('staff_certificate.expires_on', '<=', until)
    .where('staff_member.starts_on', '<=', refDate)
    .where((eb) => eb.or([eb('staff_member.ends_on', 'is', null), eb('staff_member.ends_on', '>=', refDate)]))
  if (ids) q = q.where('school.id', 'in', ids)
  if (f.streetId) q = q.where('school.street_id', '=', f.streetId)
  if (f.type) q = q.where('school.type', '=', f.type)
  return q
    .select([
      'staff_certificate.id',
      'staff_certificate.name',
      'staff_certificate.expires_on',
      'staff_member.id as staff_id',
      'staff_member.name as staff_name',
      'staff_member.employment',
      'school.id as school_id',
      'school.name as school_name',
      'school.name_en as school_name_en',
      'school.code as school_code',
      'street.name_zh as street_name_zh',
      'street.name_en as street_name_en',
    ])
    .orderBy('staff_certificate.expires_on')
    .orderBy('school.name')
    .orderBy('staff_certificate.id')
    .execute()
}

/** Code → id of the schools a scope admits, for matching an imported sheet. */
export function schoolCodes(db: Kysely<Database>, scope: Scope) {
  const ids = inScope(scope)
  let q = db.selectFrom('school').select(['id', 'code'])
  if (ids) q = q.where('id', 'in', ids)
  return q.execute()
}
