import { computed, shallowReactive, watch, type WatchSource } from 'vue'
import type { SortOrder } from '~~/shared/dashboard'
import type { SchoolType } from '~~/shared/roles'
import type { useDashboardQuery } from './useDashboardQuery'

/** What a dashboard table needs of the district filters (see useDistrictFilters). */
export interface DistrictScope {
  filters: { schoolYearId: number | ''; streetId: number | ''; type: SchoolType | '' }
  base: { value: { schoolYearId?: number; streetId?: number; type?: SchoolType } }
  reveal: () => void
}

export interface DashboardTableOptions<S extends string> {
  /** The fields the API allows, from its shared/ constant (e.g. STAFFING_SORTS); none for an unsorted table. */
  sorts?: readonly S[]
  defaultSort?: S
  defaultOrder?: SortOrder
  pageSize?: number
  /** Further filters of this table: a change to any of them returns to page 1 as well. */
  watch?: WatchSource[]
  /** Where the table starts (what the address held, see tableFromQuery). */
  initial?: TableStart<string, S>
}

/** A table's flag, sort and page as a screen opens on them. */
export interface TableStart<F extends string, S extends string> {
  flag?: F | ''
  sort?: S | ''
  order?: SortOrder | ''
  page?: number | ''
}

/** The table state the address holds (`flag`, `sort`, `order`, `page`), each checked against what the screen offers. */
export function tableFromQuery<F extends string, S extends string>(
  read: ReturnType<typeof useDashboardQuery>['read'],
  flags: readonly F[],
  sorts: readonly S[] = [],
): TableStart<F, S> {
  return {
    flag: read.oneOf('flag', flags),
    sort: read.oneOf('sort', sorts),
    order: read.oneOf('order', ['asc', 'desc'] as const),
    page: read.id('page'),
  }
}

/** el-table's `sort-change` payload. */
export interface TableSortEvent {
  prop: string | null
  order: 'ascending' | 'descending' | null
}

/**
 * The school table under a bureau dashboard: its flag (which schools a figure stands for), sort, page and
 * page size. Any filter change returns to page 1; `show` is what a clicked figure does.
 */
export function useDashboardTable<F extends string, S extends string = never>(
  district: DistrictScope,
  options: DashboardTableOptions<S> = {},
) {
  const sorts: readonly string[] = options.sorts ?? []
  const defaultOrder: SortOrder = options.defaultOrder ?? 'asc'
  const start = options.initial ?? {}
  const table = shallowReactive({
    flag: (start.flag || '') as F | '',
    sort: (start.sort || options.defaultSort) as S | undefined,
    order: start.order || defaultOrder,
    page: start.page || 1,
    pageSize: options.pageSize ?? 20,
  })
  const { filters } = district
  watch(
    () => [filters.schoolYearId, filters.streetId, filters.type, table.flag],
    () => {
      table.page = 1
    },
  )
  if (options.watch?.length)
    watch(options.watch, () => {
      table.page = 1
    })

  /** Maps el-table's sort-change to an allowed field; anything else (or a cleared sort) is the default. */
  function onSort({ prop, order }: TableSortEvent) {
    if (!order || !prop || !sorts.includes(prop)) {
      table.sort = options.defaultSort
      table.order = order ? (order === 'ascending' ? 'asc' : 'desc') : defaultOrder
      return
    }
    table.sort = prop as S
    table.order = order === 'ascending' ? 'asc' : 'desc'
  }

  /** Lists the schools behind a figure: sets the flag (and street), then brings the table into view. */
  function show(flag: F | '', streetId?: number) {
    table.flag = flag
    if (streetId !== undefined) filters.streetId = streetId
    district.reveal()
  }

  function clearFlag() {
    table.flag = ''
  }

  const flag = computed(() => table.flag || undefined)
  /** The API input for the listed page. */
  const input = computed(() => ({
    ...district.base.value,
    flag: flag.value,
    sort: table.sort,
    order: table.order,
    page: table.page,
    pageSize: table.pageSize,
  }))
  /** What an export of this table filters by: every filter, but all pages. */
  const exportFilters = computed(() => ({ ...district.base.value, flag: flag.value }))

  /** The table's state as the address holds it: only what differs from where the table starts by default. */
  const queryState = () => ({
    flag: table.flag,
    sort: table.sort !== options.defaultSort ? table.sort : undefined,
    order: table.order !== defaultOrder ? table.order : undefined,
    page: table.page > 1 ? table.page : undefined,
  })
  /** el-table's default-sort for the sort in force (restored from the address or the default). */
  const defaultSort = computed(() =>
    table.sort
      ? { prop: table.sort as string, order: table.order === 'desc' ? ('descending' as const) : ('ascending' as const) }
      : undefined,
  )

  /** Everything a school card binds: the given view, the page model and the sort and clear events. */
  function bindCard<V extends object>(view: () => V) {
    return computed(() => ({
      ...view(),
      page: table.page,
      pageSize: table.pageSize,
      'onUpdate:page': (v: number) => {
        table.page = v
      },
      'onUpdate:pageSize': (v: number) => {
        table.pageSize = v
      },
      onSort,
      onClear: clearFlag,
    }))
  }

  return { table, input, exportFilters, onSort, show, clearFlag, bindCard, queryState, defaultSort }
}
