import { defineEventHandler, getRequestHeader, readRawBody, setResponseHeader, setResponseStatus, type H3Event } from 'h3'
import { fetchRequestHandler } from '@trpc/server/adapters/fetch'
import { createContext } from '../../trpc/context'
import { checkEventCsrf } from '../../trpc/csrf'
import { mediaType } from '../../rules/http-edges'
import { appRouter } from '../../trpc/routers'

/** Largest request body accepted (a batch of at most 10 calls; imports use their own upload route). */
export const MAX_BODY_BYTES = 1024 * 1024

type Refusal = { status: number; code: string; appCode: string }

function refuse(event: H3Event, r: Refusal) {
  setResponseStatus(event, r.status)
  setResponseHeader(event, 'cache-control', 'no-store')
  if (r.status === 405) setResponseHeader(event, 'allow', 'POST')
  return { error: { code: r.code, data: { appCode: r.appCode } } }
}

/**
 * The body, or a refusal. The cap is enforced through Content-Length, which Node's parser holds the
 * body to; a chunked body without one is refused (browsers always send the length for our calls).
 * readRawBody also works for Nitro's in-process SSR requests, whose mock request cannot be streamed.
 */
async function readBody(event: H3Event): Promise<Buffer | Refusal> {
  const length = getRequestHeader(event, 'content-length')
  if (length != null && Number(length) > MAX_BODY_BYTES) return { status: 413, code: 'PAYLOAD_TOO_LARGE', appCode: 'validation' }
  if (length == null && getRequestHeader(event, 'transfer-encoding')) return { status: 411, code: 'LENGTH_REQUIRED', appCode: 'validation' }
  return (await readRawBody(event, false)) ?? Buffer.alloc(0)
}

/**
 * The one HTTP entry of the API. This is trpc-nuxt's server handler with one difference: the body is
 * read into memory (capped) and the answer sent as one string, instead of piping both through Web
 * streams. The app never streams (batch link, no subscriptions), and the stream plumbing measured
 * about a sixth of the CPU of an authenticated call (bench/, --cpu-prof).
 */
export default defineEventHandler(async (event) => {
  const verdict = checkEventCsrf(event)
  if (!verdict.ok)
    return refuse(event, { status: verdict.status, code: verdict.status === 405 ? 'METHOD_NOT_ALLOWED' : 'FORBIDDEN', appCode: 'csrf' })

  // The client only ever sends JSON; anything else is a clear client error, never `internal`.
  if (mediaType(getRequestHeader(event, 'content-type')) !== 'application/json')
    return refuse(event, { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', appCode: 'contentType' })

  const body = await readBody(event)
  if (!Buffer.isBuffer(body)) return refuse(event, body)

  const headers = new Headers()
  for (const [name, value] of Object.entries(event.node.req.headers)) {
    if (typeof value === 'string') headers.set(name, value)
    else if (Array.isArray(value)) for (const v of value) headers.append(name, v)
  }
  const response = await fetchRequestHandler({
    endpoint: '/api/trpc',
    router: appRouter,
    req: new Request(new URL(event.path, 'http://localhost'), { method: 'POST', headers, body: new Uint8Array(body) }),
    createContext: () => createContext(event),
    allowMethodOverride: true,
    maxBatchSize: 10,
    responseMeta: () => ({ headers: { 'cache-control': 'no-store', vary: 'Cookie' } }),
    onError({ error, path }) {
      // Only unexpected failures are logged, by code and path: never the input, never sensitive text.
      if (error.code === 'INTERNAL_SERVER_ERROR') {
        console.error(`[trpc] ${path ?? '?'}: ${error.cause?.name ?? error.name}: ${error.cause?.message ?? error.message}`)
      }
    },
  })
  setResponseStatus(event, response.status)
  response.headers.forEach((value, name) => setResponseHeader(event, name, value))
  return response.text()
})
