import { ElMessage } from 'element-plus'
import { mfaQrSrc } from './useMfaQr'

/** The account page's two-step verification card: status, turning it on (QR, first code), off, and new recovery codes. */
export function useMfaSettings() {
  const { $trpc } = useNuxtApp()
  const { t } = useI18n()
  const { report, message } = useApiError()
  const status = $trpc.mfa.status.useQuery(undefined, { queryKey: 'mfa-status' })
  const enrolment = ref<{ qrSrc: string; secret: string } | null>(null)
  const recoveryCodes = ref<string[] | null>(null)
  /** which action the code dialog confirms */
  const prompt = ref<null | 'disable' | 'regenerate'>(null)
  const code = ref('')
  const error = ref('')
  const busy = ref(false)

  async function startEnrolment() {
    error.value = ''
    try {
      const { uri, secret } = await $trpc.mfa.enrolStart.mutate()
      enrolment.value = { qrSrc: await mfaQrSrc(uri), secret }
      code.value = ''
    } catch (err) {
      await report(err)
    }
  }

  async function withCode(action: () => Promise<void>) {
    error.value = ''
    busy.value = true
    try {
      await action()
      code.value = ''
      await status.refresh()
    } catch (err) {
      error.value = message(err)
    } finally {
      busy.value = false
    }
  }

  const confirmEnrolment = () =>
    withCode(async () => {
      recoveryCodes.value = (await $trpc.mfa.enrolConfirm.mutate({ code: code.value })).recoveryCodes
      enrolment.value = null
      ElMessage.success(t('mfa.turnedOn'))
    })

  const confirmPrompt = () =>
    withCode(async () => {
      if (prompt.value === 'disable') {
        await $trpc.mfa.disable.mutate({ code: code.value })
        ElMessage.success(t('mfa.turnedOff'))
      } else {
        recoveryCodes.value = (await $trpc.mfa.regenerateRecoveryCodes.mutate({ code: code.value })).recoveryCodes
      }
      prompt.value = null
    })

  function ask(which: 'disable' | 'regenerate') {
    code.value = ''
    error.value = ''
    prompt.value = which
  }

  return { status, enrolment, recoveryCodes, prompt, code, error, busy, startEnrolment, confirmEnrolment, confirmPrompt, ask }
}
