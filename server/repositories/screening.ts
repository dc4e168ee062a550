import type { Insertable, Kysely, Updateable } from 'kysely'
import type {
  Database,
  ScreeningCampaignTable,
  ScreeningConsentTable,
  ScreeningRespondentTable,
  ScreeningResultTable,
  ScreeningWarningTable,
} from '../../db/schema'
import type { Scope } from './scope'
import { scopedSchoolIds } from './scope'

const inIds = (ids: readonly number[]) => (ids.length ? [...ids] : [-1])

// Questionnaires ------------------------------------------------------------------------------------

export async function insertQuestionnaire(db: Kysely<Database>, kind: 'screening' | 'quiz', by: number | null, at: string) {
  return (
    await db
      .insertInto('screening_questionnaire')
      .values({ kind, created_by: by, created_at: at })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id
}

export function findQuestionnaire(db: Kysely<Database>, id: number) {
  return db.selectFrom('screening_questionnaire').selectAll().where('id', '=', id).executeTakeFirst()
}

export function latestVersion(db: Kysely<Database>, questionnaireId: number) {
  return db
    .selectFrom('screening_questionnaire_version')
    .selectAll()
    .where('questionnaire_id', '=', questionnaireId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst()
}

export function findVersion(db: Kysely<Database>, id: number) {
  return db
    .selectFrom('screening_questionnaire_version')
    .innerJoin('screening_questionnaire', 'screening_questionnaire.id', 'screening_questionnaire_version.questionnaire_id')
    .selectAll('screening_questionnaire_version')
    .select('screening_questionnaire.kind')
    .where('screening_questionnaire_version.id', '=', id)
    .executeTakeFirst()
}

export async function insertVersion(db: Kysely<Database>, questionnaireId: number, version: number, definition: string, at: string) {
  return (
    await db
      .insertInto('screening_questionnaire_version')
      .values({
        questionnaire_id: questionnaireId,
        version,
        definition,
        published_at: null,
        published_by: null,
        updated_at: at,
        row_version: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id
}

/** Changes a draft only: a published version is frozen. */
export async function updateDraft(db: Kysely<Database>, id: number, definition: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('screening_questionnaire_version')
    .set((eb) => ({ definition, updated_at: at, row_version: eb('row_version', '+', 1) }))
    .where('id', '=', id)
    .where('published_at', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export async function publishVersion(db: Kysely<Database>, id: number, by: number | null, at: string): Promise<boolean> {
  const r = await db
    .updateTable('screening_questionnaire_version')
    .set((eb) => ({ published_at: at, published_by: by, row_version: eb('row_version', '+', 1) }))
    .where('id', '=', id)
    .where('published_at', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export function allVersions(db: Kysely<Database>) {
  return db
    .selectFrom('screening_questionnaire_version')
    .innerJoin('screening_questionnaire', 'screening_questionnaire.id', 'screening_questionnaire_version.questionnaire_id')
    .selectAll('screening_questionnaire_version')
    .select('screening_questionnaire.kind')
    .orderBy('screening_questionnaire_version.questionnaire_id')
    .orderBy('screening_questionnaire_version.version')
    .execute()
}

export async function versionsByIds(db: Kysely<Database>, ids: readonly number[]) {
  if (!ids.length) return []
  return db
    .selectFrom('screening_questionnaire_version')
    .selectAll()
    .where('id', 'in', [...ids])
    .execute()
}

// Campaigns -----------------------------------------------------------------------------------------

export async function insertCampaign(db: Kysely<Database>, values: Insertable<ScreeningCampaignTable>, schoolIds: readonly number[]) {
  const id = (await db.insertInto('screening_campaign').values(values).returning('id').executeTakeFirstOrThrow()).id
  if (schoolIds.length)
    await db
      .insertInto('screening_campaign_school')
      .values(schoolIds.map((school_id) => ({ campaign_id: id, school_id })))
      .execute()
  return id
}

function campaignsScoped(db: Kysely<Database>, scope: Scope) {
  const ids = scopedSchoolIds(scope)
  let q = db.selectFrom('screening_campaign').selectAll('screening_campaign')
  if (ids !== 'all')
    q = q.where('screening_campaign.id', 'in', (eb) =>
      eb.selectFrom('screening_campaign_school').select('campaign_id').where('school_id', 'in', inIds(ids)),
    )
  return q
}

export function campaignsInScope(db: Kysely<Database>, scope: Scope) {
  return campaignsScoped(db, scope).orderBy('campaign_date', 'desc').orderBy('id', 'desc').execute()
}

export function findCampaignInScope(db: Kysely<Database>, scope: Scope, id: number) {
  return campaignsScoped(db, scope).where('screening_campaign.id', '=', id).executeTakeFirst()
}

export async function campaignSchools(db: Kysely<Database>, campaignIds: readonly number[]) {
  if (!campaignIds.length) return []
  return db
    .selectFrom('screening_campaign_school')
    .selectAll()
    .where('campaign_id', 'in', [...campaignIds])
    .execute()
}

// Roster, consent -----------------------------------------------------------------------------------

export function classStudents(db: Kysely<Database>, schoolId: number, grade: number, className: string) {
  return db
    .selectFrom('student')
    .select(['id', 'student_no', 'name_enc', 'sex', 'birth_date', 'grade', 'class_name'])
    .where('school_id', '=', schoolId)
    .where('grade', '=', grade)
    .where('class_name', '=', className)
    .where('left_at', 'is', null)
    .orderBy('student_no')
    .execute()
}

/** Classes (grade, class name) with current students among the grades. */
export function classesOf(db: Kysely<Database>, schoolId: number, grades: readonly number[]) {
  return db
    .selectFrom('student')
    .select((eb) => ['grade', 'class_name', eb.fn.countAll<number>().as('n')])
    .where('school_id', '=', schoolId)
    .where('grade', 'in', inIds(grades))
    .where('left_at', 'is', null)
    .groupBy(['grade', 'class_name'])
    .orderBy('grade')
    .orderBy('class_name')
    .execute()
}

export function consentsOf(db: Kysely<Database>, campaignId: number, studentIds: readonly number[]) {
  return db
    .selectFrom('screening_consent')
    .leftJoin('account', 'account.id', 'screening_consent.recorded_by')
    .selectAll('screening_consent')
    .select('account.display_name as recorded_by_name')
    .where('campaign_id', '=', campaignId)
    .where('student_id', 'in', inIds(studentIds))
    .execute()
}

export function findConsent(db: Kysely<Database>, campaignId: number, studentId: number) {
  return db
    .selectFrom('screening_consent')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .where('student_id', '=', studentId)
    .executeTakeFirst()
}

export async function insertConsent(db: Kysely<Database>, values: Insertable<ScreeningConsentTable>) {
  return (await db.insertInto('screening_consent').values(values).returning('id').executeTakeFirstOrThrow()).id
}

export async function updateConsent(db: Kysely<Database>, id: number, values: Updateable<ScreeningConsentTable>) {
  await db
    .updateTable('screening_consent')
    .set((eb) => ({ ...values, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .execute()
}

// Sessions, respondents -----------------------------------------------------------------------------

export async function insertSession(db: Kysely<Database>, values: Insertable<Database['screening_session']>) {
  return (await db.insertInto('screening_session').values(values).returning('id').executeTakeFirstOrThrow()).id
}

export function openSessionOfClass(db: Kysely<Database>, campaignId: number, schoolId: number, grade: number, className: string) {
  return db
    .selectFrom('screening_session')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .where('school_id', '=', schoolId)
    .where('grade', '=', grade)
    .where('class_name', '=', className)
    .where('ended_at', 'is', null)
    .executeTakeFirst()
}

export function findSession(db: Kysely<Database>, scope: Scope, id: number) {
  const ids = scopedSchoolIds(scope)
  let q = db.selectFrom('screening_session').selectAll().where('id', '=', id)
  if (ids !== 'all') q = q.where('school_id', 'in', inIds(ids))
  return q.executeTakeFirst()
}

export function sessionsOfCampaign(db: Kysely<Database>, campaignId: number, schoolId: number) {
  return db
    .selectFrom('screening_session')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .where('school_id', '=', schoolId)
    .orderBy('started_at', 'desc')
    .execute()
}

export function sessionByClassCode(db: Kysely<Database>, classCode: string) {
  return db.selectFrom('screening_session').selectAll().where('class_code', '=', classCode).where('ended_at', 'is', null).executeTakeFirst()
}

export async function endSession(db: Kysely<Database>, id: number, at: string) {
  await db.updateTable('screening_session').set({ ended_at: at }).where('id', '=', id).where('ended_at', 'is', null).execute()
}

/** How far a class has got: counts only, never who. */
export async function classProgress(db: Kysely<Database>, campaignId: number, schoolId: number, grade: number, className: string) {
  const r = await db
    .selectFrom('screening_respondent')
    .select((eb) => [
      eb.fn.count<number>('code_hash').as('withCode'),
      eb.fn.count<number>('submitted_at').as('finished'),
      eb.fn
        .sum<number>(
          eb
            .case()
            .when(eb.and([eb('submitted_at', 'is', null), eb('saved_at', 'is not', null)]))
            .then(1)
            .else(0)
            .end(),
        )
        .as('started'),
    ])
    .where('campaign_id', '=', campaignId)
    .where('school_id', '=', schoolId)
    .where('grade', '=', grade)
    .where('class_name', '=', className)
    .executeTakeFirstOrThrow()
  return { withCode: Number(r.withCode ?? 0), finished: Number(r.finished ?? 0), inProgress: Number(r.started ?? 0) }
}

export function respondentsOf(db: Kysely<Database>, campaignId: number, studentIds: readonly number[]) {
  return db
    .selectFrom('screening_respondent')
    .select(['id', 'student_id', 'code_hash', 'submitted_at'])
    .where('campaign_id', '=', campaignId)
    .where('student_id', 'in', inIds(studentIds))
    .execute()
}

export async function insertRespondent(db: Kysely<Database>, values: Insertable<ScreeningRespondentTable>) {
  return (await db.insertInto('screening_respondent').values(values).returning('id').executeTakeFirstOrThrow()).id
}

export async function setRespondentCode(db: Kysely<Database>, id: number, codeHash: string, at: string) {
  await db
    .updateTable('screening_respondent')
    .set((eb) => ({ code_hash: codeHash, code_issued_at: at, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .execute()
}

export function respondentByCode(db: Kysely<Database>, codeHash: string) {
  return db.selectFrom('screening_respondent').selectAll().where('code_hash', '=', codeHash).executeTakeFirst()
}

export async function saveRespondentDraft(db: Kysely<Database>, id: number, draftEnc: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('screening_respondent')
    .set((eb) => ({ draft_enc: draftEnc, saved_at: at, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('submitted_at', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export async function markRespondentSubmitted(db: Kysely<Database>, id: number, sessionId: number, at: string): Promise<boolean> {
  const r = await db
    .updateTable('screening_respondent')
    .set((eb) => ({ submitted_at: at, draft_enc: null, session_id: sessionId, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('submitted_at', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export async function insertScreeningResults(db: Kysely<Database>, rows: Insertable<ScreeningResultTable>[]) {
  if (rows.length) await db.insertInto('screening_result').values(rows).execute()
}

export function screeningResultsOf(db: Kysely<Database>, respondentId: number) {
  return db.selectFrom('screening_result').selectAll().where('respondent_id', '=', respondentId).orderBy('id').execute()
}

// Warnings ------------------------------------------------------------------------------------------

export async function insertWarning(db: Kysely<Database>, values: Insertable<ScreeningWarningTable>) {
  return (await db.insertInto('screening_warning').values(values).returning('id').executeTakeFirstOrThrow()).id
}

function warningsScoped(db: Kysely<Database>, scope: Scope) {
  const ids = scopedSchoolIds(scope)
  let q = db
    .selectFrom('screening_warning')
    .innerJoin('screening_respondent', 'screening_respondent.id', 'screening_warning.respondent_id')
    .innerJoin('screening_campaign', 'screening_campaign.id', 'screening_warning.campaign_id')
  // Warnings are a school's own: even a district scope holds none of them here.
  q = q.where('screening_warning.school_id', 'in', ids === 'all' ? [-1] : inIds(ids))
  return q
}

const WARNING_COLUMNS = [
  'screening_warning.id',
  'screening_warning.respondent_id',
  'screening_warning.campaign_id',
  'screening_warning.school_id',
  'screening_warning.level',
  'screening_warning.reasons',
  'screening_warning.raised_at',
  'screening_warning.interview_on',
  'screening_warning.interview_enc',
  'screening_warning.outcome',
  'screening_warning.outcome_at',
  'screening_warning.outcome_by',
  'screening_warning.case_id',
  'screening_warning.version',
  'screening_respondent.student_id',
  'screening_respondent.grade',
  'screening_respondent.class_name',
  'screening_campaign.name as campaign_name',
] as const

export function listWarnings(db: Kysely<Database>, scope: Scope, status: 'open' | 'done' | 'all') {
  let q = warningsScoped(db, scope).select(WARNING_COLUMNS)
  if (status === 'open') q = q.where('screening_warning.outcome', 'is', null)
  if (status === 'done') q = q.where('screening_warning.outcome', 'is not', null)
  return q.orderBy('screening_warning.raised_at', 'desc').orderBy('screening_warning.id', 'desc').execute()
}

export function findWarning(db: Kysely<Database>, scope: Scope, id: number) {
  return warningsScoped(db, scope).select(WARNING_COLUMNS).where('screening_warning.id', '=', id).executeTakeFirst()
}

export async function setWarningOutcome(db: Kysely<Database>, id: number, version: number, values: Updateable<ScreeningWarningTable>) {
  const r = await db
    .updateTable('screening_warning')
    .set((eb) => ({ ...values, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', version)
    .where('outcome', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

// Aggregates (counts only, never a respondent) ------------------------------------------------------

/** Submitted quiz results by school year, school, grade and pass. */
export function quizCounts(db: Kysely<Database>, schoolIds: 'all' | readonly number[]) {
  return db
    .selectFrom('screening_result')
    .innerJoin('screening_respondent', 'screening_respondent.id', 'screening_result.respondent_id')
    .innerJoin('screening_campaign', 'screening_campaign.id', 'screening_respondent.campaign_id')
    .select((eb) => [
      'screening_campaign.school_year',
      'screening_respondent.school_id',
      'screening_respondent.grade',
      'screening_result.passed',
      eb.fn.countAll<number>().as('n'),
    ])
    .where('screening_result.kind', '=', 'quiz')
    .where('screening_respondent.submitted_at', 'is not', null)
    .$if(schoolIds !== 'all', (q) => q.where('screening_respondent.school_id', 'in', inIds(schoolIds === 'all' ? [] : schoolIds)))
    .groupBy(['screening_campaign.school_year', 'screening_respondent.school_id', 'screening_respondent.grade', 'screening_result.passed'])
    .execute()
}

/** Per respondent of a campaign: school, grade, sex, answered or not, warning level (consented students with a code). */
export function campaignRespondentLevels(db: Kysely<Database>, campaignId: number) {
  return db
    .selectFrom('screening_respondent')
    .leftJoin('screening_warning', 'screening_warning.respondent_id', 'screening_respondent.id')
    .select((eb) => [
      'screening_respondent.school_id',
      'screening_respondent.grade',
      'screening_respondent.sex',
      'screening_warning.level',
      eb.fn.count<number>('screening_respondent.submitted_at').as('answered'),
      eb.fn.countAll<number>().as('n'),
    ])
    .where('screening_respondent.campaign_id', '=', campaignId)
    .groupBy(['screening_respondent.school_id', 'screening_respondent.grade', 'screening_respondent.sex', 'screening_warning.level'])
    .execute()
}

// Retention -----------------------------------------------------------------------------------------

/** Item answers of results submitted before the cut-off become null; totals and bands stay. */
export async function purgeAnswersBefore(db: Kysely<Database>, cutoff: string, at: string): Promise<number> {
  const r = await db
    .updateTable('screening_result')
    .set({ answers_enc: null, answers_purged_at: at })
    .where('answers_enc', 'is not', null)
    .where('respondent_id', 'in', (eb) =>
      eb.selectFrom('screening_respondent').select('id').where('submitted_at', 'is not', null).where('submitted_at', '<', cutoff),
    )
    .executeTakeFirst()
  return Number(r.numUpdatedRows)
}

/** Unsubmitted drafts of campaigns that closed before the cut-off day. */
export async function purgeDraftsBefore(db: Kysely<Database>, cutoffDay: string): Promise<number> {
  const r = await db
    .updateTable('screening_respondent')
    .set({ draft_enc: null })
    .where('draft_enc', 'is not', null)
    .where('campaign_id', 'in', (eb) => eb.selectFrom('screening_campaign').select('id').where('closes_on', '<', cutoffDay))
    .executeTakeFirst()
  return Number(r.numUpdatedRows)
}
