import type { SupportKind } from '../../shared/assessment'
import { shanghaiDate } from '../../shared/shanghai-time'
import { findAlert, insertSupport, listAlerts, resultsOf, supportsOf, updateAlert, type AlertScope } from '../repositories/assessment'
import { teachersByIds } from '../repositories/teacher'
import { appendAudit } from './audit'
import { accountRef, nowIso, requireActor, withTransaction, type Actor, type ServiceContext } from './context'
import { decryptOptional, decryptText, encryptText } from './crypto'
import { AppError, conflict, notFound } from './errors'
import { teacherName } from './teacher'

/**
 * The alert handler's side: the school's counsellors (permission `assessment.handle`) see alerted
 * teachers and those who asked to be contacted, with their individual results; every read and step is
 * audited. No other role reaches these services (the permission matrix; the router walk proves it).
 */
/** The district centre handles the alerts that reached it; a counsellor their school's, except those routed to the centre. */
function alertScope(actor: Actor): AlertScope {
  return actor.role === 'district_centre' ? { kind: 'centre' } : actor.scope
}

const P = { outcome: 'assessment.alert_outcome', support: 'assessment.support', answers: 'assessment.answers' } as const

async function handlerNames(ctx: ServiceContext, ids: (number | null)[]) {
  const want = [...new Set(ids.filter((x): x is number => x != null))]
  if (!want.length) return new Map<number, string>()
  const rows = await ctx.db.selectFrom('account').select(['id', 'display_name']).where('id', 'in', want).execute()
  return new Map(rows.map((r) => [r.id, r.display_name]))
}

type AlertRow = NonNullable<Awaited<ReturnType<typeof findAlert>>>

async function describe(ctx: ServiceContext, rows: AlertRow[]) {
  const teachers = new Map(
    (
      await teachersByIds(
        ctx.db,
        rows.map((r) => r.person_id),
      )
    ).map((t) => [t.id, t]),
  )
  const handlers = await handlerNames(
    ctx,
    rows.map((r) => r.handler_id),
  )
  return rows.map((r) => {
    const t = teachers.get(r.person_id)
    return {
      id: r.id,
      roundId: r.round_id,
      roundName: r.round_name,
      isAlert: r.is_alert === 1,
      reasons: r.reasons.split(',').filter(Boolean),
      raisedAt: r.raised_at,
      acknowledgedAt: r.acknowledged_at,
      handler: r.handler_id != null ? (handlers.get(r.handler_id) ?? null) : null,
      closedAt: r.closed_at,
      escalatedAt: r.escalated_at,
      atCentre: r.centre_at != null,
      schoolName: r.school_name,
      schoolNameEn: r.school_name_en,
      version: r.version,
      teacher: t ? { id: t.id, staffNo: t.staff_no, name: teacherName(ctx, t), subject: t.subject } : null,
    }
  })
}

export async function listAlertsService(ctx: ServiceContext, input: { status: 'open' | 'closed' | 'all' }) {
  const actor = requireActor(ctx)
  const rows = await listAlerts(ctx.db, alertScope(actor), input.status)
  await appendAudit(ctx.db, ctx, {
    action: 'assessment.alert_list',
    outcome: 'ok',
    entityType: 'assessment_alert',
    schoolId: actor.schoolId,
    detail: `rows:${rows.length}`,
  })
  return describe(ctx, rows)
}

export async function getAlert(ctx: ServiceContext, id: number) {
  const actor = requireActor(ctx)
  const row = await findAlert(ctx.db, alertScope(actor), id)
  if (!row) throw notFound()
  const [base] = await describe(ctx, [row])
  const [results, supports] = await Promise.all([resultsOf(ctx.db, row.respondent_id), supportsOf(ctx.db, id)])
  await appendAudit(ctx.db, ctx, {
    action: 'assessment.alert_read',
    outcome: 'ok',
    entityType: 'assessment_alert',
    entityId: id,
    schoolId: row.school_id,
  })
  return {
    ...base!,
    outcome: decryptOptional(ctx.keys, P.outcome, row.outcome_enc),
    results: results.map((r) => ({
      instrument: r.instrument,
      version: r.instrument_version,
      total: r.total,
      band: r.band,
      rank: r.band_rank,
      flags: r.flags.split(',').filter(Boolean),
      // Emptied by retention (server/services/retention.ts) once the period is over: totals and bands stay.
      answers: (r.answers_enc ? JSON.parse(decryptText(ctx.keys, P.answers, r.answers_enc)) : {}) as Record<string, number>,
    })),
    supports: supports.map((s) => ({
      id: s.id,
      kind: s.kind,
      onDate: s.on_date,
      text: decryptText(ctx.keys, P.support, s.text_enc),
      doneAt: s.done_at,
      createdAt: s.created_at,
      by: s.created_by_name,
    })),
  }
}

