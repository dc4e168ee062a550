import type { Insertable, Kysely, Updateable } from 'kysely'
import type { Database, StudentTable } from '../../db/schema'
import type { Scope } from './scope'
import { scopedSchoolIds } from './scope'

export interface StudentFilter {
  grade?: number
  className?: string
}

function scoped(db: Kysely<Database>, scope: Scope) {
  const ids = scopedSchoolIds(scope)
  let q = db.selectFrom('student')
  if (ids !== 'all') q = q.where('student.school_id', 'in', ids.length ? ids : [-1])
  return q
}

function current(db: Kysely<Database>, scope: Scope, f: StudentFilter) {
  let q = scoped(db, scope).where('student.left_at', 'is', null)
  if (f.grade != null) q = q.where('student.grade', '=', f.grade)
  if (f.className) q = q.where('student.class_name', '=', f.className)
  return q
}

/** One page of the roster (students still at the school), in class order. */
export async function listStudents(db: Kysely<Database>, scope: Scope, f: StudentFilter, page: number, pageSize: number) {
  const q = current(db, scope, f)
  const { total } = await q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow()
  const rows = await q
    .selectAll('student')
    .orderBy('student.grade')
    .orderBy('student.class_name')
    .orderBy('student.student_no')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute()
  return { total: Number(total), rows }
}

/**
 * Every current student the filter admits, in roster order, with only what a search compares: the
 * number and the encrypted name (names are matched after decryption, in the service).
 */
export function searchCandidates(db: Kysely<Database>, scope: Scope, f: StudentFilter) {
  return current(db, scope, f)
    .select(['student.id', 'student.student_no', 'student.name_enc'])
    .orderBy('student.grade')
    .orderBy('student.class_name')
    .orderBy('student.student_no')
    .execute()
}

/** Full rows of the given students within the scope, in the order of `ids`. */
export async function studentsByIds(db: Kysely<Database>, scope: Scope, ids: readonly number[]) {
  if (!ids.length) return []
  const rows = await scoped(db, scope)
    .selectAll('student')
    .where('student.id', 'in', [...ids])
    .execute()
  const byId = new Map(rows.map((r) => [r.id, r]))
  return ids.flatMap((id) => byId.get(id) ?? [])
}

export function findStudent(db: Kysely<Database>, scope: Scope, id: number) {
  return scoped(db, scope).selectAll('student').where('student.id', '=', id).executeTakeFirst()
}

export async function studentNosOfSchool(db: Kysely<Database>, schoolId: number): Promise<Set<string>> {
  const rows = await db.selectFrom('student').select('student_no').where('school_id', '=', schoolId).execute()
  return new Set(rows.map((r) => r.student_no))
}

export async function insertStudent(db: Kysely<Database>, values: Insertable<StudentTable>): Promise<number> {
  return (await db.insertInto('student').values(values).returning('id').executeTakeFirstOrThrow()).id
}

export async function updateStudent(
  db: Kysely<Database>,
  id: number,
  version: number | null,
  values: Updateable<StudentTable>,
): Promise<boolean> {
  let q = db
    .updateTable('student')
    .set((eb) => ({ ...values, version: eb('version', '+', 1) }))
    .where('id', '=', id)
  if (version != null) q = q.where('version', '=', version)
  return Number((await q.executeTakeFirst()).numUpdatedRows) === 1
}

/** Moves every current student of a school up one grade; those past the school's last grade leave. */
export async function promoteSchool(
  db: Kysely<Database>,
  schoolId: number,
  lastGrade: number,
  at: string,
): Promise<{ promoted: number; left: number }> {
  const left = await db
    .updateTable('student')
    .set({ left_at: at, updated_at: at })
    .where('school_id', '=', schoolId)
    .where('left_at', 'is', null)
    .where('grade', '>=', lastGrade)
    .executeTakeFirst()
  const promoted = await db
    .updateTable('student')
    .set((eb) => ({ grade: eb('grade', '+', 1), updated_at: at, version: eb('version', '+', 1) }))
    .where('school_id', '=', schoolId)
    .where('left_at', 'is', null)
    .executeTakeFirst()
  return { promoted: Number(promoted.numUpdatedRows), left: Number(left.numUpdatedRows) }
}
