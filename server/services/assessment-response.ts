import type { AnswerMap } from '../../shared/assessment'
import { CODE_THROTTLE, throttleDecision } from '../rules/throttle'
import { answerProblems, roundState, scoreSubmission } from '../rules/assessment'
import { insertAlert, insertResults, markSubmitted, respondentByCodeHash, saveDraft } from '../repositories/assessment'
import { schoolCounsellors } from '../repositories/case'
import { pruneFailures, recentFailures, recordFailure } from '../repositories/login-failure'
import { hashCode, loadAssessmentSettings, roundInstruments } from './assessment'
import { appendAudit } from './audit'
import { nowIso, withTransaction, type ServiceContext } from './context'
import { decryptOptional, encryptText } from './crypto'
import { deliver } from './inbox'
import { alertHandlers } from './district-centre'
import { AppError } from './errors'

/**
 * Answering without an account. A code resolves to exactly one respondent of one round and to
 * nothing else; every answer here names no account. Failed look-ups are throttled per client IP,
 * like sign-in, and audited without the code.
 */
const DRAFT = 'assessment.draft'
const ANSWERS = 'assessment.answers'

const ipKey = (ctx: ServiceContext) => ctx.ip ?? 'unknown'

async function refuseIfThrottled(ctx: ServiceContext): Promise<void> {
  const now = ctx.now().getTime()
  const failures = await recentFailures(ctx.db, 'code', ipKey(ctx), new Date(now - CODE_THROTTLE.windowMs).toISOString())
  const d = throttleDecision(failures, CODE_THROTTLE.maxPerIp, now, CODE_THROTTLE.windowMs)
  if (!d.allowed) {
    await appendAudit(ctx.db, ctx, {
      action: 'assessment.code_open',
      outcome: 'denied',
      detail: 'throttled_code',
      actorId: null,
      actorRole: null,
    })
    throw new AppError('TOO_MANY_REQUESTS', 'assessment.throttled', { minutes: d.retryAfterMinutes })
  }
}

type Respondent = NonNullable<Awaited<ReturnType<typeof respondentByCodeHash>>>

/**
 * The respondent a code names, if it may answer now. Unknown codes count against the IP; a spent code,
 * a closed round or one not open yet each get their own message (the holder of the code learns only that).
 */
async function resolve(ctx: ServiceContext, code: string): Promise<Respondent> {
  const db = ctx.db
  const r = await respondentByCodeHash(db, hashCode(code))
  const audit = (detail: string) =>
    appendAudit(db, ctx, {
      action: 'assessment.code_open',
      outcome: 'failed',
      entityType: r ? 'assessment_round' : null,
      entityId: r?.round_id ?? null,
      schoolId: r?.school_id ?? null,
      detail,
      actorId: null,
      actorRole: null,
    })
  if (!r) {
    await withTransaction(db, async (trx) => {
      await pruneFailures(trx, new Date(ctx.now().getTime() - 2 * CODE_THROTTLE.windowMs).toISOString())
      await recordFailure(trx, 'code', ipKey(ctx), nowIso(ctx))
      await appendAudit(trx, ctx, {
        action: 'assessment.code_open',
        outcome: 'failed',
        detail: 'unknown_code',
        actorId: null,
        actorRole: null,
      })
    })
    throw new AppError('NOT_FOUND', 'assessment.codeInvalid')
  }
  if (r.submitted_at) {
    await audit('code_used')
    throw new AppError('CONFLICT', 'assessment.codeUsed')
  }
  const state = roundState({ opensAt: r.opens_at, closesAt: r.closes_at }, ctx.now())
  if (state === 'closed') {
    await audit('round_closed')
    throw new AppError('BAD_REQUEST', 'assessment.roundClosed')
  }
  if (state === 'upcoming') {
    await audit('not_open')
    throw new AppError('BAD_REQUEST', 'assessment.notOpenYet', { at: r.opens_at })
  }
  return r
}

function badAnswers(instruments: ReturnType<typeof roundInstruments>, answers: AnswerMap, complete: boolean): void {
  const problems = answerProblems(instruments, answers, complete)
  if (problems.length)
    throw new AppError('BAD_REQUEST', problems.some((p) => p.problem === 'missing') ? 'assessment.unanswered' : 'assessment.badAnswers', {
      n: problems.length,
    })
}

/** What the teacher sees after typing the code: the round, the consent, the instruments and their saved answers. */
export async function openByCode(ctx: ServiceContext, code: string) {
  await refuseIfThrottled(ctx)
  const r = await resolve(ctx, code)
  const school = await ctx.db.selectFrom('school').select(['name', 'name_en']).where('id', '=', r.school_id).executeTakeFirstOrThrow()
  await appendAudit(ctx.db, ctx, {
    action: 'assessment.code_open',
    outcome: 'ok',
    entityType: 'assessment_round',
    entityId: r.round_id,
    schoolId: r.school_id,
    actorId: null,
    actorRole: null,
  })
  const draft = decryptOptional(ctx.keys, DRAFT, r.draft_enc)
  return {
    roundName: r.name,
    schoolName: school.name,
    schoolNameEn: school.name_en,
    closesAt: r.closes_at,
    consentZh: r.consent_zh,
    consentEn: r.consent_en,
    instruments: roundInstruments(r.instruments),
    draft: draft ? (JSON.parse(draft) as AnswerMap) : {},
  }
}

