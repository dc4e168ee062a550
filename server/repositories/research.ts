import type { Insertable, Kysely, Updateable } from 'kysely'
import type { Database, ResearchExportFileTable, ResearchExportTable, ResearchProjectTable } from '../../db/schema'

/**
 * Research projects and exports. Who may see which project is decided in the service (the bureau:
 * all; a researcher: the projects that list them); these queries take that decision as `memberId`.
 * The dataset queries read district-wide rows on purpose: their output only leaves the server through
 * the anonymisation of `server/services/research-export.ts`, and they select no name, no free text.
 */

// ── projects ───────────────────────────────────────────────────────────────────────────────

export function listProjects(db: Kysely<Database>, memberId: number | null) {
  let q = db.selectFrom('research_project').selectAll('research_project')
  if (memberId != null) q = q.where('id', 'in', db.selectFrom('research_member').select('project_id').where('account_id', '=', memberId))
  return q.orderBy('starts_on', 'desc').orderBy('id', 'desc').execute()
}

export function findProject(db: Kysely<Database>, id: number, memberId: number | null) {
  let q = db.selectFrom('research_project').selectAll().where('id', '=', id)
  if (memberId != null) q = q.where('id', 'in', db.selectFrom('research_member').select('project_id').where('account_id', '=', memberId))
  return q.executeTakeFirst()
}

export async function insertProject(db: Kysely<Database>, values: Insertable<ResearchProjectTable>): Promise<number> {
  const row = await db.insertInto('research_project').values(values).returning('id').executeTakeFirstOrThrow()
  return row.id
}

