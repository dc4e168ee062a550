import { getRequestHeader, type H3Event } from 'h3'
import { requestScheme } from '../rules/http-edges'

/** The header every same-origin client sends; a cross-site form or <img> cannot add it without a CORS preflight we never grant. */
export const CSRF_HEADER = 'x-xinqiao-csrf'

export interface CsrfRequest {
  method: string
  host: string | undefined
  origin: string | undefined
  secFetchSite: string | undefined
  csrfHeader: string | undefined
  /** the scheme the request arrived over (see requestScheme); an Origin must use the same */
  scheme: 'http' | 'https'
}

export type CsrfVerdict = { ok: true } | { ok: false; status: 403 | 405; reason: string }

/** Pure check of a request to /api/trpc: POST only, our header, and nothing cross-site (host and scheme). */
export function checkCsrf(r: CsrfRequest): CsrfVerdict {
  if (r.method !== 'POST') return { ok: false, status: 405, reason: 'method' }
  if (r.csrfHeader !== '1') return { ok: false, status: 403, reason: 'header' }
  if (r.secFetchSite && r.secFetchSite !== 'same-origin' && r.secFetchSite !== 'none')
    return { ok: false, status: 403, reason: 'fetch-site' }
  if (r.origin) {
    let origin: URL
    try {
      origin = new URL(r.origin)
    } catch {
      return { ok: false, status: 403, reason: 'origin' }
    }
    if (!r.host || origin.host !== r.host.toLowerCase() || origin.protocol !== `${r.scheme}:`)
      return { ok: false, status: 403, reason: 'origin' }
  }
  return { ok: true }
}

const trustProxy = () => process.env.XINQIAO_TRUST_PROXY === '1'
const secureCookies = () => process.env.NODE_ENV === 'production' && process.env.XINQIAO_INSECURE_COOKIES !== '1'

/** The scheme an incoming request arrived over (TLS socket, trusted proxy header, or what Secure cookies imply). */
export function eventScheme(event: H3Event): 'http' | 'https' {
  const socket = event.node.req.socket as { encrypted?: boolean } | undefined
  return requestScheme({
    encrypted: !!socket?.encrypted,
    forwardedProto: trustProxy() ? getRequestHeader(event, 'x-forwarded-proto') : undefined,
    secureCookies: secureCookies(),
    host: getRequestHeader(event, 'host'),
  })
}

/** The check above, for an incoming request (the tRPC entry and the upload route). */
export function checkEventCsrf(event: H3Event): CsrfVerdict {
  return checkCsrf({
    method: event.method,
    scheme: eventScheme(event),
    host: getRequestHeader(event, 'host'),
    origin: getRequestHeader(event, 'origin'),
    secFetchSite: getRequestHeader(event, 'sec-fetch-site'),
    csrfHeader: getRequestHeader(event, CSRF_HEADER),
  })
}
