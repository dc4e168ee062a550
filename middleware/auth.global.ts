/**
 * Sends signed-out users to /login and each role to pages it may use. This only shapes the UI:
 * every API call is authorised again on the server.
 */
export default defineNuxtRouteMiddleware(async (to) => {
  const session = useSessionStore()
  const user = await session.refresh().catch(() => null)
  if (to.meta.public) {
    if (user && to.path === '/login') return navigateTo(user.landing)
    return
  }
  if (!user) return navigateTo({ path: '/login', query: to.fullPath !== '/' ? { expired: '1' } : {} })
  if (user.mustChangePassword && to.path !== '/account') return navigateTo('/account')
  if (to.meta.permission && !session.can(to.meta.permission)) return navigateTo(user.landing)
})
