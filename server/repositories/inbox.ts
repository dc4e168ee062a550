import type { Insertable, Kysely } from 'kysely'
import type { Database, InboxItemTable } from '../../db/schema'
import { INBOX_TOP_KINDS } from '../../shared/inbox'

export async function insertInboxItems(db: Kysely<Database>, rows: Insertable<InboxItemTable>[]): Promise<void> {
  if (rows.length) await db.insertInto('inbox_item').values(rows).execute()
}

/**
 * One account's items, newest first, except that unread items of a top kind (an urgent appointment
 * request) come before everything else; only ever the caller's own (the account id comes from the session).
 */
export function inboxPage(db: Kysely<Database>, accountId: number, opts: { unreadOnly: boolean; limit: number; offset: number }) {
  return db
    .selectFrom('inbox_item')
    .selectAll()
    .where('account_id', '=', accountId)
    .$if(opts.unreadOnly, (q) => q.where('read_at', 'is', null))
    .orderBy((eb) =>
      eb
        .case()
        .when(eb.and([eb('kind', 'in', [...INBOX_TOP_KINDS]), eb('read_at', 'is', null)]))
        .then(0)
        .else(1)
        .end(),
    )
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(opts.limit)
    .offset(opts.offset)
    .execute()
}

export async function inboxCounts(db: Kysely<Database>, accountId: number): Promise<{ total: number; unread: number }> {
  const r = await db
    .selectFrom('inbox_item')
    .select((eb) => [
      eb.fn.countAll<number>().as('total'),
      eb.fn.sum<number>(eb.case().when('read_at', 'is', null).then(1).else(0).end()).as('unread'),
    ])
    .where('account_id', '=', accountId)
    .executeTakeFirstOrThrow()
  return { total: Number(r.total ?? 0), unread: Number(r.unread ?? 0) }
}

/** Marks the given items (or all) read, only among the account's own unread items; returns how many changed. */
export async function markInboxRead(db: Kysely<Database>, accountId: number, ids: number[] | 'all', at: string): Promise<number> {
  if (ids !== 'all' && !ids.length) return 0
  const r = await db
    .updateTable('inbox_item')
    .set({ read_at: at })
    .where('account_id', '=', accountId)
    .where('read_at', 'is', null)
    .$if(ids !== 'all', (q) => q.where('id', 'in', ids as number[]))
    .executeTakeFirst()
  return Number(r.numUpdatedRows)
}
