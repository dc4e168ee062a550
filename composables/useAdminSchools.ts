import { ElMessage, ElMessageBox } from 'element-plus'
import { useI18n } from 'vue-i18n'
import type { z } from 'zod'
import type { enrolmentInput, schoolCreateInput, schoolUpdateInput } from '~~/shared/schemas'
import type { enrolmentImportInput, schoolEnrolmentInput } from '~~/shared/staffing-schemas'

/** The admin's school screen: every school (active or not), the pickers' data, and enabling/disabling a row. */
export function useAdminSchools() {
  const { $trpc } = useNuxtApp()
  const { t } = useI18n()
  const { report } = useApiError()
  const { filters, list, onSort } = useSchools('admin-schools', 'all')
  const { streets, years } = useStreetsAndYears()

  async function toggle(row: { id: number; name: string; disabled: boolean }) {
    if (!row.disabled) {
      const ok = await ElMessageBox.confirm(t('schools.disableConfirm', { name: row.name }), t('schools.disable'), {
        type: 'warning',
        confirmButtonText: t('schools.disable'),
        cancelButtonText: t('common.cancel'),
      }).catch(() => false)
      if (!ok) return
    }
    try {
      await (row.disabled ? $trpc.school.enable : $trpc.school.disable).mutate({ id: row.id })
      await list.refresh()
    } catch (err) {
      await report(err)
    }
  }
  async function saved() {
    ElMessage.success(t('common.saved'))
    await list.refresh()
  }

  return { filters, list, onSort, streets, years, toggle, saved, ready: Promise.all([list, streets, years]) }
}

export type SchoolSave = z.input<typeof schoolCreateInput> | z.input<typeof schoolUpdateInput>
export type EnrolmentSave = z.input<typeof enrolmentInput>
export type OwnEnrolmentSave = z.input<typeof schoolEnrolmentInput>

/**
 * The school and enrolment dialogs' calls. The admin sets any school's enrolment; a school admin
 * sets their own (the server takes the school from the session, never from the form).
 */
export function useSchoolRecords() {
  const { $trpc } = useNuxtApp()
  return {
    saveSchool: (v: SchoolSave) => ('id' in v ? $trpc.school.update.mutate(v) : $trpc.school.create.mutate(v)),
    setEnrolment: (v: EnrolmentSave) => $trpc.school.setEnrolment.mutate(v),
    setOwnEnrolment: (v: OwnEnrolmentSave) => $trpc.staffing.setEnrolment.mutate(v),
    importEnrolment: (v: z.input<typeof enrolmentImportInput>) => $trpc.staffing.importEnrolment.mutate(v),
  }
}
