import type { Role } from '~~/shared/roles'

/** The admin's account list: filters, paging and the list query behind them. */
export function useAccounts() {
  const { $trpc } = useNuxtApp()
  const filters = reactive<{ search: string; role: Role | ''; status: 'active' | 'disabled' | 'all'; page: number; pageSize: number }>({
    search: '', role: '', status: 'all', page: 1, pageSize: 20,
  })
  const input = computed(() => ({
    search: filters.search || undefined,
    role: filters.role || undefined,
    status: filters.status,
    page: filters.page,
    pageSize: filters.pageSize,
  }))
  const list = $trpc.account.list.useQuery(input, { queryKey: 'admin-accounts' })
  watch(() => [filters.search, filters.role, filters.status], () => { filters.page = 1 })
  return { filters, list }
}

/** Every school's id and name, for pickers. */
export function useSchoolOptions() {
  const { $trpc } = useNuxtApp()
  const q = $trpc.school.list.useQuery({ pageSize: 200, sort: 'name' }, { queryKey: 'school-options' })
  const options = computed(() => (q.data.value?.rows ?? []).map((s) => ({ id: s.id, name: s.name })))
  return { options, refresh: q.refresh }
}
