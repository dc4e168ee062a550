import { backFromSchool, ORIGIN_TAB, ORIGIN_TITLE } from './useSchoolLink'

const TABS = ['profile', 'team', 'room', 'programme'] as const
type Tab = (typeof TABS)[number]

/**
 * One school as the bureau sees it: its profile, and the team, room and programme tabs the role may read.
 * Opened from a dashboard, it starts on the tab that dashboard is about and leads back to the dashboard
 * with the filters it was left with (the address carries them, see useSchoolLink).
 */
export async function useBureauSchool() {
  const { t, locale } = useI18n()
  const route = useRoute()
  const router = useRouter()
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
  const showTabs = computed(() => session.can('staffing.read'))
  const showProgramme = computed(() => session.can('programme.read'))

  const back = computed(() => backFromSchool(route.query))
  /** "Back to Psychology teacher staffing", with that dashboard's filters restored. */
  const backLink = computed(() => ({ to: back.value.to, label: t('district.backTo', { page: t(ORIGIN_TITLE[back.value.origin]) }) }))

  const allowed = (tab: string): tab is Tab =>
    (TABS as readonly string[]).includes(tab) && (tab !== 'programme' || showProgramme.value) && (tab === 'profile' || showTabs.value)
  const asked = typeof route.query.tab === 'string' ? route.query.tab : ''
  const tab = ref<Tab>(allowed(asked) ? asked : allowed(ORIGIN_TAB[back.value.origin]) ? (ORIGIN_TAB[back.value.origin] as Tab) : 'profile')
  // The open tab lives in the address too, so a reload stays on it.
  watch(tab, (v) => {
    void router.replace({ query: { ...route.query, tab: v } })
  })

  /** The school year the dashboard showed, so the tabs open on the same year's records. */
  const yearOfOrigin = computed(() => {
    const y = route.query.year
    return typeof y === 'string' && /^[1-9]\d{0,8}$/.test(y) ? Number(y) : undefined
  })

  useHead({ title: headTitle })
  await Promise.all([query])
  return { error, errorMessage, id, school, title, headTitle, tab, showTabs, showProgramme, backLink, yearOfOrigin }
}
