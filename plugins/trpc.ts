import { createTRPCNuxtClient, httpBatchLink } from 'trpc-nuxt/client'
import type { AppRouter } from '~~/server/trpc/routers'

/** The typed API client. Every call is a POST carrying the CSRF header the server insists on. */
export default defineNuxtPlugin(() => {
  // During SSR the browser's cookie must travel with the internal API calls; nothing else is forwarded.
  const forwarded = useRequestHeaders(['cookie'])
  const trpc = createTRPCNuxtClient<AppRouter>({
    links: [
      httpBatchLink({
        url: '/api/trpc',
        methodOverride: 'POST',
        maxItems: 10,
        headers: () => ({ ...forwarded, 'x-xinqiao-csrf': '1' }),
      }),
    ],
  })
  return { provide: { trpc } }
})
