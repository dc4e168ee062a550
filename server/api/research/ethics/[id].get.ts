import { defineEventHandler, getRequestHeader, getRouterParam, setResponseHeader, setResponseStatus } from 'h3'
import { idSchema } from '../../../../shared/schemas'
import { openEthics } from '../../../services/research'
import { enforcePermission } from '../../../services/permission'
import { createContext } from '../../../trpc/context'
import { sendRefusal } from '../../../utils/http-errors'

/** A project's ethics approval file, for the bureau; served inert, never cached, every read audited. */
export default defineEventHandler(async (event) => {
  setResponseHeader(event, 'cache-control', 'private, no-store')
  const site = getRequestHeader(event, 'sec-fetch-site')
  if (site && site !== 'same-origin' && site !== 'none') {
    setResponseStatus(event, 403)
    return { error: { code: 'FORBIDDEN', data: { appCode: 'csrf' } } }
  }
  try {
    const id = idSchema.safeParse(Number(getRouterParam(event, 'id')))
    const ctx = await createContext(event)
    await enforcePermission(ctx, 'research.manage', 'research.ethicsRead')
    if (!id.success) {
      setResponseStatus(event, 404)
      return { error: { code: 'NOT_FOUND', data: { appCode: 'notFound' } } }
    }
    const file = await openEthics(ctx, id.data)
    setResponseHeader(event, 'content-type', file.mimeType)
    setResponseHeader(event, 'content-length', file.bytes.length)
    setResponseHeader(event, 'content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
    setResponseHeader(event, 'x-content-type-options', 'nosniff')
    setResponseHeader(event, 'content-security-policy', "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox")
    return file.bytes
  } catch (err) {
    return sendRefusal(event, err)
  }
})
