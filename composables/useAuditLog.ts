import { ElMessage } from 'element-plus'
import { useI18n } from 'vue-i18n'
import { AUDIT_ACTIONS, AUDIT_ENTITIES } from '~~/shared/audit'
import { auditEntityText, describeAuditDetail, type DetailContext } from '~~/shared/audit-detail'
import { AUDIT_EXPORT_MAX } from '~~/shared/exports'
import type { ExportTarget } from './useDashboardExport'

type Outcome = 'ok' | 'denied' | 'failed'
export const AUDIT_OUTCOMES: readonly Outcome[] = ['ok', 'denied', 'failed']
/** Tag colour of an audit outcome. */
export const OUTCOME_TAG = { ok: 'success', denied: 'warning', failed: 'danger' } as const

/** The system actor's id in the log (seeds, maintenance, initial accounts). */
export const SYSTEM_ACTOR_ID = 0

/**
 * The audit log: filters (person, days, action or group of actions, entity, outcome), paging, the chain
 * check, the export of what is listed, and every row in the reader's language.
 */
export function useAuditLog() {
  const { $trpc } = useNuxtApp()
  const { t, te, locale } = useI18n()
  const { report } = useApiError()
  const filters = reactive<{
    actorId: number | ''
    /** [from, to] as YYYY-MM-DD, calendar days in Shanghai */
    days: [string, string] | null
    action: string
    entityType: string
    outcome: '' | Outcome
    page: number
    pageSize: number
  }>({
    actorId: '',
    days: null,
    action: '',
    entityType: '',
    outcome: '',
    page: 1,
    pageSize: 50,
  })
  /** The filters as the server takes them (for the list and the export alike). */
  const criteria = computed(() => ({
    actorId: filters.actorId === '' ? undefined : filters.actorId,
    from: filters.days?.[0] || undefined,
    to: filters.days?.[1] || undefined,
    action: filters.action || undefined,
    entityType: (filters.entityType || undefined) as (typeof AUDIT_ENTITIES)[number] | undefined,
    outcome: filters.outcome || undefined,
  }))
  const input = computed(() => ({ ...criteria.value, page: filters.page, pageSize: filters.pageSize }))
  const list = $trpc.audit.list.useQuery(input, { queryKey: 'audit' })
  const actors = $trpc.audit.actors.useQuery(undefined, { queryKey: 'audit-actors' })
  watch(
    () => [filters.actorId, filters.days, filters.action, filters.entityType, filters.outcome],
    () => {
      filters.page = 1
    },
  )
  const filtered = computed(() => Object.values(criteria.value).some((v) => v !== undefined))
  function clearFilters() {
    Object.assign(filters, { actorId: '', days: null, action: '', entityType: '', outcome: '' })
  }

  /** Whom the log can be filtered by: the system, then every account by username. */
  const actorOptions = computed(() => [
    { value: SYSTEM_ACTOR_ID, label: t('audit.system') },
    ...(actors.data.value ?? []).map((a) => ({
      value: a.id,
      label: `${a.username} · ${a.displayName}${a.disabled ? ` (${t('common.statusDisabled')})` : ''}`,
    })),
  ])
  /** Actions grouped as the log names them; each group can be picked whole. */
  const actionGroups = computed(() => {
    const groups = new Map<string, string[]>()
    for (const a of AUDIT_ACTIONS) {
      const g = a.slice(0, a.indexOf('.'))
      groups.set(g, [...(groups.get(g) ?? []), a])
    }
    return [...groups.entries()].map(([g, actions]) => {
      const name = te(`audit.groups.${g}`) ? t(`audit.groups.${g}`) : g
      return {
        label: name,
        options: [
          { value: `${g}.`, label: t('audit.allOf', { group: name }) },
          ...actions.map((a) => ({ value: a, label: actionLabel(a) })),
        ],
      }
    })
  })
  const entityOptions = computed(() =>
    AUDIT_ENTITIES.map((e) => ({ value: e, label: te(`audit.entities.${e}`) ? t(`audit.entities.${e}`) : e })).sort((a, b) =>
      a.label.localeCompare(b.label, locale.value),
    ),
  )

  const verifying = ref(false)
  const verdict = ref<null | {
    ok: boolean
    checked: number
    firstBreak: { reason: string; seq: number } | null
    /** anchors kept outside the database that the chain was checked against */
    anchors: number
    latestAnchor: { seq: number; at: string } | null
  }>(null)

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
  /** Why the chain broke, in words. */
  const breakReason = (reason: string) => (te(`audit.breaks.${reason}`) ? t(`audit.breaks.${reason}`) : reason)

  const { actionLabel, actorLabel, roleLabel, entityLabel } = useAuditLabels()
  const detailContext = computed<DetailContext>(() => ({
    t: (key, params) => (params ? t(key, params) : t(key)),
    has: (key) => te(key),
    locale: locale.value === 'en' ? 'en' : 'zh-CN',
    years: list.data.value?.lookups.years ?? {},
    streets: list.data.value?.lookups.streets ?? {},
  }))
  /** The listed rows with every column in the reader's language. */
  const rows = computed(() =>
    (list.data.value?.rows ?? []).map((r) => ({
      ...r,
      actorText: actorLabel(r),
      roleText: r.actorRole ? roleLabel(r.actorRole) : '',
      actionText: actionLabel(r.action),
      entityText: entityLabel(r),
      detailText: describeAuditDetail(r, detailContext.value),
    })),
  )
  const total = computed(() => list.data.value?.total ?? 0)
  const exportTarget = computed<ExportTarget>(() => ({ kind: 'auditLog', filters: criteria.value }))

  return {
    filters,
    list,
    rows,
    total,
    filtered,
    clearFilters,
    actorOptions,
    actionGroups,
    entityOptions,
    exportTarget,
    verifying,
    verdict,
    verify,
    breakReason,
    exportMax: AUDIT_EXPORT_MAX,
    ready: Promise.all([list, actors]),
  }
}

/** How audit rows read: actions and roles through i18n (unknown ones as stored), the system actor by name. */
export function useAuditLabels() {
  const { t, te } = useI18n()
  const label = (key: string, fallback: string) => (te(key) ? t(key) : fallback)
  const actionLabel = (a: string) => label(`audit.actions.${a}`, a)
  /** The system actor (id 0) has no account. */
  const actorLabel = (row: { actorId: number | null; actorUsername: string | null }) =>
    row.actorId === SYSTEM_ACTOR_ID ? t('audit.system') : (row.actorUsername ?? '—')
  const roleLabel = (role: string) => label(`roles.${role}`, role)
  const entityLabel = (row: { entityType: string | null; entityId: string | number | null }) =>
    auditEntityText(row.entityType, row.entityId, label) ?? '—'
  return { actionLabel, actorLabel, roleLabel, entityLabel }
}
