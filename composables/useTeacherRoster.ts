import { ElMessage, ElMessageBox } from 'element-plus'

/** A teacher as the add/edit form holds it; `id` and `version` only when editing. */
export interface TeacherFormValue {
  id?: number
  version?: number
  staffNo: string
  name: string
  sex: 'F' | 'M'
  birthYear: number | null
  subject: string | null
  phone: string | null
}

const EMPTY: TeacherFormValue = { staffNo: '', name: '', sex: 'F', birthYear: null, subject: null, phone: null }

/** The teacher roster screen: list and search, add and edit by hand, import a staff list, mark a teacher as left. */
export function useTeacherRoster() {
  const { $trpc } = useNuxtApp()
  const { t } = useI18n()
  const { report } = useApiError()
  const filters = reactive({ search: '', page: 1, pageSize: 50 })
  const term = useTypedTerm(() => filters.search)
  const input = computed(() => ({ search: term.value || undefined, page: filters.page, pageSize: filters.pageSize }))
  const list = $trpc.teacher.list.useQuery(input, { queryKey: 'teachers' })
  watch(term, () => {
    filters.page = 1
  })
  const rows = computed(() => list.data.value?.rows ?? [])
  const editing = ref<TeacherFormValue | null>(null)
  const importing = ref(false)
  const { run, errors, busy } = useSubmit()

  function add() {
    editing.value = { ...EMPTY }
  }
  function edit(id: number) {
    const r = rows.value.find((x) => x.id === id)
    if (r) editing.value = { ...r }
  }
  async function save(v: TeacherFormValue): Promise<boolean> {
    const fields = { staffNo: v.staffNo, name: v.name, sex: v.sex, birthYear: v.birthYear, subject: v.subject, phone: v.phone }
    const ok = await run(() =>
      v.id != null ? $trpc.teacher.update.mutate({ ...fields, id: v.id, version: v.version! }) : $trpc.teacher.create.mutate(fields),
    )
    if (ok) await saved()
    return ok
  }
  async function saved() {
    editing.value = null
    importing.value = false
    ElMessage.success(t('common.saved'))
    await list.refresh()
  }
  async function remove(id: number) {
    const r = rows.value.find((x) => x.id === id)
    if (!r) return
    try {
      await ElMessageBox.confirm(t('teacherRoster.removeConfirm', { name: r.name }), t('teacherRoster.remove'), { type: 'warning' })
    } catch {
      return
    }
    try {
      await $trpc.teacher.remove.mutate({ id, version: r.version })
      await list.refresh()
    } catch (err) {
      await report(err)
    }
  }
  function sendImport(file: { fileName: string; contentBase64: string }, commit: boolean) {
    return $trpc.teacher.import.mutate({ ...file, commit })
  }
  return { filters, list, rows, editing, importing, errors, busy, add, edit, save, saved, remove, sendImport }
}

/** The school's teachers as picker options (reissuing a code). */
export function useTeacherOptions() {
  const { $trpc } = useNuxtApp()
  const session = useSessionStore()
  const options = ref<{ id: number; name: string; staffNo: string }[]>([])
  onMounted(async () => {
    if (!session.can('teacher.read')) return
    const all = await $trpc.teacher.list.query({ pageSize: 200 }).catch(() => null)
    options.value = (all?.rows ?? []).map((r) => ({ id: r.id, name: r.name, staffNo: r.staffNo }))
  })
  return { options }
}
