import { accountCreateInput, accountListInput, accountResetPasswordInput, accountUpdateInput, byIdInput } from '../../../shared/schemas'
import {
  createAccount,
  getAccount,
  listAccountsService,
  resetAccountPassword,
  setAccountDisabled,
  updateAccountService,
} from '../../services/account'
import { procedure, router } from '../init'

export const accountRouter = router({
  list: procedure
    .meta({ permission: 'account.read' })
    .input(accountListInput)
    .query(({ ctx, input }) => listAccountsService(ctx, input)),
  byId: procedure
    .meta({ permission: 'account.read' })
    .input(byIdInput)
    .query(({ ctx, input }) => getAccount(ctx, input.id)),
  create: procedure
    .meta({ permission: 'account.manage' })
    .input(accountCreateInput)
    .mutation(({ ctx, input }) => createAccount(ctx, input)),
  update: procedure
    .meta({ permission: 'account.manage' })
    .input(accountUpdateInput)
    .mutation(({ ctx, input }) => updateAccountService(ctx, input)),
  disable: procedure
    .meta({ permission: 'account.manage' })
    .input(byIdInput)
    .mutation(({ ctx, input }) => setAccountDisabled(ctx, input.id, true)),
  enable: procedure
    .meta({ permission: 'account.manage' })
    .input(byIdInput)
    .mutation(({ ctx, input }) => setAccountDisabled(ctx, input.id, false)),
  resetPassword: procedure
    .meta({ permission: 'account.manage' })
    .input(accountResetPasswordInput)
    .mutation(({ ctx, input }) => resetAccountPassword(ctx, input.id, input.password)),
})
