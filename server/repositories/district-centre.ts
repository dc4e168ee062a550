import type { Insertable, Kysely } from 'kysely'
import type { BreakGlassTable, Database } from '../../db/schema'
import type { Scope } from './scope'
import { scopedSchoolIds } from './scope'

/** The district centre's active staff accounts: where routed and escalated alerts are delivered. */
export function centreAccounts(db: Kysely<Database>) {
  return db
    .selectFrom('account')
    .select(['id', 'display_name'])
    .where('role', '=', 'district_centre')
    .where('disabled_at', 'is', null)
    .orderBy('id')
    .execute()
}

export async function isRoutedToCentre(db: Kysely<Database>, schoolId: number): Promise<boolean> {
  const row = await db.selectFrom('alert_routing').select('to_centre').where('school_id', '=', schoolId).executeTakeFirst()
  return row?.to_centre === 1
}

/** Every active school with its routing and how many active counsellors it has (counts only). */
export function routingOverview(db: Kysely<Database>) {
  return db
    .selectFrom('school')
    .leftJoin('alert_routing', 'alert_routing.school_id', 'school.id')
    .select((eb) => [
      'school.id',
      'school.code',
      'school.name',
      'school.name_en',
      'alert_routing.to_centre',
      'alert_routing.updated_at',
      eb
        .selectFrom('account')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('account.school_id', '=', 'school.id')
        .where('account.role', '=', 'counsellor')
        .where('account.disabled_at', 'is', null)
        .as('counsellors'),
    ])
    .where('school.disabled_at', 'is', null)
    .orderBy('school.code')
    .execute()
}

export async function upsertRouting(
  db: Kysely<Database>,
  values: { school_id: number; to_centre: number; updated_at: string; updated_by: number | null },
): Promise<void> {
  await db
    .insertInto('alert_routing')
    .values(values)
    .onConflict((oc) =>
      oc.column('school_id').doUpdateSet({ to_centre: values.to_centre, updated_at: values.updated_at, updated_by: values.updated_by }),
    )
    .execute()
}

/** Confidential alerts still waiting for a first acknowledgement and not escalated yet, oldest first. */
export function unacknowledgedAlerts(db: Kysely<Database>, limit: number) {
  return db
    .selectFrom('assessment_alert')
    .select(['id', 'school_id', 'raised_at'])
    .where('is_alert', '=', 1)
    .where('acknowledged_at', 'is', null)
    .where('closed_at', 'is', null)
    .where('escalated_at', 'is', null)
    .orderBy('raised_at')
    .orderBy('id')
    .limit(limit)
    .execute()
}

/** Marks one alert escalated, once: a second job run (or a racing one) finds it done and changes nothing. */
export async function markEscalated(db: Kysely<Database>, id: number, at: string): Promise<boolean> {
  const r = await db
    .updateTable('assessment_alert')
    .set((eb) => ({
      escalated_at: at,
      centre_at: eb.fn.coalesce('centre_at', eb.val(at)),
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .where('escalated_at', 'is', null)
    .where('acknowledged_at', 'is', null)
    .where('closed_at', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export async function insertBreakGlass(db: Kysely<Database>, values: Insertable<BreakGlassTable>): Promise<number> {
  return (await db.insertInto('break_glass').values(values).returning('id').executeTakeFirstOrThrow()).id
}

/** The case's school, looked up without the caller's scope: break-glass is the one way past it, checked by the service. */
export function caseSchool(db: Kysely<Database>, caseId: number) {
  return db
    .selectFrom('student_case')
    .innerJoin('school', 'school.id', 'student_case.school_id')
    .select(['student_case.id', 'student_case.school_id', 'school.name', 'school.name_en', 'school.disabled_at'])
    .where('student_case.id', '=', caseId)
    .executeTakeFirst()
}

/** An account's own grants, newest first. */
export function grantsOf(db: Kysely<Database>, accountId: number, limit: number) {
  return db
    .selectFrom('break_glass')
    .innerJoin('school', 'school.id', 'break_glass.school_id')
    .select([
      'break_glass.id',
      'break_glass.case_id',
      'break_glass.school_id',
      'break_glass.reason_enc',
      'break_glass.opened_at',
      'break_glass.expires_at',
      'break_glass.reviewed_at',
      'school.name as school_name',
      'school.name_en as school_name_en',
    ])
    .where('break_glass.account_id', '=', accountId)
    .orderBy('break_glass.opened_at', 'desc')
    .orderBy('break_glass.id', 'desc')
    .limit(limit)
    .execute()
}

export function findGrant(db: Kysely<Database>, id: number) {
  return db.selectFrom('break_glass').selectAll().where('id', '=', id).executeTakeFirst()
}

/** Every opening for the bureau's review, unreviewed first, newest first. */
export function grantsForReview(db: Kysely<Database>, scope: Scope, filter: 'unreviewed' | 'all', limit: number) {
  const ids = scopedSchoolIds(scope)
  let q = db
    .selectFrom('break_glass')
    .innerJoin('school', 'school.id', 'break_glass.school_id')
    .innerJoin('account', 'account.id', 'break_glass.account_id')
    .leftJoin('account as reviewer', 'reviewer.id', 'break_glass.reviewed_by')
    .select([
      'break_glass.id',
      'break_glass.case_id',
      'break_glass.school_id',
      'break_glass.reason_enc',
      'break_glass.opened_at',
      'break_glass.expires_at',
      'break_glass.reviewed_at',
      'school.name as school_name',
      'school.name_en as school_name_en',
      'account.display_name as opened_by',
      'account.role as opened_by_role',
      'reviewer.display_name as reviewed_by',
    ])
  if (ids !== 'all') q = q.where('break_glass.school_id', 'in', ids.length ? ids : [-1])
  if (filter === 'unreviewed') q = q.where('break_glass.reviewed_at', 'is', null)
  return q.orderBy('break_glass.opened_at', 'desc').orderBy('break_glass.id', 'desc').limit(limit).execute()
}

export async function markGrantReviewed(db: Kysely<Database>, id: number, at: string, by: number | null): Promise<boolean> {
  const r = await db
    .updateTable('break_glass')
    .set({ reviewed_at: at, reviewed_by: by })
    .where('id', '=', id)
    .where('reviewed_at', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}
