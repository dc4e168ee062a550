import type { z } from 'zod'
import type { schoolYearCreateInput, schoolYearUpdateInput } from '~~/shared/schemas'

/** Every school year (for year pickers); one shared query. */
export function useSchoolYearList() {
  const { $trpc } = useNuxtApp()
  return $trpc.schoolYear.list.useQuery(undefined, { queryKey: 'school-years' })
}

/** The admin's school-year screen: the list and its row actions. */
export function useSchoolYears() {
  const { $trpc } = useNuxtApp()
  const { t } = useI18n()
  const { report } = useApiError()
  const years = useSchoolYearList()

  async function act(action: () => Promise<unknown>) {
    try {
      await action()
      ElMessage.success(t('common.saved'))
      await years.refresh()
    } catch (err) {
      await report(err)
    }
  }
  const makeCurrent = (id: number) => act(() => $trpc.schoolYear.setCurrent.mutate({ id }))
  const toggle = (row: { id: number; disabled: boolean }) =>
    act(() => (row.disabled ? $trpc.schoolYear.enable : $trpc.schoolYear.disable).mutate({ id: row.id }))
  async function saved() {
    ElMessage.success(t('common.saved'))
    await years.refresh()
  }
  return { years, makeCurrent, toggle, saved }
}

export type YearSave = z.input<typeof schoolYearCreateInput> | z.input<typeof schoolYearUpdateInput>

/** Creates or renames a school year (the form dialog's one call). */
export function useYearSave() {
  const { $trpc } = useNuxtApp()
  return (v: YearSave) => ('id' in v && v.id ? $trpc.schoolYear.update.mutate({ ...v, id: v.id }) : $trpc.schoolYear.create.mutate(v))
}
