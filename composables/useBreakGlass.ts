import { ElMessage } from 'element-plus'
import { DEFAULT_BREAK_GLASS_SETTINGS, type BreakGlassSettings } from '~~/shared/break-glass'

/** The break-glass screen (admin, district centre): open a case file with a reason; the caller's own openings. */
export function useBreakGlass() {
  const { $trpc } = useNuxtApp()
  const { t } = useI18n()
  const mine = $trpc.breakGlass.mine.useQuery(undefined, { queryKey: 'break-glass-mine' })
  const rows = computed(() => mine.data.value ?? [])
  const form = reactive<{ caseId: number | undefined; reason: string }>({ caseId: undefined, reason: '' })
  const { run, errors, busy } = useSubmit()
  async function open() {
    let opened: { id: number } | null = null
    const ok = await run(async () => {
      opened = await $trpc.breakGlass.open.mutate({ caseId: form.caseId ?? 0, reason: form.reason })
    })
    if (!ok || !opened) return
    form.reason = ''
    ElMessage.success(t('breakGlass.opened'))
    await mine.refresh()
    await navigateTo(`/break-glass/${(opened as { id: number }).id}`)
  }
  return { mine, rows, form, errors, busy, open }
}

/** One opening's case file, read-only, while the opening lasts. */
export function useBreakGlassFile(id: number) {
  const { $trpc } = useNuxtApp()
  const q = $trpc.breakGlass.read.useQuery({ id }, { queryKey: `break-glass-${id}` })
  const file = computed(() => q.data.value?.file ?? null)
  const expiresAt = computed(() => q.data.value?.grant.expiresAt ?? null)
  const { message } = useApiError()
  const problem = computed(() => (q.error.value ? message(q.error.value) : null))
  return { q, file, expiresAt, problem }
}

/** The bureau's review of break-glass openings. */
export function useBreakGlassReview() {
  const { $trpc } = useNuxtApp()
  const { report } = useApiError()
  const filter = ref<'unreviewed' | 'all'>('unreviewed')
  const q = $trpc.breakGlass.review.useQuery(
    computed(() => ({ filter: filter.value })),
    { queryKey: 'break-glass-review' },
  )
  const rows = computed(() => q.data.value ?? [])
  async function markReviewed(id: number) {
    try {
      await $trpc.breakGlass.markReviewed.mutate({ id })
      await q.refresh()
    } catch (err) {
      await report(err)
    }
  }
  return { filter, q, rows, markReviewed }
}

/** The bureau's district-centre settings: which schools' alerts go to the centre, and how long a break-glass opening lasts. */
export function useCentreSettings() {
  const { $trpc } = useNuxtApp()
  const { t } = useI18n()
  const { report } = useApiError()
  const routing = $trpc.centre.routing.useQuery(undefined, { queryKey: 'centre-routing' })
  const settings = $trpc.breakGlass.settings.useQuery(undefined, { queryKey: 'break-glass-settings' })
  const search = ref('')
  const rows = computed(() => {
    const s = search.value.trim().toLowerCase()
    const all = routing.data.value ?? []
    return s ? all.filter((r) => `${r.code} ${r.name} ${r.nameEn}`.toLowerCase().includes(s)) : all
  })
  const minutes = computed<BreakGlassSettings>(() => settings.data.value ?? DEFAULT_BREAK_GLASS_SETTINGS)
  const { run, errors, busy } = useSubmit()
  async function setRouting(schoolId: number, toCentre: boolean) {
    try {
      await $trpc.centre.setRouting.mutate({ schoolId, toCentre })
      ElMessage.success(t('common.saved'))
      await routing.refresh()
    } catch (err) {
      await report(err)
    }
  }
  async function saveMinutes(v: BreakGlassSettings) {
    const ok = await run(() => $trpc.breakGlass.updateSettings.mutate({ minutes: v.minutes }))
    if (ok) {
      ElMessage.success(t('common.saved'))
      await settings.refresh()
    }
  }
  return { search, rows, minutes, errors, busy, setRouting, saveMinutes }
}
