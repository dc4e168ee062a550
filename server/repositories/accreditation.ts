import type { Insertable, Kysely, Updateable } from 'kysely'
import type {
  AccountEmploymentTable,
  AccreditationApplicationTable,
  AccreditationEvidenceTable,
  AccreditationPanelTable,
  AccreditationTitleTable,
  Database,
} from '../../db/schema'
import type { Stage } from '../../shared/accreditation'
import { scopedSchoolIds, type Scope } from './scope'

/**
 * Who may see an application: the bureau all, a school its own, an expert only those whose panel they
 * sit on. Every application query takes it, so an expert can never read an unassigned file whatever
 * id they send.
 */
export type ApplicationAccess = { kind: 'scope'; scope: Scope } | { kind: 'expert'; expertId: number }

// ── versions ─────────────────────────────────────────────────────────────────────────────────

export function listVersions(db: Kysely<Database>) {
  return db.selectFrom('accreditation_version').selectAll().orderBy('version_no', 'desc').execute()
}

export function findVersion(db: Kysely<Database>, id: number) {
  return db.selectFrom('accreditation_version').selectAll().where('id', '=', id).executeTakeFirst()
}

export function latestPublished(db: Kysely<Database>) {
  return db
    .selectFrom('accreditation_version')
    .selectAll()
    .where('status', '=', 'published')
    .orderBy('version_no', 'desc')
    .limit(1)
    .executeTakeFirst()
}

export async function insertVersion(db: Kysely<Database>, values: Insertable<Database['accreditation_version']>): Promise<number> {
  return (await db.insertInto('accreditation_version').values(values).returning('id').executeTakeFirstOrThrow()).id
}

/** Changes a draft only: a published version never changes (the `where` is the guard). */
export async function updateDraftVersion(
  db: Kysely<Database>,
  id: number,
  values: Updateable<Database['accreditation_version']>,
): Promise<boolean> {
  const r = await db.updateTable('accreditation_version').set(values).where('id', '=', id).where('status', '=', 'draft').executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

// ── applications ─────────────────────────────────────────────────────────────────────────────

function applications(db: Kysely<Database>, access: ApplicationAccess) {
  let q = db
    .selectFrom('accreditation_application as a')
    .innerJoin('school as s', 's.id', 'a.school_id')
    .innerJoin('street as st', 'st.id', 's.street_id')
    .selectAll('a')
    .select([
      's.name as school_name',
      's.name_en as school_name_en',
      's.code as school_code',
      's.street_id',
      'st.name_zh as street_zh',
      'st.name_en as street_en',
    ])
  if (access.kind === 'expert') {
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('accreditation_panel as p')
          .select('p.id')
          .whereRef('p.application_id', '=', 'a.id')
          .where('p.expert_id', '=', access.expertId),
      ),
    )
  } else {
    const ids = scopedSchoolIds(access.scope)
    if (ids !== 'all') q = q.where('a.school_id', 'in', ids.length ? ids : [-1])
  }
  return q
}

export function findApplication(db: Kysely<Database>, access: ApplicationAccess, id: number) {
  return applications(db, access).where('a.id', '=', id).executeTakeFirst()
}

export function listApplications(db: Kysely<Database>, access: ApplicationAccess) {
  return applications(db, access).orderBy('a.created_at', 'desc').orderBy('a.id', 'desc').execute()
}

export async function insertApplication(db: Kysely<Database>, values: Insertable<AccreditationApplicationTable>): Promise<number> {
  return (await db.insertInto('accreditation_application').values(values).returning('id').executeTakeFirstOrThrow()).id
}

/**
 * Moves or edits an application only from the stage (and, when given, the version) the service read:
 * two requests racing from the same stage cannot both succeed.
 */
