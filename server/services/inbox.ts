import { INBOX_PAGE_SIZE, inboxLink, type InboxKind } from '../../shared/inbox'
import { inboxCounts, inboxPage, insertInboxItems, markInboxRead } from '../repositories/inbox'
import { nowIso, requireActor, type ServiceContext } from './context'

/**
 * Puts one item in each recipient's inbox, inside the caller's transaction: an alert is delivered
 * with the write that raised it, or not at all. The actor never notifies themself.
 */
export async function deliver(
  ctx: ServiceContext,
  trx: ServiceContext['db'],
  recipients: readonly number[],
  item: { kind: InboxKind; entityType: string; entityId: number; schoolId: number | null },
): Promise<number> {
  const actor = ctx.actor?.accountId
  const to = [...new Set(recipients)].filter((id) => id !== actor)
  const at = nowIso(ctx)
  await insertInboxItems(
    trx,
    to.map((accountId) => ({
      account_id: accountId,
      kind: item.kind,
      entity_type: item.entityType,
      entity_id: item.entityId,
      school_id: item.schoolId,
      created_at: at,
      read_at: null,
    })),
  )
  return to.length
}

/** The caller's own inbox, newest first, with the unread count for the bell. */
export async function myInbox(ctx: ServiceContext, input: { page: number; unreadOnly: boolean }) {
  const actor = requireActor(ctx)
  const [rows, counts] = await Promise.all([
    inboxPage(ctx.db, actor.accountId, {
      unreadOnly: input.unreadOnly,
      limit: INBOX_PAGE_SIZE,
      offset: (input.page - 1) * INBOX_PAGE_SIZE,
    }),
    inboxCounts(ctx.db, actor.accountId),
  ])
  return {
    items: rows.map((r) => {
      const item = {
        id: r.id,
        kind: r.kind,
        entityType: r.entity_type,
        entityId: r.entity_id,
        createdAt: r.created_at,
        read: r.read_at != null,
      }
      return { ...item, link: inboxLink(item) }
    }),
    total: counts.total,
    unread: counts.unread,
  }
}

export async function myUnreadCount(ctx: ServiceContext): Promise<number> {
  const actor = requireActor(ctx)
  return (await inboxCounts(ctx.db, actor.accountId)).unread
}

/** Marks own items read; someone else's ids change nothing (and are not told apart from read ones). */
export async function markRead(ctx: ServiceContext, input: { ids: number[] } | { all: true }): Promise<{ marked: number }> {
  const actor = requireActor(ctx)
  return { marked: await markInboxRead(ctx.db, actor.accountId, 'all' in input ? 'all' : input.ids, nowIso(ctx)) }
}
