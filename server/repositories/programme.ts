import type { Insertable, Kysely, Updateable } from 'kysely'
import type {
  Database,
  EvaluationRoundTable,
  EvaluationSubmissionTable,
  ProgrammeAttachmentTable,
  ProgrammeChannelTable,
  ProgrammeEventTable,
} from '../../db/schema'
import type { SchoolType } from '../../shared/roles'
import type { Scope } from './scope'
import { scopedSchoolIds } from './scope'

export interface SchoolFilter {
  /** one school (its own pages, the bureau's drill-down) or the district with optional street/type */
  schoolId?: number
  streetId?: number
  type?: SchoolType
}

/**
 * The ids of the active schools the scope and filter admit, as a subquery for `school_id in (…)`.
 * Every programme query takes it, so a school role can never read another school's evidence whatever ids it sends.
 */
function schoolIds(db: Kysely<Database>, scope: Scope, f: SchoolFilter) {
  const ids = scopedSchoolIds(scope)
  let sub = db.selectFrom('school').select('school.id').where('school.disabled_at', 'is', null)
  if (ids !== 'all') sub = sub.where('school.id', 'in', ids.length ? ids : [-1])
  if (f.schoolId) sub = sub.where('school.id', '=', f.schoolId)
  if (f.streetId) sub = sub.where('school.street_id', '=', f.streetId)
  if (f.type) sub = sub.where('school.type', '=', f.type)
  return sub
}

export function programmeSchools(db: Kysely<Database>, scope: Scope, f: SchoolFilter, schoolYearId: number) {
  return db
    .selectFrom('school')
    .innerJoin('street', 'street.id', 'school.street_id')
    .leftJoin('enrolment', (j) => j.onRef('enrolment.school_id', '=', 'school.id').on('enrolment.school_year_id', '=', schoolYearId))
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
      'enrolment.classes',
    ])
    .where('school.id', 'in', schoolIds(db, scope, f))
    .orderBy('street.sort_order')
    .orderBy('school.name')
    .orderBy('school.id')
    .execute()
}

// ── facts per school for one year (bulk: one query per kind of evidence) ─────────────────────

export function teamFacts(db: Kysely<Database>, scope: Scope, f: SchoolFilter, schoolYearId: number) {
  return db
    .selectFrom('programme_team')
    .select(['school_id', 'set_up_on', 'note', 'version', 'updated_at'])
    .where('school_year_id', '=', schoolYearId)
    .where('programme_team.school_id', 'in', schoolIds(db, scope, f))
    .execute()
}

export function classRows(db: Kysely<Database>, scope: Scope, f: SchoolFilter, schoolYearId: number) {
  return db
    .selectFrom('programme_class')
    .select(['school_id', 'grade', 'class_name', 'head_teacher_trained', 'peer_supporters'])
    .where('school_year_id', '=', schoolYearId)
    .where('programme_class.school_id', 'in', schoolIds(db, scope, f))
    .orderBy('school_id')
    .orderBy('grade')
    .orderBy('class_name')
    .execute()
}

export function eventRows(db: Kysely<Database>, scope: Scope, f: SchoolFilter, schoolYearId: number) {
  const counts = db
    .selectFrom('programme_attachment')
    .select((eb) => ['event_id', eb.fn.countAll<number>().as('n')])
    .groupBy('event_id')
    .as('a')
  return db
    .selectFrom('programme_event')
    .leftJoin(counts, (j) => j.onRef('a.event_id', '=', 'programme_event.id'))
    .selectAll('programme_event')
    .select('a.n as attachments')
    .where('programme_event.school_year_id', '=', schoolYearId)
    .where('programme_event.school_id', 'in', schoolIds(db, scope, f))
    .orderBy('programme_event.held_on', 'desc')
    .orderBy('programme_event.id', 'desc')
    .execute()
}

export function channelRows(db: Kysely<Database>, scope: Scope, f: SchoolFilter, schoolYearId: number) {
  return db
    .selectFrom('programme_channel')
    .selectAll()
    .where('school_year_id', '=', schoolYearId)
    .where('programme_channel.school_id', 'in', schoolIds(db, scope, f))
    .orderBy('id')
    .execute()
}

