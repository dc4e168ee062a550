import type { CaseCategory, RiskLevel } from '../../shared/cases'
import { WARNING_LEVELS, type WarningOutcome } from '../../shared/screening'
import { shanghaiDate } from '../../shared/shanghai-time'
import { casesOfStudent } from '../repositories/case'
import { findWarning, listWarnings, screeningResultsOf, setWarningOutcome } from '../repositories/screening'
import { appendAudit } from './audit'
import { openCase } from './case'
import { accountRef, nowIso, requireActor, withTransaction, type ServiceContext } from './context'
import { decryptOptional, decryptText, encryptText } from './crypto'
import { AppError, conflict, notFound } from './errors'
import { loadInstruments, loadScreeningSettings } from './screening'

/**
 * The school counsellors' warning list (permission `screening.warnings`, counsellors only): individual
 * results of their own school, the second-stage interview and its outcome — no concern, watch, or a
 * case opened in the same step (source "screening", the instrument and band in the intake, linked
 * both ways). Every read and step is audited; the warnings repository admits school scopes only.
 */
const P = { interview: 'screening.interview', answers: 'screening.answers' } as const
const LEVEL_ORDER = new Map(WARNING_LEVELS.map((l, i) => [l, i]))

type Row = NonNullable<Awaited<ReturnType<typeof findWarning>>>

/** Each instrument's result with its name and band label; item answers only when asked for and not yet purged. */
async function resultViews(ctx: ServiceContext, respondentId: number, withAnswers: boolean) {
  const results = await screeningResultsOf(ctx.db, respondentId)
  const instruments = await loadInstruments(
    ctx.db,
    results.map((r) => r.instrument),
    await loadScreeningSettings(ctx.db),
  ).catch(() => [])
  return results.map((r) => {
    const ins = instruments.find((i) => i.ref === r.instrument)
    return {
      instrument: r.instrument,
      name: ins?.name ?? null,
      kind: r.kind,
      total: r.total,
      band: r.band,
      bandLabel: ins?.bands.find((b) => b.key === r.band)?.label ?? null,
      flags: r.flags.split(',').filter(Boolean),
      answersPurged: r.answers_enc == null,
      answers:
        withAnswers && r.answers_enc ? (JSON.parse(decryptText(ctx.keys, P.answers, r.answers_enc)) as Record<string, number>) : null,
    }
  })
}

async function describe(ctx: ServiceContext, rows: Row[]) {
  const ids = [...new Set(rows.map((r) => r.student_id))]
  const students = ids.length
    ? await ctx.db.selectFrom('student').select(['id', 'student_no', 'name_enc']).where('id', 'in', ids).execute()
    : []
  const byId = new Map(students.map((s) => [s.id, s]))
  return rows.map((r) => {
    const s = byId.get(r.student_id)
    return {
      id: r.id,
      campaignId: r.campaign_id,
      campaignName: r.campaign_name,
      level: r.level,
      reasons: r.reasons.split(',').filter(Boolean),
      raisedAt: r.raised_at,
      outcome: r.outcome,
      outcomeAt: r.outcome_at,
      interviewOn: r.interview_on,
      caseId: r.case_id,
      version: r.version,
      student: s
        ? {
            id: s.id,
            studentNo: s.student_no,
            name: decryptText(ctx.keys, 'student.name', s.name_enc),
            grade: r.grade,
            className: r.class_name,
          }
        : null,
    }
  })
}

/** Open warnings first by level (critical, high, watch), then the newest. */
export async function listWarningsService(ctx: ServiceContext, input: { status: 'open' | 'done' | 'all' }) {
  const actor = requireActor(ctx)
  const rows = await listWarnings(ctx.db, actor.scope, input.status)
  rows.sort((a, b) => LEVEL_ORDER.get(a.level)! - LEVEL_ORDER.get(b.level)! || b.raised_at.localeCompare(a.raised_at))
  await appendAudit(ctx.db, ctx, {
    action: 'screening.warning_list',
    outcome: 'ok',
    entityType: 'screening_warning',
    schoolId: actor.schoolId,
    detail: `rows:${rows.length}`,
  })
  return describe(ctx, rows)
}

export async function getWarning(ctx: ServiceContext, id: number) {
  const actor = requireActor(ctx)
  const row = await findWarning(ctx.db, actor.scope, id)
  if (!row) throw notFound()
  const [base] = await describe(ctx, [row])
  const results = await resultViews(ctx, row.respondent_id, true)
  const by = row.outcome_by
    ? await ctx.db.selectFrom('account').select('display_name').where('id', '=', row.outcome_by).executeTakeFirst()
    : undefined
  await appendAudit(ctx.db, ctx, {
    action: 'screening.warning_read',
    outcome: 'ok',
    entityType: 'screening_warning',
    entityId: id,
    schoolId: row.school_id,
  })
  return {
    ...base!,
    interviewNotes: decryptOptional(ctx.keys, P.interview, row.interview_enc),
    outcomeBy: by?.display_name ?? null,
    results,
  }
}

