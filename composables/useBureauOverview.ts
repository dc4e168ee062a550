/** The bureau's home: district totals for a year, enrolment by street and the school list. */
export async function useBureauOverview() {
  const { t, locale } = useI18n()
  const { $trpc } = useNuxtApp()
  const { streets, years } = useStreetsAndYears()
  const { filters, list, onSort } = useSchools('bureau-schools')
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
  }
}
