import { changePasswordInput, byIdInput, loginInput } from '../../../shared/schemas'
import { changePassword, currentSession, login, logout, myActivity, mySessions, revokeMySession } from '../../services/auth'
import { procedure, router } from '../init'

export const authRouter = router({
  login: procedure
    .meta({ permission: 'public' })
    .input(loginInput)
    .mutation(({ ctx, input }) => login(ctx, input)),
  logout: procedure.meta({ permission: 'public' }).mutation(({ ctx }) => logout(ctx)),
  session: procedure.meta({ permission: 'public' }).query(({ ctx }) => currentSession(ctx)),
  changePassword: procedure
    .meta({ permission: 'account.self' })
    .input(changePasswordInput)
    .mutation(({ ctx, input }) => changePassword(ctx, input)),
  sessions: procedure.meta({ permission: 'account.self' }).query(({ ctx }) => mySessions(ctx)),
  revokeSession: procedure
    .meta({ permission: 'account.self' })
    .input(byIdInput)
    .mutation(({ ctx, input }) => revokeMySession(ctx, input.id)),
  activity: procedure.meta({ permission: 'account.self' }).query(({ ctx }) => myActivity(ctx)),
  ping: procedure.meta({ permission: 'account.self' }).query(({ ctx }) => ({ ok: true as const, accountId: ctx.actor!.accountId })),
})
