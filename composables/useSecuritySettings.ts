import { ElMessage } from 'element-plus'
import { DEFAULT_SECURITY_SETTINGS, type SecuritySettings } from '~~/shared/trust'

/** The bureau's settings card for the second-factor requirement per role and the retention periods, with the last purge's counts. */
export function useSecuritySettings() {
  const { $trpc } = useNuxtApp()
  const { t } = useI18n()
  const q = $trpc.security.settings.useQuery(undefined, { queryKey: 'security-settings' })
  const overview = $trpc.security.retention.useQuery(undefined, { queryKey: 'retention-overview' })
  const value = computed<SecuritySettings>(() => {
    const v = q.data.value ?? DEFAULT_SECURITY_SETTINGS
    return { mfaRequiredRoles: [...v.mfaRequiredRoles], retention: { ...v.retention } }
  })
  const { run, busy, errors } = useSubmit()
  async function save(v: SecuritySettings) {
    const ok = await run(() =>
      $trpc.security.updateSettings.mutate({ mfaRequiredRoles: [...v.mfaRequiredRoles], retention: { ...v.retention } }),
    )
    if (ok) {
      ElMessage.success(t('common.saved'))
      await q.refresh()
    }
  }
  return { value, overview, busy, errors, save }
}