export function clinicRows(db: Kysely<Database>, scope: Scope, f: SchoolFilter, schoolYearId: number) {
  return db
    .selectFrom('programme_clinic')
    .selectAll()
    .where('school_year_id', '=', schoolYearId)
    .where('programme_clinic.school_id', 'in', schoolIds(db, scope, f))
    .execute()
}

/** Psychology teachers (any kind) in post on `date`, per school. */
export function teachersInPost(db: Kysely<Database>, scope: Scope, f: SchoolFilter, date: string) {
  return db
    .selectFrom('staff_member')
    .select((eb) => ['school_id', eb.fn.countAll<number>().as('n')])
    .where('starts_on', '<=', date)
    .where((eb) => eb.or([eb('ends_on', 'is', null), eb('ends_on', '>=', date)]))
    .where('staff_member.school_id', 'in', schoolIds(db, scope, f))
    .groupBy('school_id')
    .execute()
}

/**
 * Case follow-up on `date`, counts only: cases open then, and of those how many had nothing overdue
 * (no planned follow-up past its date, no open task past its due time). Never a student's identity.
 */
export function caseFollowUpFacts(db: Kysely<Database>, scope: Scope, f: SchoolFilter, date: string) {
  // `date` is a Shanghai calendar day; its bounds as UTC instants (the case tables store UTC).
  const dayStart = new Date(`${date}T00:00:00+08:00`).toISOString()
  const dayEnd = new Date(`${date}T23:59:59.999+08:00`).toISOString()
  const overdueFollowUps = db
    .selectFrom('case_follow_up')
    .select((eb) => ['case_id', eb.fn.countAll<number>().as('n')])
    .where('due_on', '<', date)
    .where((eb) => eb.or([eb('status', '=', 'planned'), eb.and([eb('status', '=', 'done'), eb('done_at', '>', dayEnd)])]))
    .groupBy('case_id')
    .as('fu')
  const overdueTasks = db
    .selectFrom('case_task')
    .select((eb) => ['case_id', eb.fn.countAll<number>().as('n')])
    .where('due_at', '<', dayStart)
    .where((eb) => eb.or([eb('status', '=', 'open'), eb.and([eb('status', '=', 'done'), eb('completed_at', '>', dayEnd)])]))
    .groupBy('case_id')
    .as('tk')
  return db
    .selectFrom('student_case')
    .leftJoin(overdueFollowUps, (j) => j.onRef('fu.case_id', '=', 'student_case.id'))
    .leftJoin(overdueTasks, (j) => j.onRef('tk.case_id', '=', 'student_case.id'))
    .select((eb) => [
      'student_case.school_id',
      eb.fn.countAll<number>().as('open_cases'),
      eb.fn
        .sum<number>(
          eb
            .case()
            .when(eb.and([eb(eb.fn.coalesce('fu.n', eb.lit(0)), '=', 0), eb(eb.fn.coalesce('tk.n', eb.lit(0)), '=', 0)]))
            .then(1)
            .else(0)
            .end(),
        )
        .as('on_plan'),
      eb.fn.sum<number>(eb(eb.fn.coalesce('fu.n', eb.lit(0)), '+', eb.fn.coalesce('tk.n', eb.lit(0)))).as('overdue_items'),
    ])
    .where('student_case.opened_on', '<=', date)
    .where((eb) => eb.or([eb('student_case.closed_at', 'is', null), eb('student_case.closed_at', '>', dayEnd)]))
    .where('student_case.school_id', 'in', schoolIds(db, scope, f))
    .groupBy('student_case.school_id')
    .execute()
}

/** Referrals to a hospital clinic or green channel sent during the year, per school. */
export function clinicReferrals(db: Kysely<Database>, scope: Scope, f: SchoolFilter, from: string, to: string) {
  return db
    .selectFrom('case_referral')
    .innerJoin('student_case', 'student_case.id', 'case_referral.case_id')
    .select((eb) => ['student_case.school_id', eb.fn.countAll<number>().as('n')])
    .where('case_referral.kind', 'in', ['hospital_clinic', 'green_channel'])
    .where('case_referral.sent_on', '>=', from)
    .where('case_referral.sent_on', '<=', to)
    .where('student_case.school_id', 'in', schoolIds(db, scope, f))
    .groupBy('student_case.school_id')
    .execute()
}