/** The text a case opened from a warning starts with: the campaign, each instrument's band and total (Chinese, the district's working language). */
function intake(campaign: string, results: Awaited<ReturnType<typeof resultViews>>, warningId: number): string {
  const parts = results
    .filter((r) => r.kind === 'screening')
    .map(
      (r) =>
        `${r.name?.['zh-CN'] ?? r.instrument}：${r.bandLabel?.['zh-CN'] ?? r.band}（${r.total} 分）${r.flags.some((f) => f.startsWith('critical:')) ? '，关键条目阳性' : ''}`,
    )
  return `【心理筛查预警 #${warningId}】${campaign}\n${parts.join('；')}`
}

const DEFAULT_CATEGORIES: Record<string, CaseCategory[]> = { critical: ['self_harm'], high: ['emotion'], watch: ['emotion'] }
const DEFAULT_LEVEL: Record<string, RiskLevel> = { critical: 'high', high: 'high', watch: 'watch' }

/**
 * Records the second-stage interview and its outcome, once. "case" opens the student's case in the same
 * transaction through the case service (or links the case already open for the student).
 */
export async function recordOutcome(
  ctx: ServiceContext,
  input: {
    id: number
    version: number
    interviewOn: string
    notes: string
    outcome: WarningOutcome
    riskLevel?: RiskLevel
    categories: CaseCategory[]
  },
) {
  const actor = requireActor(ctx)
  const row = await findWarning(ctx.db, actor.scope, input.id)
  if (!row) throw notFound()
  if (row.outcome) throw new AppError('BAD_REQUEST', 'screening.outcomeRecorded')
  const today = shanghaiDate(ctx.now())
  if (input.interviewOn > today || input.interviewOn < shanghaiDate(new Date(row.raised_at)))
    throw new AppError('BAD_REQUEST', 'screening.interviewDate')
  const detail = input.outcome === 'case' ? await resultViews(ctx, row.respondent_id, false) : null
  const result = await withTransaction(ctx.db, async (trx) => {
    let caseId: number | null = null
    let linkedExisting = false
    if (input.outcome === 'case') {
      const open = (await casesOfStudent(trx, row.student_id)).find((c) => c.status === 'open')
      if (open) {
        caseId = open.id
        linkedExisting = true
      } else {
        const created = await openCase(
          { ...ctx, db: trx },
          {
            studentId: row.student_id,
            source: 'screening',
            categories: input.categories.length ? input.categories : DEFAULT_CATEGORIES[row.level]!,
            flags: [],
            concern: `${intake(row.campaign_name, detail!, row.id)}\n${input.notes}`.slice(0, 2000),
            riskLevel: input.riskLevel ?? DEFAULT_LEVEL[row.level]!,
            openedOn: today,
            counsellorIds: [actor.accountId],
          },
        )
        caseId = created.id
      }
    }
    const ok = await setWarningOutcome(trx, row.id, input.version, {
      interview_on: input.interviewOn,
      interview_enc: encryptText(ctx.keys, P.interview, input.notes),
      outcome: input.outcome,
      outcome_at: nowIso(ctx),
      outcome_by: accountRef(actor),
      case_id: caseId,
    })
    if (!ok) throw conflict()
    await appendAudit(trx, ctx, {
      action: 'screening.warning_outcome',
      outcome: 'ok',
      entityType: 'screening_warning',
      entityId: row.id,
      schoolId: row.school_id,
      detail: caseId ? `warning:${input.outcome},case:${caseId}` : `warning:${input.outcome}`,
    })
    return { caseId, linkedExisting }
  })
  return result
}

/** The warning a case came from, for the case page's link back (own school's counsellors only). */
export async function warningOfCase(ctx: ServiceContext, caseId: number) {
  const actor = requireActor(ctx)
  const ids = actor.scope.kind === 'school' ? [actor.scope.schoolId] : [-1]
  const row = await ctx.db
    .selectFrom('screening_warning')
    .innerJoin('screening_campaign', 'screening_campaign.id', 'screening_warning.campaign_id')
    .select(['screening_warning.id', 'screening_warning.level', 'screening_campaign.name'])
    .where('screening_warning.case_id', '=', caseId)
    .where('screening_warning.school_id', 'in', ids)
    .executeTakeFirst()
  return row ? { id: row.id, level: row.level, campaignName: row.name } : null
}
