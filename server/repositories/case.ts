import { sql, type ExpressionBuilder, type Insertable, type Kysely, type Updateable } from 'kysely'
import type {
  CaseContactTable,
  CaseCrisisTable,
  CaseNotificationTable,
  CaseFollowUpTable,
  CaseNoteTable,
  CaseReferralTable,
  CaseRiskChangeTable,
  CaseTaskTable,
  Database,
  StudentCaseTable,
} from '../../db/schema'
import type { RiskChangeKind, RiskLevel } from '../../shared/cases'
import type { DueWindow } from '../../shared/due'
import type { Scope } from './scope'
import { scopedSchoolIds } from './scope'

function scopedCases(db: Kysely<Database>, scope: Scope) {
  const ids = scopedSchoolIds(scope)
  let q = db.selectFrom('student_case')
  if (ids !== 'all') q = q.where('student_case.school_id', 'in', ids.length ? ids : [-1])
  return q
}

/** One case if the scope admits it; another school's case is indistinguishable from a missing one. */
export function findCase(db: Kysely<Database>, scope: Scope, id: number) {
  return scopedCases(db, scope).selectAll('student_case').where('student_case.id', '=', id).executeTakeFirst()
}

export interface BoardFilter {
  status: 'open' | 'closed' | 'all'
  riskLevel?: RiskLevel
  /** JSON-encoded category code, matched inside the categories array */
  category?: string
  grade?: number
  className?: string
  counsellorId?: number
}

/**
 * The caseload board of a school: each case with its student and what is due. Overdue and due-today
 * counts use the bounds of `w` (shared/due.ts, the one statement of that rule): a task is overdue
 * before `w.now` and due today up to `w.endOfToday`; a follow-up is overdue before `w.today` and due
 * today on it. Open tasks and planned follow-ups
 * are aggregated once per school and joined, rather than looked up per case (5 correlated
 * sub-selects measured 2.3× slower on PostgreSQL and 1.5× on SQLite for 2,000 cases; bench/caseload.ts).
 * Every matching case is returned: the service sorts overdue work first, so nothing may be cut here.
 */
export function caseBoard(db: Kysely<Database>, scope: Scope, f: BoardFilter, w: DueWindow) {
  const ids = scopedSchoolIds(scope)
  const inScope = ids === 'all' ? null : ids.length ? ids : [-1]
  const tasks = (eb: ExpressionBuilder<Database, 'student_case'>) =>
    eb
      .selectFrom('case_task')
      .select((e) => [
        'case_task.case_id',
        e.fn.countAll<number>().as('open_tasks'),
        e.fn.sum<number>(e.case().when('case_task.due_at', '<', w.now).then(1).else(0).end()).as('overdue_tasks'),
        e.fn
          .sum<number>(
            e
              .case()
              .when(e.and([e('case_task.due_at', '>=', w.now), e('case_task.due_at', '<=', w.endOfToday)]))
              .then(1)
              .else(0)
              .end(),
          )
          .as('due_today_tasks'),
        e.fn.min('case_task.due_at').as('next_task_due'),
      ])
      .where('case_task.status', '=', 'open')
      .$if(inScope != null, (q) => q.where('case_task.school_id', 'in', inScope!))
      .groupBy('case_task.case_id')
      .as('t')
  const followUps = (eb: ExpressionBuilder<Database, 'student_case'>) =>
    eb
      .selectFrom('case_follow_up')
      .select((e) => [
        'case_follow_up.case_id',
        e.fn.sum<number>(e.case().when('case_follow_up.due_on', '<', w.today).then(1).else(0).end()).as('overdue_follow_ups'),
        e.fn.sum<number>(e.case().when('case_follow_up.due_on', '=', w.today).then(1).else(0).end()).as('due_today_follow_ups'),
        e.fn.min('case_follow_up.due_on').as('next_follow_up'),
      ])
      .where('case_follow_up.status', '=', 'planned')
      .$if(inScope != null, (q) => q.where('case_follow_up.school_id', 'in', inScope!))
      .groupBy('case_follow_up.case_id')
      .as('f')

  let q = scopedCases(db, scope)
    .innerJoin('student', 'student.id', 'student_case.student_id')
    .leftJoin(tasks, (j) => j.onRef('t.case_id', '=', 'student_case.id'))
    .leftJoin(followUps, (j) => j.onRef('f.case_id', '=', 'student_case.id'))
  if (f.status !== 'all') q = q.where('student_case.status', '=', f.status)
  if (f.riskLevel) q = q.where('student_case.risk_level', '=', f.riskLevel)
  if (f.category) q = q.where('student_case.categories', 'like', `%"${f.category}"%`)
  if (f.grade != null) q = q.where('student.grade', '=', f.grade)
  if (f.className) q = q.where('student.class_name', '=', f.className)
  if (f.counsellorId != null) {
    const cid = f.counsellorId
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('case_counsellor')
          .select('case_counsellor.case_id')
          .whereRef('case_counsellor.case_id', '=', 'student_case.id')
          .where('case_counsellor.account_id', '=', cid),
      ),
    )
  }
  return q
    .select([
      'student_case.id',
      'student_case.status',
      'student_case.risk_level',
      'student_case.categories',
      'student_case.flags',
      'student_case.opened_on',
      'student_case.closed_at',
      'student_case.last_activity_at',
      'student_case.version',
      'student.id as student_id',
      'student.student_no',
      'student.name_enc',
      'student.grade',
      'student.class_name',
      't.open_tasks',
      't.overdue_tasks',
      't.due_today_tasks',
      't.next_task_due',
      'f.overdue_follow_ups',
      'f.due_today_follow_ups',
      'f.next_follow_up',
    ])
    .orderBy('student_case.id', 'desc')
    .execute()
}

