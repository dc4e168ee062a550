import { defineEventHandler, getRequestHeader, setResponseHeader, setResponseStatus, type H3Event } from 'h3'
import { createTRPCNuxtHandler } from 'trpc-nuxt/server'
import { createContext } from '../../trpc/context'
import { checkCsrf, CSRF_HEADER } from '../../trpc/csrf'
import { appRouter } from '../../trpc/routers'

const trpcHandler = createTRPCNuxtHandler({
  endpoint: '/api/trpc',
  router: appRouter,
  createContext: (event: H3Event) => createContext(event),
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

export default defineEventHandler((event) => {
  const verdict = checkCsrf({
    method: event.method,
    host: getRequestHeader(event, 'host'),
    origin: getRequestHeader(event, 'origin'),
    secFetchSite: getRequestHeader(event, 'sec-fetch-site'),
    csrfHeader: getRequestHeader(event, CSRF_HEADER),
  })
  if (!verdict.ok) {
    setResponseStatus(event, verdict.status)
    setResponseHeader(event, 'cache-control', 'no-store')
    if (verdict.status === 405) setResponseHeader(event, 'allow', 'POST')
    return { error: { code: verdict.status === 405 ? 'METHOD_NOT_ALLOWED' : 'FORBIDDEN', data: { appCode: 'csrf' } } }
  }
  return trpcHandler(event)
})
