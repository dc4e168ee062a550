import { ElMessage } from 'element-plus'
import { accreditationSettingsSchema, treeSchema, type AccreditationSettings } from '~~/shared/accreditation'

/**
 * The bureau's accreditation rules: the district settings (target, validity, pass mark, spread,
 * education groups), the indicator tree's versions (a draft edited as JSON and checked by the same
 * schema as the server, then published and frozen), and the experts' employment history.
 */
export async function useAccreditationSettings() {
  const { $trpc } = useNuxtApp()
  const { t } = useI18n()
  const { busy, run, errors } = useSubmit()
  const settingsQ = $trpc.accreditation.settings.useQuery(undefined, { queryKey: 'accreditation-settings' })
  const versionsQ = $trpc.accreditation.versions.useQuery(undefined, { queryKey: 'accreditation-versions' })
  const employmentQ = $trpc.accreditation.employment.useQuery({}, { queryKey: 'accreditation-employment' })
  const form = ref<AccreditationSettings | null>(null)
  const groupsText = ref('')
  watch(
    () => settingsQ.data.value,
    (v) => {
      if (!v) return
      form.value = structuredClone(toRaw(v))
      groupsText.value = v.groups.map((g) => `${g.name}: ${g.schoolIds.join(',')}`).join('\n')
    },
    { immediate: true },
  )
  async function saveSettings() {
    if (!form.value) return
    const groups = groupsText.value
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .map((l) => {
        const [name, ids] = l.split(/[:：]/)
        return {
          name: (name ?? '').trim(),
          schoolIds: (ids ?? '')
            .split(/[,，\s]+/)
            .filter(Boolean)
            .map(Number),
        }
      })
    const parsed = accreditationSettingsSchema.safeParse({ ...form.value, groups })
    if (!parsed.success) {
      ElMessage.error(t('errors.validation'))
      return
    }
    if (await run(() => $trpc.accreditation.updateSettings.mutate(parsed.data))) {
      ElMessage.success(t('common.saved'))
      await settingsQ.refresh()
    }
  }

  const versions = computed(() => versionsQ.data.value ?? [])
  const draft = computed(() => versions.value.find((v) => v.status === 'draft') ?? null)
  const published = computed(() => versions.value.find((v) => v.status === 'published') ?? null)
  const draftText = ref('')
  watch(
    draft,
    (v) => {
      draftText.value = v ? JSON.stringify(v.tree, null, 2) : ''
    },
    { immediate: true },
  )
  const draftProblem = ref('')
  async function newDraft() {
    if (await run(() => $trpc.accreditation.createDraft.mutate())) await versionsQ.refresh()
  }
  async function saveDraft(): Promise<boolean> {
    const v = draft.value
    if (!v) return false
    let tree: unknown
    try {
      tree = JSON.parse(draftText.value)
    } catch {
      draftProblem.value = t('accreditation.treeNotJson')
      return false
    }
    const parsed = treeSchema.safeParse(tree)
    if (!parsed.success) {
      const msg = parsed.error.issues[0]?.message ?? ''
      draftProblem.value = `${t('errors.validation')} ${msg.startsWith('accreditation.') || msg.startsWith('validation.') ? t(msg) : ''} (${parsed.error.issues[0]?.path.join('.') ?? ''})`
      return false
    }
    draftProblem.value = ''
    const ok = await run(() => $trpc.accreditation.updateDraft.mutate({ versionId: v.id, tree: parsed.data }))
    if (ok) {
      ElMessage.success(t('common.saved'))
      await versionsQ.refresh()
    }
    return ok
  }
  async function publish() {
    const v = draft.value
    if (!v || !(await saveDraft())) return
    if (await run(() => $trpc.accreditation.publish.mutate({ versionId: v.id }))) {
      ElMessage.success(t('accreditation.published'))
      await versionsQ.refresh()
    }
  }

  const experts = computed(() => employmentQ.data.value ?? [])
  const job = ref<{ accountId: number | null; schoolId: number | null; fromOn: string; toOn: string | null }>({
    accountId: null,
    schoolId: null,
    fromOn: '',
    toOn: null,
  })
  async function addJob() {
    const j = job.value
    if (!j.accountId || !j.schoolId) return
    const ok = await run(() =>
      $trpc.accreditation.addEmployment.mutate({ accountId: j.accountId!, schoolId: j.schoolId!, fromOn: j.fromOn, toOn: j.toOn || null }),
    )
    if (ok) {
      job.value = { accountId: j.accountId, schoolId: null, fromOn: '', toOn: null }
      await employmentQ.refresh()
    }
  }
  async function removeJob(jobId: number) {
    if (await run(() => $trpc.accreditation.removeEmployment.mutate({ id: jobId }))) await employmentQ.refresh()
  }
  await Promise.all([settingsQ, versionsQ, employmentQ])
  return {
    busy,
    errors,
    form,
    groupsText,
    saveSettings,
    versions,
    draft,
    published,
    draftText,
    draftProblem,
    newDraft,
    saveDraft,
    publish,
    experts,
    job,
    addJob,
    removeJob,
  }
}
