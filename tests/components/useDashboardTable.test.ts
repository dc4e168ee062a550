import { describe, expect, it, vi } from 'vitest'
import { computed, nextTick, reactive } from 'vue'
import { useDashboardTable, type DashboardTableOptions, type DistrictScope } from '../../composables/useDashboardTable'
import type { DashboardFlag } from '../../shared/staffing'
import { STAFFING_SORTS } from '../../shared/staffing-schemas'

function district() {
  const filters = reactive<DistrictScope['filters']>({ schoolYearId: '', streetId: '', type: '' })
  const base = computed(() => ({
    schoolYearId: filters.schoolYearId || undefined,
    streetId: filters.streetId || undefined,
    type: filters.type || undefined,
  }))
  return { filters, base, reveal: vi.fn() }
}

function staffingTable(extra: Pick<DashboardTableOptions<string>, 'watch'> = {}) {
  const d = district()
  const t = useDashboardTable<DashboardFlag, (typeof STAFFING_SORTS)[number]>(d, {
    sorts: STAFFING_SORTS,
    defaultSort: 'shortfall',
    defaultOrder: 'desc',
    ...extra,
  })
  return { d, ...t }
}

describe('useDashboardTable', () => {
  it('starts on the first page, sorted by the default, with no flag', () => {
    const { table, input, exportFilters } = staffingTable()
    expect(table).toMatchObject({ flag: '', sort: 'shortfall', order: 'desc', page: 1, pageSize: 20 })
    expect(input.value).toEqual({
      schoolYearId: undefined,
      streetId: undefined,
      type: undefined,
      flag: undefined,
      sort: 'shortfall',
      order: 'desc',
      page: 1,
      pageSize: 20,
    })
    expect(exportFilters.value).toEqual({ schoolYearId: undefined, streetId: undefined, type: undefined, flag: undefined })
  })

  it.each([
    { event: { prop: 'students', order: 'ascending' as const }, sort: 'students', order: 'asc' },
    { event: { prop: 'name', order: 'descending' as const }, sort: 'name', order: 'desc' },
    { event: { prop: 'trainingBelow', order: 'ascending' as const }, sort: 'trainingBelow', order: 'asc' },
    // A column the API does not sort by (or a made-up one) falls back to the default field.
    { event: { prop: 'type', order: 'ascending' as const }, sort: 'shortfall', order: 'asc' },
    { event: { prop: 'constructor', order: 'descending' as const }, sort: 'shortfall', order: 'desc' },
    { event: { prop: null, order: 'ascending' as const }, sort: 'shortfall', order: 'asc' },
    // A cleared sort returns to the default field and direction.
    { event: { prop: 'students', order: null }, sort: 'shortfall', order: 'desc' },
  ])('maps el-table sort $event.prop/$event.order to $sort $order', ({ event, sort, order }) => {
    const { table, onSort, input } = staffingTable()
    onSort(event)
    expect(table.sort).toBe(sort)
    expect(table.order).toBe(order)
    expect(input.value).toMatchObject({ sort, order })
  })

  it('returns to page 1 whenever the flag or a district filter changes', async () => {
    const { d, table, show, clearFlag } = staffingTable()
    const changes: Array<() => void> = [
      () => show('shortfall'),
      () => {
        d.filters.streetId = 3
      },
      () => {
        d.filters.type = 'primary'
      },
      () => {
        d.filters.schoolYearId = 2
      },
      () => clearFlag(),
    ]
    for (const change of changes) {
      table.page = 4
      await nextTick()
      change()
      await nextTick()
      expect(table.page).toBe(1)
    }
  })

  it('keeps the page when only the sort or page size changes', async () => {
    const { table, onSort } = staffingTable()
    table.page = 3
    await nextTick()
    onSort({ prop: 'name', order: 'ascending' })
    table.pageSize = 50
    await nextTick()
    expect(table.page).toBe(3)
  })

  it('returns to page 1 when one of the table’s own filters changes', async () => {
    const openOnly = reactive({ on: false })
    const { table } = staffingTable({ watch: [() => openOnly.on] })
    table.page = 2
    await nextTick()
    openOnly.on = true
    await nextTick()
    expect(table.page).toBe(1)
  })

  it('show() sets the flag and the street, then reveals the table', () => {
    const { d, table, show, input, exportFilters } = staffingTable()
    show('noTeacher', 7)
    expect(table.flag).toBe('noTeacher')
    expect(d.filters.streetId).toBe(7)
    expect(d.reveal).toHaveBeenCalledTimes(1)
    expect(input.value).toMatchObject({ flag: 'noTeacher', streetId: 7 })
    expect(exportFilters.value).toEqual({ schoolYearId: undefined, streetId: 7, type: undefined, flag: 'noTeacher' })
  })

  it('show() without a street keeps the street filter', () => {
    const { d, table, show } = staffingTable()
    d.filters.streetId = 5
    show('expiring')
    expect(table.flag).toBe('expiring')
    expect(d.filters.streetId).toBe(5)
    show('')
    expect(table.flag).toBe('')
    expect(d.reveal).toHaveBeenCalledTimes(2)
  })

  it('has no sort in its input when the table is not sortable', () => {
    const d = district()
    const { input, onSort } = useDashboardTable<'a' | 'b'>(d, { pageSize: 30 })
    onSort({ prop: 'name', order: 'ascending' })
    expect(input.value).toMatchObject({ sort: undefined, page: 1, pageSize: 30 })
  })
})