// ── writes ───────────────────────────────────────────────────────────────────────────────────

export async function upsertTeam(
  db: Kysely<Database>,
  v: {
    school_id: number
    school_year_id: number
    set_up_on: string | null
    note: string | null
    updated_at: string
    updated_by: number | null
  },
) {
  await db
    .insertInto('programme_team')
    .values({ ...v, version: 1 })
    .onConflict((oc) =>
      oc.columns(['school_id', 'school_year_id']).doUpdateSet((eb) => ({
        set_up_on: v.set_up_on,
        note: v.note,
        updated_at: v.updated_at,
        updated_by: v.updated_by,
        version: eb('programme_team.version', '+', 1),
      })),
    )
    .execute()
}

export async function replaceClasses(
  db: Kysely<Database>,
  schoolId: number,
  schoolYearId: number,
  rows: { grade: number; class_name: string; head_teacher_trained: number; peer_supporters: number }[],
) {
  await db.deleteFrom('programme_class').where('school_id', '=', schoolId).where('school_year_id', '=', schoolYearId).execute()
  if (rows.length)
    await db
      .insertInto('programme_class')
      .values(rows.map((r) => ({ ...r, school_id: schoolId, school_year_id: schoolYearId })))
      .execute()
}

/** The classes on the roster (grade and class name only), to start the class list from. */
export function rosterClasses(db: Kysely<Database>, schoolId: number) {
  return db
    .selectFrom('student')
    .select(['grade', 'class_name'])
    .distinct()
    .where('school_id', '=', schoolId)
    .where('left_at', 'is', null)
    .orderBy('grade')
    .orderBy('class_name')
    .execute()
}

export function findEvent(db: Kysely<Database>, scope: Scope, id: number) {
  return db
    .selectFrom('programme_event')
    .selectAll()
    .where('id', '=', id)
    .where('programme_event.school_id', 'in', schoolIds(db, scope, {}))
    .executeTakeFirst()
}

export async function insertEvent(db: Kysely<Database>, values: Insertable<ProgrammeEventTable>): Promise<number> {
  return (await db.insertInto('programme_event').values(values).returning('id').executeTakeFirstOrThrow()).id
}

