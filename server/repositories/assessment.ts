import type { Insertable, Kysely, Updateable } from 'kysely'
import type {
  AssessmentAlertTable,
  AssessmentRespondentTable,
  AssessmentResultTable,
  AssessmentRoundTable,
  AssessmentSupportTable,
  Database,
} from '../../db/schema'
import type { Scope } from './scope'
import { scopedSchoolIds } from './scope'

export async function insertRound(db: Kysely<Database>, values: Insertable<AssessmentRoundTable>, schoolIds: readonly number[]) {
  const id = (await db.insertInto('assessment_round').values(values).returning('id').executeTakeFirstOrThrow()).id
  if (schoolIds.length)
    await db
      .insertInto('assessment_round_school')
      .values(schoolIds.map((school_id) => ({ round_id: id, school_id })))
      .execute()
  return id
}

/** Rounds the scope may see: all for the district, or the rounds that target the school. */
export function roundsInScope(db: Kysely<Database>, scope: Scope) {
  const ids = scopedSchoolIds(scope)
  let q = db.selectFrom('assessment_round').selectAll('assessment_round')
  if (ids !== 'all')
    q = q.where('assessment_round.id', 'in', (eb) =>
      eb
        .selectFrom('assessment_round_school')
        .select('round_id')
        .where('school_id', 'in', ids.length ? ids : [-1]),
    )
  return q.orderBy('assessment_round.opens_at', 'desc').orderBy('assessment_round.id', 'desc').execute()
}

export async function findRoundInScope(db: Kysely<Database>, scope: Scope, id: number) {
  const ids = scopedSchoolIds(scope)
  let q = db.selectFrom('assessment_round').selectAll('assessment_round').where('assessment_round.id', '=', id)
  if (ids !== 'all')
    q = q.where('assessment_round.id', 'in', (eb) =>
      eb
        .selectFrom('assessment_round_school')
        .select('round_id')
        .where('school_id', 'in', ids.length ? ids : [-1]),
    )
  return q.executeTakeFirst()
}

