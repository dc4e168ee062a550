import type { SchoolType } from '~~/shared/roles'
import type { SCHOOL_SORTS } from '~~/shared/schemas'

type Sort = (typeof SCHOOL_SORTS)[number]

/** A filtered, sorted, paged school list (bureau and admin), for one school year. */
export function useSchools(key: string, status: 'active' | 'all' = 'active') {
  const { $trpc } = useNuxtApp()
  const filters = reactive<{
    search: string
    streetId: number | ''
    type: SchoolType | ''
    schoolYearId: number | ''
    sort: Sort
    order: 'asc' | 'desc'
    page: number
    pageSize: number
  }>({
    search: '',
    streetId: '',
    type: '',
    schoolYearId: '',
    sort: 'street',
    order: 'asc',
    page: 1,
    pageSize: 20,
  })
  const input = computed(() => ({
    search: filters.search || undefined,
    streetId: filters.streetId || undefined,
    type: filters.type || undefined,
    schoolYearId: filters.schoolYearId || undefined,
    status,
    sort: filters.sort,
    order: filters.order,
    page: filters.page,
    pageSize: filters.pageSize,
  }))
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
  return { filters, list, onSort }
}

export function useStreetsAndYears() {
  const { $trpc } = useNuxtApp()
  const streets = $trpc.school.streets.useQuery(undefined, { queryKey: 'streets' })
  const years = $trpc.schoolYear.list.useQuery(undefined, { queryKey: 'school-years' })
  return { streets, years }
}
