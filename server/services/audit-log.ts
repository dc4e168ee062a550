import type { AuditListInput } from '../../shared/schemas'
import { listAuditEvents } from '../repositories/audit'
import { appendAudit, verifyAuditChain } from './audit'
import { requireActor, type ServiceContext } from './context'

export async function listAudit(ctx: ServiceContext, input: AuditListInput) {
  requireActor(ctx)
  const { total, rows } = await listAuditEvents(ctx.db, input)
  return {
    total,
    rows: rows.map((r) => ({
      seq: r.seq,
      at: r.at,
      actorId: r.actor_id,
      actorRole: r.actor_role,
      actorUsername: r.actor_username ?? null,
      action: r.action,
      entityType: r.entity_type,
      entityId: r.entity_id,
      schoolId: r.school_id,
      outcome: r.outcome,
      detail: r.detail,
      requestId: r.request_id,
    })),
  }
}

export async function verifyAudit(ctx: ServiceContext) {
  requireActor(ctx)
  const result = await verifyAuditChain(ctx.db, ctx.keys.audit)
  await appendAudit(ctx.db, ctx, {
    action: 'audit.verify',
    outcome: result.ok ? 'ok' : 'failed',
    detail: result.firstBreak ? `${result.firstBreak.reason}:${result.firstBreak.seq}` : `checked:${result.checked}`,
  })
  return result
}