export function findRound(db: Kysely<Database>, id: number) {
  return db.selectFrom('assessment_round').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function roundSchools(db: Kysely<Database>, roundIds: readonly number[]) {
  if (!roundIds.length) return []
  return db
    .selectFrom('assessment_round_school')
    .selectAll()
    .where('round_id', 'in', [...roundIds])
    .execute()
}

export function nextRoundOf(db: Kysely<Database>, roundId: number) {
  return db.selectFrom('assessment_round').select('id').where('previous_round_id', '=', roundId).executeTakeFirst()
}

/** Invited and answered per round and school: counts only, never who. */
export async function participationCounts(db: Kysely<Database>, roundIds: readonly number[], schoolIds: 'all' | readonly number[]) {
  if (!roundIds.length) return []
  let q = db
    .selectFrom('assessment_respondent')
    .select((eb) => ['round_id', eb.fn.countAll<number>().as('invited'), eb.fn.count<number>('submitted_at').as('answered')])
    .where('round_id', 'in', [...roundIds])
    .where('code_hash', 'is not', null)
    .groupBy('round_id')
  if (schoolIds !== 'all') q = q.where('school_id', 'in', schoolIds.length ? [...schoolIds] : [-1])
  return (await q.execute()).map((r) => ({ roundId: r.round_id, invited: Number(r.invited), answered: Number(r.answered) }))
}

export function respondentsOfSchool(db: Kysely<Database>, roundId: number, schoolId: number) {
  return db
    .selectFrom('assessment_respondent')
    .select(['id', 'person_id', 'code_hash'])
    .where('round_id', '=', roundId)
    .where('school_id', '=', schoolId)
    .execute()
}

export async function insertRespondent(db: Kysely<Database>, values: Insertable<AssessmentRespondentTable>): Promise<number> {
  return (await db.insertInto('assessment_respondent').values(values).returning('id').executeTakeFirstOrThrow()).id
}

export async function setCode(db: Kysely<Database>, respondentId: number, codeHash: string, at: string): Promise<void> {
  await db
    .updateTable('assessment_respondent')
    .set((eb) => ({ code_hash: codeHash, code_issued_at: at, version: eb('version', '+', 1) }))
    .where('id', '=', respondentId)
    .execute()
}

export function respondentByCodeHash(db: Kysely<Database>, codeHash: string) {
  return db
    .selectFrom('assessment_respondent')
    .innerJoin('assessment_round', 'assessment_round.id', 'assessment_respondent.round_id')
    .select([
      'assessment_respondent.id',
      'assessment_respondent.round_id',
      'assessment_respondent.school_id',
      'assessment_respondent.person_id',
      'assessment_respondent.draft_enc',
      'assessment_respondent.submitted_at',
      'assessment_respondent.version',
      'assessment_round.name',
      'assessment_round.instruments',
      'assessment_round.opens_at',
      'assessment_round.closes_at',
      'assessment_round.consent_zh',
      'assessment_round.consent_en',
    ])
    .where('assessment_respondent.code_hash', '=', codeHash)
    .executeTakeFirst()
}

export async function saveDraft(db: Kysely<Database>, id: number, draftEnc: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('assessment_respondent')
    .set((eb) => ({ draft_enc: draftEnc, saved_at: at, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('submitted_at', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** Marks the respondent submitted, once: a second tab's submit finds it already done and changes nothing. */
export async function markSubmitted(db: Kysely<Database>, id: number, at: string, contactRequested: boolean): Promise<boolean> {
  const r = await db
    .updateTable('assessment_respondent')
    .set((eb) => ({ submitted_at: at, draft_enc: null, contact_requested: contactRequested ? 1 : 0, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('submitted_at', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export async function insertResults(db: Kysely<Database>, rows: Insertable<AssessmentResultTable>[]): Promise<void> {
  if (rows.length) await db.insertInto('assessment_result').values(rows).execute()
}

export function resultsOf(db: Kysely<Database>, respondentId: number) {
  return db.selectFrom('assessment_result').selectAll().where('respondent_id', '=', respondentId).orderBy('id').execute()
}

export async function insertAlert(db: Kysely<Database>, values: Insertable<AssessmentAlertTable>): Promise<number> {
  return (await db.insertInto('assessment_alert').values(values).returning('id').executeTakeFirstOrThrow()).id
}

/**
 * Whose alerts: a school scope sees its school's alerts except those raised straight to the district centre;
 * the centre (`{ kind: 'centre' }`) sees exactly the alerts that reached it, routed or escalated.
 */
export type AlertScope = Scope | { kind: 'centre' }

function scopedAlerts(db: Kysely<Database>, scope: AlertScope) {
  let q = db
    .selectFrom('assessment_alert')
    .innerJoin('assessment_respondent', 'assessment_respondent.id', 'assessment_alert.respondent_id')
    .innerJoin('assessment_round', 'assessment_round.id', 'assessment_alert.round_id')
    .innerJoin('school', 'school.id', 'assessment_alert.school_id')
  if (scope.kind === 'centre') return q.where('assessment_alert.centre_at', 'is not', null)
  const ids = scopedSchoolIds(scope)
  if (ids !== 'all') q = q.where('assessment_alert.school_id', 'in', ids.length ? ids : [-1])
  if (scope.kind === 'school') q = q.where('assessment_alert.routed_to_centre', '=', 0)
  return q
}

const ALERT_COLUMNS = [
  'assessment_alert.id',
  'assessment_alert.respondent_id',
  'assessment_alert.round_id',
  'assessment_alert.school_id',
  'assessment_alert.is_alert',
  'assessment_alert.reasons',
  'assessment_alert.raised_at',
  'assessment_alert.acknowledged_at',
  'assessment_alert.handler_id',
  'assessment_alert.escalated_at',
  'assessment_alert.closed_at',
  'assessment_alert.outcome_enc',
  'assessment_alert.version',
  'assessment_alert.centre_at',
  'assessment_alert.routed_to_centre',
  'school.name as school_name',
  'school.name_en as school_name_en',
  'assessment_respondent.person_id',
  'assessment_round.name as round_name',
  'assessment_round.respondent_kind',
] as const

export function listAlerts(db: Kysely<Database>, scope: AlertScope, status: 'open' | 'closed' | 'all') {
  let q = scopedAlerts(db, scope).select(ALERT_COLUMNS)
  if (status === 'open') q = q.where('assessment_alert.closed_at', 'is', null)
  if (status === 'closed') q = q.where('assessment_alert.closed_at', 'is not', null)
  return q.orderBy('assessment_alert.is_alert', 'desc').orderBy('assessment_alert.raised_at', 'desc').execute()
}

export function findAlert(db: Kysely<Database>, scope: AlertScope, id: number) {
  return scopedAlerts(db, scope).select(ALERT_COLUMNS).where('assessment_alert.id', '=', id).executeTakeFirst()
}

export async function updateAlert(
  db: Kysely<Database>,
  id: number,
  guard: { version?: number; open?: boolean; unacknowledged?: boolean },
  values: Updateable<AssessmentAlertTable>,
): Promise<boolean> {
  let q = db
    .updateTable('assessment_alert')
    .set((eb) => ({ ...values, version: eb('version', '+', 1) }))
    .where('id', '=', id)
  if (guard.version != null) q = q.where('version', '=', guard.version)
  if (guard.open) q = q.where('closed_at', 'is', null)
  if (guard.unacknowledged) q = q.where('acknowledged_at', 'is', null)
  return Number((await q.executeTakeFirst()).numUpdatedRows) === 1
}

export async function insertSupport(db: Kysely<Database>, values: Insertable<AssessmentSupportTable>): Promise<number> {
  return (await db.insertInto('assessment_support').values(values).returning('id').executeTakeFirstOrThrow()).id
}

export function supportsOf(db: Kysely<Database>, alertId: number) {
  return db
    .selectFrom('assessment_support')
    .leftJoin('account', 'account.id', 'assessment_support.created_by')
    .select([
      'assessment_support.id',
      'assessment_support.kind',
      'assessment_support.on_date',
      'assessment_support.text_enc',
      'assessment_support.done_at',
      'assessment_support.created_at',
      'account.display_name as created_by_name',
    ])
    .where('assessment_support.alert_id', '=', alertId)
    .orderBy('assessment_support.created_at')
    .orderBy('assessment_support.id')
    .execute()
}

/** Invited and answered respondents per school of one round, within the given schools. */
export function roundParticipationBySchool(db: Kysely<Database>, roundId: number, schoolIds: 'all' | readonly number[]) {
  return db
    .selectFrom('assessment_respondent')
    .select((eb) => [
      'school_id',
      eb.fn.countAll<number>().as('invited'),
      eb.fn.sum<number>(eb.case().when('submitted_at', 'is not', null).then(1).else(0).end()).as('answered'),
    ])
    .where('round_id', '=', roundId)
    .$if(schoolIds !== 'all', (q) => q.where('school_id', 'in', schoolIds === 'all' ? [] : schoolIds.length ? [...schoolIds] : [-1]))
    .groupBy('school_id')
    .execute()
}

/** Submitted results per school, instrument and band of one round (counts only, never a respondent). */
export function roundBandCounts(db: Kysely<Database>, roundId: number, schoolIds: 'all' | readonly number[]) {
  return db
    .selectFrom('assessment_result')
    .innerJoin('assessment_respondent', 'assessment_respondent.id', 'assessment_result.respondent_id')
    .select((eb) => [
      'assessment_respondent.school_id',
      'assessment_result.instrument',
      'assessment_result.band',
      eb.fn.countAll<number>().as('n'),
    ])
    .where('assessment_respondent.round_id', '=', roundId)
    .where('assessment_respondent.submitted_at', 'is not', null)
    .$if(schoolIds !== 'all', (q) =>
      q.where('assessment_respondent.school_id', 'in', schoolIds === 'all' ? [] : schoolIds.length ? [...schoolIds] : [-1]),
    )
    .groupBy(['assessment_respondent.school_id', 'assessment_result.instrument', 'assessment_result.band'])
    .execute()
}

/**
 * Teacher respondents of the given rounds with what the year-over-year aggregates break down by (school,
 * street, sex, birth year), whether they answered and their band on one instrument. Only the service's
 * counts leave the server, never these rows.
 */
export function teacherTrendRows(
  db: Kysely<Database>,
  roundIds: readonly number[],
  schoolIds: 'all' | readonly number[],
  instrument: string,
) {
  if (!roundIds.length) return Promise.resolve([])
  return db
    .selectFrom('assessment_respondent')
    .innerJoin('assessment_round', 'assessment_round.id', 'assessment_respondent.round_id')
    .innerJoin('teacher', 'teacher.id', 'assessment_respondent.person_id')
    .innerJoin('school', 'school.id', 'assessment_respondent.school_id')
    .leftJoin('assessment_result', (j) =>
      j.onRef('assessment_result.respondent_id', '=', 'assessment_respondent.id').on('assessment_result.instrument', '=', instrument),
    )
    .select([
      'assessment_respondent.round_id',
      'assessment_respondent.school_id',
      'school.street_id',
      'teacher.sex',
      'teacher.birth_year',
      'assessment_respondent.submitted_at',
      'assessment_result.band',
    ])
    .where('assessment_round.respondent_kind', '=', 'teacher')
    .where('assessment_respondent.round_id', 'in', [...roundIds])
    .$if(schoolIds !== 'all', (q) =>
      q.where('assessment_respondent.school_id', 'in', schoolIds === 'all' ? [] : schoolIds.length ? [...schoolIds] : [-1]),
    )
    .execute()
}