export async function insertCase(db: Kysely<Database>, values: Insertable<StudentCaseTable>): Promise<number> {
  return (await db.insertInto('student_case').values(values).returning('id').executeTakeFirstOrThrow()).id
}

/** Optimistic update of a case: false when someone else saved first. */
export async function updateCase(
  db: Kysely<Database>,
  id: number,
  version: number | null,
  values: Updateable<StudentCaseTable>,
): Promise<boolean> {
  let q = db
    .updateTable('student_case')
    .set((eb) => ({ ...values, version: eb('version', '+', 1) }))
    .where('id', '=', id)
  if (version != null) q = q.where('version', '=', version)
  return Number((await q.executeTakeFirst()).numUpdatedRows) === 1
}

export async function touchCase(db: Kysely<Database>, id: number, at: string): Promise<void> {
  await db.updateTable('student_case').set({ last_activity_at: at, updated_at: at }).where('id', '=', id).execute()
}

export async function setCounsellors(db: Kysely<Database>, caseId: number, accountIds: number[]): Promise<void> {
  await db.deleteFrom('case_counsellor').where('case_id', '=', caseId).execute()
  if (accountIds.length)
    await db
      .insertInto('case_counsellor')
      .values(accountIds.map((a) => ({ case_id: caseId, account_id: a })))
      .execute()
}

export function caseCounsellors(db: Kysely<Database>, caseId: number) {
  return db
    .selectFrom('case_counsellor')
    .innerJoin('account', 'account.id', 'case_counsellor.account_id')
    .select(['account.id', 'account.display_name'])
    .where('case_counsellor.case_id', '=', caseId)
    .orderBy('account.display_name')
    .execute()
}

/** Counsellors (active accounts) of a school: who a case may be assigned to. */
export function schoolCounsellors(db: Kysely<Database>, schoolId: number) {
  return db
    .selectFrom('account')
    .select(['id', 'display_name'])
    .where('school_id', '=', schoolId)
    .where('role', '=', 'counsellor')
    .where('disabled_at', 'is', null)
    .orderBy('display_name')
    .execute()
}

/** The open case of each of `studentIds` that has one (at most one each: student_case_one_open_uq), within the scope. */
export async function openCaseIdsOf(db: Kysely<Database>, scope: Scope, studentIds: readonly number[]): Promise<Map<number, number>> {
  if (!studentIds.length) return new Map()
  const rows = await scopedCases(db, scope)
    .select(['student_case.student_id', 'student_case.id'])
    .where('student_case.status', '=', 'open')
    .where('student_case.student_id', 'in', [...studentIds])
    .execute()
  return new Map(rows.map((r) => [r.student_id, r.id]))
}

export function casesOfStudent(db: Kysely<Database>, studentId: number) {
  return db
    .selectFrom('student_case')
    .select(['id', 'status', 'risk_level', 'opened_on', 'closed_at', 'categories'])
    .where('student_id', '=', studentId)
    .orderBy('opened_on', 'desc')
    .execute()
}

export const insertNote = async (db: Kysely<Database>, v: Insertable<CaseNoteTable>) =>
  (await db.insertInto('case_note').values(v).returning('id').executeTakeFirstOrThrow()).id
