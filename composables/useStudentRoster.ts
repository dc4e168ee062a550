import { ElMessage, ElMessageBox } from 'element-plus'
import { GRADES } from '~~/shared/cases'

/** A student as the add/edit form holds it; `id` and `version` only when editing. */
export interface StudentFormValue {
  id?: number
  version?: number
  studentNo: string
  name: string
  sex: 'F' | 'M'
  birthDate: string | null
  grade: number
  className: string
  guardianName: string | null
  guardianPhone: string | null
}

const EMPTY_STUDENT: StudentFormValue = {
  studentNo: '',
  name: '',
  sex: 'F',
  birthDate: null,
  grade: 1,
  className: '',
  guardianName: null,
  guardianPhone: null,
}

/**
 * The student roster screen: filters and the list (the search term travels in the POST body), adding
 * and editing a student, importing a class list, and moving every class up a grade at the start of a year.
 */
export function useStudentRoster() {
  const { $trpc } = useNuxtApp()
  const { t } = useI18n()
  const { report } = useApiError()
  const filters = reactive<{ search: string; grade: number | ''; className: string; page: number; pageSize: number }>({
    search: '',
    grade: '',
    className: '',
    page: 1,
    pageSize: 50,
  })
  const term = useTypedTerm(() => filters.search)
  const input = computed(() => ({
    search: term.value || undefined,
    grade: filters.grade === '' ? undefined : filters.grade,
    className: filters.className || undefined,
    page: filters.page,
    pageSize: filters.pageSize,
  }))
  const list = $trpc.student.list.useQuery(input, { queryKey: 'students' })
  watch(
    () => [term.value, filters.grade, filters.className],
    () => {
      filters.page = 1
    },
  )

  /**
   * A row's case action: "view case" when one is open, "open case" (the new-case form with this
   * student preset, by id) otherwise; none for a role that may not see or open cases.
   */
  const session = useSessionStore()
  function caseAction(row: { id: number; openCaseId: number | null }): { kind: 'view' | 'open'; to: string } | null {
    if (row.openCaseId != null) return session.can('case.read') ? { kind: 'view', to: `/school/cases/${row.openCaseId}` } : null
    return session.can('case.write') ? { kind: 'open', to: `/school/cases/new?student=${row.id}` } : null
  }
  const rows = computed(() => (list.data.value?.rows ?? []).map((r) => ({ ...r, caseAction: caseAction(r) })))

  const editing = ref<StudentFormValue | null>(null)
  const importing = ref(false)

  async function saved() {
    editing.value = null
    importing.value = false
    ElMessage.success(t('common.saved'))
    await list.refresh()
  }

  const { busy, errors, run } = useSubmit()
  const save = reactive({
    busy,
    errors,
    async submit(v: StudentFormValue) {
      const payload = {
        studentNo: v.studentNo,
        name: v.name,
        sex: v.sex,
        birthDate: v.birthDate || null,
        grade: v.grade,
        className: v.className,
        guardianName: v.guardianName || null,
        guardianPhone: v.guardianPhone || null,
      }
      const ok = await run(async () => {
        if (v.id) await $trpc.student.update.mutate({ ...payload, id: v.id, version: v.version! })
        else await $trpc.student.create.mutate(payload)
      })
      if (ok) await saved()
      return ok
    },
  })

  const sendImport = (file: { fileName: string; contentBase64: string }, commit: boolean) =>
    $trpc.student.import.mutate({ ...file, commit })

  async function promote() {
    const ok = await ElMessageBox.confirm(t('student.promoteConfirm'), t('student.promote'), {
      type: 'warning',
      confirmButtonText: t('student.promote'),
      cancelButtonText: t('common.cancel'),
    }).catch(() => false)
    if (!ok) return
    try {
      const r = await $trpc.student.promote.mutate()
      ElMessage.success(t('student.promoted', { promoted: r.promoted, left: r.left }))
      await list.refresh()
    } catch (err) {
      await report(err)
    }
  }

  return {
    filters,
    list,
    rows,
    grades: GRADES,
    editing,
    importing,
    save,
    sendImport,
    saved,
    promote,
    add: () => {
      editing.value = { ...EMPTY_STUDENT }
    },
    edit: (id: number) => {
      const row = list.data.value?.rows.find((r) => r.id === id)
      if (row) editing.value = { ...row }
    },
  }
}
