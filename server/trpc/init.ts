import { initTRPC, type TRPCError } from '@trpc/server'
import { ZodError } from 'zod'
import type { AppErrorCode } from '../../shared/errors'
import { zodFieldIssues } from '../../shared/field-issues'
import type { ProcedurePermission } from '../../shared/permissions'
import { enforcePermission } from '../services/permission'
import type { ServiceContext } from '../services/context'
import { AppError } from '../services/errors'

export interface Meta {
  permission?: ProcedurePermission
}

const GENERIC: Partial<Record<TRPCError['code'], AppErrorCode>> = {
  UNAUTHORIZED: 'unauthenticated',
  FORBIDDEN: 'forbidden',
  NOT_FOUND: 'notFound',
  CONFLICT: 'conflict',
  BAD_REQUEST: 'validation',
  PARSE_ERROR: 'validation',
}

const t = initTRPC
  .context<ServiceContext>()
  .meta<Meta>()
  .create({
    /**
     * Clients get a code to localise, zod field issues, and nothing else: no stack, no SQL, no
     * server message text. INTERNAL errors are logged server-side by the HTTP handler.
     */
    errorFormatter({ shape, error, input }) {
      const zod = error.cause instanceof ZodError ? error.cause : null
      const appCode: AppErrorCode = error instanceof AppError ? error.appCode : zod ? 'validation' : (GENERIC[error.code] ?? 'internal')
      return {
        code: shape.code,
        message: appCode,
        data: {
          code: shape.data.code,
          httpStatus: shape.data.httpStatus,
          path: shape.data.path,
          appCode,
          params: error instanceof AppError ? error.params : {},
          fieldIssues: zod ? zodFieldIssues(zod.issues, input) : [],
        },
      }
    },
  })

export const router = t.router
export const createCallerFactory = t.createCallerFactory

/**
 * Every procedure passes here before its input is parsed. No declared permission → refused;
 * a role outside the matrix → FORBIDDEN and an audit row. Until a forced password change is done,
 * only the account's own procedures answer.
 */
const permissionGate = t.middleware(async ({ ctx, meta, path, next }) => {
  await enforcePermission(ctx, meta?.permission, path)
  return next()
})

export const procedure = t.procedure.use(permissionGate)
