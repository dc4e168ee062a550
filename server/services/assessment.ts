import { createHash, randomInt } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema'
import {
  assessmentSettingsSchema,
  CODE_ALPHABET,
  CODE_LENGTH,
  DEFAULT_ASSESSMENT_SETTINGS,
  type AssessmentSettings,
  type RoundOpenInput,
} from '../../shared/assessment'
import { INSTRUMENT_IDS, type InstrumentId } from '../../shared/instruments'
import { codeFromIndexes, formatCode, nextWindow, roundState } from '../rules/assessment'
import {
  findRoundInScope,
  insertRespondent,
  insertRound,
  nextRoundOf,
  respondentsOfSchool,
  roundSchools,
  setCode,
} from '../repositories/assessment'
import { findSetting, upsertSetting } from '../repositories/staffing'
import { currentTeachers, findTeacher } from '../repositories/teacher'
import { appendAudit } from './audit'
import { accountRef, nowIso, requireActor, withTransaction, type Actor, type ServiceContext } from './context'
import { AppError, notFound, uniqueAs } from './errors'
import { parseStored } from './stored-json'
import { actorSchool } from './student'
import { teacherName } from './teacher'

/** The stored form of a code: a hash only (80 random bits, so a plain digest cannot be reversed by trying codes). */
export function hashCode(code: string): string {
  return createHash('sha256').update('xinqiao.assessment.code\n').update(code).digest('hex')
}

export function newCode(): string {
  return codeFromIndexes(Array.from({ length: CODE_LENGTH }, () => randomInt(CODE_ALPHABET.length)))
}

export async function loadAssessmentSettings(db: Kysely<Database>): Promise<AssessmentSettings> {
  const row = await findSetting(db, 'assessment')
  const stored = parseStored(assessmentSettingsSchema, row?.value, DEFAULT_ASSESSMENT_SETTINGS, 'district_setting.value[assessment]')
  return { ...stored, alertBands: { ...DEFAULT_ASSESSMENT_SETTINGS.alertBands, ...stored.alertBands } }
}

export async function getAssessmentSettings(ctx: ServiceContext): Promise<AssessmentSettings> {
  requireActor(ctx)
  return loadAssessmentSettings(ctx.db)
}

export async function updateAssessmentSettings(ctx: ServiceContext, input: AssessmentSettings): Promise<AssessmentSettings> {
  const actor = requireActor(ctx)
  await withTransaction(ctx.db, async (trx) => {
    await upsertSetting(trx, { key: 'assessment', value: JSON.stringify(input), updated_at: nowIso(ctx), updated_by: accountRef(actor) })
    await appendAudit(trx, ctx, { action: 'district.settings_update', outcome: 'ok', entityType: 'district_setting', detail: 'assessment' })
  })
  return loadAssessmentSettings(ctx.db)
}

export function roundInstruments(stored: string): InstrumentId[] {
  const ids = JSON.parse(stored) as string[]
  return ids.filter((x): x is InstrumentId => (INSTRUMENT_IDS as readonly string[]).includes(x))
}

/** Creates respondents (without codes yet) for every current teacher of the round's schools. */
async function inviteTeachers(trx: Kysely<Database>, roundId: number, schoolIds: readonly number[]): Promise<number> {
  let n = 0
  for (const schoolId of schoolIds) {
    const have = new Set((await respondentsOfSchool(trx, roundId, schoolId)).map((r) => r.person_id))
    for (const t of await currentTeachers(trx, { kind: 'school', schoolId })) {
      if (have.has(t.id)) continue
      await insertRespondent(trx, { round_id: roundId, school_id: schoolId, person_id: t.id, contact_requested: 0, version: 1 })
      n++
    }
  }
  return n
}

async function activeSchoolIds(db: Kysely<Database>, ids: readonly number[]): Promise<number[]> {
  if (!ids.length) return []
  const rows = await db
    .selectFrom('school')
    .select('id')
    .where('id', 'in', [...ids])
    .where('disabled_at', 'is', null)
    .execute()
  return rows.map((r) => r.id)
}

