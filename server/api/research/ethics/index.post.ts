import { defineEventHandler, getRequestHeader, readMultipartFormData, setResponseHeader, setResponseStatus } from 'h3'
import { ATTACHMENT_MAX_BYTES } from '../../../../shared/programme'
import { idSchema } from '../../../../shared/schemas'
import { uploadEthics } from '../../../services/research'
import { enforcePermission } from '../../../services/permission'
import { createContext } from '../../../trpc/context'
import { checkEventCsrf } from '../../../trpc/csrf'
import { sendRefusal } from '../../../utils/http-errors'

const ENVELOPE = 64 * 1024

/** A research project's ethics approval (PDF or scan): multipart `projectId` + `file`, the same checks as evidence uploads. */
export default defineEventHandler(async (event) => {
  setResponseHeader(event, 'cache-control', 'no-store')
  const verdict = checkEventCsrf(event)
  if (!verdict.ok) {
    setResponseStatus(event, verdict.status)
    return { error: { code: 'FORBIDDEN', data: { appCode: 'csrf' } } }
  }
  const length = Number(getRequestHeader(event, 'content-length') ?? NaN)
  if (!Number.isFinite(length)) {
    setResponseStatus(event, 411)
    return { error: { code: 'LENGTH_REQUIRED', data: { appCode: 'validation' } } }
  }
  if (length > ATTACHMENT_MAX_BYTES + ENVELOPE) {
    setResponseStatus(event, 413)
    return { error: { code: 'PAYLOAD_TOO_LARGE', data: { appCode: 'attachment.tooLarge' } } }
  }
  try {
    const ctx = await createContext(event)
    await enforcePermission(ctx, 'research.manage', 'research.ethicsUpload')
    const parts = (await readMultipartFormData(event)) ?? []
    const projectId = idSchema.safeParse(Number(parts.find((p) => p.name === 'projectId')?.data.toString('utf8')))
    const file = parts.find((p) => p.name === 'file' && p.filename != null)
    if (!projectId.success || !file) {
      setResponseStatus(event, 400)
      return { error: { code: 'BAD_REQUEST', data: { appCode: 'validation' } } }
    }
    const saved = await uploadEthics(ctx, { projectId: projectId.data, fileName: file.filename ?? '', bytes: file.data })
    setResponseStatus(event, 201)
    return saved
  } catch (err) {
    return sendRefusal(event, err)
  }
})