/** Saves answers as they are given, so the same code resumes; values must be on each item's scale. */
export async function saveByCode(ctx: ServiceContext, input: { code: string; answers: AnswerMap }) {
  await refuseIfThrottled(ctx)
  const r = await resolve(ctx, input.code)
  badAnswers(roundInstruments(r.instruments), input.answers, false)
  const at = nowIso(ctx)
  await withTransaction(ctx.db, async (trx) => {
    if (!(await saveDraft(trx, r.id, encryptText(ctx.keys, DRAFT, JSON.stringify(input.answers)), at)))
      throw new AppError('CONFLICT', 'assessment.codeUsed')
    await appendAudit(trx, ctx, {
      action: 'assessment.answer_save',
      outcome: 'ok',
      entityType: 'assessment_round',
      entityId: r.round_id,
      schoolId: r.school_id,
      actorId: null,
      actorRole: null,
    })
  })
  return { savedAt: at }
}

/**
 * Submits complete answers. In one transaction: the code is spent (a second tab finds it spent and
 * changes nothing), the scored results are stored, and an alert, when the answers call for one, is
 * raised and put in its handlers' inboxes (the school's counsellors, or the district centre). The teacher gets their own bands back, once.
 */
export async function submitByCode(ctx: ServiceContext, input: { code: string; answers: AnswerMap; contactMe: boolean }) {
  await refuseIfThrottled(ctx)
  const settings = await loadAssessmentSettings(ctx.db)
  // Checked (and a failure recorded and audited) before the transaction: a refusal inside it would be rolled back.
  const checked = await resolve(ctx, input.code)
  badAnswers(roundInstruments(checked.instruments), input.answers, true)
  const result = await withTransaction(ctx.db, async (trx) => {
    // Read again inside the transaction: a reissued code or a closed window since the check refuses here.
    const r = await respondentByCodeHash(trx, hashCode(input.code))
    if (!r) throw new AppError('NOT_FOUND', 'assessment.codeInvalid')
    if (roundState({ opensAt: r.opens_at, closesAt: r.closes_at }, ctx.now()) !== 'open')
      throw new AppError('BAD_REQUEST', 'assessment.roundClosed')
    const instruments = roundInstruments(r.instruments)
    const outcome = scoreSubmission(instruments, input.answers, settings, input.contactMe)
    const at = nowIso(ctx)
    if (!(await markSubmitted(trx, r.id, at, input.contactMe))) throw new AppError('CONFLICT', 'assessment.codeUsed')
    await insertResults(
      trx,
      outcome.scores.map((s) => ({
        respondent_id: r.id,
        instrument: s.instrument,
        instrument_version: s.version,
        answers_enc: encryptText(ctx.keys, ANSWERS, JSON.stringify(input.answers[s.instrument])),
        total: s.total,
        band: s.band,
        band_rank: s.rank,
        flags: s.flags.join(','),
      })),
    )
    await appendAudit(trx, ctx, {
      action: 'assessment.submit',
      outcome: 'ok',
      entityType: 'assessment_round',
      entityId: r.round_id,
      schoolId: r.school_id,
      actorId: null,
      actorRole: null,
    })
    if (outcome.alert) {
      const alertId = await insertAlert(trx, {
        respondent_id: r.id,
        round_id: r.round_id,
        school_id: r.school_id,
        is_alert: outcome.alert.isAlert ? 1 : 0,
        reasons: outcome.alert.reasons.join(','),
        raised_at: at,
        acknowledged_at: null,
        handler_id: null,
        escalated_at: null,
        closed_at: null,
        outcome_enc: null,
        version: 1,
      })
      const handlers = await alertHandlers(trx, r.school_id)
      if (handlers.toCentre)
        await trx.updateTable('assessment_alert').set({ routed_to_centre: 1, centre_at: at }).where('id', '=', alertId).execute()
      await deliver(ctx, trx, handlers.accounts, {
        kind: outcome.alert.isAlert ? 'assessment.alert' : 'assessment.contact',
        entityType: 'assessment_alert',
        entityId: alertId,
        schoolId: r.school_id,
      })
      await appendAudit(trx, ctx, {
        action: 'assessment.alert_raise',
        outcome: 'ok',
        entityType: 'assessment_alert',
        entityId: alertId,
        schoolId: r.school_id,
        actorId: null,
        actorRole: null,
      })
      if (handlers.toCentre)
        await appendAudit(trx, ctx, {
          action: 'assessment.alert_route',
          outcome: 'ok',
          entityType: 'assessment_alert',
          entityId: alertId,
          schoolId: r.school_id,
          actorId: null,
          actorRole: null,
        })
    }
    return { r, outcome }
  })
  const [school, counsellors] = await Promise.all([
    ctx.db.selectFrom('school').select(['name', 'name_en']).where('id', '=', result.r.school_id).executeTakeFirstOrThrow(),
    schoolCounsellors(ctx.db, result.r.school_id),
  ])
  return {
    scores: result.outcome.scores.map((s) => ({
      instrument: s.instrument,
      total: s.total,
      percent: s.percent,
      band: s.band,
      rank: s.rank,
    })),
    contactRequested: input.contactMe,
    help: {
      schoolName: school.name,
      schoolNameEn: school.name_en,
      counsellors: counsellors.map((c) => c.display_name),
      hotline: settings.hotline,
      hotlineNote: settings.hotlineNote,
    },
  }
}
