/** Sign-in: one call, then the session is re-read and the user goes to their role's landing page. */
export function useLogin() {
  const { $trpc } = useNuxtApp()
  const { message } = useApiError()
  const session = useSessionStore()
  const form = reactive({ username: '', password: '' })
  const error = ref('')
  const busy = ref(false)

  async function signIn() {
    error.value = ''
    busy.value = true
    try {
      const result = await $trpc.auth.login.mutate({ username: form.username, password: form.password })
      await session.refresh()
      await navigateTo(result.landing)
    } catch (err) {
      error.value = message(err)
      form.password = ''
    } finally {
      busy.value = false
    }
  }
  return { form, error, busy, signIn }
}
