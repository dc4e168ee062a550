import { ElMessage, ElMessageBox } from 'element-plus'
import type { ResearchDataset } from '~~/shared/research'
import { shanghaiToday } from '~~/shared/school-year'

interface ProjectForm {
  id: number | null
  version: number
  title: string
  institution: string
  purpose: string
  datasets: ResearchDataset[]
  startsOn: string
  endsOn: string
  approverId: number | null
  researcherIds: number[]
  /** ε budget for noisy aggregate releases (0 = none) */
  epsilonBudget: number
}

/**
 * The bureau's research projects: the register, the dialog that registers or edits one (with the
 * ethics approval file, uploaded through the same route family as evidence attachments), closing a
 * project, and the review queue of export requests with the approve / return decision.
 */
export async function useResearchProjects() {
  const { t } = useI18n()
  const { $trpc } = useNuxtApp()
  const { uploadTo } = useUpload()
  const { busy, errors, run } = useSubmit()
  const projects = $trpc.research.projects.useQuery(undefined, { queryKey: 'research-projects' })
  const accounts = $trpc.research.accounts.useQuery(undefined, { queryKey: 'research-accounts' })
  const queue = $trpc.research.queue.useQuery(undefined, { queryKey: 'research-queue' })
  const { error, errorMessage } = useLoadError(projects, accounts, queue)
  const session = useSessionStore()

  const list = computed(() => projects.data.value ?? [])
  const approvers = computed(() => accounts.data.value?.approvers ?? [])
  const researchers = computed(() => accounts.data.value?.researchers ?? [])
  const requests = computed(() => queue.data.value ?? [])
  const waiting = computed(() => requests.value.filter((r) => r.status === 'requested').length)

  const editing = ref(false)
  const ethicsFile = ref<File | null>(null)
  const form = reactive<ProjectForm>({
    id: null,
    version: 1,
    title: '',
    institution: '',
    purpose: '',
    datasets: [],
    startsOn: '',
    endsOn: '',
    approverId: null,
    researcherIds: [],
    epsilonBudget: 0,
  })

  function openCreate() {
    const today = shanghaiToday()
    Object.assign(form, {
      id: null,
      version: 1,
      title: '',
      institution: '',
      purpose: '',
      datasets: ['cases'],
      startsOn: today,
      endsOn: `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`,
      approverId: session.user?.accountId ?? approvers.value[0]?.id ?? null,
      researcherIds: [],
      epsilonBudget: 0,
    })
    ethicsFile.value = null
    errors.value = {}
    editing.value = true
  }

  type Project = (typeof list.value)[number]
  function openEdit(p: Project) {
    Object.assign(form, {
      id: p.id,
      version: p.version,
      title: p.title,
      institution: p.institution,
      purpose: p.purpose,
      datasets: [...p.datasets],
      startsOn: p.startsOn,
      endsOn: p.endsOn,
      approverId: p.approverId,
      researcherIds: p.researchers.map((r) => r.id),
      epsilonBudget: p.epsilonBudget,
    })
    ethicsFile.value = null
    errors.value = {}
    editing.value = true
  }

  function pickEthics(file: File | null) {
    ethicsFile.value = file
  }

  async function save() {
    const fields = {
      title: form.title,
      institution: form.institution,
      purpose: form.purpose,
      datasets: form.datasets,
      startsOn: form.startsOn,
      endsOn: form.endsOn,
      approverId: form.approverId ?? 0,
      researcherIds: form.researcherIds,
      epsilonBudget: form.epsilonBudget,
    }
    let id = form.id
    const ok = await run(async () => {
      id = form.id
        ? (await $trpc.research.update.mutate({ ...fields, id: form.id, version: form.version })).id
        : (await $trpc.research.create.mutate(fields)).id
    })
    if (!ok || id == null) return
    if (ethicsFile.value) {
      const sent = await uploadTo('/api/research/ethics', { projectId: String(id) }, ethicsFile.value, ethicsFile.value.name)
      if (!sent.ok) {
        ElMessage.error(sent.message)
        // The project is saved; the dialog stays open on it so the file can be chosen again.
        await projects.refresh()
        const saved = list.value.find((p) => p.id === id)
        if (saved) openEdit(saved)
        return
      }
    }
    editing.value = false
    ElMessage.success(t('research.projectSaved'))
    await projects.refresh()
  }

  async function close(p: Project) {
    const sure = await ElMessageBox.confirm(t('research.closeConfirm', { title: p.title }), t('research.closeProject'), {
      confirmButtonText: t('research.closeProject'),
      cancelButtonText: t('common.cancel'),
      type: 'warning',
    }).then(
      () => true,
      () => false,
    )
    if (sure && (await run(() => $trpc.research.close.mutate({ id: p.id, version: p.version })))) {
      ElMessage.success(t('research.closed'))
      await Promise.all([projects.refresh(), queue.refresh()])
    }
  }

  // ── review ──
  const reviewId = ref<number | null>(null)
  const review = ref<Awaited<ReturnType<typeof $trpc.research.review.query>> | null>(null)
  const decision = reactive({ note: '' })
  async function openReview(id: number) {
    review.value = null
    decision.note = ''
    errors.value = {}
    reviewId.value = id
    const ok = await run(async () => {
      review.value = await $trpc.research.review.query({ id })
    })
    if (!ok) reviewId.value = null
  }
  async function decide(kind: 'approve' | 'return') {
    const r = review.value
    if (!r) return
    const ok = await run(() => $trpc.research.decide.mutate({ id: r.id, version: r.version, decision: kind, note: decision.note }))
    if (!ok) return
    ElMessage.success(t(kind === 'approve' ? 'research.approved' : 'research.returned'))
    reviewId.value = null
    await Promise.all([queue.refresh(), projects.refresh()])
  }

  useHead({ title: () => t('research.bureauTitle') })
  await Promise.all([projects, accounts, queue])
  return {
    error,
    errorMessage,
    list,
    approvers,
    researchers,
    requests,
    waiting,
    editing,
    form,
    errors,
    busy,
    ethicsFile,
    openCreate,
    openEdit,
    pickEthics,
    save,
    close,
    reviewId,
    review,
    decision,
    openReview,
    decide,
  }
}
