import { ElMessage } from 'element-plus'
import { DEFAULT_PROGRAMME_RULES, type Indicator, type ProgrammeRules } from '~~/shared/programme'
import { DEFAULT_ROOM_SETTINGS, DEFAULT_STAFFING_SETTINGS, type RoomSettings, type StaffingSettings } from '~~/shared/staffing'

/** The district's local rules: staffing ratio and room standard, then the seven-ones rules and indicators. */
export async function useDistrictSettings() {
  const { t } = useI18n()
  const { $trpc } = useNuxtApp()
  const { years } = useStreetsAndYears()
  const current = $trpc.staffing.settings.useQuery(undefined, { queryKey: 'district-settings' })
  const programme = $trpc.programme.settings.useQuery(undefined, { queryKey: 'programme-settings' })
  const { error, errorMessage } = useLoadError(current, programme)
  const updatedAt = computed(() => current.data.value?.updatedAt ?? null)
  const yearLabels = computed(() => (years.data.value ?? []).map((y) => y.label))

  const staffingSubmit = useSubmit()
  const staffing = reactive<StaffingSettings>({ ...DEFAULT_STAFFING_SETTINGS })
  const rooms = reactive<RoomSettings>(structuredClone(DEFAULT_ROOM_SETTINGS))
  watch(
    () => current.data.value,
    (v) => {
      if (!v) return
      Object.assign(staffing, v.staffing)
      Object.assign(rooms, { ...v.rooms, targets: v.rooms.targets.map((x) => ({ ...x })) })
    },
    { immediate: true },
  )

  /** A new target row takes the earliest year that has none yet. */
  function addTarget() {
    const used = new Set(rooms.targets.map((x) => x.year))
    const next = [...yearLabels.value].sort().find((l) => !used.has(l))
    rooms.targets.push({ year: next ?? '', percent: 100 })
  }
  function removeTarget(i: number) {
    rooms.targets.splice(i, 1)
  }
  async function saveStaffing() {
    const ok = await staffingSubmit.run(() =>
      $trpc.staffing.updateSettings.mutate({
        staffing: { ...staffing },
        rooms: { ...rooms, targets: rooms.targets.map((x) => ({ ...x })) },
      }),
    )
    if (ok) {
      ElMessage.success(t('settings.saved'))
      await current.refresh()
    }
  }
  /** Field errors arrive with paths like `rooms.targets.0.percent`; the form shows them by the last key. */
  const err = (path: string) => staffingSubmit.errors.value[path] ?? staffingSubmit.errors.value[path.split('.').at(-1)!]

  const programmeSubmit = useSubmit()
  const rules = ref<ProgrammeRules>(structuredClone(DEFAULT_PROGRAMME_RULES))
  const indicators = ref<Indicator[]>([])
  watch(
    () => programme.data.value,
    (v) => {
      if (!v) return
      rules.value = structuredClone(toRaw(v.rules))
      indicators.value = v.indicators.map((i) => ({ ...i }))
    },
    { immediate: true },
  )
  async function saveProgramme() {
    const ok = await programmeSubmit.run(() =>
      $trpc.programme.updateSettings.mutate({
        rules: structuredClone(toRaw(rules.value)),
        indicators: indicators.value.map((i) => ({ ...i })),
      }),
    )
    if (ok) {
      ElMessage.success(t('settings.programmeSaved'))
      await programme.refresh()
    }
  }
  /** The programme form shows the server's first issue above its save button. */
  const programmeIssue = computed(() => Object.values(programmeSubmit.errors.value)[0])

  useHead({ title: () => t('settings.title') })
  await Promise.all([years, current, programme])
  return {
    error,
    errorMessage,
    updatedAt,
    yearLabels,
    staffing,
    rooms,
    addTarget,
    removeTarget,
    saveStaffing,
    savingStaffing: staffingSubmit.busy,
    err,
    rules,
    indicators,
    saveProgramme,
    savingProgramme: programmeSubmit.busy,
    programmeIssue,
  }
}
