import { z } from 'zod'
import type { Indicator, ProgrammeItem } from '../../shared/programme'
import {
  storedIndicators,
  storedScores,
  type BureauScoreInput,
  type RoundCreateInput,
  type SelfEvaluationInput,
} from '../../shared/programme-schemas'
import type { SchoolType } from '../../shared/roles'
import {
  findRound,
  findSubmission,
  insertReportSnapshot,
  insertRound,
  insertSubmission,
  latestReportSnapshot,
  listRounds,
  listRoundsWithCounts,
  listRoundsWithOwnSubmission,
  programmeSchools,
  submissionsOf,
  updateRound,
  updateSubmission,
} from '../repositories/programme'
import { findSchoolYear } from '../repositories/school-year'
import { scoreBand, scoreSheet } from '../rules/programme'
import { shanghaiDate } from '../rules/risk'
import { rate, roomTargetFor } from '../rules/staffing'
import { appendAudit } from './audit'
import { accountRef, nowIso, requireActor, type ServiceContext, withTransaction } from './context'
import { loadDistrictSettings, loadProgrammeSettings } from './district-settings'
import { AppError, conflict, notFound, uniqueAs } from './errors'
import { programmeFacts } from './programme'
import { itemRates } from './programme-dashboard'
import { ownSchoolId, today } from './school-scope'
import { parseStored } from './stored-json'
import { roomRows, staffingRows, summariseRooms, summariseStaffing } from './staffing-dashboard'

type RoundRow = NonNullable<Awaited<ReturnType<typeof findRound>>>
type SubmissionRow = NonNullable<Awaited<ReturnType<typeof findSubmission>>>
type SubmissionFields = Pick<
  SubmissionRow,
  | 'id'
  | 'version'
  | 'self_scores'
  | 'self_total'
  | 'self_summary'
  | 'submitted_at'
  | 'bureau_scores'
  | 'bureau_total'
  | 'bureau_comment'
  | 'scored_at'
>

function toRound(r: Omit<RoundRow, 'year_starts_on' | 'year_ends_on'>) {
  const indicators = parseStored(storedIndicators, r.indicators, [], 'evaluation_round.indicators')
  return {
    id: r.id,
    title: r.title,
    schoolYearId: r.school_year_id,
    yearLabel: r.year_label,
    half: r.half,
    opensOn: r.opens_on,
    dueOn: r.due_on,
    status: r.status,
    closedAt: r.closed_at,
    version: r.version,
    indicators,
    maxTotal: indicators.reduce((n, i) => n + i.maxScore, 0),
  }
}

const parseScores = (json: string | null, column: string) => parseStored(storedScores.nullable(), json, null, column)

function toSubmission(s: SubmissionFields | undefined) {
  if (!s) return null
  return {
    id: s.id,
    version: s.version,
    selfScores: parseScores(s.self_scores, 'evaluation_submission.self_scores'),
    selfTotal: s.self_total == null ? null : Number(s.self_total),
    selfSummary: s.self_summary,
    submittedAt: s.submitted_at,
    bureauScores: parseScores(s.bureau_scores, 'evaluation_submission.bureau_scores'),
    bureauTotal: s.bureau_total == null ? null : Number(s.bureau_total),
    bureauComment: s.bureau_comment,
    scoredAt: s.scored_at,
  }
}

async function roundOrNotFound(ctx: ServiceContext, id: number) {
  const r = await findRound(ctx.db, id)
  if (!r) throw notFound()
  return r
}

type RoundListItem = ReturnType<typeof toRound> & { submitted: number | null; scored: number | null; own: ReturnType<typeof toSubmission> }

/**
 * Rounds, newest first. The bureau sees how many schools submitted and were scored; a school sees its own sheet.
 * One query either way, however many rounds there are.
 */
