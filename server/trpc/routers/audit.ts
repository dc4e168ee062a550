import { auditExportInput, auditListInput } from '../../../shared/schemas'
import { exportAudit, listAudit, listAuditActors, verifyAudit } from '../../services/audit-log'
import { procedure, router } from '../init'

// Whoever may read the log may filter it by person and export what they see; nobody else.
const read = procedure.meta({ permission: 'audit.read' })

export const auditRouter = router({
  list: read.input(auditListInput).query(({ ctx, input }) => listAudit(ctx, input)),
  actors: read.query(({ ctx }) => listAuditActors(ctx)),
  export: read.input(auditExportInput).mutation(({ ctx, input }) => exportAudit(ctx, input)),
  verify: read.mutation(({ ctx }) => verifyAudit(ctx)),
})