/** The bureau opens a round for the schools it names; a school admin's round is for their own school only. */
async function targetSchools(
  ctx: ServiceContext,
  actor: Actor,
  requested: readonly number[],
): Promise<{ owner: number | null; schools: number[] }> {
  if (actor.scope.kind === 'school') {
    const own = actor.scope.schoolId
    if (requested.some((id) => id !== own)) throw new AppError('BAD_REQUEST', 'assessment.schoolNotAllowed')
    return { owner: own, schools: [own] }
  }
  const unique = [...new Set(requested)]
  if (!unique.length) throw new AppError('BAD_REQUEST', 'assessment.schoolsRequired')
  const found = await activeSchoolIds(ctx.db, unique)
  if (found.length !== unique.length) throw notFound()
  return { owner: null, schools: unique.sort((a, b) => a - b) }
}

export async function openRound(ctx: ServiceContext, input: RoundOpenInput) {
  const actor = requireActor(ctx)
  const { owner, schools } = await targetSchools(ctx, actor, input.schoolIds)
  if (Date.parse(input.closesAt) <= ctx.now().getTime()) throw new AppError('BAD_REQUEST', 'assessment.windowPast')
  return withTransaction(ctx.db, async (trx) => {
    const id = await insertRound(
      trx,
      {
        respondent_kind: 'teacher',
        name: input.name,
        owner_school_id: owner,
        instruments: JSON.stringify(input.instruments),
        opens_at: new Date(input.opensAt).toISOString(),
        closes_at: new Date(input.closesAt).toISOString(),
        consent_zh: input.consentZh,
        consent_en: input.consentEn,
        recurrence: input.recurrence,
        previous_round_id: null,
        created_by: accountRef(actor),
        created_at: nowIso(ctx),
      },
      schools,
    )
    const invited = await inviteTeachers(trx, id, schools)
    await appendAudit(trx, ctx, {
      action: 'assessment.round_open',
      outcome: 'ok',
      entityType: 'assessment_round',
      entityId: id,
      schoolId: owner,
      detail: `rows:${invited}`,
    })
    return { id }
  })
}

/** May this actor change the round (create the next one)? The bureau its district rounds, a school admin its school's. */
export function ownsRound(actor: Actor, round: { owner_school_id: number | null }): boolean {
  if (actor.scope.kind === 'all') return round.owner_school_id == null
  return actor.scope.kind === 'school' && round.owner_school_id === actor.scope.schoolId
}

/** "Create the next round from this one": the same instruments, schools and consent, the window a term or a year later. */
export async function createNextRound(ctx: ServiceContext, roundId: number) {
  const actor = requireActor(ctx)
  const round = await findRoundInScope(ctx.db, actor.scope, roundId)
  if (!round || !ownsRound(actor, round)) throw notFound()
  const window = nextWindow({ opensAt: round.opens_at, closesAt: round.closes_at, recurrence: round.recurrence })
  if (!window) throw new AppError('BAD_REQUEST', 'assessment.noRecurrence')
  if (await nextRoundOf(ctx.db, roundId)) throw new AppError('CONFLICT', 'assessment.nextExists')
  const schools = await activeSchoolIds(
    ctx.db,
    (await roundSchools(ctx.db, [roundId])).map((r) => r.school_id),
  )
  const work = withTransaction(ctx.db, async (trx) => {
    const id = await insertRound(
      trx,
      {
        respondent_kind: round.respondent_kind,
        name: round.name,
        owner_school_id: round.owner_school_id,
        instruments: round.instruments,
        opens_at: window.opensAt,
        closes_at: window.closesAt,
        consent_zh: round.consent_zh,
        consent_en: round.consent_en,
        recurrence: round.recurrence,
        previous_round_id: round.id,
        created_by: accountRef(actor),
        created_at: nowIso(ctx),
      },
      schools,
    )
    const invited = await inviteTeachers(trx, id, schools)
    await appendAudit(trx, ctx, {
      action: 'assessment.round_open',
      outcome: 'ok',
      entityType: 'assessment_round',
      entityId: id,
      schoolId: round.owner_school_id,
      detail: `rows:${invited}`,
    })
    return { id }
  })
  // Two clicks racing past the check above meet the unique previous_round_id.
  return uniqueAs(work, 'assessment.nextExists')
}

