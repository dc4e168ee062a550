import { computed } from 'vue'
import { countedTowardRequired, filledPosts, staffingCoverage } from '~~/shared/dashboard'
import type { SchoolType } from '~~/shared/roles'
import { DASHBOARD_FLAGS, type DashboardFlag } from '~~/shared/staffing'
import { STAFFING_SORTS } from '~~/shared/staffing-schemas'
import type { ChartView, FigureColumn, KpiView, SchoolCardView, SchoolListItem, SchoolTag } from './dashboard-view'
import { tableFromQuery, useDashboardTable } from './useDashboardTable'
import { useDistrictFilters } from './useDistrictFilters'
import { useLoadError } from './useLoadError'

/** The bureau's staffing dashboard: district figures, charts, the school table and expiring certificates. */
export async function useStaffingDashboard() {
  const { t } = useI18n()
  const { $trpc } = useNuxtApp()
  const { formatNumber } = useFormat()
  const district = useDistrictFilters()
  const { streets, years, filters, base, schoolsTable, streetName, schoolName } = district
  const { table, input, exportFilters, onSort, show, clearFlag, bindCard, queryState, defaultSort } = useDashboardTable<
    DashboardFlag,
    (typeof STAFFING_SORTS)[number]
  >(district, {
    sorts: STAFFING_SORTS,
    defaultSort: 'shortfall',
    defaultOrder: 'desc',
    initial: tableFromQuery(district.query.read, DASHBOARD_FLAGS, STAFFING_SORTS),
  })
  district.query.keep(() => ({ ...district.queryState(), ...queryState() }))
  const dash = $trpc.staffing.dashboard.useQuery(input, { queryKey: 'staffing-dashboard' })
  const trend = $trpc.staffing.trend.useQuery(() => ({ streetId: base.value.streetId, type: base.value.type }), {
    queryKey: 'staffing-trend',
  })
  const certs = $trpc.staffing.certificates.useQuery(() => ({ ...base.value }), { queryKey: 'staffing-certificates' })

  const d = computed(() => dash.data.value)
  const { error, errorMessage } = useLoadError(dash, trend, certs)
  const loading = computed(() => dash.status.value === 'pending')

  const kpis = computed<KpiView[]>(() => {
    const tot = d.value?.totals
    if (!tot || !d.value) return []
    const coverage = staffingCoverage(tot)
    const notReported = tot.schools - tot.reporting
    const list: KpiView[] = [
      {
        key: 'shortfall',
        label: t('staffing.dashboard.shortfall'),
        value: formatNumber(tot.shortfall),
        sub: `${t('staffing.dashboard.shortSchools')} ${formatNumber(tot.shortSchools)}`,
        active: table.flag === 'shortfall',
        alert: tot.shortfall > 0,
        testid: 'kpi-shortfall',
        valueTestid: 'kpi-shortfall-value',
        action: () => show('shortfall'),
      },
      {
        key: 'noTeacher',
        label: t('staffing.dashboard.noTeacher'),
        value: formatNumber(tot.noTeacher),
        sub: `/ ${formatNumber(tot.schools)}`,
        active: table.flag === 'noTeacher',
        alert: tot.noTeacher > 0,
        testid: 'kpi-no-teacher',
        action: () => show('noTeacher'),
      },
      {
        key: 'coverage',
        label: t('staffing.dashboard.coverage'),
        value: coverage == null ? '—' : `${coverage}%`,
        sub: `${formatNumber(filledPosts(tot))} / ${formatNumber(tot.required)}`,
        active: table.flag === '',
        testid: 'kpi-coverage',
        action: () => show(''),
      },
      {
        key: 'partTime',
        label: t('staffing.dashboard.partTime'),
        value: formatNumber(tot.partTime),
        sub: `${t('staffing.dashboard.purchased')} ${formatNumber(tot.purchased)}`,
      },
      {
        key: 'expiring',
        label: t('staffing.dashboard.expiring', { days: d.value.settings.certificateWarningDays }),
        value: formatNumber(tot.expiring),
        active: table.flag === 'expiring',
        testid: 'kpi-expiring',
        action: () => show('expiring'),
      },
      {
        key: 'trainingBelow',
        label: t('staffing.dashboard.trainingBelow'),
        value: formatNumber(tot.trainingBelow),
        active: table.flag === 'trainingBelow',
        testid: 'kpi-training',
        action: () => show('trainingBelow'),
      },
    ]
    if (notReported > 0) {
      list.push({
        key: 'notReported',
        label: t('staffing.dashboard.notReported'),
        value: formatNumber(notReported),
        active: table.flag === 'notReported',
        testid: 'kpi-not-reported',
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
        key: 'byStreet',
        title: t('staffing.dashboard.byStreet'),
        labels: byStreet.map(streetName),
        series: [
          { label: t('staffing.dashboard.requiredSeries'), data: byStreet.map((s) => s.required), color: '#c1d8d3' },
          { label: t('staffing.dashboard.countedSeries'), data: byStreet.map(countedTowardRequired), color: '#2f7d6d' },
          { label: t('staffing.dashboard.shortfallSeries'), data: byStreet.map((s) => s.shortfall), color: '#e6a23c' },
        ],
        pick: (index) => {
          const s = byStreet[index]
          if (s) show('shortfall', s.streetId)
        },
      },
      {
        key: 'trend',
        title: t('staffing.dashboard.trend'),
        labels: ys.map((y) => y.year.label),
        series: [
          { label: t('staffing.dashboard.requiredSeries'), data: ys.map((y) => y.staffing.required), color: '#97beb6' },
          { label: t('staffing.dashboard.countedSeries'), data: ys.map((y) => y.staffing.counted), color: '#2f7d6d' },
          { label: t('staffing.dashboard.shortfallSeries'), data: ys.map((y) => y.staffing.shortfall), color: '#e6a23c' },
          { label: t('staffing.dashboard.noTeacherSeries'), data: ys.map((y) => y.staffing.noTeacher), color: '#f56c6c' },
        ],
      },
    ]
  })

  type Street = NonNullable<typeof d.value>['byStreet'][number]
  type ByType = NonNullable<typeof d.value>['byType'][number]
  const streetColumns = (): FigureColumn<Street>[] => [
    { key: 'street', label: t('fields.street'), minWidth: 90, fixed: true, text: streetName, pick: (r) => show('', r.streetId) },
    { key: 'schools', label: t('district.schools'), minWidth: 60, align: 'right', text: (r) => r.schools },
    { key: 'required', label: t('staffing.columns.required'), minWidth: 80, align: 'right', text: (r) => r.required },
    { key: 'counted', label: t('staffing.columns.counted'), minWidth: 80, align: 'right', text: (r) => r.counted },
    {
      key: 'shortfall',
      label: t('staffing.columns.shortfall'),
      minWidth: 60,
      align: 'right',
      text: (r) => r.shortfall,
      pick: (r) => show('shortfall', r.streetId),
      testid: (r) => `street-shortfall-${r.streetId}`,
    },
    {
      key: 'noTeacher',
      label: t('staffing.columns.noTeacher'),
      minWidth: 80,
      align: 'right',
      text: (r) => r.noTeacher,
      pick: (r) => show('noTeacher', r.streetId),
    },
    { key: 'partTime', label: t('staffing.columns.partTime'), minWidth: 60, align: 'right', text: (r) => r.partTime },
    { key: 'purchased', label: t('staffing.columns.purchased'), minWidth: 70, align: 'right', text: (r) => r.purchased },
  ]
  const typeColumns = (): FigureColumn<ByType>[] => [
    { key: 'type', label: t('fields.schoolType'), minWidth: 90, text: (r) => t(`schoolTypes.${r.type}`), pick: (r) => showType(r.type) },
    { key: 'schools', label: t('district.schools'), minWidth: 60, align: 'right', text: (r) => r.schools },
    { key: 'required', label: t('staffing.columns.required'), minWidth: 70, align: 'right', text: (r) => r.required },
    { key: 'shortfall', label: t('staffing.columns.shortfall'), minWidth: 60, align: 'right', text: (r) => r.shortfall },
    { key: 'noTeacher', label: t('staffing.columns.noTeacher'), minWidth: 70, align: 'right', text: (r) => r.noTeacher },
  ]
  /** The by-street and by-type tables' columns. */
  const columns = computed(() => ({ street: streetColumns(), type: typeColumns() }))

  /** A school type's row lists all its schools. */
  function showType(type: SchoolType) {
    filters.type = type
    show('')
  }

  /** Each listed school as a phone card: its shortfall and what else needs attention. */
  const items = computed<SchoolListItem[]>(() =>
    (d.value?.rows ?? []).map((r) => {
      const tags: SchoolTag[] = []
      if (r.noTeacher) tags.push({ text: t('dashFlags.staffing.noTeacher'), type: 'danger' })
      if (r.expiring) tags.push({ text: t('dashFlags.staffing.expiring'), type: 'warning' })
      if (r.trainingBelow) tags.push({ text: `${t('staffing.columns.trainingBelow')} ${r.trainingBelow}`, type: 'info' })
      if (r.students == null) tags.push({ text: t('dashFlags.staffing.notReported'), type: 'info' })
      return {
        schoolId: r.schoolId,
        code: r.code,
        name: schoolName(r),
        place: `${streetName({ nameZh: r.streetNameZh, nameEn: r.streetNameEn })} · ${t(`schoolTypes.${r.type}`)}`,
        figure: { label: t('staffing.columns.shortfall'), value: formatNumber(r.shortfall), alert: (r.shortfall ?? 0) > 0 },
        tags,
      }
    }),
  )
  const card = computed<SchoolCardView>(() => ({
    title: t('staffing.dashboard.schools'),
    total: d.value?.total ?? 0,
    filterLabel: table.flag ? t(`dashFlags.staffing.${table.flag}`) : '',
    rows: d.value?.rows ?? [],
    tableTestid: 'staffing-school-table',
    schoolColumns: true,
    defaultSort: defaultSort.value,
    exportTarget: { kind: 'staffing', table: 'staffing', filters: exportFilters.value },
    items: items.value,
  }))
  const cardBinding = bindCard(() => card.value)
  /** The certificate list's card: judged on the year's reference date, exported with the same filters. */
  const certificatesCard = computed(() => ({
    title: t('staffing.dashboard.certificates'),
    exportTable: 'certificates' as const,
    exportFilters: base.value,
  }))
  /** The by-type card: its export and its table. */
  const typeTable = computed(() => ({
    card: { title: t('staffing.dashboard.byType'), exportTable: 'staffingByType' as const, exportFilters: base.value },
    table: { rows: d.value?.byType ?? [], columns: columns.value.type },
  }))
  /** The by-street table: its rows, columns, export and test id, all decided here. */
  const streetTable = computed(() => ({
    title: t('staffing.dashboard.byStreet'),
    rows: d.value?.byStreet ?? [],
    columns: columns.value.street,
    exportTable: 'staffingByStreet' as const,
    exportFilters: base.value,
    tableTestid: 'staffing-street-table',
  }))
  const frame = district.frame(() => ({
    title: t('staffing.dashboard.title'),
    note: d.value ? `${t('district.yearNote', { year: d.value.year.label })} · ${t('staffing.refDate', { date: d.value.refDate })}` : '',
    kpis: kpis.value,
    charts: charts.value,
  }))
  /** Expiring and expired certificates, each with its school's name in the reader's language. */
  const certificates = computed(() =>
    (certs.data.value?.rows ?? []).map((c) => ({ ...c, schoolLabel: district.schoolName({ name: c.schoolName, nameEn: c.schoolNameEn }) })),
  )

  const schoolLink = useSchoolLink()

  useHead({ title: () => t('staffing.dashboard.title') })
  await Promise.all([streets, years, dash, trend, certs])
  return {
    d,
    error,
    errorMessage,
    loading,
    frame,
    streetTable,
    cardBinding,
    typeTable,
    certificatesCard,
    filters,
    base,
    schoolsTable,
    table,
    card,
    onSort,
    show,
    clearFlag,
    kpis,
    charts,
    columns,
    certificates,
    schoolLink,
  }
}
