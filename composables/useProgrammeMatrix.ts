import { computed, ref } from 'vue'
import { percent } from '~~/shared/dashboard'
import { ITEM_STATUSES, PROGRAMME_ITEMS, type ItemStatus, type ProgrammeItem } from '~~/shared/programme'
import type { ChartView, KpiView, SchoolCardView } from './dashboard-view'
import { tableFromQuery, useDashboardTable } from './useDashboardTable'
import { useDistrictFilters } from './useDistrictFilters'
import { useLoadError } from './useLoadError'

const PALETTE = ['#2f7d6d', '#6da499', '#97beb6', '#409eff', '#e6a23c', '#f56c6c', '#909399']

/** The bureau's schools × seven items matrix: completion rates, trend, and one school's evidence in a drawer. */
export async function useProgrammeMatrix() {
  const { t } = useI18n()
  const { $trpc } = useNuxtApp()
  const { formatNumber } = useFormat()
  const district = useDistrictFilters()
  const { streets, years, base, schoolsTable, streetName, schoolName } = district
  const { read, keep } = district.query
  const status = ref<ItemStatus | ''>(read.oneOf('status', ITEM_STATUSES))
  const openOnly = ref(read.flag('open'))
  // The matrix's flag is the item a figure stands for; it is listed by status, not sorted.
  const {
    table,
    show: showItem,
    queryState,
  } = useDashboardTable<ProgrammeItem>(district, {
    pageSize: 30,
    watch: [status, openOnly],
    initial: tableFromQuery(read, PROGRAMME_ITEMS),
  })
  keep(() => ({ ...district.queryState(), ...queryState(), status: status.value, open: openOnly.value }))
  const input = computed(() => ({
    ...base.value,
    item: table.flag || undefined,
    status: status.value || undefined,
    openOnly: openOnly.value,
    page: table.page,
    pageSize: table.pageSize,
  }))
  const matrix = $trpc.programme.matrix.useQuery(input, { queryKey: 'programme-matrix' })
  const trend = $trpc.programme.trend.useQuery(() => ({ streetId: base.value.streetId, type: base.value.type }), {
    queryKey: 'programme-trend',
  })

  const d = computed(() => matrix.data.value)
  const { error, errorMessage } = useLoadError(matrix, trend)
  const loading = computed(() => matrix.status.value === 'pending')

  /** Lists the schools with `item` in `itemStatus` (either may be '' for any) and brings the table into view. */
  function show(item: ProgrammeItem | '', itemStatus: ItemStatus | '') {
    status.value = itemStatus
    showItem(item)
  }
  function showAll() {
    openOnly.value = false
    show('', '')
  }
  function showOpen() {
    openOnly.value = true
    show('', '')
  }

  const pctText = (v: number | null) => (v == null ? '—' : `${v}%`)
  const kpis = computed<KpiView[]>(() => {
    const rates = d.value?.rates
    if (!rates) return []
    return [
      {
        key: 'allSeven',
        label: t('programme.matrix.allSeven'),
        value: pctText(rates.allSevenRate),
        sub: `${formatNumber(rates.allSeven)} / ${formatNumber(rates.schools)}`,
        testid: 'kpi-all-seven',
        action: showAll,
      },
      ...rates.items.map((r) => ({
        key: r.item,
        label: t(`itemsShort.${r.item}`),
        value: pctText(r.rate),
        sub: `${t('itemStatus.in_progress')} ${r.in_progress} · ${t('itemStatus.not_started')} ${r.not_started}`,
        active: table.flag === r.item,
        testid: `kpi-item-${r.item}`,
        action: () => show(r.item, 'not_started'),
      })),
    ]
  })

  const charts = computed<ChartView[]>(() => {
    const items = d.value?.rates.items ?? []
    const n = d.value?.rates.schools ?? 0
    const ys = trend.data.value?.years ?? []
    return [
      {
        key: 'rates',
        title: t('programme.matrix.rates'),
        labels: items.map((i) => t(`itemsShort.${i.item}`)),
        stacked: true,
        max: 100,
        series: [
          { label: t('itemStatus.complete'), data: items.map((i) => i.rate ?? 0), color: '#2f7d6d' },
          { label: t('itemStatus.in_progress'), data: items.map((i) => percent(i.in_progress, n) ?? 0), color: '#e6a23c' },
          { label: t('itemStatus.not_started'), data: items.map((i) => percent(i.not_started, n) ?? 0), color: '#c0c4cc' },
        ],
        pick: (index) => {
          const item = PROGRAMME_ITEMS[index]
          if (item) show(item, 'not_started')
        },
      },
      {
        key: 'trend',
        title: t('programme.matrix.trend'),
        labels: ys.map((y) => y.year.label),
        max: 100,
        series: [
          ...PROGRAMME_ITEMS.map((item, k) => ({
            label: t(`itemsShort.${item}`),
            data: ys.map((y) => y.items.find((i) => i.item === item)?.rate ?? 0),
            color: PALETTE[k]!,
            type: 'line' as const,
          })),
          { label: t('programme.matrix.allSeven'), data: ys.map((y) => y.allSevenRate ?? 0), color: '#1f2d3d' },
        ],
      },
    ]
  })

  const filterLabel = computed(() => {
    const s = status.value ? t(`itemStatus.${status.value}`) : ''
    return table.flag ? `${t(`itemsShort.${table.flag}`)} · ${s}` : s
  })
  /** What the export lists: the matrix under the same filters, every page. */
  const exportFilters = computed(() => ({
    ...base.value,
    item: table.flag || undefined,
    status: status.value || undefined,
    openOnly: openOnly.value,
  }))
  const card = computed<SchoolCardView>(() => ({
    title: t('programme.matrix.schools'),
    exportTarget: { kind: 'programmeMatrix', filters: exportFilters.value },
    total: d.value?.total ?? 0,
    filterLabel: filterLabel.value,
    // Each school with its name, street and type in the reader's language.
    rows: (d.value?.rows ?? []).map((r) => ({
      ...r,
      schoolLabel: schoolName(r.school),
      placeLabel: `${streetName({ nameZh: r.school.streetNameZh, nameEn: r.school.streetNameEn })} · ${t(`schoolTypes.${r.school.type}`)}`,
    })),
    tableTestid: 'programme-matrix',
  }))

  const frame = district.frame(() => ({
    title: t('programme.matrix.title'),
    note: d.value ? `${t('district.yearNote', { year: d.value.year.label })} · ${t('programme.refDate', { date: d.value.refDate })}` : '',
    kpis: kpis.value,
    charts: charts.value,
  }))

  /** The cell whose evidence the drawer shows. */
  const detail = ref<{ schoolId: number; name: string; item: ProgrammeItem } | null>(null)
  const drawerOpen = computed({
    get: () => detail.value != null,
    set: (v: boolean) => {
      if (!v) detail.value = null
    },
  })
  function openCell(school: { id: number; name: string; nameEn: string | null }, item: ProgrammeItem) {
    detail.value = { schoolId: school.id, name: schoolName(school), item }
  }

  const schoolLink = useSchoolLink()

  useHead({ title: () => t('programme.matrix.title') })
  await Promise.all([streets, years, matrix, trend])
  return {
    d,
    error,
    errorMessage,
    loading,
    frame,
    filters: district.filters,
    schoolsTable,
    table,
    card,
    openOnly,
    show,
    showOpen,
    kpis,
    charts,
    detail,
    drawerOpen,
    openCell,
    schoolLink,
  }
}
