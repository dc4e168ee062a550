import { TRPCError } from '@trpc/server'
import type { AppErrorCode } from '../../shared/errors'

type TRPCCode = ConstructorParameters<typeof TRPCError>[0]['code']

/** A domain error the client can localise: `appCode` becomes `errors.<appCode>` in the UI. */
export class AppError extends TRPCError {
  readonly appCode: AppErrorCode
  readonly params: Record<string, string | number>
  constructor(code: TRPCCode, appCode: AppErrorCode, params: Record<string, string | number> = {}) {
    super({ code, message: appCode })
    this.appCode = appCode
    this.params = params
  }
}

export const notFound = () => new AppError('NOT_FOUND', 'notFound')
export const conflict = () => new AppError('CONFLICT', 'conflict')
