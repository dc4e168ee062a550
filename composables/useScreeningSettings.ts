import { ElMessage } from 'element-plus'
import { DEFAULT_SCREENING_SETTINGS, type ScreeningSettings } from '~~/shared/screening'

/** The district's screening settings: quiz pass mark, awareness target, how long item answers are kept. */
export function useScreeningSettings() {
  const { $trpc } = useNuxtApp()
  const { t } = useI18n()
  const q = $trpc.screening.settings.useQuery(undefined, { queryKey: 'screening-settings' })
  const form = reactive<ScreeningSettings>(structuredClone(DEFAULT_SCREENING_SETTINGS))
  watch(
    () => q.data.value,
    (v) => {
      if (v) Object.assign(form, structuredClone(toRaw(v)))
    },
    { immediate: true },
  )
  const { run, busy, errors } = useSubmit()
  async function save() {
    const ok = await run(() => $trpc.screening.updateSettings.mutate({ ...form, warnBands: { ...form.warnBands } }))
    if (ok) {
      ElMessage.success(t('common.saved'))
      await q.refresh()
    }
  }
  return { q, form, busy, errors, save }
}
