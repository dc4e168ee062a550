import { defineEventHandler, getRequestHeader, getRouterParam, readMultipartFormData, setResponseHeader, setResponseStatus } from 'h3'
import { ATTACHMENT_MAX_BYTES } from '../../shared/programme'
import type { Permission } from '../../shared/permissions'
import { idSchema } from '../../shared/schemas'
import type { ServiceContext } from '../services/context'
import { enforcePermission } from '../services/permission'
import { createContext } from '../trpc/context'
import { checkEventCsrf } from '../trpc/csrf'
import { sendRefusal } from './http-errors'
import { mediaType } from '../rules/http-edges'

/** Multipart overhead allowed on top of the largest file. */
const ENVELOPE = 64 * 1024

/**
 * A file upload route: multipart `<ownerField>` (an id) + `file`. A plain route because files do not fit
 * the API's 1 MB JSON cap; it applies the same CSRF check, session, permission matrix and audit as every
 * procedure, and refuses a body over the attachment limit by its Content-Length before reading it.
 */
export function defineUploadRoute<T>(opts: {
  permission: Permission
  /** the name refusals and the audit use for this route */
  procedure: string
  ownerField: string
  store: (ctx: ServiceContext, input: { ownerId: number; fileName: string; bytes: Buffer; fields: Record<string, string> }) => Promise<T>
}) {
  return defineEventHandler(async (event) => {
    setResponseHeader(event, 'cache-control', 'no-store')
    const verdict = checkEventCsrf(event)
    if (!verdict.ok) {
      setResponseStatus(event, verdict.status)
      return { error: { code: 'FORBIDDEN', data: { appCode: 'csrf' } } }
    }
    if (mediaType(getRequestHeader(event, 'content-type')) !== 'multipart/form-data') {
      setResponseStatus(event, 415)
      return { error: { code: 'UNSUPPORTED_MEDIA_TYPE', data: { appCode: 'contentType' } } }
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
      await enforcePermission(ctx, opts.permission, opts.procedure)
      const parts = (await readMultipartFormData(event)) ?? []
      const ownerId = idSchema.safeParse(Number(parts.find((p) => p.name === opts.ownerField)?.data.toString('utf8')))
      const file = parts.find((p) => p.name === 'file' && p.filename != null)
      if (!ownerId.success || !file) {
        setResponseStatus(event, 400)
        return { error: { code: 'BAD_REQUEST', data: { appCode: 'validation' } } }
      }
      // Other short text parts (e.g. the accreditation point a file belongs to); the service validates them.
      const fields = Object.fromEntries(
        parts
          .filter((p) => p.name && p.name !== 'file' && p.filename == null && p.data.length <= 100)
          .map((p) => [p.name!, p.data.toString('utf8')]),
      )
      const saved = await opts.store(ctx, { ownerId: ownerId.data, fileName: file.filename ?? '', bytes: file.data, fields })
      setResponseStatus(event, 201)
      return saved
    } catch (err) {
      return sendRefusal(event, err)
    }
  })
}

/**
 * A stored file served by id. The session cookie is SameSite=lax, so another site cannot embed it;
 * Sec-Fetch-Site is checked as well. Served as an inert file: its own type, no sniffing, sandboxed,
 * never cached.
 */
export function defineFileRoute(opts: {
  permission: Permission
  procedure: string
  open: (ctx: ServiceContext, id: number) => Promise<{ mimeType: string; fileName: string; bytes: Buffer }>
}) {
  return defineEventHandler(async (event) => {
    setResponseHeader(event, 'cache-control', 'private, no-store')
    const site = getRequestHeader(event, 'sec-fetch-site')
    if (site && site !== 'same-origin' && site !== 'none') {
      setResponseStatus(event, 403)
      return { error: { code: 'FORBIDDEN', data: { appCode: 'csrf' } } }
    }
    try {
      const id = idSchema.safeParse(Number(getRouterParam(event, 'id')))
      const ctx = await createContext(event)
      await enforcePermission(ctx, opts.permission, opts.procedure)
      if (!id.success) {
        setResponseStatus(event, 404)
        return { error: { code: 'NOT_FOUND', data: { appCode: 'notFound' } } }
      }
      const file = await opts.open(ctx, id.data)
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
}