export async function updateApplication(
  db: Kysely<Database>,
  id: number,
  expect: { stages: readonly Stage[]; version?: number },
  values: Updateable<AccreditationApplicationTable>,
): Promise<boolean> {
  let q = db
    .updateTable('accreditation_application')
    .set((eb) => ({ ...values, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('stage', 'in', [...expect.stages])
  if (expect.version != null) q = q.where('version', '=', expect.version)
  const r = await q.executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** An application of the school that is not decided yet. */
export function openApplicationOf(db: Kysely<Database>, schoolId: number) {
  return db
    .selectFrom('accreditation_application')
    .select(['id'])
    .where('school_id', '=', schoolId)
    .where('stage', '!=', 'decided')
    .executeTakeFirst()
}

// ── evidence ─────────────────────────────────────────────────────────────────────────────────

export function evidenceOf(db: Kysely<Database>, applicationId: number) {
  return db.selectFrom('accreditation_evidence').selectAll().where('application_id', '=', applicationId).orderBy('id').execute()
}

export async function insertEvidence(db: Kysely<Database>, values: Insertable<AccreditationEvidenceTable>): Promise<number> {
  return (await db.insertInto('accreditation_evidence').values(values).returning('id').executeTakeFirstOrThrow()).id
}

export function findEvidence(db: Kysely<Database>, id: number) {
  return db.selectFrom('accreditation_evidence').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function deleteEvidence(db: Kysely<Database>, id: number): Promise<void> {
  await db.deleteFrom('accreditation_evidence').where('id', '=', id).execute()
}

export async function countEvidence(db: Kysely<Database>, applicationId: number, pointCode: string): Promise<number> {
  const r = await db
    .selectFrom('accreditation_evidence')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('application_id', '=', applicationId)
    .where('point_code', '=', pointCode)
    .executeTakeFirstOrThrow()
  return Number(r.n)
}

// ── panel ────────────────────────────────────────────────────────────────────────────────────

export function panelOf(db: Kysely<Database>, applicationId: number) {
  return db
    .selectFrom('accreditation_panel as p')
    .innerJoin('account as a', 'a.id', 'p.expert_id')
    .selectAll('p')
    .select(['a.display_name', 'a.username'])
    .where('p.application_id', '=', applicationId)
    .orderBy('p.id')
    .execute()
}

export function findPanelSeat(db: Kysely<Database>, applicationId: number, expertId: number) {
  return db
    .selectFrom('accreditation_panel')
    .selectAll()
    .where('application_id', '=', applicationId)
    .where('expert_id', '=', expertId)
    .executeTakeFirst()
}

export async function insertPanelSeat(db: Kysely<Database>, values: Insertable<AccreditationPanelTable>): Promise<void> {
  await db.insertInto('accreditation_panel').values(values).execute()
}

export async function deletePanelSeat(db: Kysely<Database>, applicationId: number, expertId: number): Promise<boolean> {
  const r = await db
    .deleteFrom('accreditation_panel')
    .where('application_id', '=', applicationId)
    .where('expert_id', '=', expertId)
    .where('submitted_at', 'is', null)
    .executeTakeFirst()
  return Number(r.numDeletedRows) === 1
}

/** Saves a sheet only while it is not submitted (the `where` is the guard against a late write). */
export async function updatePanelSeat(
  db: Kysely<Database>,
  applicationId: number,
  expertId: number,
  values: Updateable<AccreditationPanelTable>,
): Promise<boolean> {
  const r = await db
    .updateTable('accreditation_panel')
    .set(values)
    .where('application_id', '=', applicationId)
    .where('expert_id', '=', expertId)
    .where('submitted_at', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** Schools whose earlier applications each expert sat on. */
export function panelSchoolsOf(db: Kysely<Database>, expertIds: readonly number[]) {
  if (!expertIds.length) return Promise.resolve([])
  return db
    .selectFrom('accreditation_panel as p')
    .innerJoin('accreditation_application as a', 'a.id', 'p.application_id')
    .select(['p.expert_id', 'a.school_id', 'a.id as application_id'])
    .where('p.expert_id', 'in', [...expertIds])
    .execute()
}

export function activeExperts(db: Kysely<Database>) {
  return db
    .selectFrom('account')
    .select(['id', 'username', 'display_name'])
    .where('role', '=', 'expert')
    .where('disabled_at', 'is', null)
    .orderBy('username')
    .execute()
}

export function expertAccounts(db: Kysely<Database>) {
  return db.selectFrom('account').select(['id', 'display_name', 'username']).where('role', '=', 'expert').orderBy('username').execute()
}

export function findExpert(db: Kysely<Database>, id: number) {
  return db
    .selectFrom('account')
    .select(['id', 'display_name'])
    .where('id', '=', id)
    .where('role', '=', 'expert')
    .where('disabled_at', 'is', null)
    .executeTakeFirst()
}

export function assignmentsOf(db: Kysely<Database>, expertId: number) {
  return db
    .selectFrom('accreditation_panel as p')
    .innerJoin('accreditation_application as a', 'a.id', 'p.application_id')
    .innerJoin('school as s', 's.id', 'a.school_id')
    .select(['a.id', 'a.stage', 's.name', 's.name_en', 'p.assigned_at', 'p.submitted_at'])
    .where('p.expert_id', '=', expertId)
    .orderBy('p.assigned_at', 'desc')
    .execute()
}

export function deltasOf(db: Kysely<Database>, applicationId: number) {
  return db.selectFrom('accreditation_delta').selectAll().where('application_id', '=', applicationId).orderBy('id').execute()
}

export async function insertDelta(db: Kysely<Database>, values: Insertable<Database['accreditation_delta']>): Promise<number> {
  return (await db.insertInto('accreditation_delta').values(values).returning('id').executeTakeFirstOrThrow()).id
}

// ── discussions ──────────────────────────────────────────────────────────────────────────────

export function discussionsOf(db: Kysely<Database>, applicationId: number) {
  return db.selectFrom('accreditation_discussion').selectAll().where('application_id', '=', applicationId).orderBy('id').execute()
}

export function findDiscussion(db: Kysely<Database>, id: number) {
  return db.selectFrom('accreditation_discussion').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function insertDiscussion(db: Kysely<Database>, values: Insertable<Database['accreditation_discussion']>): Promise<number> {
  return (await db.insertInto('accreditation_discussion').values(values).returning('id').executeTakeFirstOrThrow()).id
}

export function messagesOf(db: Kysely<Database>, discussionIds: readonly number[]) {
  if (!discussionIds.length) return Promise.resolve([])
  return db
    .selectFrom('accreditation_message as m')
    .leftJoin('account as a', 'a.id', 'm.author_id')
    .selectAll('m')
    .select(['a.display_name', 'a.role'])
    .where('m.discussion_id', 'in', [...discussionIds])
    .orderBy('m.id')
    .execute()
}

export async function insertMessage(db: Kysely<Database>, values: Insertable<Database['accreditation_message']>): Promise<void> {
  await db.insertInto('accreditation_message').values(values).execute()
}

// ── titles and reminders ─────────────────────────────────────────────────────────────────────

export function listTitles(db: Kysely<Database>, scope: Scope) {
  const ids = scopedSchoolIds(scope)
  let q = db
    .selectFrom('accreditation_title as t')
    .innerJoin('school as s', 's.id', 't.school_id')
    .selectAll('t')
    .select(['s.name as school_name', 's.name_en as school_name_en'])
  if (ids !== 'all') q = q.where('t.school_id', 'in', ids.length ? ids : [-1])
  return q.orderBy('t.starts_on').orderBy('t.id').execute()
}

export function findTitle(db: Kysely<Database>, id: number) {
  return db.selectFrom('accreditation_title').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function insertTitle(db: Kysely<Database>, values: Insertable<AccreditationTitleTable>): Promise<number> {
  return (await db.insertInto('accreditation_title').values(values).returning('id').executeTakeFirstOrThrow()).id
}

export async function withdrawTitleRow(db: Kysely<Database>, id: number, on: string, reasonEnc: string): Promise<boolean> {
  const r = await db
    .updateTable('accreditation_title')
    .set({ withdrawn_on: on, withdrawn_reason_enc: reasonEnc })
    .where('id', '=', id)
    .where('withdrawn_on', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export function remindersSent(db: Kysely<Database>) {
  return db.selectFrom('accreditation_reminder').select(['title_id', 'days_before']).execute()
}

/** Records one reminder; false when another run recorded it first (the primary key decides). */
export async function recordReminder(
  db: Kysely<Database>,
  values: { title_id: number; days_before: number; sent_on: string; delivered: number },
): Promise<boolean> {
  const r = await db
    .insertInto('accreditation_reminder')
    .values(values)
    .onConflict((oc) => oc.columns(['title_id', 'days_before']).doNothing())
    .executeTakeFirst()
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1
}

export function accountsToRemind(db: Kysely<Database>, schoolId: number) {
  return db
    .selectFrom('account')
    .select(['id', 'role'])
    .where('disabled_at', 'is', null)
    .where((eb) => eb.or([eb('role', '=', 'bureau'), eb.and([eb('role', '=', 'school_admin'), eb('school_id', '=', schoolId)])]))
    .execute()
}

export function schoolAdminsOf(db: Kysely<Database>, schoolId: number) {
  return db
    .selectFrom('account')
    .select('id')
    .where('disabled_at', 'is', null)
    .where('role', '=', 'school_admin')
    .where('school_id', '=', schoolId)
    .execute()
}

// ── employment history ───────────────────────────────────────────────────────────────────────

export function employmentOf(db: Kysely<Database>, accountIds: readonly number[]) {
  if (!accountIds.length) return Promise.resolve([])
  return db
    .selectFrom('account_employment as e')
    .innerJoin('school as s', 's.id', 'e.school_id')
    .selectAll('e')
    .select(['s.name as school_name', 's.name_en as school_name_en'])
    .where('e.account_id', 'in', [...accountIds])
    .orderBy('e.from_on')
    .execute()
}

export async function insertEmployment(db: Kysely<Database>, values: Insertable<AccountEmploymentTable>): Promise<number> {
  return (await db.insertInto('account_employment').values(values).returning('id').executeTakeFirstOrThrow()).id
}

export function findEmployment(db: Kysely<Database>, id: number) {
  return db.selectFrom('account_employment').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function deleteEmployment(db: Kysely<Database>, id: number): Promise<void> {
  await db.deleteFrom('account_employment').where('id', '=', id).execute()
}

/** Every active school's street, for conflict checks. */
export function schoolPlaces(db: Kysely<Database>) {
  return db.selectFrom('school').select(['id', 'street_id', 'name', 'name_en']).execute()
}
