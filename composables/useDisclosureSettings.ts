import { ElMessage } from 'element-plus'
import { DEFAULT_THRESHOLD, MAX_THRESHOLD, MIN_THRESHOLD } from '~~/shared/disclosure'

/** The district's disclosure threshold (one setting for every aggregate in the product). */
export async function useDisclosureSettings() {
  const { t } = useI18n()
  const { $trpc } = useNuxtApp()
  const current = $trpc.disclosure.settings.useQuery(undefined, { queryKey: 'disclosure-settings' })
  const submit = useSubmit()
  const threshold = ref(DEFAULT_THRESHOLD)
  watch(
    () => current.data.value,
    (v) => {
      if (v) threshold.value = v.threshold
    },
    { immediate: true },
  )
  async function save() {
    const ok = await submit.run(() => $trpc.disclosure.updateSettings.mutate({ threshold: threshold.value }))
    if (ok) {
      ElMessage.success(t('settings.disclosureSaved'))
      await current.refresh()
    }
  }
  const error = computed(() => submit.errors.value.threshold)
  await Promise.all([current])
  return { threshold, min: MIN_THRESHOLD, max: MAX_THRESHOLD, save, saving: submit.busy, error }
}