/** Optimistic update: false when the version moved on. */
export async function updateProject(db: Kysely<Database>, id: number, version: number, values: Updateable<ResearchProjectTable>) {
  const r = await db
    .updateTable('research_project')
    .set({ ...values, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export function setProjectFields(db: Kysely<Database>, id: number, values: Updateable<ResearchProjectTable>) {
  return db.updateTable('research_project').set(values).where('id', '=', id).execute()
}

/** Projects whose period is over or that were closed and still hold a pseudonym key. */
export function projectsWithKeyEndedBy(db: Kysely<Database>, today: string) {
  return db
    .selectFrom('research_project')
    .select(['id'])
    .where('key_enc', 'is not', null)
    .where((eb) => eb.or([eb('ends_on', '<', today), eb('closed_at', 'is not', null)]))
    .execute()
}

/**
 * Spends `milli` thousandths of ε from a project's budget, atomically: false (nothing changed) when
 * the spend would exceed the budget, whatever other approvals ran at the same time.
 */
export async function spendEpsilon(db: Kysely<Database>, projectId: number, milli: number) {
  const r = await db
    .updateTable('research_project')
    .set((eb) => ({ epsilon_spent_milli: eb('epsilon_spent_milli', '+', milli) }))
    .where('id', '=', projectId)
    .where((eb) => eb(eb('epsilon_spent_milli', '+', milli), '<=', eb.ref('epsilon_budget_milli')))
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export async function insertNoiseSpend(
  db: Kysely<Database>,
  values: { project_id: number; export_id: number; epsilon_milli: number; spent_by: number; spent_at: string },
) {
  await db.insertInto('research_noise_spend').values(values).execute()
}

export function membersOf(db: Kysely<Database>, projectIds: readonly number[]) {
  if (!projectIds.length) return Promise.resolve([])
  return db
    .selectFrom('research_member')
    .innerJoin('account', 'account.id', 'research_member.account_id')
    .select(['research_member.project_id', 'account.id', 'account.username', 'account.display_name'])
    .where('research_member.project_id', 'in', projectIds)
    .orderBy('account.username')
    .execute()
}

export async function addMember(db: Kysely<Database>, projectId: number, accountId: number, addedBy: number | null, at: string) {
  await db.insertInto('research_member').values({ project_id: projectId, account_id: accountId, added_by: addedBy, added_at: at }).execute()
}

export async function removeMember(db: Kysely<Database>, projectId: number, accountId: number) {
  await db.deleteFrom('research_member').where('project_id', '=', projectId).where('account_id', '=', accountId).execute()
}

/** Active accounts of the given roles, for the approver and researcher pickers. */
export function accountsWithRole(db: Kysely<Database>, roles: readonly ('bureau' | 'researcher')[], ids?: readonly number[]) {
  let q = db
    .selectFrom('account')
    .select(['id', 'username', 'display_name', 'role'])
    .where('role', 'in', [...roles])
    .where('disabled_at', 'is', null)
  if (ids) q = q.where('id', 'in', ids.length ? [...ids] : [-1])
  return q.orderBy('username').execute()
}

// ── exports ────────────────────────────────────────────────────────────────────────────────

export function listExports(db: Kysely<Database>, projectIds: readonly number[] | 'all') {
  let q = db
    .selectFrom('research_export')
    .innerJoin('account', 'account.id', 'research_export.requested_by')
    .selectAll('research_export')
    .select(['account.display_name as requested_by_name'])
  if (projectIds !== 'all') q = q.where('research_export.project_id', 'in', projectIds.length ? [...projectIds] : [-1])
  return q.orderBy('research_export.requested_at', 'desc').orderBy('research_export.id', 'desc').execute()
}

export function findExport(db: Kysely<Database>, id: number) {
  return db.selectFrom('research_export').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function insertExport(db: Kysely<Database>, values: Insertable<ResearchExportTable>): Promise<number> {
  const row = await db.insertInto('research_export').values(values).returning('id').executeTakeFirstOrThrow()
  return row.id
}

export async function updateExport(db: Kysely<Database>, id: number, version: number, values: Updateable<ResearchExportTable>) {
  const r = await db
    .updateTable('research_export')
    .set({ ...values, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export function filesOf(db: Kysely<Database>, exportIds: readonly number[]) {
  if (!exportIds.length) return Promise.resolve([])
  return db
    .selectFrom('research_export_file')
    .selectAll()
    .where('export_id', 'in', [...exportIds])
    .orderBy('id')
    .execute()
}

export async function insertFile(db: Kysely<Database>, values: Insertable<ResearchExportFileTable>) {
  await db.insertInto('research_export_file').values(values).execute()
}

export async function deleteFiles(db: Kysely<Database>, exportIds: readonly number[]) {
  if (exportIds.length)
    await db
      .deleteFrom('research_export_file')
      .where('export_id', 'in', [...exportIds])
      .execute()
}

export function exportIdsOfProject(db: Kysely<Database>, projectId: number) {
  return db.selectFrom('research_export').select('id').where('project_id', '=', projectId).execute()
}

// ── datasets (no names, no free text) ──────────────────────────────────────────────────────────

export function streetsInOrder(db: Kysely<Database>) {
  return db.selectFrom('street').select(['id', 'code', 'name_zh', 'name_en']).orderBy('sort_order').orderBy('code').execute()
}

/** Cases opened within the period, with the student's sex, birth date and grade and the school's type and street. */
function caseUnitsQuery(db: Kysely<Database>, from: string, to: string) {
  return db
    .selectFrom('student_case')
    .innerJoin('student', 'student.id', 'student_case.student_id')
    .innerJoin('school', 'school.id', 'student_case.school_id')
    .innerJoin('street', 'street.id', 'school.street_id')
    .select([
      'student_case.id as case_id',
      'student_case.student_id',
      'student_case.status',
      'student_case.risk_level',
      'student_case.source',
      'student_case.categories',
      'student_case.opened_on',
      'student.sex',
      'student.birth_date',
      'student.grade',
      'school.type as school_type',
      'street.code as street',
    ])
    .where('student_case.opened_on', '>=', from)
    .where('student_case.opened_on', '<=', to)
    .orderBy('student_case.id')
}

export function caseUnits(db: Kysely<Database>, from: string, to: string) {
  return caseUnitsQuery(db, from, to).execute()
}

/**
 * One batch of `caseUnits` after the case id `afterId` (keyset paging on the primary key): a
 * record-level extract reads the period in batches of `limit`, so memory stays flat however many
 * cases the district holds. Same columns, same filter, same order as `caseUnits`.
 */
export function caseUnitsBatch(db: Kysely<Database>, from: string, to: string, afterId: number, limit: number) {
  return caseUnitsQuery(db, from, to).where('student_case.id', '>', afterId).limit(limit).execute()
}

export function staffUnits(db: Kysely<Database>, on: string) {
  return db
    .selectFrom('staff_member')
    .innerJoin('school', 'school.id', 'staff_member.school_id')
    .innerJoin('street', 'street.id', 'school.street_id')
    .select(['staff_member.employment', 'school.type as school_type', 'street.code as street'])
    .where('staff_member.starts_on', '<=', on)
    .where((eb) => eb.or([eb('staff_member.ends_on', 'is', null), eb('staff_member.ends_on', '>=', on)]))
    .where('school.disabled_at', 'is', null)
    .orderBy('staff_member.id')
    .execute()
}

/** Seven-ones events (activities, lectures, drills) held within the period. */
export function programmeUnits(db: Kysely<Database>, from: string, to: string) {
  return db
    .selectFrom('programme_event')
    .innerJoin('school', 'school.id', 'programme_event.school_id')
    .innerJoin('street', 'street.id', 'school.street_id')
    .select(['programme_event.kind', 'programme_event.held_on', 'school.type as school_type', 'street.code as street'])
    .where('programme_event.held_on', '>=', from)
    .where('programme_event.held_on', '<=', to)
    .orderBy('programme_event.id')
    .execute()
}
