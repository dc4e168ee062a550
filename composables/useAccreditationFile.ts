import { ElMessage } from 'element-plus'
import { treePoints, type Category, type Decision, type Point } from '~~/shared/accreditation'
import type { ExportFormat } from '~~/shared/exports'

export type FileReader = 'school' | 'expert' | 'bureau'

export interface SheetForm {
  scores: Record<string, number | null>
  comments: Record<string, string>
}

/**
 * One accreditation file as its reader sees it (the school, an assigned expert, the bureau): the
 * indicator tree it is scored against, the school's self-assessment, the 系统核验 facts, evidence
 * files, and each role's own actions. The server decides what is in the answer; this only shapes it.
 */
export async function useAccreditationFile(reader: FileReader, id: () => number) {
  const { $trpc } = useNuxtApp()
  const { t, locale } = useI18n()
  const { busy, run, errors } = useSubmit()
  const { save } = useDownload()
  const { uploadTo } = useUpload()
  const key = () => `accreditation-${reader}-${id()}`
  const input = () => ({ applicationId: id() })
  const query =
    reader === 'school'
      ? $trpc.accreditation.schoolApplication.useQuery(input, { queryKey: key() })
      : reader === 'expert'
        ? $trpc.accreditation.review.useQuery(input, { queryKey: key() })
        : $trpc.accreditation.application.useQuery(input, { queryKey: key() })
  const d = computed(() => query.data.value ?? null)
  const { errorMessage } = useLoadError(query)
  const en = computed(() => locale.value === 'en')

  const points = computed(() => (d.value ? treePoints(d.value.tree.categories) : []))
  const categories = computed<Category[]>(() => d.value?.tree.categories ?? [])
  const schoolName = computed(() => (d.value ? (en.value && d.value.school.nameEn ? d.value.school.nameEn : d.value.school.name) : ''))
  const pointText = (p: Pick<Point, 'textZh' | 'textEn'>) => (en.value ? p.textEn : p.textZh)
  const nameOf = (n: { nameZh: string; nameEn: string }) => (en.value ? n.nameEn : n.nameZh)

  /** The sheet being edited: the school's self-assessment or the expert's own desk sheet. */
  const form = ref<SheetForm>({ scores: {}, comments: {} })
  // Filled from the server once per file: a refresh after an upload must not wipe what is being typed.
  let loadedFor: number | null = null
  watch(
    d,
    (v) => {
      if (!v || v.id === loadedFor) return
      loadedFor = v.id
      const source = reader === 'expert' ? v.mySheet : reader === 'school' ? v.self : null
      if (!source) return
      form.value = {
        scores: Object.fromEntries(points.value.map((p) => [p.code, source.scores[p.code] ?? null])),
        comments: Object.fromEntries(points.value.map((p) => [p.code, source.comments[p.code] ?? ''])),
      }
    },
    { immediate: true },
  )
  const sheetPoints = () =>
    points.value.map((p) => ({ code: p.code, score: form.value.scores[p.code] ?? null, comment: form.value.comments[p.code] ?? '' }))

  const schoolEditable = computed(() => reader === 'school' && (d.value?.stage === 'draft' || d.value?.stage === 'returned'))
  const expertEditable = computed(() => reader === 'expert' && d.value?.stage === 'review' && !d.value?.mySheet?.submittedAt)
  const canDelta = computed(() => reader === 'expert' && d.value?.stage === 'visited' && !!d.value?.mySheet?.submittedAt)
  const evidenceUrl = (fileId: number) => `/api/accreditation-evidence/${reader === 'bureau' ? '' : `${reader}/`}${fileId}`
  const evidenceOf = (code: string) => (d.value?.evidence ?? []).filter((e) => e.pointCode === code)

  async function act(fn: () => Promise<unknown>, message = t('common.saved')) {
    const ok = await run(fn)
    if (ok) {
      ElMessage.success(message)
      await query.refresh()
    }
    return ok
  }

  // ── the school ──
  const saveSelf = () =>
    act(() => $trpc.accreditation.saveSelf.mutate({ applicationId: id(), version: d.value?.version ?? 1, points: sheetPoints() }))
  async function submitSelf() {
    if (
      !(await act(() =>
        $trpc.accreditation.saveSelf.mutate({ applicationId: id(), version: d.value?.version ?? 1, points: sheetPoints() }),
      ))
    )
      return false
    return act(() => $trpc.accreditation.submit.mutate({ applicationId: id() }), t('accreditation.submitted'))
  }
  async function uploadEvidence(pointCode: string, file: File) {
    busy.value = true
    try {
      const r = await uploadTo('/api/accreditation-evidence', { applicationId: String(id()), pointCode }, file, file.name)
      if (r.ok) {
        ElMessage.success(t('common.saved'))
        await query.refresh()
      } else ElMessage.error(r.message)
    } finally {
      busy.value = false
    }
  }
  const removeEvidence = (fileId: number) => act(() => $trpc.accreditation.removeEvidence.mutate({ id: fileId }))

  // ── the expert ──
  const saveSheet = () => act(() => $trpc.accreditation.saveSheet.mutate({ applicationId: id(), points: sheetPoints() }))
  const submitSheet = () =>
    act(() => $trpc.accreditation.submitSheet.mutate({ applicationId: id(), points: sheetPoints() }), t('accreditation.sheetSubmittedMsg'))
  const delta = ref<{ code: string; delta: number; reason: string }>({ code: '', delta: 0, reason: '' })
  async function addDelta() {
    if (await act(() => $trpc.accreditation.addDelta.mutate({ applicationId: id(), ...delta.value })))
      delta.value = { code: '', delta: 0, reason: '' }
  }
  const post = (discussionId: number, text: string) =>
    act(() =>
      reader === 'expert'
        ? $trpc.accreditation.postExpert.mutate({ discussionId, text })
        : $trpc.accreditation.postBureau.mutate({ discussionId, text }),
    )

  // ── the bureau ──
  const reason = ref('')
  const returnFile = async () => {
    if (await act(() => $trpc.accreditation.returnApplication.mutate({ applicationId: id(), reason: reason.value }))) reason.value = ''
  }
  const accept = () => act(() => $trpc.accreditation.accept.mutate({ applicationId: id() }))
  const openDiscussion = (code: string, note: string) =>
    act(() => $trpc.accreditation.openDiscussion.mutate({ applicationId: id(), code, note }))
  const visit = ref<{ visitedOn: string; observations: string }>({ visitedOn: '', observations: '' })
  const recordVisit = () => act(() => $trpc.accreditation.visit.mutate({ applicationId: id(), ...visit.value }))
  const decision = ref<{ decision: Decision; reason: string }>({ decision: 'accredited', reason: '' })
  const decide = () => act(() => $trpc.accreditation.decide.mutate({ applicationId: id(), ...decision.value }))
  async function exportSheet(format: ExportFormat) {
    await run(async () =>
      save(await $trpc.accreditation.exportSheet.mutate({ applicationId: id(), format, locale: en.value ? 'en' : 'zh-CN' })),
    )
  }

  /** Self vs panel per indicator, as chart series. */
  const indicatorChart = computed(() => {
    const rows = d.value?.indicators ?? []
    return {
      labels: rows.map((r) => r.code),
      series: [
        { label: t('accreditation.self'), data: rows.map((r) => (r.self == null ? null : (100 * r.self) / r.max)), color: '#94b8b0' },
        {
          label: t('accreditation.panelMean'),
          data: rows.map((r) => (r.panel == null ? null : (100 * r.panel) / r.max)),
          color: '#2a7262',
        },
      ],
    }
  })

  await query
  return {
    d,
    errorMessage,
    refresh: () => query.refresh(),
    busy,
    errors,
    points,
    categories,
    schoolName,
    pointText,
    nameOf,
    form,
    schoolEditable,
    expertEditable,
    canDelta,
    evidenceUrl,
    evidenceOf,
    saveSelf,
    submitSelf,
    uploadEvidence,
    removeEvidence,
    saveSheet,
    submitSheet,
    delta,
    addDelta,
    post,
    reason,
    returnFile,
    accept,
    openDiscussion,
    visit,
    recordVisit,
    decision,
    decide,
    exportSheet,
    indicatorChart,
  }
}
