import { can, type ProcedurePermission } from '../../shared/permissions'
import { appendAudit } from './audit'
import type { ServiceContext } from './context'
import { AppError } from './errors'

/**
 * The one permission check, for tRPC procedures and the few plain HTTP routes (file uploads and
 * downloads) alike: signed in, allowed by the role matrix, password not due for change. A refusal
 * is audited; a missing declaration is refused for everyone.
 */
export async function enforcePermission(ctx: ServiceContext, permission: ProcedurePermission | undefined, path: string): Promise<void> {
  if (!permission) {
    await appendAudit(ctx.db, ctx, {
      action: 'permission.denied',
      outcome: 'denied',
      entityType: 'procedure',
      entityId: path,
      detail: 'no_permission_declared',
    })
    throw new AppError('FORBIDDEN', 'forbidden')
  }
  if (permission === 'public') return
  if (!ctx.actor) throw new AppError('UNAUTHORIZED', 'unauthenticated')
  const mustChange = ctx.actor.mustChangePassword && permission !== 'account.self'
  if (!can(ctx.actor.role, permission) || mustChange) {
    await appendAudit(ctx.db, ctx, {
      action: 'permission.denied',
      outcome: 'denied',
      entityType: 'procedure',
      entityId: path,
      schoolId: ctx.actor.schoolId,
      detail: mustChange ? 'must_change_password' : permission,
    })
    throw new AppError('FORBIDDEN', 'forbidden')
  }
}