/** The first counsellor to acknowledge becomes the handler; acknowledging again changes nothing. */
export async function acknowledgeAlert(ctx: ServiceContext, id: number) {
  const actor = requireActor(ctx)
  const row = await findAlert(ctx.db, alertScope(actor), id)
  if (!row) throw notFound()
  if (row.acknowledged_at) return { acknowledgedAt: row.acknowledged_at, already: true }
  const at = nowIso(ctx)
  const done = await withTransaction(ctx.db, async (trx) => {
    if (!(await updateAlert(trx, id, { unacknowledged: true }, { acknowledged_at: at, handler_id: accountRef(actor) }))) return false
    await appendAudit(trx, ctx, {
      action: 'assessment.alert_acknowledge',
      outcome: 'ok',
      entityType: 'assessment_alert',
      entityId: id,
      schoolId: row.school_id,
    })
    return true
  })
  if (!done) {
    const now = await findAlert(ctx.db, alertScope(actor), id)
    return { acknowledgedAt: now!.acknowledged_at!, already: true }
  }
  return { acknowledgedAt: at, already: false }
}

/** A support contact (on the day it happened) or a follow-up (due on a day); the text is encrypted. */
export async function addSupport(ctx: ServiceContext, input: { alertId: number; kind: SupportKind; onDate: string; text: string }) {
  const actor = requireActor(ctx)
  const row = await findAlert(ctx.db, alertScope(actor), input.alertId)
  if (!row) throw notFound()
  if (row.closed_at) throw new AppError('BAD_REQUEST', 'assessment.alertClosed')
  if (!row.acknowledged_at) throw new AppError('BAD_REQUEST', 'assessment.notAcknowledged')
  // Days are Asia/Shanghai calendar days, as the handler picks them.
  const raisedDay = shanghaiDate(new Date(row.raised_at))
  if (input.kind === 'contact' && input.onDate > shanghaiDate(ctx.now())) throw new AppError('BAD_REQUEST', 'assessment.contactInFuture')
  if (input.onDate < raisedDay) throw new AppError('BAD_REQUEST', 'assessment.beforeAlert')
  return withTransaction(ctx.db, async (trx) => {
    const id = await insertSupport(trx, {
      alert_id: input.alertId,
      kind: input.kind,
      on_date: input.onDate,
      text_enc: encryptText(ctx.keys, P.support, input.text),
      done_at: null,
      created_by: accountRef(actor),
      created_at: nowIso(ctx),
    })
    await appendAudit(trx, ctx, {
      action: 'assessment.support_add',
      outcome: 'ok',
      entityType: 'assessment_alert',
      entityId: input.alertId,
      schoolId: row.school_id,
      detail: input.kind === 'follow_up' ? `due:${input.onDate}` : null,
    })
    return { id }
  })
}

/** A follow-up done. */
export async function completeSupport(ctx: ServiceContext, supportId: number) {
  const actor = requireActor(ctx)
  const s = await ctx.db.selectFrom('assessment_support').select(['alert_id', 'done_at']).where('id', '=', supportId).executeTakeFirst()
  const row = s ? await findAlert(ctx.db, alertScope(actor), s.alert_id) : undefined
  if (!s || !row) throw notFound()
  if (row.closed_at) throw new AppError('BAD_REQUEST', 'assessment.alertClosed')
  if (s.done_at) return { ok: true as const }
  await withTransaction(ctx.db, async (trx) => {
    await trx
      .updateTable('assessment_support')
      .set({ done_at: nowIso(ctx) })
      .where('id', '=', supportId)
      .where('done_at', 'is', null)
      .execute()
    await appendAudit(trx, ctx, {
      action: 'assessment.support_complete',
      outcome: 'ok',
      entityType: 'assessment_alert',
      entityId: s.alert_id,
      schoolId: row.school_id,
    })
  })
  return { ok: true as const }
}

export async function closeAlert(ctx: ServiceContext, input: { id: number; version: number; outcome: string }) {
  const actor = requireActor(ctx)
  const row = await findAlert(ctx.db, alertScope(actor), input.id)
  if (!row) throw notFound()
  if (row.closed_at) throw new AppError('BAD_REQUEST', 'assessment.alertClosed')
  if (!row.acknowledged_at) throw new AppError('BAD_REQUEST', 'assessment.notAcknowledged')
  await withTransaction(ctx.db, async (trx) => {
    const ok = await updateAlert(
      trx,
      input.id,
      { version: input.version, open: true },
      { closed_at: nowIso(ctx), outcome_enc: encryptText(ctx.keys, P.outcome, input.outcome) },
    )
    if (!ok) throw conflict()
    await appendAudit(trx, ctx, {
      action: 'assessment.alert_close',
      outcome: 'ok',
      entityType: 'assessment_alert',
      entityId: input.id,
      schoolId: row.school_id,
    })
  })
  return getAlert(ctx, input.id)
}
