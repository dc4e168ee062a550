import { TRPCError } from '@trpc/server'
import type { AppErrorCode } from '../../shared/errors'
import { isUniqueViolation } from '../repositories/unique'

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

/**
 * Maps a unique-constraint violation to a domain conflict. The services check "taken?" first for a
 * clear message; this covers two requests racing past that check at the same moment.
 */
export function uniqueAs<T>(work: Promise<T>, appCode: AppErrorCode): Promise<T> {
  return work.catch((err: unknown) => {
    if (isUniqueViolation(err)) throw new AppError('CONFLICT', appCode)
    throw err
  })
}
