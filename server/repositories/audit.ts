import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema'
import type { AuditListInput } from '../../shared/schemas'
import { likeInsensitive, prefixPattern } from './text-match'

export async function listAuditEvents(db: Kysely<Database>, input: AuditListInput) {
  let q = db.selectFrom('audit_event').leftJoin('account', 'account.id', 'audit_event.actor_id')
  if (input.action) {
    const pattern = prefixPattern(input.action)
    q = q.where((eb) => likeInsensitive(eb.ref('audit_event.action'), pattern))
  }
  if (input.outcome) q = q.where('audit_event.outcome', '=', input.outcome)
  if (input.actorId) q = q.where('audit_event.actor_id', '=', input.actorId)
  const { total } = await q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow()
  const rows = await q
    .select([
      'audit_event.seq',
      'audit_event.at',
      'audit_event.actor_id',
      'audit_event.actor_role',
      'account.username as actor_username',
      'audit_event.action',
      'audit_event.entity_type',
      'audit_event.entity_id',
      'audit_event.school_id',
      'audit_event.outcome',
      'audit_event.detail',
      'audit_event.request_id',
    ])
    .orderBy('audit_event.seq', 'desc')
    .limit(input.pageSize)
    .offset((input.page - 1) * input.pageSize)
    .execute()
  return { total: Number(total), rows }
}

/** An account's own recent sign-in activity. */
export function accountSignInActivity(db: Kysely<Database>, accountId: number, limit: number) {
  return db
    .selectFrom('audit_event')
    .select(['seq', 'at', 'action', 'outcome', 'detail'])
    .where('entity_type', '=', 'account')
    .where('entity_id', '=', String(accountId))
    .where('action', 'in', [
      'auth.login',
      'auth.logout',
      'auth.password_change',
      'account.password_reset',
      'account.disable',
      'account.enable',
    ])
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute()
}