export async function updateEvent(
  db: Kysely<Database>,
  id: number,
  version: number,
  values: Updateable<ProgrammeEventTable>,
): Promise<boolean> {
  const r = await db
    .updateTable('programme_event')
    .set((eb) => ({ ...values, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export async function deleteEvent(db: Kysely<Database>, id: number): Promise<void> {
  await db.deleteFrom('programme_event').where('id', '=', id).execute()
}

export function attachmentsOf(db: Kysely<Database>, eventIds: readonly number[]) {
  if (!eventIds.length) return Promise.resolve([])
  return db
    .selectFrom('programme_attachment')
    .select(['id', 'event_id', 'file_name', 'file_ext', 'storage_key', 'mime_type', 'size_bytes', 'created_at'])
    .where('event_id', 'in', eventIds)
    .orderBy('id')
    .execute()
}

export function findAttachment(db: Kysely<Database>, scope: Scope, id: number) {
  return db
    .selectFrom('programme_attachment')
    .selectAll()
    .where('id', '=', id)
    .where('programme_attachment.school_id', 'in', schoolIds(db, scope, {}))
    .executeTakeFirst()
}

/**
 * Takes the event's row lock for the rest of the transaction (a no-op update: PostgreSQL locks the row,
 * SQLite already holds the write lock), so concurrent uploads to one event count one after another.
 */
export async function lockEvent(db: Kysely<Database>, eventId: number): Promise<void> {
  await db
    .updateTable('programme_event')
    .set((eb) => ({ version: eb.ref('version') }))
    .where('id', '=', eventId)
    .execute()
}

export async function countAttachments(db: Kysely<Database>, eventId: number): Promise<number> {
  const r = await db
    .selectFrom('programme_attachment')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('event_id', '=', eventId)
    .executeTakeFirstOrThrow()
  return Number(r.n)
}

export async function insertAttachment(db: Kysely<Database>, values: Insertable<ProgrammeAttachmentTable>): Promise<number> {
  return (await db.insertInto('programme_attachment').values(values).returning('id').executeTakeFirstOrThrow()).id
}

export function storageKeysOfEvent(db: Kysely<Database>, eventId: number) {
  return db.selectFrom('programme_attachment').select(['id', 'storage_key']).where('event_id', '=', eventId).execute()
}

export async function deleteAttachments(db: Kysely<Database>, ids: readonly number[]): Promise<void> {
  if (ids.length) await db.deleteFrom('programme_attachment').where('id', 'in', ids).execute()
}

export async function insertChannel(db: Kysely<Database>, values: Insertable<ProgrammeChannelTable>): Promise<number> {
  return (await db.insertInto('programme_channel').values(values).returning('id').executeTakeFirstOrThrow()).id
}

export function findChannel(db: Kysely<Database>, scope: Scope, id: number) {
  return db
    .selectFrom('programme_channel')
    .selectAll()
    .where('id', '=', id)
    .where('programme_channel.school_id', 'in', schoolIds(db, scope, {}))
    .executeTakeFirst()
}

export async function deleteChannel(db: Kysely<Database>, id: number): Promise<void> {
  await db.deleteFrom('programme_channel').where('id', '=', id).execute()
}

export async function upsertClinic(
  db: Kysely<Database>,
  v: {
    school_id: number
    school_year_id: number
    hospital: string
    clinic_name: string | null
    green_channel: number
    agreement_on: string | null
    contact_name: string | null
    contact_phone: string | null
    updated_at: string
  },
) {
  await db
    .insertInto('programme_clinic')
    .values({ ...v, version: 1 })
    .onConflict((oc) =>
      oc.columns(['school_id', 'school_year_id']).doUpdateSet((eb) => ({
        hospital: v.hospital,
        clinic_name: v.clinic_name,
        green_channel: v.green_channel,
        agreement_on: v.agreement_on,
        contact_name: v.contact_name,
        contact_phone: v.contact_phone,
        updated_at: v.updated_at,
        version: eb('programme_clinic.version', '+', 1),
      })),
    )
    .execute()
}

export async function deleteClinic(db: Kysely<Database>, schoolId: number, schoolYearId: number): Promise<void> {
  await db.deleteFrom('programme_clinic').where('school_id', '=', schoolId).where('school_year_id', '=', schoolYearId).execute()
}

// ── supervision evaluation ───────────────────────────────────────────────────────────────────

export function listRounds(db: Kysely<Database>) {
  return db
    .selectFrom('evaluation_round')
    .innerJoin('school_year', 'school_year.id', 'evaluation_round.school_year_id')
    .selectAll('evaluation_round')
    .select('school_year.label as year_label')
    .orderBy('school_year.starts_on', 'desc')
    .orderBy('evaluation_round.half', 'desc')
    .execute()
}

/**
 * Every round, newest first, with how many schools in the scope submitted and how many were scored:
 * one query however many rounds there are.
 */
export function listRoundsWithCounts(db: Kysely<Database>, scope: Scope) {
  const counts = db
    .selectFrom('evaluation_submission')
    .select((eb) => ['round_id', eb.fn.count<number>('submitted_at').as('submitted'), eb.fn.count<number>('scored_at').as('scored')])
    .where('evaluation_submission.school_id', 'in', schoolIds(db, scope, {}))
    .groupBy('round_id')
    .as('c')
  return db
    .selectFrom('evaluation_round')
    .innerJoin('school_year', 'school_year.id', 'evaluation_round.school_year_id')
    .leftJoin(counts, 'c.round_id', 'evaluation_round.id')
    .selectAll('evaluation_round')
    .select(['school_year.label as year_label', 'c.submitted', 'c.scored'])
    .orderBy('school_year.starts_on', 'desc')
    .orderBy('evaluation_round.half', 'desc')
    .execute()
}

/** Every round, newest first, with one school's own submission where it has one: one query however many rounds there are. */
export function listRoundsWithOwnSubmission(db: Kysely<Database>, schoolId: number) {
  return db
    .selectFrom('evaluation_round')
    .innerJoin('school_year', 'school_year.id', 'evaluation_round.school_year_id')
    .leftJoin('evaluation_submission as own', (j) => j.onRef('own.round_id', '=', 'evaluation_round.id').on('own.school_id', '=', schoolId))
    .selectAll('evaluation_round')
    .select([
      'school_year.label as year_label',
      'own.id as own_id',
      'own.version as own_version',
      'own.self_scores as own_self_scores',
      'own.self_total as own_self_total',
      'own.self_summary as own_self_summary',
      'own.submitted_at as own_submitted_at',
      'own.bureau_scores as own_bureau_scores',
      'own.bureau_total as own_bureau_total',
      'own.bureau_comment as own_bureau_comment',
      'own.scored_at as own_scored_at',
    ])
    .orderBy('school_year.starts_on', 'desc')
    .orderBy('evaluation_round.half', 'desc')
    .execute()
}

export function findRound(db: Kysely<Database>, id: number) {
  return db
    .selectFrom('evaluation_round')
    .innerJoin('school_year', 'school_year.id', 'evaluation_round.school_year_id')
    .selectAll('evaluation_round')
    .select(['school_year.label as year_label', 'school_year.starts_on as year_starts_on', 'school_year.ends_on as year_ends_on'])
    .where('evaluation_round.id', '=', id)
    .executeTakeFirst()
}

export async function insertRound(db: Kysely<Database>, values: Insertable<EvaluationRoundTable>): Promise<number> {
  return (await db.insertInto('evaluation_round').values(values).returning('id').executeTakeFirstOrThrow()).id
}

export async function updateRound(
  db: Kysely<Database>,
  id: number,
  version: number,
  values: Updateable<EvaluationRoundTable>,
): Promise<boolean> {
  const r = await db
    .updateTable('evaluation_round')
    .set((eb) => ({ ...values, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** The latest frozen report of a round, if it was ever closed. */
export function latestReportSnapshot(db: Kysely<Database>, roundId: number) {
  return db
    .selectFrom('evaluation_report_snapshot')
    .selectAll()
    .where('round_id', '=', roundId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst()
}

export async function insertReportSnapshot(
  db: Kysely<Database>,
  v: { round_id: number; data: string; created_at: string; created_by: number | null },
): Promise<number> {
  const last = await db
    .selectFrom('evaluation_report_snapshot')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('round_id', '=', v.round_id)
    .executeTakeFirst()
  const version = Number(last?.v ?? 0) + 1
  await db
    .insertInto('evaluation_report_snapshot')
    .values({ ...v, version })
    .execute()
  return version
}

export function submissionsOf(db: Kysely<Database>, scope: Scope, roundId: number) {
  return db
    .selectFrom('evaluation_submission')
    .selectAll()
    .where('round_id', '=', roundId)
    .where('evaluation_submission.school_id', 'in', schoolIds(db, scope, {}))
    .execute()
}

export function findSubmission(db: Kysely<Database>, roundId: number, schoolId: number) {
  return db
    .selectFrom('evaluation_submission')
    .selectAll()
    .where('round_id', '=', roundId)
    .where('school_id', '=', schoolId)
    .executeTakeFirst()
}

export async function insertSubmission(db: Kysely<Database>, values: Insertable<EvaluationSubmissionTable>): Promise<void> {
  await db.insertInto('evaluation_submission').values(values).execute()
}

export async function updateSubmission(
  db: Kysely<Database>,
  id: number,
  version: number,
  values: Updateable<EvaluationSubmissionTable>,
): Promise<boolean> {
  const r = await db
    .updateTable('evaluation_submission')
    .set((eb) => ({ ...values, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** Attachments whose name is still plain (stored before 0014_hardening): the start-up conversion encrypts them. */
export function plainNamedAttachments(db: Kysely<Database>) {
  return db
    .selectFrom('programme_attachment')
    .select(['id', 'file_name', 'mime_type', 'storage_key'])
    .where('file_ext', 'is', null)
    .orderBy('id')
    .execute()
}

export async function setAttachmentName(db: Kysely<Database>, id: number, values: { file_name: string; file_ext: string }): Promise<void> {
  await db.updateTable('programme_attachment').set(values).where('id', '=', id).where('file_ext', 'is', null).execute()
}
