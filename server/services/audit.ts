import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema'
import type { AuditAction, AuditEntity, AuditOutcome } from '../../shared/audit'
import { chainHash, verifyChain, type ChainPoint, type ChainVerification, type ChainedAuditRow } from '../rules/audit-chain'
import type { ServiceContext } from './context'

/** One audit row to write; action and entity come from the one vocabulary in `shared/audit.ts`. */
export interface AuditEntry {
  action: AuditAction
  outcome: AuditOutcome
  entityType?: AuditEntity | null
  entityId?: string | number | null
  schoolId?: number | null
  /** a short non-sensitive code or field list, never the sensitive text itself */
  detail?: string | null
  /** overrides the context's actor (e.g. a failed login names no actor) */
  actorId?: number | null
  actorRole?: string | null
}

type AuditCtx = Pick<ServiceContext, 'keys' | 'actor' | 'requestId' | 'now'>

/**
 * Appends one HMAC-chained row. The chain head row is updated first: that update takes the write
 * lock (SQLite) or row lock (PostgreSQL), so concurrent appends serialise and seq has no gaps.
 * Pass the caller's transaction so the audit row commits or rolls back with the change it records.
 */
export async function appendAudit(db: Kysely<Database>, ctx: AuditCtx, entry: AuditEntry): Promise<void> {
  if (!db.isTransaction) {
    await db.transaction().execute((trx) => appendAudit(trx, ctx, entry))
    return
  }
  const head = await db
    .updateTable('audit_head')
    .set((eb) => ({ seq: eb('seq', '+', 1) }))
    .where('id', '=', 1)
    .returning(['seq', 'hash'])
    .executeTakeFirstOrThrow()
  const fields = {
    seq: head.seq,
    at: ctx.now().toISOString(),
    actor_id: entry.actorId !== undefined ? entry.actorId : (ctx.actor?.accountId ?? null),
    actor_role: entry.actorRole !== undefined ? entry.actorRole : (ctx.actor?.role ?? null),
    action: entry.action,
    entity_type: entry.entityType ?? null,
    entity_id: entry.entityId == null ? null : String(entry.entityId),
    school_id: entry.schoolId ?? null,
    outcome: entry.outcome,
    request_id: ctx.requestId,
    detail: entry.detail ?? null,
  }
  const hash = chainHash(ctx.keys.audit, head.hash, fields)
  await db
    .insertInto('audit_event')
    .values({ ...fields, prev_hash: head.hash, hash })
    .execute()
  await db.updateTable('audit_head').set({ hash }).where('id', '=', 1).execute()
}

/** Verifies the whole chain a page at a time, so a long trail never sits in memory at once. */
export async function verifyAuditChain(db: Kysely<Database>, key: Buffer, pageSize = 2000): Promise<ChainVerification> {
  const head = (await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst()) ?? { seq: 0, hash: '' }
  // Retention deletes the oldest rows: the chain then starts after the last deleted row's hash.
  let start: ChainPoint | undefined = (await latestAuditPrune(db)) ?? undefined
  let checked = 0
  for (;;) {
    const page: ChainedAuditRow[] = await db
      .selectFrom('audit_event')
      .selectAll()
      .where('seq', '>', start?.seq ?? 0)
      .orderBy('seq')
      .limit(pageSize)
      .execute()
    const last = page.length < pageSize
    const r = verifyChain(key, page, last ? head : undefined, start)
    checked += r.checked
    if (!r.ok || last) return { ...r, checked }
    const tail = page[page.length - 1]!
    start = { seq: tail.seq, hash: tail.hash }
  }
}

/** The latest retention prune point of the audit trail (rows up to it are deleted), or null. */
export async function latestAuditPrune(db: Kysely<Database>): Promise<ChainPoint | null> {
  const row = await db
    .selectFrom('audit_prune')
    .select(['through_seq', 'through_hash'])
    .orderBy('through_seq', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row ? { seq: row.through_seq, hash: row.through_hash } : null
}
