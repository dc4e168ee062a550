import { ElMessage } from 'element-plus'

/** The school admin's accreditation page: the school's applications and titles, and opening a new application. */
export async function useSchoolAccreditation() {
  const { $trpc } = useNuxtApp()
  const { t } = useI18n()
  const { busy, run } = useSubmit()
  const mine = $trpc.accreditation.mine.useQuery(undefined, { queryKey: 'accreditation-mine' })
  const titles = $trpc.accreditation.myTitles.useQuery(undefined, { queryKey: 'accreditation-my-titles' })
  const { errorMessage } = useLoadError(mine, titles)
  const d = computed(() => mine.data.value ?? null)
  const current = computed(() => d.value?.applications.find((a) => a.stage !== 'decided') ?? null)
  const past = computed(() => d.value?.applications.filter((a) => a.stage === 'decided') ?? [])
  async function open() {
    if (await run(() => $trpc.accreditation.open.mutate())) {
      ElMessage.success(t('accreditation.opened'))
      await mine.refresh()
    }
  }
  await Promise.all([mine, titles])
  return { d, current, past, titles: computed(() => titles.data.value ?? []), errorMessage, busy, open, refresh: () => mine.refresh() }
}
