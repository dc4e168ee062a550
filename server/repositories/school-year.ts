import type { Insertable, Kysely, Updateable } from 'kysely'
import type { Database, SchoolYearTable } from '../../db/schema'

export function listSchoolYears(db: Kysely<Database>) {
  return db.selectFrom('school_year').selectAll().orderBy('starts_on', 'desc').execute()
}

export function findSchoolYear(db: Kysely<Database>, id: number) {
  return db.selectFrom('school_year').selectAll().where('id', '=', id).executeTakeFirst()
}

export function findSchoolYearByLabel(db: Kysely<Database>, label: string) {
  return db.selectFrom('school_year').selectAll().where('label', '=', label).executeTakeFirst()
}

export function findCurrentSchoolYear(db: Kysely<Database>) {
  return db.selectFrom('school_year').selectAll().where('is_current', '=', 1).executeTakeFirst()
}

export async function insertSchoolYear(db: Kysely<Database>, values: Insertable<SchoolYearTable>): Promise<number> {
  const row = await db.insertInto('school_year').values(values).returning('id').executeTakeFirstOrThrow()
  return row.id
}

export async function updateSchoolYear(db: Kysely<Database>, id: number, values: Updateable<SchoolYearTable>): Promise<boolean> {
  const r = await db.updateTable('school_year').set(values).where('id', '=', id).executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export async function clearCurrentSchoolYear(db: Kysely<Database>): Promise<void> {
  await db.updateTable('school_year').set({ is_current: 0 }).where('is_current', '=', 1).execute()
}