export async function roundsService(ctx: ServiceContext): Promise<RoundListItem[]> {
  const actor = requireActor(ctx)
  if (actor.scope.kind === 'school') {
    const rows = await listRoundsWithOwnSubmission(ctx.db, actor.scope.schoolId)
    return rows.map((r) => ({
      ...toRound(r),
      submitted: null,
      scored: null,
      own:
        r.own_id == null || r.own_version == null
          ? null
          : toSubmission({
              id: r.own_id,
              version: r.own_version,
              self_scores: r.own_self_scores,
              self_total: r.own_self_total,
              self_summary: r.own_self_summary,
              submitted_at: r.own_submitted_at,
              bureau_scores: r.own_bureau_scores,
              bureau_total: r.own_bureau_total,
              bureau_comment: r.own_bureau_comment,
              scored_at: r.own_scored_at,
            }),
    }))
  }
  const rows = await listRoundsWithCounts(ctx.db, actor.scope)
  return rows.map((r) => ({ ...toRound(r), submitted: Number(r.submitted ?? 0), scored: Number(r.scored ?? 0), own: null }))
}

export async function createRound(ctx: ServiceContext, input: RoundCreateInput) {
  const actor = requireActor(ctx)
  const year = await findSchoolYear(ctx.db, input.schoolYearId)
  if (!year) throw notFound()
  const { indicators } = await loadProgrammeSettings(ctx.db)
  const exists = (await listRounds(ctx.db)).some((r) => r.school_year_id === year.id && r.half === input.half)
  if (exists) throw new AppError('CONFLICT', 'evaluation.roundExists')
  return uniqueAs(
    withTransaction(ctx.db, async (trx) => {
      const id = await insertRound(trx, {
        title: input.title,
        school_year_id: year.id,
        half: input.half,
        opens_on: input.opensOn,
        due_on: input.dueOn,
        indicators: JSON.stringify(indicators),
        status: 'open',
        created_by: accountRef(actor),
        created_at: nowIso(ctx),
        closed_at: null,
        version: 1,
      })
      await appendAudit(trx, ctx, {
        action: 'evaluation.round_create',
        outcome: 'ok',
        entityType: 'evaluation_round',
        entityId: id,
        detail: `year:${year.id},half:${input.half}`,
      })
      return { id }
    }),
    'evaluation.roundExists',
  )
}

export async function setRoundStatus(ctx: ServiceContext, input: { roundId: number; version: number }, status: 'open' | 'closed') {
  const r = await roundOrNotFound(ctx, input.roundId)
  await withTransaction(ctx.db, async (trx) => {
    if (!(await updateRound(trx, r.id, input.version, { status, closed_at: status === 'closed' ? nowIso(ctx) : null }))) throw conflict()
    // Closing freezes the report: later changes to live data (rooms, staff, evidence) never move a closed round's figures.
    let detail: string | undefined
    if (status === 'closed') {
      const closed = (await findRound(trx, r.id))!
      const body = await reportBody({ ...ctx, db: trx }, closed)
      const version = await insertReportSnapshot(trx, {
        round_id: r.id,
        data: JSON.stringify(body),
        created_at: nowIso(ctx),
        created_by: accountRef(requireActor(ctx)),
      })
      detail = `snapshot:${version}`
    }
    await appendAudit(trx, ctx, {
      action: status === 'closed' ? 'evaluation.round_close' : 'evaluation.round_reopen',
      outcome: 'ok',
      entityType: 'evaluation_round',
      entityId: r.id,
      detail,
    })
  })
  return { id: r.id }
}

/**
 * One round: for the bureau every active school with its submission; for a school its own sheet.
 */
export async function roundDetail(ctx: ServiceContext, input: { roundId: number }) {
  const actor = requireActor(ctx)
  const round = toRound(await roundOrNotFound(ctx, input.roundId))
  const schools = await programmeSchools(ctx.db, actor.scope, {}, round.schoolYearId)
  const subs = new Map((await submissionsOf(ctx.db, actor.scope, round.id)).map((s) => [s.school_id, s]))
  return {
    round,
    today: today(ctx),
    schools: schools.map((s) => ({
      school: {
        id: s.id,
        code: s.code,
        name: s.name,
        nameEn: s.name_en,
        type: s.type as SchoolType,
        streetNameZh: s.street_name_zh,
        streetNameEn: s.street_name_en,
      },
      submission: toSubmission(subs.get(s.id)),
    })),
  }
}

function checkedTotal(scores: Record<string, number>, indicators: Indicator[]): number {
  const sheet = scoreSheet(scores, indicators)
  if (!sheet.ok) throw new AppError('BAD_REQUEST', 'evaluation.badScores', { codes: sheet.bad.join(', ') })
  return sheet.total
}

