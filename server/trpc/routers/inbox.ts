import { z } from 'zod'
import { markRead, myInbox, myUnreadCount } from '../../services/inbox'
import { procedure, router } from '../init'

const own = procedure.meta({ permission: 'account.self' })

/** Every staff account's own inbox: the account comes from the session, never from the input. */
export const inboxRouter = router({
  list: own
    .input(z.strictObject({ page: z.number().int().min(1).max(10_000).default(1), unreadOnly: z.boolean().default(false) }))
    .query(({ ctx, input }) => myInbox(ctx, input)),
  unread: own.query(({ ctx }) => myUnreadCount(ctx)),
  markRead: own
    .input(
      z.union([z.strictObject({ ids: z.array(z.number().int().positive()).min(1).max(200) }), z.strictObject({ all: z.literal(true) })]),
    )
    .mutation(({ ctx, input }) => markRead(ctx, input)),
})
