import { ElMessage } from 'element-plus'
import { useI18n } from 'vue-i18n'
import type { z } from 'zod'
import type { changePasswordInput } from '~~/shared/schemas'

/** The signed-in user's own account page: open sessions, recent sign-in activity, revoking a session. */
export function useAccountSettings() {
  const { $trpc } = useNuxtApp()
  const { t } = useI18n()
  const { report } = useApiError()
  const session = useSessionStore()
  const sessions = $trpc.auth.sessions.useQuery(undefined)
  const activity = $trpc.auth.activity.useQuery(undefined)

  async function revoke(id: number, current: boolean) {
    try {
      await $trpc.auth.revokeSession.mutate({ id })
      if (current) {
        session.clear()
        await navigateTo('/login')
        return
      }
      ElMessage.success(t('account.sessionRevoked'))
      await sessions.refresh()
    } catch (err) {
      await report(err)
    }
  }

  /** A changed password ends the other sessions: re-read the session, the list and the activity. */
  async function passwordChanged() {
    await session.refresh()
    await Promise.all([sessions.refresh(), activity.refresh()])
  }

  return { session, sessions, activity, revoke, passwordChanged, ready: Promise.all([sessions, activity]) }
}

/** The password form's one call. */
export function usePasswordChange() {
  const { $trpc } = useNuxtApp()
  return (v: z.input<typeof changePasswordInput>) => $trpc.auth.changePassword.mutate(v)
}
