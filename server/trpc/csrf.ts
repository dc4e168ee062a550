import { getRequestHeader, type H3Event } from 'h3'

/** The header every same-origin client sends; a cross-site form or <img> cannot add it without a CORS preflight we never grant. */
export const CSRF_HEADER = 'x-xinqiao-csrf'

export interface CsrfRequest {
  method: string
  host: string | undefined
  origin: string | undefined
  secFetchSite: string | undefined
  csrfHeader: string | undefined
}

export type CsrfVerdict = { ok: true } | { ok: false; status: 403 | 405; reason: string }

/** Pure check of a request to /api/trpc: POST only, our header, and nothing cross-site. */
export function checkCsrf(r: CsrfRequest): CsrfVerdict {
  if (r.method !== 'POST') return { ok: false, status: 405, reason: 'method' }
  if (r.csrfHeader !== '1') return { ok: false, status: 403, reason: 'header' }
  if (r.secFetchSite && r.secFetchSite !== 'same-origin' && r.secFetchSite !== 'none')
    return { ok: false, status: 403, reason: 'fetch-site' }
  if (r.origin) {
    let originHost: string
    try {
      originHost = new URL(r.origin).host
    } catch {
      return { ok: false, status: 403, reason: 'origin' }
    }
    if (!r.host || originHost !== r.host) return { ok: false, status: 403, reason: 'origin' }
  }
  return { ok: true }
}

/** The check above, for an incoming request (the tRPC entry and the upload route). */
export function checkEventCsrf(event: H3Event): CsrfVerdict {
  return checkCsrf({
    method: event.method,
    host: getRequestHeader(event, 'host'),
    origin: getRequestHeader(event, 'origin'),
    secFetchSite: getRequestHeader(event, 'sec-fetch-site'),
    csrfHeader: getRequestHeader(event, CSRF_HEADER),
  })
}
