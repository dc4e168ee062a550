import { consentParty, hasConsent, type ScreeningAnswers } from '../../shared/screening'
import { shanghaiDate } from '../../shared/shanghai-time'
import { throttleDecision } from '../rules/throttle'
import {
  campaignOpen,
  publicInstrument,
  scoreScreening,
  SCREENING_CODE_THROTTLE as CODE_THROTTLE,
  screeningAnswerProblems,
  type ScreeningInstrument,
} from '../rules/screening'
import { schoolCounsellors } from '../repositories/case'
import { pruneFailures, recentFailures, recordFailure } from '../repositories/login-failure'
import {
  findConsent,
  insertScreeningResults,
  insertWarning,
  markRespondentSubmitted,
  respondentByCode,
  saveRespondentDraft,
  sessionByClassCode,
} from '../repositories/screening'
import { loadAssessmentSettings } from './assessment'
import { appendAudit } from './audit'
import { nowIso, withTransaction, type ServiceContext } from './context'
import { decryptOptional, encryptText } from './crypto'
import { AppError } from './errors'
import { deliver } from './inbox'
import { hashStudentCode, loadInstruments, loadScreeningSettings } from './screening'

/**
 * A student answering in class, without an account: the class code on the board names a running session,
 * the personal code on the slip names one consented student of that class. Both must match; anything else
 * opens nothing and counts against the client's address like a failed sign-in. The student never sees a
 * band: after submitting, a thank-you and where to get help.
 */
const DRAFT = 'screening.draft'
const ANSWERS = 'screening.answers'
const ipKey = (ctx: ServiceContext) => ctx.ip ?? 'unknown'

async function refuseIfThrottled(ctx: ServiceContext): Promise<void> {
  const now = ctx.now().getTime()
  const failures = await recentFailures(ctx.db, 'code', ipKey(ctx), new Date(now - CODE_THROTTLE.windowMs).toISOString())
  const d = throttleDecision(failures, CODE_THROTTLE.maxPerIp, now, CODE_THROTTLE.windowMs)
  if (!d.allowed) {
    await appendAudit(ctx.db, ctx, {
      action: 'screening.code_open',
      outcome: 'denied',
      detail: 'throttled_code',
      actorId: null,
      actorRole: null,
    })
    throw new AppError('TOO_MANY_REQUESTS', 'assessment.throttled', { minutes: d.retryAfterMinutes })
  }
}

async function failed(ctx: ServiceContext, detail: string, schoolId: number | null): Promise<void> {
  await withTransaction(ctx.db, async (trx) => {
    await pruneFailures(trx, new Date(ctx.now().getTime() - 2 * CODE_THROTTLE.windowMs).toISOString())
    await recordFailure(trx, 'code', ipKey(ctx), nowIso(ctx))
    await appendAudit(trx, ctx, { action: 'screening.code_open', outcome: 'failed', schoolId, detail, actorId: null, actorRole: null })
  })
}

type Db = ServiceContext['db']

/** The respondent both codes name, if they may answer now; each refusal says only what its holder may learn. */
async function resolve(ctx: ServiceContext, db: Db, classCode: string, code: string, record: boolean) {
  const session = await sessionByClassCode(db, classCode)
  const r = await respondentByCode(db, hashStudentCode(code))
  // An unknown class code, an unknown personal code, or a slip of another class: the same answer.
  if (
    !session ||
    !r ||
    r.campaign_id !== session.campaign_id ||
    r.school_id !== session.school_id ||
    r.grade !== session.grade ||
    r.class_name !== session.class_name
  ) {
    if (record) await failed(ctx, !session ? 'unknown_class_code' : !r ? 'unknown_code' : 'other_class', session?.school_id ?? null)
    throw new AppError('NOT_FOUND', 'screening.codesInvalid')
  }
  if (r.submitted_at) {
    if (record)
      await appendAudit(ctx.db, ctx, {
        action: 'screening.code_open',
        outcome: 'failed',
        schoolId: r.school_id,
        detail: 'code_used',
        actorId: null,
        actorRole: null,
      })
    throw new AppError('CONFLICT', 'assessment.codeUsed')
  }
  const campaign = await db.selectFrom('screening_campaign').selectAll().where('id', '=', r.campaign_id).executeTakeFirstOrThrow()
  if (campaignOpen({ campaignDate: campaign.campaign_date, closesOn: campaign.closes_on }, shanghaiDate(ctx.now())) !== 'open')
    throw new AppError('BAD_REQUEST', 'screening.campaignNotOpen')
  // Consent withdrawn since the slip was printed: the questionnaire is no longer offered.
  const student = await db.selectFrom('student').select(['birth_date']).where('id', '=', r.student_id).executeTakeFirstOrThrow()
  const consent = await findConsent(db, campaign.id, r.student_id)
  if (
    !hasConsent(
      consent ? { party: consent.party, withdrawnAt: consent.withdrawn_at } : null,
      consentParty(student.birth_date, campaign.campaign_date),
    )
  )
    throw new AppError('BAD_REQUEST', 'screening.notOffered')
  return { session, r, campaign }
}

function checkAnswers(instruments: ScreeningInstrument[], answers: ScreeningAnswers, complete: boolean) {
  const problems = screeningAnswerProblems(instruments, answers, complete)
  if (problems.length)
    throw new AppError('BAD_REQUEST', problems.some((p) => p.problem === 'missing') ? 'assessment.unanswered' : 'assessment.badAnswers', {
      n: problems.length,
    })
}

async function instrumentsOf(ctx: ServiceContext, stored: string) {
  return loadInstruments(ctx.db, JSON.parse(stored) as string[], await loadScreeningSettings(ctx.db))
}

