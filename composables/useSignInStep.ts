import { mfaQrSrc } from './useMfaQr'

/**
 * The second step of sign-in (/mfa): a code from the authenticator app or a recovery code, or, when
 * the district requires a second factor the account lacks, enrolment (QR code, first code, recovery
 * codes shown once). Nothing of it goes in the address: the secret and codes travel in request bodies.
 */
export function useSignInStep() {
  const { $trpc } = useNuxtApp()
  const { message } = useApiError()
  const session = useSessionStore()
  const challenge = $trpc.mfa.challenge.useQuery(undefined, { queryKey: 'mfa-challenge' })
  const code = ref('')
  const error = ref('')
  const busy = ref(false)
  const enrolment = ref<{ qrSrc: string; secret: string } | null>(null)
  const recoveryCodes = ref<string[] | null>(null)
  const landing = ref('/')

  async function startEnrolment() {
    if (enrolment.value || challenge.data.value?.factor !== 'enrol') return
    try {
      const { uri, secret } = await $trpc.mfa.signInEnrolStart.mutate()
      enrolment.value = { qrSrc: await mfaQrSrc(uri), secret }
    } catch (err) {
      error.value = message(err)
    }
  }

  async function submit() {
    error.value = ''
    busy.value = true
    try {
      if (challenge.data.value?.factor === 'enrol') {
        const done = await $trpc.mfa.signInEnrolConfirm.mutate({ code: code.value })
        landing.value = done.landing
        recoveryCodes.value = done.recoveryCodes
      } else {
        const done = await $trpc.mfa.verify.mutate({ code: code.value })
        await session.refresh()
        await navigateTo(done.landing)
      }
    } catch (err) {
      error.value = message(err)
      code.value = ''
    } finally {
      busy.value = false
    }
  }

  /** After the recovery codes are saved. */
  async function proceed() {
    await session.refresh()
    await navigateTo(landing.value)
  }

  async function cancel() {
    await $trpc.auth.logout.mutate().catch(() => undefined)
    await navigateTo('/login')
  }

  return { challenge, code, error, busy, enrolment, recoveryCodes, startEnrolment, submit, proceed, cancel }
}
