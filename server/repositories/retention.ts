import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema'

/** The tables holding a case's records, children first (each is deleted before what it points at). */
const CASE_CHILDREN = [
  'case_notification',
  'case_counsellor',
  'case_risk_change',
  'case_task',
  'case_follow_up',
  'case_referral',
  'case_crisis',
  'case_contact',
  // a break-glass opening of a purged case: the case it opened is gone, and so is the record of it
  'break_glass',
] as const

/** Records of other domains that point at a case without belonging to it. */
const CASE_LINKS = ['room_visit', 'screening_warning'] as const

/** Closed cases whose student left before `leftBefore`. */
export async function expiredClosedCases(db: Kysely<Database>, leftBefore: string): Promise<number[]> {
  const rows = await db
    .selectFrom('student_case')
    .innerJoin('student', 'student.id', 'student_case.student_id')
    .select('student_case.id')
    .where('student_case.status', '=', 'closed')
    .where('student.left_at', 'is not', null)
    .where('student.left_at', '<', leftBefore)
    .orderBy('student_case.id')
    .limit(500)
    .execute()
  return rows.map((r) => r.id)
}

/** Deletes cases and everything recorded under them (notes and their versions, tasks, crises, inbox items…). */
export async function deleteCases(db: Kysely<Database>, ids: readonly number[]): Promise<number> {
  if (ids.length === 0) return 0
  const caseIds = [...ids]
  await db
    .deleteFrom('case_note_version')
    .where('note_id', 'in', db.selectFrom('case_note').select('id').where('case_id', 'in', caseIds))
    .execute()
  await db.deleteFrom('case_note').where('case_id', 'in', caseIds).execute()
  for (const table of CASE_CHILDREN) await db.deleteFrom(table).where('case_id', 'in', caseIds).execute()
  // A visit or a screening warning outlives the case it led to (each has its own retention); only the link goes.
  for (const table of CASE_LINKS) await db.updateTable(table).set({ case_id: null }).where('case_id', 'in', caseIds).execute()
  await db.deleteFrom('inbox_item').where('entity_type', '=', 'case').where('entity_id', 'in', caseIds).execute()
  const r = await db.deleteFrom('student_case').where('id', 'in', caseIds).executeTakeFirst()
  return Number(r.numDeletedRows)
}

/**
 * Item-by-item answers of rounds that closed before `closedBefore`: emptied (the totals and bands
 * the reports and alerts rest on stay), and unsubmitted drafts dropped. Returns how many respondents lost answers.
 */
export async function purgeAssessmentAnswers(db: Kysely<Database>, closedBefore: string): Promise<number> {
  const respondents = db
    .selectFrom('assessment_respondent')
    .innerJoin('assessment_round', 'assessment_round.id', 'assessment_respondent.round_id')
    .select('assessment_respondent.id')
    .where('assessment_round.closes_at', '<', closedBefore)
  const results = await db
    .updateTable('assessment_result')
    .set({ answers_enc: '' })
    .where('answers_enc', '!=', '')
    .where('respondent_id', 'in', respondents)
    .executeTakeFirst()
  const drafts = await db
    .updateTable('assessment_respondent')
    .set({ draft_enc: null })
    .where('draft_enc', 'is not', null)
    .where('id', 'in', respondents)
    .executeTakeFirst()
  return Number(results.numUpdatedRows) + Number(drafts.numUpdatedRows)
}

/** Sessions that ended (expired, revoked, signed out) before `endedBefore`. */
export async function deleteEndedSessions(db: Kysely<Database>, endedBefore: string): Promise<number> {
  const r = await db
    .deleteFrom('session')
    .where((eb) => eb.or([eb('expires_at', '<', endedBefore), eb('revoked_at', '<', endedBefore)]))
    .executeTakeFirst()
  return Number(r.numDeletedRows)
}

/** The last audit event recorded before `before`: the trail's new prune point, when later than the current one. */
export function lastAuditEventBefore(db: Kysely<Database>, before: string) {
  return db.selectFrom('audit_event').select(['seq', 'hash']).where('at', '<', before).orderBy('seq', 'desc').limit(1).executeTakeFirst()
}

/** Records the prune point, then deletes the rows up to it (the delete trigger allows those rows only). */
export async function pruneAuditThrough(db: Kysely<Database>, point: { seq: number; hash: string }, at: string): Promise<number> {
  await db.insertInto('audit_prune').values({ through_seq: point.seq, through_hash: point.hash, at }).execute()
  const r = await db.deleteFrom('audit_event').where('seq', '<=', point.seq).executeTakeFirst()
  return Number(r.numDeletedRows)
}

/** The latest purge run's audit row (its detail holds the counts per data class). */
export function lastPurgeRun(db: Kysely<Database>) {
  return db
    .selectFrom('audit_event')
    .select(['at', 'outcome', 'detail'])
    .where('action', '=', 'retention.purge')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst()
}
