import { TRPCError } from '@trpc/server'
import { getHTTPStatusCodeFromError } from '@trpc/server/http'
import { setResponseStatus, type H3Event } from 'h3'
import { AppError } from '../services/errors'

/**
 * The JSON error body of the plain HTTP routes, shaped like the API's: a code to localise and its
 * parameters, never a message, stack or SQL. Unexpected errors are logged here and answered as internal.
 */
export function sendRefusal(event: H3Event, err: unknown) {
  if (err instanceof TRPCError) {
    setResponseStatus(event, getHTTPStatusCodeFromError(err))
    return {
      error: {
        code: err.code,
        data: { appCode: err instanceof AppError ? err.appCode : 'internal', params: err instanceof AppError ? err.params : {} },
      },
    }
  }
  console.error('[xinqiao] upload route failed', err instanceof Error ? err.name : typeof err)
  setResponseStatus(event, 500)
  return { error: { code: 'INTERNAL_SERVER_ERROR', data: { appCode: 'internal' } } }
}
