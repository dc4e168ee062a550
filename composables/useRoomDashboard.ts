import { computed } from 'vue'
import type { SchoolType } from '~~/shared/roles'
import { ROOM_FLAGS, ROOM_REASONS, type RoomFlag } from '~~/shared/staffing'
import { ROOM_SORTS } from '~~/shared/staffing-schemas'
import type { ChartView, FigureColumn, KpiView, SchoolCardView, SchoolListItem, SchoolTag } from './dashboard-view'
import { tableFromQuery, useDashboardTable } from './useDashboardTable'
import { useDistrictFilters } from './useDistrictFilters'
import { useLoadError } from './useLoadError'

/** The bureau's counselling-room dashboard: setup and standard rates against the year's target. */
export async function useRoomDashboard() {
  const { t } = useI18n()
  const { $trpc } = useNuxtApp()
  const { formatNumber } = useFormat()
  const district = useDistrictFilters()
  const { streets, years, filters, base, schoolsTable, streetName, schoolName } = district
  const { table, input, exportFilters, onSort, show, clearFlag, bindCard, queryState, defaultSort } = useDashboardTable<
    RoomFlag,
    (typeof ROOM_SORTS)[number]
  >(district, {
    sorts: ROOM_SORTS,
    defaultSort: 'street',
    defaultOrder: 'asc',
    initial: tableFromQuery(district.query.read, ROOM_FLAGS, ROOM_SORTS),
  })
  district.query.keep(() => ({ ...district.queryState(), ...queryState() }))
  const dash = $trpc.staffing.rooms.useQuery(input, { queryKey: 'rooms-dashboard' })
  const trend = $trpc.staffing.trend.useQuery(() => ({ streetId: base.value.streetId, type: base.value.type }), {
    queryKey: 'staffing-trend',
  })

  const d = computed(() => dash.data.value)
  /** A rate as the server returns it; a missing one (nothing to divide by) shows as a dash. */
  const pct = (v: number | null | undefined) => (v == null ? '—' : `${v}%`)
  const { error, errorMessage } = useLoadError(dash, trend)
  const loading = computed(() => dash.status.value === 'pending')
  // In-target schools without a room, and rooms set up below the standard.
  // A school that never reported is counted once, as not reported: the server counts "not set up" among reported schools.
  const notSetUp = (r: { notSetUp: number }) => r.notSetUp
  const belowStandard = (r: { setUp: number; meets: number }) => r.setUp - r.meets

  const kpis = computed<KpiView[]>(() => {
    const tot = d.value?.totals
    if (!tot) return []
    const list: KpiView[] = [
      {
        key: 'rate',
        label: t('rooms.setupRate'),
        value: pct(tot.rate),
        sub: `${t('rooms.target')} ${tot.target}% · ${formatNumber(tot.setUp)} / ${formatNumber(tot.inTarget)}`,
        active: table.flag === '',
        alert: (tot.rate ?? 0) < tot.target,
        testid: 'kpi-rate',
        valueTestid: 'kpi-rate-value',
        action: () => show(''),
      },
      {
        key: 'notSetUp',
        label: t('rooms.notSetUp'),
        value: formatNumber(notSetUp(tot)),
        sub: `${t('rooms.toTarget')} ${formatNumber(tot.toTarget)}`,
        active: table.flag === 'notSetUp',
        alert: tot.toTarget > 0,
        testid: 'kpi-not-set-up',
        action: () => show('notSetUp'),
      },
      {
        key: 'belowStandard',
        label: t('rooms.belowStandard'),
        value: formatNumber(belowStandard(tot)),
        active: table.flag === 'belowStandard',
        testid: 'kpi-below-standard',
        action: () => show('belowStandard'),
      },
      {
        key: 'meets',
        label: t('rooms.meets'),
        value: formatNumber(tot.meets),
        sub: `${t('rooms.standardRate')} ${pct(tot.standardRate)}`,
        active: table.flag === 'meetsStandard',
        testid: 'kpi-meets',
        action: () => show('meetsStandard'),
      },
    ]
    if (tot.notReported) {
      list.push({
        key: 'notReported',
        label: t('rooms.notReported'),
        value: formatNumber(tot.notReported),
        active: table.flag === 'notReported',
        testid: 'kpi-rooms-not-reported',
        action: () => show('notReported'),
      })
    }
    return list
  })

  const charts = computed<ChartView[]>(() => {
    const byStreet = d.value?.byStreet ?? []
    const ys = trend.data.value?.years ?? []
    return [
      {
        key: 'trend',
        title: t('rooms.trend'),
        labels: ys.map((y) => y.year.label),
        max: 100,
        series: [
          { label: t('rooms.rateSeries'), data: ys.map((y) => y.rooms.rate ?? 0), color: '#2f7d6d' },
          { label: t('rooms.standardSeries'), data: ys.map((y) => y.rooms.standardRate ?? 0), color: '#97beb6' },
          { label: t('rooms.targetSeries'), data: ys.map((y) => y.rooms.target), color: '#e6a23c', type: 'line' },
        ],
      },
      {
        key: 'byStreet',
        title: t('rooms.byStreet'),
        labels: byStreet.map(streetName),
        max: 100,
        series: [
          { label: t('rooms.rateSeries'), data: byStreet.map((s) => s.rate ?? 0), color: '#2f7d6d' },
          { label: t('rooms.standardSeries'), data: byStreet.map((s) => s.standardRate ?? 0), color: '#97beb6' },
          { label: t('rooms.targetSeries'), data: byStreet.map((s) => s.target), color: '#e6a23c', type: 'line' },
        ],
        pick: (index) => {
          const s = byStreet[index]
          if (s) show('notSetUp', s.streetId)
        },
      },
    ]
  })

  type Street = NonNullable<typeof d.value>['byStreet'][number]
  type ByType = NonNullable<typeof d.value>['byType'][number]
  type Reason = { reason: (typeof ROOM_REASONS)[number]; n: number }
  const streetColumns = (): FigureColumn<Street>[] => [
    { key: 'street', label: t('fields.street'), minWidth: 90, fixed: true, text: streetName, pick: (r) => show('', r.streetId) },
    { key: 'schools', label: t('district.schools'), minWidth: 60, align: 'right', text: (r) => r.inTarget },
    {
      key: 'rate',
      label: t('rooms.setupRate'),
      minWidth: 70,
      align: 'right',
      text: (r) => pct(r.rate),
      danger: (r) => (r.rate ?? 0) < r.target,
    },
    {
      key: 'notSetUp',
      label: t('rooms.notSetUp'),
      minWidth: 70,
      align: 'right',
      text: notSetUp,
      pick: (r) => show('notSetUp', r.streetId),
    },
    {
      key: 'belowStandard',
      label: t('rooms.belowStandard'),
      minWidth: 80,
      align: 'right',
      text: belowStandard,
      pick: (r) => show('belowStandard', r.streetId),
    },
    { key: 'standardRate', label: t('rooms.standardRate'), minWidth: 70, align: 'right', text: (r) => pct(r.standardRate) },
  ]
  const typeColumns = (): FigureColumn<ByType>[] => [
    { key: 'type', label: t('fields.schoolType'), minWidth: 90, text: (r) => t(`schoolTypes.${r.type}`), pick: (r) => showType(r.type) },
    { key: 'schools', label: t('district.schools'), minWidth: 60, align: 'right', text: (r) => r.schools },
    { key: 'rate', label: t('rooms.setupRate'), minWidth: 70, align: 'right', text: (r) => (r.inTarget ? pct(r.rate) : '—') },
  ]
  const reasonColumns = (): FigureColumn<Reason>[] => [
    {
      key: 'reason',
      label: t('rooms.columns.reasons'),
      minWidth: 150,
      text: (r) => t(`room.reasons.${r.reason}`),
      pick: () => show('belowStandard'),
    },
    { key: 'n', label: t('rooms.reasonCount'), minWidth: 60, align: 'right', text: (r) => r.n },
  ]
  /** The by-street, by-type and reasons tables' columns. */
  const columns = computed(() => ({ street: streetColumns(), type: typeColumns(), reason: reasonColumns() }))
  /** Why set-up rooms fall short, most frequent first. */
  const reasons = computed<Reason[]>(() =>
    ROOM_REASONS.filter((r) => r !== 'not_set_up')
      .map((r) => ({ reason: r, n: d.value?.totals.reasons[r] ?? 0 }))
      .filter((r) => r.n > 0)
      .sort((a, b) => b.n - a.n),
  )

  function showType(type: SchoolType) {
    filters.type = type
    show('')
  }
  /** Each listed school as a phone card: whether its room is set up, and whether it meets the standard or why not. */
  const items = computed<SchoolListItem[]>(() =>
    (d.value?.rows ?? []).map((r) => {
      const tags: SchoolTag[] = r.meets ? [{ text: t('dashFlags.rooms.meetsStandard'), type: 'success' }] : []
      for (const reason of r.reasons)
        tags.push({ text: t(`room.reasons.${reason}`), type: !r.inTarget ? 'info' : reason === 'not_set_up' ? 'danger' : 'warning' })
      if (r.inheritedFrom) tags.push({ text: t('rooms.inherited', { year: r.inheritedFrom }), type: 'info' })
      const setUp = !!r.room?.isSetUp
      return {
        schoolId: r.schoolId,
        code: r.code,
        name: schoolName(r),
        place: `${streetName({ nameZh: r.streetNameZh, nameEn: r.streetNameEn })} · ${t(`schoolTypes.${r.type}`)}`,
        figure: {
          label: t('rooms.columns.setUp'),
          value: t(setUp ? 'common.yes' : 'common.no'),
          alert: !setUp && r.inTarget,
        },
        tags,
      }
    }),
  )
  const card = computed<SchoolCardView>(() => ({
    title: t('rooms.schools'),
    total: d.value?.total ?? 0,
    filterLabel: table.flag ? t(`dashFlags.rooms.${table.flag}`) : '',
    rows: d.value?.rows ?? [],
    tableTestid: 'rooms-school-table',
    schoolColumns: true,
    defaultSort: defaultSort.value,
    exportTarget: { kind: 'staffing', table: 'rooms', filters: exportFilters.value },
    items: items.value,
  }))
  const cardBinding = bindCard(() => card.value)
  /** The by-street table: its rows, columns, export and test id, all decided here. */
  const streetTable = computed(() => ({
    title: t('rooms.byStreet'),
    rows: d.value?.byStreet ?? [],
    columns: columns.value.street,
    exportTable: 'roomsByStreet' as const,
    exportFilters: base.value,
    tableTestid: 'rooms-street-table',
  }))
  const frame = district.frame(() => ({
    title: t('rooms.title'),
    note: d.value ? t('district.yearNote', { year: d.value.year.label }) : '',
    kpis: kpis.value,
    charts: charts.value,
  }))

  useHead({ title: () => t('rooms.title') })
  await Promise.all([streets, years, dash, trend])
  return {
    d,
    error,
    errorMessage,
    loading,
    frame,
    streetTable,
    cardBinding,
    filters,
    base,
    schoolsTable,
    table,
    card,
    onSort,
    clearFlag,
    kpis,
    charts,
    columns,
    reasons,
  }
}
