import type { z } from 'zod'
import { roomSaveInput } from '~~/shared/staffing-schemas'
import type { OptionalRoomArea } from '~~/shared/staffing'

export interface RoomForm {
  isSetUp: boolean
  setUpOn: string | null
  displayName: string | null
  individualM2: number | null
  groupM2: number | null
  officeM2: number | null
  optionalAreas: OptionalRoomArea[]
  hasMailbox: boolean
  weeklyOpenHours: number
}
const EMPTY: RoomForm = {
  isSetUp: false,
  setUpOn: null,
  displayName: null,
  individualM2: null,
  groupM2: null,
  officeM2: null,
  optionalAreas: [],
  hasMailbox: false,
  weeklyOpenHours: 0,
}

/**
 * A school's counselling room for one year (own school when `schoolId` is left out): the record, the
 * form over it and its save. Whether it meets the district standard, and why not, is the server's verdict.
 */
export function useRoomRecord(schoolId: () => number | undefined, startYearId?: number) {
  const { $trpc } = useNuxtApp()
  const { t } = useI18n()
  const years = useSchoolYearList()
  const { busy, errors, run, check, formRef, rules: formRules } = useFormSchema(roomSaveInput)
  const yearId = ref<number | ''>(startYearId ?? '')
  const room = $trpc.staffing.room.useQuery(() => ({ schoolId: schoolId(), schoolYearId: yearId.value || undefined }), {
    queryKey: `staffing-room-${schoolId() ?? 'own'}`,
  })
  const data = computed(() => room.data.value)
  const rules = computed(() => data.value?.settings)
  const form = reactive<RoomForm>({ ...EMPTY })
  watch(
    () => room.data.value,
    (d) => {
      // the record's own fields only: `hoursSource` says where the shown hours came from, it is not saved
      const { hoursSource: _source, ...record } = d?.room ?? { hoursSource: null }
      Object.assign(form, { ...EMPTY, ...record })
      errors.value = {}
    },
    { immediate: true },
  )

  async function save() {
    const d = data.value
    if (!d) return
    const payload: z.input<typeof roomSaveInput> = {
      ...form,
      optionalAreas: [...form.optionalAreas],
      displayName: form.displayName || null,
      setUpOn: form.isSetUp ? form.setUpOn : null,
      schoolYearId: d.year.id,
      version: d.version,
    }
    if (!check(roomSaveInput, payload)) return
    if (await run(() => $trpc.staffing.saveRoom.mutate(payload))) {
      ElMessage.success(t('common.saved'))
      await room.refresh()
    }
  }

  return { years, yearId, room, data, rules, form, formRef, formRules, busy, errors, save, ready: Promise.all([years, room]) }
}
