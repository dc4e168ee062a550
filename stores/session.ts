import type { inferRouterOutputs } from '@trpc/server'
import type { AppRouter } from '~~/server/trpc/routers'
import type { Permission } from '~~/shared/permissions'

export type SessionUser = NonNullable<inferRouterOutputs<AppRouter>['auth']['session']>

/** Who is signed in, re-read from the server on every navigation so a revoked session ends at once. */
export const useSessionStore = defineStore('session', () => {
  const user = ref<SessionUser | null>(null)

  async function refresh(): Promise<SessionUser | null> {
    const { $trpc } = useNuxtApp()
    user.value = await $trpc.auth.session.query()
    return user.value
  }

  async function logout(): Promise<void> {
    const { $trpc } = useNuxtApp()
    try {
      await $trpc.auth.logout.mutate()
    } finally {
      user.value = null
    }
  }

  function can(permission: Permission): boolean {
    return !!user.value?.permissions.includes(permission)
  }

  function clear(): void {
    user.value = null
  }

  return { user, refresh, logout, can, clear }
})
