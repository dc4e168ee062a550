import { useI18n } from 'vue-i18n'

/** The home page of a school's own staff: the school's profile and its case counts. */
export function useSchoolHome() {
  const { $trpc } = useNuxtApp()
  const { t, locale } = useI18n()
  const session = useSessionStore()
  const schoolId = computed(() => session.user?.schoolId ?? 0)
  const school = $trpc.school.byId.useQuery(() => ({ id: schoolId.value }), { queryKey: 'my-school' })
  const counts = $trpc.case.schoolCounts.useQuery(undefined, { queryKey: 'my-school-case-counts' })
  const title = computed(() => {
    const s = school.data.value
    if (!s) return t('school.title')
    return locale.value === 'en' && s.nameEn ? s.nameEn : s.name
  })
  /** Overdue tasks and overdue follow-ups, shown as one figure. */
  const overdue = computed(() => (counts.data.value ? counts.data.value.overdueTasks + counts.data.value.overdueFollowUps : 0))
  return { session, school, counts, title, overdue, ready: Promise.all([school, counts]) }
}
