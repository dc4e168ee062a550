import { sql, type Insertable, type Kysely, type Updateable } from 'kysely'
import type { Database, SchoolTable } from '../../db/schema'
import type { SchoolListInput } from '../../shared/schemas'
import type { Scope } from './scope'
import { scopedSchoolIds } from './scope'
import { containsPattern, likeInsensitive } from './text-match'

export function listStreets(db: Kysely<Database>) {
  return db.selectFrom('street').select(['id', 'code', 'name_zh', 'name_en']).orderBy('sort_order').execute()
}

export async function insertStreet(
  db: Kysely<Database>,
  values: { code: string; name_zh: string; name_en: string; sort_order: number },
): Promise<number> {
  const row = await db.insertInto('street').values(values).returning('id').executeTakeFirstOrThrow()
  return row.id
}

export function findStreet(db: Kysely<Database>, id: number) {
  return db.selectFrom('street').select('id').where('id', '=', id).executeTakeFirst()
}

const SORT_COLUMNS = {
  street: ['street.sort_order', 'school.name'],
  name: ['school.name'],
  code: ['school.code'],
  type: ['school.type', 'school.name'],
  students: ['students', 'school.name'],
} as const

/** The school list a scope admits, with street and the given year's enrolment. */
export async function listSchools(db: Kysely<Database>, scope: Scope, input: SchoolListInput, schoolYearId: number | null) {
  const ids = scopedSchoolIds(scope)
  if (ids !== 'all' && ids.length === 0) return { total: 0, rows: [] }
  let q = db
    .selectFrom('school')
    .innerJoin('street', 'street.id', 'school.street_id')
    .leftJoin('enrolment', (j) => j.onRef('enrolment.school_id', '=', 'school.id').on('enrolment.school_year_id', '=', schoolYearId ?? -1))
  if (ids !== 'all') q = q.where('school.id', 'in', ids)
  if (input.search) {
    const pattern = containsPattern(input.search)
    q = q.where((eb) =>
      eb.or([
        likeInsensitive(eb.ref('school.name'), pattern),
        likeInsensitive(eb.ref('school.code'), pattern),
        likeInsensitive(eb.ref('school.name_en'), pattern),
      ]),
    )
  }
  if (input.streetId) q = q.where('school.street_id', '=', input.streetId)
  if (input.type) q = q.where('school.type', '=', input.type)
  if (input.status === 'active') q = q.where('school.disabled_at', 'is', null)
  if (input.status === 'disabled') q = q.where('school.disabled_at', 'is not', null)

  const { total } = await q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow()
  let rows = q.select([
    'school.id',
    'school.code',
    'school.name',
    'school.name_en',
    'school.type',
    'school.is_public',
    'school.address',
    'school.disabled_at',
    'school.version',
    'school.street_id',
    'street.name_zh as street_name_zh',
    'street.name_en as street_name_en',
    'enrolment.students as students',
    'enrolment.classes as classes',
  ])
  // Schools that have not reported come last in either direction, on both dialects.
  if (input.sort === 'students') rows = rows.orderBy(sql`case when enrolment.students is null then 1 else 0 end`)
  for (const col of SORT_COLUMNS[input.sort]) rows = rows.orderBy(col, input.order)
  const page = await rows
    .orderBy('school.id')
    .limit(input.pageSize)
    .offset((input.page - 1) * input.pageSize)
    .execute()
  return { total: Number(total), rows: page }
}

/** One school if the scope admits it; a school outside the scope is indistinguishable from a missing one. */
export function findSchool(db: Kysely<Database>, scope: Scope, id: number) {
  const ids = scopedSchoolIds(scope)
  if (ids !== 'all' && !ids.includes(id)) return Promise.resolve(undefined)
  return db
    .selectFrom('school')
    .innerJoin('street', 'street.id', 'school.street_id')
    .select([
      'school.id',
      'school.code',
      'school.name',
      'school.name_en',
      'school.type',
      'school.is_public',
      'school.address',
      'school.disabled_at',
      'school.version',
      'school.street_id',
      'school.created_at',
      'school.updated_at',
      'street.name_zh as street_name_zh',
      'street.name_en as street_name_en',
    ])
    .where('school.id', '=', id)
    .executeTakeFirst()
}

export function findSchoolByCode(db: Kysely<Database>, code: string) {
  return db.selectFrom('school').select('id').where('code', '=', code).executeTakeFirst()
}

export async function insertSchool(db: Kysely<Database>, values: Insertable<SchoolTable>): Promise<number> {
  const row = await db.insertInto('school').values(values).returning('id').executeTakeFirstOrThrow()
  return row.id
}

export async function updateSchool(
  db: Kysely<Database>,
  id: number,
  expectedVersion: number | null,
  values: Updateable<SchoolTable>,
): Promise<boolean> {
  let q = db
    .updateTable('school')
    .set((eb) => ({ ...values, version: eb('version', '+', 1) }))
    .where('id', '=', id)
  if (expectedVersion != null) q = q.where('version', '=', expectedVersion)
  const r = await q.executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export function enrolmentHistory(db: Kysely<Database>, schoolId: number) {
  return db
    .selectFrom('enrolment')
    .innerJoin('school_year', 'school_year.id', 'enrolment.school_year_id')
    .select(['school_year.id as school_year_id', 'school_year.label', 'enrolment.students', 'enrolment.classes', 'enrolment.updated_at'])
    .where('enrolment.school_id', '=', schoolId)
    .orderBy('school_year.starts_on')
    .execute()
}

export async function upsertEnrolment(
  db: Kysely<Database>,
  values: { school_id: number; school_year_id: number; students: number; classes: number; updated_at: string },
): Promise<void> {
  await db
    .insertInto('enrolment')
    .values(values)
    .onConflict((oc) =>
      oc
        .columns(['school_id', 'school_year_id'])
        .doUpdateSet({ students: values.students, classes: values.classes, updated_at: values.updated_at }),
    )
    .execute()
}

/** District figures per street and school type for one year: counts and enrolment, no identities. */
export function districtByStreetAndType(db: Kysely<Database>, scope: Scope, schoolYearId: number) {
  const ids = scopedSchoolIds(scope)
  let q = db
    .selectFrom('school')
    .innerJoin('street', 'street.id', 'school.street_id')
    .leftJoin('enrolment', (j) => j.onRef('enrolment.school_id', '=', 'school.id').on('enrolment.school_year_id', '=', schoolYearId))
    .where('school.disabled_at', 'is', null)
  if (ids !== 'all') q = q.where('school.id', 'in', ids.length ? ids : [-1])
  return q
    .select((eb) => [
      'street.id as street_id',
      'street.name_zh',
      'street.name_en',
      'street.sort_order',
      'school.type',
      eb.fn.countAll<number>().as('schools'),
      eb.fn.coalesce(eb.fn.sum<number>('enrolment.students'), eb.lit(0)).as('students'),
      eb.fn.coalesce(eb.fn.sum<number>('enrolment.classes'), eb.lit(0)).as('classes'),
      eb.fn.count<number>('enrolment.id').as('reporting'),
    ])
    .groupBy(['street.id', 'street.name_zh', 'street.name_en', 'street.sort_order', 'school.type'])
    .orderBy('street.sort_order')
    .orderBy('school.type')
    .execute()
}