/** A school's self-evaluation: while the round is open, scored against the round's own indicator list. */
export async function submitSelfEvaluation(ctx: ServiceContext, input: SelfEvaluationInput) {
  const schoolId = ownSchoolId(ctx)
  const actor = requireActor(ctx)
  const round = toRound(await roundOrNotFound(ctx, input.roundId))
  if (round.status !== 'open') throw new AppError('BAD_REQUEST', 'evaluation.roundClosed')
  if (today(ctx) < round.opensOn) throw new AppError('BAD_REQUEST', 'evaluation.notOpenYet', { date: round.opensOn })
  const total = checkedTotal(input.scores, round.indicators)
  const values = {
    self_scores: JSON.stringify(input.scores),
    self_total: total,
    self_summary: input.summary || null,
    submitted_at: nowIso(ctx),
    submitted_by: accountRef(actor),
  }
  await uniqueAs(
    withTransaction(ctx.db, async (trx) => {
      const existing = await findSubmission(trx, round.id, schoolId)
      if (existing) {
        if (input.version == null || !(await updateSubmission(trx, existing.id, input.version, values))) throw conflict()
      } else {
        if (input.version != null) throw conflict()
        await insertSubmission(trx, { ...values, round_id: round.id, school_id: schoolId, version: 1 })
      }
      await appendAudit(trx, ctx, {
        action: 'evaluation.self_submit',
        outcome: 'ok',
        entityType: 'evaluation_round',
        entityId: round.id,
        schoolId,
        detail: `total:${total}`,
      })
    }),
    'conflict',
  )
  return { roundId: round.id, total }
}

/** The bureau's comprehensive score for one school, per indicator, with a comment. */
export async function scoreSchool(ctx: ServiceContext, input: BureauScoreInput) {
  const actor = requireActor(ctx)
  const round = toRound(await roundOrNotFound(ctx, input.roundId))
  if (!(await programmeSchools(ctx.db, actor.scope, { schoolId: input.schoolId }, round.schoolYearId)).length) throw notFound()
  const total = checkedTotal(input.scores, round.indicators)
  const values = {
    bureau_scores: JSON.stringify(input.scores),
    bureau_total: total,
    bureau_comment: input.comment || null,
    scored_at: nowIso(ctx),
    scored_by: accountRef(actor),
  }
  await uniqueAs(
    withTransaction(ctx.db, async (trx) => {
      const existing = await findSubmission(trx, round.id, input.schoolId)
      if (existing) {
        if (input.version == null || !(await updateSubmission(trx, existing.id, input.version, values))) throw conflict()
      } else {
        if (input.version != null) throw conflict()
        await insertSubmission(trx, { ...values, round_id: round.id, school_id: input.schoolId, version: 1 })
      }
      await appendAudit(trx, ctx, {
        action: 'evaluation.bureau_score',
        outcome: 'ok',
        entityType: 'evaluation_round',
        entityId: round.id,
        schoolId: input.schoolId,
        detail: `total:${total}`,
      })
    }),
    'conflict',
  )
  return { roundId: round.id, schoolId: input.schoolId, total }
}

const average = (xs: readonly number[]) => (xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10 : null)

/**
 * The round's evaluation report: district figures (scores by indicator, bands, by street), the year's
 * seven-ones completion, staffing and rooms, and a per-school annex. Counts and scores only; no student data.
 */
type ReportBody = Awaited<ReturnType<typeof reportBody>>

/**
 * The report of a round: while it is open, computed from live data; once closed, the snapshot taken
 * when it closed (the latest, if it was reopened and closed again), stating its version and time.
 */
export async function evaluationReport(ctx: ServiceContext, input: { roundId: number }) {
  const row = await roundOrNotFound(ctx, input.roundId)
  const snapshot = row.status === 'closed' ? await latestReportSnapshot(ctx.db, row.id) : undefined
  const stored = snapshot
    ? parseStored(
        z.custom<ReportBody>((v) => typeof v === 'object' && v != null && 'district' in v).nullable(),
        snapshot.data,
        null,
        'evaluation_report_snapshot.data',
      )
    : null
  const body = stored ?? (await reportBody(ctx, row))
  await appendAudit(ctx.db, ctx, { action: 'evaluation.report_view', outcome: 'ok', entityType: 'evaluation_round', entityId: row.id })
  return {
    ...body,
    // The round's own state (title, status) is current; the figures are frozen.
    round: toRound(row),
    generatedOn: snapshot && stored ? shanghaiDate(new Date(snapshot.created_at)) : today(ctx),
    frozen: snapshot && stored ? { version: snapshot.version, at: snapshot.created_at } : null,
  }
}