/** The questions (no correct answers, no bands) and what this student saved before. */
export async function openStudent(ctx: ServiceContext, input: { classCode: string; code: string }) {
  await refuseIfThrottled(ctx)
  const { r, campaign } = await resolve(ctx, ctx.db, input.classCode, input.code, true)
  const instruments = await instrumentsOf(ctx, campaign.instruments)
  await appendAudit(ctx.db, ctx, {
    action: 'screening.code_open',
    outcome: 'ok',
    entityType: 'screening_campaign',
    entityId: campaign.id,
    schoolId: r.school_id,
    actorId: null,
    actorRole: null,
  })
  const draft = decryptOptional(ctx.keys, DRAFT, r.draft_enc)
  return {
    campaignName: campaign.name,
    closesOn: campaign.closes_on,
    instruments: instruments.map(publicInstrument),
    draft: draft ? (JSON.parse(draft) as ScreeningAnswers) : {},
  }
}

export async function saveStudent(ctx: ServiceContext, input: { classCode: string; code: string; answers: ScreeningAnswers }) {
  await refuseIfThrottled(ctx)
  const { r, campaign } = await resolve(ctx, ctx.db, input.classCode, input.code, true)
  checkAnswers(await instrumentsOf(ctx, campaign.instruments), input.answers, false)
  const at = nowIso(ctx)
  await withTransaction(ctx.db, async (trx) => {
    if (!(await saveRespondentDraft(trx, r.id, encryptText(ctx.keys, DRAFT, JSON.stringify(input.answers)), at)))
      throw new AppError('CONFLICT', 'assessment.codeUsed')
    await appendAudit(trx, ctx, {
      action: 'screening.answer_save',
      outcome: 'ok',
      entityType: 'screening_campaign',
      entityId: campaign.id,
      schoolId: r.school_id,
      actorId: null,
      actorRole: null,
    })
  })
  return { savedAt: at }
}

/**
 * Submits complete answers. One transaction: the code is spent (once), the scored results stored, a
 * warning raised when the answers call for one, and a critical one (e.g. self-harm thoughts) put in the
 * school counsellors' inboxes — all or nothing. The student gets a thank-you and where to find help.
 */
export async function submitStudent(ctx: ServiceContext, input: { classCode: string; code: string; answers: ScreeningAnswers }) {
  await refuseIfThrottled(ctx)
  const settings = await loadScreeningSettings(ctx.db)
  const checked = await resolve(ctx, ctx.db, input.classCode, input.code, true)
  const instruments = await instrumentsOf(ctx, checked.campaign.instruments)
  checkAnswers(instruments, input.answers, true)
  const schoolId = await withTransaction(ctx.db, async (trx) => {
    const { r, session, campaign } = await resolve(ctx, trx, input.classCode, input.code, false)
    const outcome = scoreScreening(instruments, input.answers, settings.passMarkPercent)
    const at = nowIso(ctx)
    if (!(await markRespondentSubmitted(trx, r.id, session.id, at))) throw new AppError('CONFLICT', 'assessment.codeUsed')
    await insertScreeningResults(
      trx,
      outcome.scores.map((s) => ({
        respondent_id: r.id,
        instrument: s.ref,
        instrument_version: s.version,
        kind: s.kind,
        answers_enc: encryptText(ctx.keys, ANSWERS, JSON.stringify(input.answers[s.ref])),
        answers_purged_at: null,
        total: s.total,
        band: s.band,
        band_rank: s.rank,
        flags: s.flags.join(','),
        passed: s.passed == null ? null : s.passed ? 1 : 0,
      })),
    )
    await appendAudit(trx, ctx, {
      action: 'screening.submit',
      outcome: 'ok',
      entityType: 'screening_campaign',
      entityId: campaign.id,
      schoolId: r.school_id,
      actorId: null,
      actorRole: null,
    })
    if (outcome.warning) {
      const warningId = await insertWarning(trx, {
        respondent_id: r.id,
        campaign_id: campaign.id,
        school_id: r.school_id,
        level: outcome.warning.level,
        reasons: outcome.warning.reasons.join(','),
        raised_at: at,
        version: 1,
      })
      if (outcome.warning.level === 'critical') {
        const counsellors = await schoolCounsellors(trx, r.school_id)
        await deliver(
          ctx,
          trx,
          counsellors.map((c) => c.id),
          { kind: 'screening.critical', entityType: 'screening_warning', entityId: warningId, schoolId: r.school_id },
        )
      }
      await appendAudit(trx, ctx, {
        action: 'screening.warning_raise',
        outcome: 'ok',
        entityType: 'screening_warning',
        entityId: warningId,
        schoolId: r.school_id,
        actorId: null,
        actorRole: null,
      })
    }
    return r.school_id
  })
  const [school, counsellors, assessment] = await Promise.all([
    ctx.db.selectFrom('school').select(['name', 'name_en']).where('id', '=', schoolId).executeTakeFirstOrThrow(),
    schoolCounsellors(ctx.db, schoolId),
    loadAssessmentSettings(ctx.db),
  ])
  const room = await ctx.db
    .selectFrom('counselling_room')
    .select(['display_name'])
    .where('school_id', '=', schoolId)
    .where('display_name', 'is not', null)
    .orderBy('school_year_id', 'desc')
    .executeTakeFirst()
  return {
    thanks: true as const,
    help: {
      schoolName: school.name,
      schoolNameEn: school.name_en,
      roomName: room?.display_name ?? null,
      counsellors: counsellors.map((c) => c.display_name),
      hotline: assessment.hotline,
    },
  }
}
