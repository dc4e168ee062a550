import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema'
import type { AuditFilters, AuditListInput } from '../../shared/schemas'
import { shanghaiDayEnd, shanghaiDayStart } from '../../shared/shanghai-time'
import { likeInsensitive, prefixPattern } from './text-match'

/** The log under the reader's filters; every filter is a WHERE clause (times are fixed-width UTC ISO text). */
function filteredEvents(db: Kysely<Database>, f: AuditFilters) {
  let q = db.selectFrom('audit_event').leftJoin('account', 'account.id', 'audit_event.actor_id')
  if (f.action) {
    const pattern = prefixPattern(f.action)
    q = q.where((eb) => likeInsensitive(eb.ref('audit_event.action'), pattern))
  }
  if (f.outcome) q = q.where('audit_event.outcome', '=', f.outcome)
  if (f.actorId != null) q = q.where('audit_event.actor_id', '=', f.actorId)
  if (f.entityType) q = q.where('audit_event.entity_type', '=', f.entityType)
  if (f.from) q = q.where('audit_event.at', '>=', shanghaiDayStart(f.from))
  if (f.to) q = q.where('audit_event.at', '<', shanghaiDayEnd(f.to))
  return q
}

function eventColumns(q: ReturnType<typeof filteredEvents>) {
  return q
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
}

export async function listAuditEvents(db: Kysely<Database>, input: AuditListInput) {
  const q = filteredEvents(db, input)
  const { total } = await q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow()
  const rows = await eventColumns(q)
    .limit(input.pageSize)
    .offset((input.page - 1) * input.pageSize)
    .execute()
  return { total: Number(total), rows }
}

/** Every event under the filters, newest first, at most `limit` of them. */
export function exportAuditEvents(db: Kysely<Database>, f: AuditFilters, limit: number) {
  return eventColumns(filteredEvents(db, f)).limit(limit).execute()
}

/** Everyone who can appear in the log as its actor: every account, disabled ones included. */
export function auditActors(db: Kysely<Database>) {
  return db.selectFrom('account').select(['id', 'username', 'display_name', 'role', 'disabled_at']).orderBy('username').execute()
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