async function reportBody(ctx: ServiceContext, row: RoundRow) {
  const actor = requireActor(ctx)
  const round = toRound(row)
  const year = { id: round.schoolYearId, label: round.yearLabel, startsOn: row.year_starts_on, endsOn: row.year_ends_on }
  const [{ rules }, settings] = await Promise.all([loadProgrammeSettings(ctx.db), loadDistrictSettings(ctx.db)])
  const facts = await programmeFacts(ctx, {}, year, rules)
  const subs = new Map((await submissionsOf(ctx.db, actor.scope, round.id)).map((s) => [s.school_id, toSubmission(s)!]))
  const staffing = summariseStaffing((await staffingRows(ctx, year, {}, settings)).rows)
  const rooms = summariseRooms(await roomRows(ctx, year, {}, settings), roomTargetFor(year.label, settings.rooms.targets), [])

  const annex = facts.schools.map((s) => {
    const sub = subs.get(s.school.id) ?? null
    return {
      school: s.school,
      statuses: s.statuses as Record<ProgrammeItem, string>,
      completed: s.completed,
      selfScores: sub?.selfScores ?? null,
      selfTotal: sub?.selfTotal ?? null,
      bureauScores: sub?.bureauScores ?? null,
      bureauTotal: sub?.bureauTotal ?? null,
      bureauComment: sub?.bureauComment ?? null,
      band: sub?.bureauTotal == null ? null : scoreBand(sub.bureauTotal, round.maxTotal),
    }
  })
  const scored = annex.filter((a) => a.bureauTotal != null)
  const submitted = annex.filter((a) => a.selfTotal != null)
  const bands = { excellent: 0, good: 0, pass: 0, improve: 0 }
  for (const a of scored) bands[a.band!]++
  const byStreet = new Map<number, { nameZh: string; nameEn: string; sort: number; totals: number[]; schools: number }>()
  for (const a of annex) {
    let g = byStreet.get(a.school.streetId)
    if (!g)
      byStreet.set(
        a.school.streetId,
        (g = { nameZh: a.school.streetNameZh, nameEn: a.school.streetNameEn, sort: a.school.streetSort, totals: [], schools: 0 }),
      )
    g.schools++
    if (a.bureauTotal != null) g.totals.push(a.bureauTotal)
  }
  return {
    round,
    district: {
      schools: annex.length,
      submitted: submitted.length,
      scored: scored.length,
      submittedRate: rate(submitted.length, annex.length),
      averageSelf: average(submitted.map((a) => a.selfTotal!)),
      averageBureau: average(scored.map((a) => a.bureauTotal!)),
      bands,
      byIndicator: round.indicators.map((i) => ({
        ...i,
        averageSelf: average(submitted.map((a) => a.selfScores?.[i.code]).filter((x): x is number => x != null)),
        averageBureau: average(scored.map((a) => a.bureauScores?.[i.code]).filter((x): x is number => x != null)),
      })),
      byStreet: [...byStreet.values()]
        .sort((a, b) => a.sort - b.sort)
        .map((g) => ({
          nameZh: g.nameZh,
          nameEn: g.nameEn,
          schools: g.schools,
          scored: g.totals.length,
          averageBureau: average(g.totals),
        })),
      programme: itemRates(facts.schools),
      staffing: {
        required: staffing.totals.required,
        counted: staffing.totals.counted,
        shortfall: staffing.totals.shortfall,
        noTeacher: staffing.totals.noTeacher,
      },
      rooms: { rate: rooms.totals.rate, target: rooms.totals.target, standardRate: rooms.totals.standardRate },
    },
    annex: annex.sort((a, b) => a.school.streetSort - b.school.streetSort || a.school.name.localeCompare(b.school.name, 'zh')),
  }
}
