import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema'
import { schoolCounsellors } from '../repositories/case'
import {
  centreAccounts,
  isRoutedToCentre,
  markEscalated,
  routingOverview,
  unacknowledgedAlerts,
  upsertRouting,
} from '../repositories/district-centre'
import { findSchool } from '../repositories/school'
import { isPastWorkingDeadline } from '../rules/working-hours'
import { loadAssessmentSettings } from './assessment'
import { appendAudit } from './audit'
import { accountRef, nowIso, requireActor, withTransaction, type ServiceContext } from './context'
import { notFound } from './errors'
import { deliver } from './inbox'

/**
 * The district centre (区级未成年人心理健康成长辅导中心) as the alert handler of last resort: a school's
 * assessment alerts go to its counsellors, or to the centre when the school has none or the bureau routed
 * the school there; an alert nobody acknowledged within the district's working-hours deadline escalates to
 * the centre. Every routing decision and escalation is audited.
 */

/** Who handles a new alert of this school, decided inside the raising transaction. */
export async function alertHandlers(trx: Kysely<Database>, schoolId: number): Promise<{ toCentre: boolean; accounts: number[] }> {
  const [routed, counsellors] = await Promise.all([isRoutedToCentre(trx, schoolId), schoolCounsellors(trx, schoolId)])
  if (!routed && counsellors.length) return { toCentre: false, accounts: counsellors.map((c) => c.id) }
  return { toCentre: true, accounts: (await centreAccounts(trx)).map((c) => c.id) }
}

/** Every active school: whether its alerts go to the centre, and whether it has a counsellor at all (never who). */
export async function listRouting(ctx: ServiceContext) {
  requireActor(ctx)
  const rows = await routingOverview(ctx.db)
  await appendAudit(ctx.db, ctx, { action: 'assessment.routing_read', outcome: 'ok', entityType: 'school', detail: `rows:${rows.length}` })
  return rows.map((r) => {
    const counsellors = Number(r.counsellors ?? 0)
    const routed = r.to_centre === 1
    return {
      schoolId: r.id,
      code: r.code,
      name: r.name,
      nameEn: r.name_en,
      routed,
      hasCounsellor: counsellors > 0,
      /** where the next alert goes */
      handler: routed || counsellors === 0 ? ('centre' as const) : ('school' as const),
      updatedAt: r.updated_at ?? null,
    }
  })
}

/** The bureau routes one school's alerts to the centre, or back to its counsellors. */
export async function setRouting(ctx: ServiceContext, input: { schoolId: number; toCentre: boolean }) {
  const actor = requireActor(ctx)
  const school = await findSchool(ctx.db, actor.scope, input.schoolId)
  if (!school) throw notFound()
  await withTransaction(ctx.db, async (trx) => {
    await upsertRouting(trx, {
      school_id: input.schoolId,
      to_centre: input.toCentre ? 1 : 0,
      updated_at: nowIso(ctx),
      updated_by: accountRef(actor),
    })
    await appendAudit(trx, ctx, {
      action: 'assessment.routing_set',
      outcome: 'ok',
      entityType: 'school',
      entityId: input.schoolId,
      schoolId: input.schoolId,
      detail: input.toCentre ? 'centre' : 'school',
    })
  })
  return { schoolId: input.schoolId, routed: input.toCentre }
}

const BATCH = 200

/**
 * Escalates every confidential alert not acknowledged within the district's deadline (working hours,
 * Asia/Shanghai): it reaches the centre, each centre account gets an inbox item, and the step is audited,
 * all in one transaction per alert. Run on boot and periodically; `ctx.now` is the clock. A second run,
 * or one racing this, escalates nothing twice.
 */
export async function escalateOverdueAlerts(ctx: ServiceContext): Promise<{ escalated: number }> {
  const settings = await loadAssessmentSettings(ctx.db)
  const now = ctx.now()
  let escalated = 0
  const seen = new Set<number>()
  for (;;) {
    const due = (await unacknowledgedAlerts(ctx.db, BATCH)).filter(
      (a) => !seen.has(a.id) && isPastWorkingDeadline(new Date(a.raised_at), settings.escalateAfterWorkingHours, now),
    )
    if (!due.length) break
    for (const a of due) {
      seen.add(a.id)
      const done = await withTransaction(ctx.db, async (trx) => {
        const at = nowIso(ctx)
        if (!(await markEscalated(trx, a.id, at))) return false
        await deliver(
          ctx,
          trx,
          (await centreAccounts(trx)).map((c) => c.id),
          { kind: 'assessment.escalated', entityType: 'assessment_alert', entityId: a.id, schoolId: a.school_id },
        )
        await appendAudit(trx, ctx, {
          action: 'assessment.alert_escalate',
          outcome: 'ok',
          entityType: 'assessment_alert',
          entityId: a.id,
          schoolId: a.school_id,
        })
        return true
      })
      if (done) escalated++
    }
  }
  return { escalated }
}
