import { auditListInput } from '../../../shared/schemas'
import { listAudit, verifyAudit } from '../../services/audit-log'
import { procedure, router } from '../init'

export const auditRouter = router({
  list: procedure
    .meta({ permission: 'audit.read' })
    .input(auditListInput)
    .query(({ ctx, input }) => listAudit(ctx, input)),
  verify: procedure.meta({ permission: 'audit.read' }).mutation(({ ctx }) => verifyAudit(ctx)),
})
