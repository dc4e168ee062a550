import { ElMessage } from 'element-plus'
import { useI18n } from 'vue-i18n'

type Outcome = 'ok' | 'denied' | 'failed'
export const AUDIT_OUTCOMES: readonly Outcome[] = ['ok', 'denied', 'failed']
/** Tag colour of an audit outcome. */
export const OUTCOME_TAG = { ok: 'success', denied: 'warning', failed: 'danger' } as const

/** The audit log: filters, paging, the chain check, and the labels of actors and actions. */
export function useAuditLog() {
  const { $trpc } = useNuxtApp()
  const { t } = useI18n()
  const { report } = useApiError()
  const filters = reactive<{ action: string; outcome: '' | Outcome; page: number; pageSize: number }>({
    action: '',
    outcome: '',
    page: 1,
    pageSize: 50,
  })
  const input = computed(() => ({
    action: filters.action || undefined,
    outcome: filters.outcome || undefined,
    page: filters.page,
    pageSize: filters.pageSize,
  }))
  const list = $trpc.audit.list.useQuery(input, { queryKey: 'audit' })
  const verifying = ref(false)
  const verdict = ref<null | { ok: boolean; checked: number; firstBreak: { reason: string; seq: number } | null }>(null)

  async function verify() {
    verifying.value = true
    try {
      verdict.value = await $trpc.audit.verify.mutate()
      if (verdict.value.ok) ElMessage.success(t('audit.intact', { n: verdict.value.checked }))
      await list.refresh()
    } catch (err) {
      await report(err)
    } finally {
      verifying.value = false
    }
  }

  return { filters, list, verifying, verdict, verify, ...useAuditLabels() }
}

/** How audit rows read: actions and roles through i18n (unknown ones as stored), the system actor by name. */
export function useAuditLabels() {
  const { t, te } = useI18n()
  const actionLabel = (a: string) => (te(`audit.actions.${a}`) ? t(`audit.actions.${a}`) : a)
  /** The system actor (id 0) has no account. */
  const actorLabel = (row: { actorId: number | null; actorUsername: string | null }) =>
    row.actorId === 0 ? t('audit.system') : (row.actorUsername ?? '—')
  const roleLabel = (role: string) => (te(`roles.${role}`) ? t(`roles.${role}`) : role)
  const entityLabel = (row: { entityType: string | null; entityId: string | number | null }) => {
    if (!row.entityType) return '—'
    const name = te(`audit.entities.${row.entityType}`) ? t(`audit.entities.${row.entityType}`) : row.entityType
    return row.entityId == null ? name : `${name} #${row.entityId}`
  }
  return { actionLabel, actorLabel, roleLabel, entityLabel }
}