export const insertRiskChange = async (db: Kysely<Database>, v: Insertable<CaseRiskChangeTable>) =>
  (await db.insertInto('case_risk_change').values(v).returning('id').executeTakeFirstOrThrow()).id
/** Level-history rows written before migration 0006, which the service converts once. */
export const legacyRiskChanges = (db: Kysely<Database>) =>
  db.selectFrom('case_risk_change').select(['id', 'from_level', 'to_level', 'reason_enc']).where('kind', 'is', null).orderBy('id').execute()
export async function setLegacyRiskChange(
  db: Kysely<Database>,
  id: number,
  values: { kind: RiskChangeKind; reason_enc: string },
): Promise<void> {
  await db.updateTable('case_risk_change').set(values).where('id', '=', id).where('kind', 'is', null).execute()
}
export const insertFollowUp = async (db: Kysely<Database>, v: Insertable<CaseFollowUpTable>) =>
  (await db.insertInto('case_follow_up').values(v).returning('id').executeTakeFirstOrThrow()).id
export const insertReferral = async (db: Kysely<Database>, v: Insertable<CaseReferralTable>) =>
  (await db.insertInto('case_referral').values(v).returning('id').executeTakeFirstOrThrow()).id
export const insertCrisis = async (db: Kysely<Database>, v: Insertable<CaseCrisisTable>) =>
  (await db.insertInto('case_crisis').values(v).returning('id').executeTakeFirstOrThrow()).id
export const insertContact = async (db: Kysely<Database>, v: Insertable<CaseContactTable>) =>
  (await db.insertInto('case_contact').values(v).returning('id').executeTakeFirstOrThrow()).id

export const insertNotification = async (db: Kysely<Database>, v: Insertable<CaseNotificationTable>) =>
  (await db.insertInto('case_notification').values(v).returning('id').executeTakeFirstOrThrow()).id

/** The oldest-due open task of a kind on a case: the one a notification or a referral fulfils. */
export const findOpenTaskOfKind = (db: Kysely<Database>, caseId: number, kinds: readonly string[]) =>
  db
    .selectFrom('case_task')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('kind', 'in', kinds)
    .where('status', '=', 'open')
    .orderBy('due_at')
    .orderBy('id')
    .execute()

export async function insertTasks(db: Kysely<Database>, values: Insertable<CaseTaskTable>[]): Promise<void> {
  if (values.length) await db.insertInto('case_task').values(values).execute()
}

