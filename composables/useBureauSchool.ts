/** One school as the bureau sees it: its profile, and the team, room and programme tabs the role may read. */
export async function useBureauSchool() {
  const { t, locale } = useI18n()
  const route = useRoute()
  const session = useSessionStore()
  const { $trpc } = useNuxtApp()
  const id = computed(() => Number(route.params.id))
  const query = $trpc.school.byId.useQuery(() => ({ id: id.value }), { queryKey: `school-${id.value}` })
  const school = computed(() => query.data.value ?? null)
  const { error, errorMessage } = useLoadError(query)
  const title = computed(() =>
    school.value ? (locale.value === 'en' && school.value.nameEn ? school.value.nameEn : school.value.name) : t('school.notFound'),
  )
  /** The browser tab names the school by its registered (Chinese) name. */
  const headTitle = computed(() => school.value?.name ?? t('school.notFound'))
  const tab = ref('profile')
  const showTabs = computed(() => session.can('staffing.read'))
  const showProgramme = computed(() => session.can('programme.read'))
  useHead({ title: headTitle })
  await Promise.all([query])
  return { error, errorMessage, id, school, title, headTitle, tab, showTabs, showProgramme }
}
