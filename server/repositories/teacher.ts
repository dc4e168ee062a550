import type { Insertable, Kysely, Updateable } from 'kysely'
import type { Database, TeacherTable } from '../../db/schema'
import type { Scope } from './scope'
import { scopedSchoolIds } from './scope'

function scoped(db: Kysely<Database>, scope: Scope) {
  const ids = scopedSchoolIds(scope)
  let q = db.selectFrom('teacher')
  if (ids !== 'all') q = q.where('teacher.school_id', 'in', ids.length ? ids : [-1])
  return q
}

/** Every current teacher of the scope, in staff-number order (a school has at most a few hundred). */
export function currentTeachers(db: Kysely<Database>, scope: Scope) {
  return scoped(db, scope).selectAll('teacher').where('teacher.left_at', 'is', null).orderBy('teacher.staff_no').execute()
}

export function findTeacher(db: Kysely<Database>, scope: Scope, id: number) {
  return scoped(db, scope).selectAll('teacher').where('teacher.id', '=', id).executeTakeFirst()
}

export async function teachersByIds(db: Kysely<Database>, ids: readonly number[]) {
  if (!ids.length) return []
  return db
    .selectFrom('teacher')
    .selectAll()
    .where('id', 'in', [...ids])
    .execute()
}

export async function staffNosOfSchool(db: Kysely<Database>, schoolId: number): Promise<Set<string>> {
  const rows = await db.selectFrom('teacher').select('staff_no').where('school_id', '=', schoolId).execute()
  return new Set(rows.map((r) => r.staff_no))
}

export async function insertTeacher(db: Kysely<Database>, values: Insertable<TeacherTable>): Promise<number> {
  return (await db.insertInto('teacher').values(values).returning('id').executeTakeFirstOrThrow()).id
}

export async function updateTeacher(db: Kysely<Database>, id: number, version: number, values: Updateable<TeacherTable>): Promise<boolean> {
  const r = await db
    .updateTable('teacher')
    .set((eb) => ({ ...values, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}