export function findNote(db: Kysely<Database>, id: number) {
  return db.selectFrom('case_note').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function updateNote(db: Kysely<Database>, id: number, version: number, values: Updateable<CaseNoteTable>): Promise<boolean> {
  const r = await db
    .updateTable('case_note')
    .set((eb) => ({ ...values, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export async function keepNoteVersion(
  db: Kysely<Database>,
  note: { id: number; version: number; session_date: string; duration_min: number; type: string; text_enc: string },
  at: string,
) {
  await db
    .insertInto('case_note_version')
    .values({
      note_id: note.id,
      version: note.version,
      session_date: note.session_date,
      duration_min: note.duration_min,
      type: note.type,
      text_enc: note.text_enc,
      replaced_at: at,
    })
    .execute()
}

export const findTask = (db: Kysely<Database>, id: number) => db.selectFrom('case_task').selectAll().where('id', '=', id).executeTakeFirst()
export const findFollowUp = (db: Kysely<Database>, id: number) =>
  db.selectFrom('case_follow_up').selectAll().where('id', '=', id).executeTakeFirst()
export const findReferral = (db: Kysely<Database>, id: number) =>
  db.selectFrom('case_referral').selectAll().where('id', '=', id).executeTakeFirst()

export async function updateTask(db: Kysely<Database>, id: number, values: Updateable<CaseTaskTable>): Promise<boolean> {
  const r = await db.updateTable('case_task').set(values).where('id', '=', id).where('status', '=', 'open').executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export async function updateFollowUp(db: Kysely<Database>, id: number, values: Updateable<CaseFollowUpTable>): Promise<boolean> {
  const r = await db.updateTable('case_follow_up').set(values).where('id', '=', id).where('status', '=', 'planned').executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export async function updateReferral(
  db: Kysely<Database>,
  id: number,
  version: number,
  values: Updateable<CaseReferralTable>,
): Promise<boolean> {
  const r = await db
    .updateTable('case_referral')
    .set((eb) => ({ ...values, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** Everything on one case's file, for its timeline. */
export async function caseFile(db: Kysely<Database>, caseId: number) {
  const [notes, risks, tasks, followUps, referrals, crises, contacts, versions, notifications] = await Promise.all([
    db
      .selectFrom('case_note')
      .innerJoin('account', 'account.id', 'case_note.author_id')
      .selectAll('case_note')
      .select('account.display_name as author_name')
      .where('case_note.case_id', '=', caseId)
      .orderBy('case_note.session_date')
      .orderBy('case_note.id')
      .execute(),
    db
      .selectFrom('case_risk_change')
      .innerJoin('account', 'account.id', 'case_risk_change.changed_by')
      .selectAll('case_risk_change')
      .select('account.display_name as by_name')
      .where('case_id', '=', caseId)
      .orderBy('case_risk_change.changed_at')
      .orderBy('case_risk_change.id')
      .execute(),
    db
      .selectFrom('case_task')
      .leftJoin('account', 'account.id', 'case_task.completed_by')
      .selectAll('case_task')
      .select('account.display_name as completed_by_name')
      .where('case_task.case_id', '=', caseId)
      .orderBy('case_task.due_at')
      .orderBy('case_task.id')
      .execute(),
    db.selectFrom('case_follow_up').selectAll().where('case_id', '=', caseId).orderBy('due_on').orderBy('id').execute(),
    db.selectFrom('case_referral').selectAll().where('case_id', '=', caseId).orderBy('sent_on').orderBy('id').execute(),
    db.selectFrom('case_crisis').selectAll().where('case_id', '=', caseId).orderBy('occurred_at').execute(),
    db.selectFrom('case_contact').selectAll().where('case_id', '=', caseId).orderBy('contacted_at').execute(),
    db
      .selectFrom('case_note_version')
      .innerJoin('case_note', 'case_note.id', 'case_note_version.note_id')
      .select(['case_note_version.note_id', sql<number>`count(*)`.as('n')])
      .where('case_note.case_id', '=', caseId)
      .groupBy('case_note_version.note_id')
      .execute(),
    db
      .selectFrom('case_notification')
      .innerJoin('account', 'account.id', 'case_notification.recorded_by')
      .selectAll('case_notification')
      .select('account.display_name as recorded_by_name')
      .where('case_notification.case_id', '=', caseId)
      .orderBy('case_notification.notified_at')
      .orderBy('case_notification.id')
      .execute(),
  ])
  return { notes, risks, tasks, followUps, referrals, crises, contacts, versions, notifications }
}

export function noteVersions(db: Kysely<Database>, noteId: number) {
  return db.selectFrom('case_note_version').selectAll().where('note_id', '=', noteId).orderBy('version', 'desc').execute()
}

/** Open-case counts by school × a dimension, for the school admin and the bureau (no identities). */
export function caseCounts(db: Kysely<Database>, scope: Scope, dimension: 'risk_level' | 'status') {
  return scopedCases(db, scope)
    .select((eb) => ['student_case.school_id', `student_case.${dimension} as key`, eb.fn.countAll<number>().as('n')])
    .$if(dimension === 'risk_level', (q) => q.where('student_case.status', '=', 'open'))
    .groupBy(['student_case.school_id', `student_case.${dimension}`])
    .execute()
}

/** Open cases per school with the categories JSON, for counting by category in the service. */
export function openCaseCategories(db: Kysely<Database>, scope: Scope) {
  return scopedCases(db, scope)
    .select(['student_case.school_id', 'student_case.categories'])
    .where('student_case.status', '=', 'open')
    .execute()
}

/** Overdue open tasks and planned follow-ups per school, by the bounds of `w` (shared/due.ts). */
export function overdueCounts(db: Kysely<Database>, scope: Scope, w: DueWindow) {
  const ids = scopedSchoolIds(scope)
  const inScope = ids === 'all' ? null : ids.length ? ids : [-1]
  const tasks = db
    .selectFrom('case_task')
    .select((eb) => ['school_id', eb.fn.countAll<number>().as('n')])
    .where('status', '=', 'open')
    .where('due_at', '<', w.now)
    .$if(!!inScope, (q) => q.where('school_id', 'in', inScope!))
    .groupBy('school_id')
    .execute()
  const followUps = db
    .selectFrom('case_follow_up')
    .select((eb) => ['school_id', eb.fn.countAll<number>().as('n')])
    .where('status', '=', 'planned')
    .where('due_on', '<', w.today)
    .$if(!!inScope, (q) => q.where('school_id', 'in', inScope!))
    .groupBy('school_id')
    .execute()
  return Promise.all([tasks, followUps])
}