/** The round as the opener wrote it, consent text included (no respondent data). */
export async function getRound(ctx: ServiceContext, roundId: number) {
  const actor = requireActor(ctx)
  const r = await findRoundInScope(ctx.db, actor.scope, roundId)
  if (!r) throw notFound()
  return {
    id: r.id,
    name: r.name,
    instruments: roundInstruments(r.instruments),
    opensAt: r.opens_at,
    closesAt: r.closes_at,
    consentZh: r.consent_zh,
    consentEn: r.consent_en,
    recurrence: r.recurrence,
    state: roundState({ opensAt: r.opens_at, closesAt: r.closes_at }, ctx.now()),
  }
}

async function openRoundOfSchool(ctx: ServiceContext, actor: Actor, roundId: number) {
  const schoolId = actorSchool(actor)
  const round = await findRoundInScope(ctx.db, actor.scope, roundId)
  if (!round) throw notFound()
  if (roundState({ opensAt: round.opens_at, closesAt: round.closes_at }, ctx.now()) === 'closed')
    throw new AppError('BAD_REQUEST', 'assessment.roundClosed')
  return { schoolId, round }
}

export interface Slip {
  teacherId: number
  staffNo: string
  name: string
  code: string
}

/**
 * Issues a code to every current teacher of the school who has none yet in this round, and returns
 * the slips to print. Codes are shown this once: only their hashes are kept.
 */
export async function issueCodes(ctx: ServiceContext, roundId: number): Promise<{ roundName: string; closesAt: string; slips: Slip[] }> {
  const actor = requireActor(ctx)
  const { schoolId, round } = await openRoundOfSchool(ctx, actor, roundId)
  return withTransaction(ctx.db, async (trx) => {
    await inviteTeachers(trx, roundId, [schoolId])
    const teachers = new Map((await currentTeachers(trx, actor.scope)).map((t) => [t.id, t]))
    const at = nowIso(ctx)
    const slips: Slip[] = []
    for (const r of await respondentsOfSchool(trx, roundId, schoolId)) {
      const t = teachers.get(r.person_id)
      if (r.code_hash || !t) continue
      const code = newCode()
      await setCode(trx, r.id, hashCode(code), at)
      slips.push({ teacherId: t.id, staffNo: t.staff_no, name: teacherName(ctx, t), code: formatCode(code) })
    }
    slips.sort((a, b) => a.staffNo.localeCompare(b.staffNo))
    await appendAudit(trx, ctx, {
      action: 'assessment.codes_issue',
      outcome: 'ok',
      entityType: 'assessment_round',
      entityId: roundId,
      schoolId,
      detail: `rows:${slips.length}`,
    })
    return { roundName: round.name, closesAt: round.closes_at, slips }
  })
}

/** A new code for one teacher (a lost slip); the old one stops working. Says nothing about whether they answered. */
export async function reissueCode(ctx: ServiceContext, input: { roundId: number; teacherId: number }) {
  const actor = requireActor(ctx)
  const { schoolId, round } = await openRoundOfSchool(ctx, actor, input.roundId)
  const teacher = await findTeacher(ctx.db, actor.scope, input.teacherId)
  if (!teacher || teacher.left_at) throw notFound()
  return withTransaction(ctx.db, async (trx) => {
    await inviteTeachers(trx, input.roundId, [schoolId])
    const r = (await respondentsOfSchool(trx, input.roundId, schoolId)).find((x) => x.person_id === teacher.id)!
    const code = newCode()
    await setCode(trx, r.id, hashCode(code), nowIso(ctx))
    await appendAudit(trx, ctx, {
      action: 'assessment.code_reissue',
      outcome: 'ok',
      entityType: 'assessment_round',
      entityId: input.roundId,
      schoolId,
    })
    const slip: Slip = { teacherId: teacher.id, staffNo: teacher.staff_no, name: teacherName(ctx, teacher), code: formatCode(code) }
    return { roundName: round.name, closesAt: round.closes_at, slips: [slip] }
  })
}
