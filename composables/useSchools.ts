import type { SchoolType } from '~~/shared/roles'
import type { SCHOOL_SORTS } from '~~/shared/schemas'

type Sort = (typeof SCHOOL_SORTS)[number]

export interface SchoolListFilters {
  search: string
  streetId: number | ''
  type: SchoolType | ''
  schoolYearId: number | ''
  sort: Sort
  order: 'asc' | 'desc'
  page: number
  pageSize: number
}

export const SCHOOL_LIST_DEFAULTS: Readonly<SchoolListFilters> = {
  search: '',
  streetId: '',
  type: '',
  schoolYearId: '',
  sort: 'street',
  order: 'asc',
  page: 1,
  pageSize: 20,
}

/** A filtered, sorted, paged school list (bureau and admin), for one school year, starting where `initial` says. */
export function useSchools(key: string, status: 'active' | 'all' = 'active', initial: Partial<SchoolListFilters> = {}) {
  const { $trpc } = useNuxtApp()
  const filters = reactive<SchoolListFilters>({ ...SCHOOL_LIST_DEFAULTS, ...initial })
  /** What an export of the list holds: every filter and the sort, all pages. */
  const exportFilters = computed(() => ({
    search: filters.search || undefined,
    streetId: filters.streetId || undefined,
    type: filters.type || undefined,
    schoolYearId: filters.schoolYearId || undefined,
    status,
    sort: filters.sort,
    order: filters.order,
  }))
  const input = computed(() => ({ ...exportFilters.value, page: filters.page, pageSize: filters.pageSize }))
  const list = $trpc.school.list.useQuery(input, { queryKey: key })
  watch(
    () => [filters.search, filters.streetId, filters.type, filters.schoolYearId],
    () => {
      filters.page = 1
    },
  )

  function onSort({ prop, order }: { prop: string | null; order: 'ascending' | 'descending' | null }) {
    const map: Record<string, Sort> = { name: 'name', code: 'code', type: 'type', students: 'students', streetNameZh: 'street' }
    filters.sort = (prop && map[prop]) || 'street'
    filters.order = order === 'descending' ? 'desc' : 'asc'
  }
  return { filters, list, onSort, exportFilters }
}

export function useStreetsAndYears() {
  const { $trpc } = useNuxtApp()
  const streets = $trpc.school.streets.useQuery(undefined, { queryKey: 'streets' })
  const years = $trpc.schoolYear.list.useQuery(undefined, { queryKey: 'school-years' })
  return { streets, years }
}
