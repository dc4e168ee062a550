import { SCHOOL_TYPES } from '~~/shared/roles'
import { SCHOOL_SORTS } from '~~/shared/schemas'
import type { SchoolListItem } from './dashboard-view'
import type { ExportTarget } from './useDashboardExport'
import { SCHOOL_LIST_DEFAULTS } from './useSchools'

/**
 * The bureau's home: district totals for a year, enrolment by street and the school list, whose filters,
 * sort and page live in the address (so a school's page leads back to the same list).
 */
export async function useBureauOverview() {
  const { t, locale } = useI18n()
  const { $trpc } = useNuxtApp()
  const { formatNumber } = useFormat()
  const { streets, years } = useStreetsAndYears()
  const { read, keep } = useDashboardQuery()
  const { filters, list, onSort, exportFilters } = useSchools('bureau-schools', 'active', {
    search: read.text('q'),
    streetId: read.id('street'),
    type: read.oneOf('type', SCHOOL_TYPES),
    schoolYearId: read.id('year'),
    sort: read.oneOf('sort', SCHOOL_SORTS) || SCHOOL_LIST_DEFAULTS.sort,
    order: read.oneOf('order', ['asc', 'desc'] as const) || SCHOOL_LIST_DEFAULTS.order,
    page: read.id('page') || 1,
  })
  keep(() => ({
    q: filters.search.trim(),
    street: filters.streetId,
    type: filters.type,
    year: filters.schoolYearId,
    sort: filters.sort !== SCHOOL_LIST_DEFAULTS.sort ? filters.sort : undefined,
    order: filters.order !== SCHOOL_LIST_DEFAULTS.order ? filters.order : undefined,
    page: filters.page > 1 ? filters.page : undefined,
  }))
  const overview = $trpc.school.overview.useQuery(() => ({ schoolYearId: filters.schoolYearId || undefined }), {
    queryKey: 'district-overview',
  })

  const o = computed(() => overview.data.value)
  const { error, errorMessage } = useLoadError(overview, list)
  const year = computed(() => years.data.value?.find((y) => y.id === o.value?.schoolYearId))
  const totals = computed(() => o.value?.totals ?? { schools: 0, students: 0, classes: 0, reporting: 0 })
  const byStreet = computed(() => o.value?.streets ?? [])
  const chart = computed(() => ({
    labels: byStreet.value.map((s) => (locale.value === 'en' ? s.nameEn : s.nameZh)),
    series: [{ label: t('fields.students'), data: byStreet.value.map((s) => s.students), color: '#2f7d6d' }],
  }))
  const rows = computed(() => list.data.value?.rows ?? [])
  const total = computed(() => list.data.value?.total ?? 0)
  const loading = computed(() => list.status.value === 'pending')
  const streetLabel = (r: { streetNameZh: string; streetNameEn: string }) => (locale.value === 'en' ? r.streetNameEn : r.streetNameZh)
  /** The listed schools as phone cards: the school, its street and type, its students. */
  const items = computed<SchoolListItem[]>(() =>
    rows.value.map((r) => ({
      schoolId: r.id,
      code: r.code,
      name: (locale.value === 'en' && r.nameEn) || r.name,
      place: `${streetLabel(r)} · ${t(`schoolTypes.${r.type}`)}`,
      figure: { label: t('fields.students'), value: formatNumber(r.students) },
      tags: r.students == null ? [{ text: t('dashFlags.staffing.notReported'), type: 'info' as const }] : [],
    })),
  )
  const exportTarget = computed<ExportTarget>(() => ({ kind: 'schoolList', filters: exportFilters.value }))
  /** el-table's sort indicator for the sort in force. */
  const defaultSort = computed(() => {
    const prop = filters.sort === 'street' ? 'streetNameZh' : filters.sort
    return { prop, order: filters.order === 'desc' ? ('descending' as const) : ('ascending' as const) }
  })
  const schoolLink = useSchoolLink()

  /** A street in the table narrows the school list to it. */
  function pickStreet(id: number) {
    filters.streetId = id
  }

  useHead({ title: () => t('district.title') })
  await Promise.all([streets, years, list, overview])
  return {
    error,
    errorMessage,
    streets,
    years,
    filters,
    onSort,
    year,
    overview: o,
    totals,
    byStreet,
    chart,
    rows,
    total,
    loading,
    pickStreet,
    items,
    exportTarget,
    defaultSort,
    schoolLink,
  }
}
