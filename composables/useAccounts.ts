import { ElMessage, ElMessageBox } from 'element-plus'
import { useI18n } from 'vue-i18n'
import type { z } from 'zod'
import type { Role } from '~~/shared/roles'
import type { accountCreateInput, accountResetPasswordInput, accountUpdateInput } from '~~/shared/schemas'

/** The admin's account list: filters, paging, the list query behind them, and enabling/disabling a row. */
export function useAccounts() {
  const { $trpc } = useNuxtApp()
  const { t } = useI18n()
  const { report } = useApiError()
  const filters = reactive<{ search: string; role: Role | ''; status: 'active' | 'disabled' | 'all'; page: number; pageSize: number }>({
    search: '',
    role: '',
    status: 'all',
    page: 1,
    pageSize: 20,
  })
  const input = computed(() => ({
    search: filters.search || undefined,
    role: filters.role || undefined,
    status: filters.status,
    page: filters.page,
    pageSize: filters.pageSize,
  }))
  const list = $trpc.account.list.useQuery(input, { queryKey: 'admin-accounts' })
  watch(
    () => [filters.search, filters.role, filters.status],
    () => {
      filters.page = 1
    },
  )

  /** Disabling asks first (it ends the account's sessions); enabling does not. */
  async function toggle(row: { id: number; displayName: string; disabled: boolean }) {
    const disabling = !row.disabled
    if (disabling) {
      const ok = await ElMessageBox.confirm(t('accounts.disableConfirm', { name: row.displayName }), t('accounts.disable'), {
        type: 'warning',
        confirmButtonText: t('accounts.disable'),
        cancelButtonText: t('common.cancel'),
      }).catch(() => false)
      if (!ok) return
    }
    try {
      await (disabling ? $trpc.account.disable : $trpc.account.enable).mutate({ id: row.id })
      ElMessage.success(disabling ? t('accounts.disabled') : t('accounts.enabled'))
      await list.refresh()
    } catch (err) {
      await report(err)
    }
  }

  /** A lost phone: the administrator removes the account's second factor (asks first; it ends the account's sessions). */
  async function resetMfa(row: { id: number; displayName: string }) {
    const ok = await ElMessageBox.confirm(t('mfa.resetConfirm', { name: row.displayName }), t('mfa.reset'), {
      type: 'warning',
      confirmButtonText: t('mfa.reset'),
      cancelButtonText: t('common.cancel'),
    }).catch(() => false)
    if (!ok) return
    try {
      await $trpc.mfa.reset.mutate({ id: row.id })
      ElMessage.success(t('mfa.resetDone'))
      await list.refresh()
    } catch (err) {
      await report(err)
    }
  }

  async function saved() {
    ElMessage.success(t('common.saved'))
    await list.refresh()
  }

  return { filters, list, toggle, resetMfa, saved }
}

export type AccountSave = z.input<typeof accountCreateInput> | z.input<typeof accountUpdateInput>

/** The account dialogs' calls: create or update, and an administrator's password reset. */
export function useAccountRecords() {
  const { $trpc } = useNuxtApp()
  return {
    saveAccount: (v: AccountSave) => ('id' in v ? $trpc.account.update.mutate(v) : $trpc.account.create.mutate(v)),
    resetPassword: (v: z.input<typeof accountResetPasswordInput>) => $trpc.account.resetPassword.mutate(v),
  }
}

/** Every school's id and name, for pickers. */
export function useSchoolOptions() {
  const { $trpc } = useNuxtApp()
  const q = $trpc.school.list.useQuery({ pageSize: 200, sort: 'name' }, { queryKey: 'school-options' })
  const options = computed(() => (q.data.value?.rows ?? []).map((s) => ({ id: s.id, name: s.name })))
  return { options, refresh: q.refresh }
}
