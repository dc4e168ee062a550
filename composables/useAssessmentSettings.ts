import { ElMessage } from 'element-plus'
import { DEFAULT_ASSESSMENT_SETTINGS, type AssessmentSettings } from '~~/shared/assessment'

/** The district's assessment settings on the bureau's settings screen: alert bands, hotline, escalation deadline. */
export function useAssessmentSettings() {
  const { $trpc } = useNuxtApp()
  const { t } = useI18n()
  const q = $trpc.assessment.settings.useQuery(undefined, { queryKey: 'assessment-settings' })
  const value = computed<AssessmentSettings>(() => q.data.value ?? DEFAULT_ASSESSMENT_SETTINGS)
  const { run, busy, errors } = useSubmit()
  async function save(v: AssessmentSettings) {
    const ok = await run(() => $trpc.assessment.updateSettings.mutate({ ...v, alertBands: { ...v.alertBands } }))
    if (ok) {
      ElMessage.success(t('common.saved'))
      await q.refresh()
    }
  }
  return { value, busy, errors, save }
}
