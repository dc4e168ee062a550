/**
 * Sends signed-out users to /login and each role to pages it may use. This only shapes the UI:
 * every API call is authorised again on the server.
 */
export default defineNuxtRouteMiddleware(async (to, from) => {
  const session = useSessionStore()
  // A screen keeping its filters in the address (useDashboardQuery) changes only the query: it stays
  // on the page it was allowed to open, so the session is not re-read for every filter or keystroke.
  if (import.meta.client && session.user && from && to.path === from.path && to.fullPath !== from.fullPath) return
  const user = await session.refresh().catch(() => null)
  if (to.meta.public) {
    if (user && to.path === '/login') return navigateTo(user.landing)
    return
  }
  if (!user) return navigateTo({ path: '/login', query: to.fullPath !== '/' ? { expired: '1' } : {} })
  if (user.mustChangePassword && to.path !== '/account') return navigateTo('/account')
  if (to.meta.permission && !session.can(to.meta.permission)) return navigateTo(user.landing)
})
