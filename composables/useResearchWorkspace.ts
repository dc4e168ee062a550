import { ElMessage, ElMessageBox } from 'element-plus'
import {
  RESEARCH_DATASETS,
  type AggregateDimension,
  type DisclosureReport,
  type ExportFile,
  type ExportForm,
  type RecordAttribute,
  type ResearchDataset,
} from '~~/shared/research'
import type { ExportSpec } from '~~/shared/research-schemas'
import { shanghaiToday } from '~~/shared/school-year'

interface BuilderForm {
  dataset: ResearchDataset
  form: ExportForm
  rows: AggregateDimension
  columns: AggregateDimension
  attributes: RecordAttribute[]
  /** aggregate tables: noisy counts at this ε (null = exact counts) */
  epsilon: number | null
  periodFrom: string
  periodTo: string
}

/**
 * The researcher's workspace: their projects, the export builder (dataset, form, dimensions, period),
 * the preview of what would be released and how it is protected, the request, and the downloads of
 * approved exports. Everything is checked again on the server.
 */
export async function useResearchWorkspace() {
  const { t } = useI18n()
  const { $trpc } = useNuxtApp()
  const { save } = useDownload()
  const { report } = useApiError()
  const { busy, errors, run } = useSubmit()
  const mine = $trpc.research.mine.useQuery(undefined, { queryKey: 'research-mine' })
  const { error, errorMessage } = useLoadError(mine)
  const projects = computed(() => mine.data.value ?? [])
  const selectedId = ref<number | null>(null)
  const project = computed(() => projects.value.find((p) => p.id === selectedId.value) ?? null)

  const today = shanghaiToday()
  const builder = reactive<BuilderForm>({
    dataset: 'cases',
    form: 'aggregate',
    rows: 'school_type',
    columns: 'risk_level',
    attributes: ['school', 'grade', 'sex', 'age', 'opened', 'status'],
    epsilon: null,
    periodFrom: `${Number(today.slice(0, 4)) - 1}-09-01`,
    periodTo: today,
  })
  const definition = computed(() => RESEARCH_DATASETS[builder.dataset])
  const preview = ref<DisclosureReport | null>(null)
  /** set while a returned request is being changed and sent again */
  const resubmitting = ref<{ id: number; version: number } | null>(null)
  const downloading = ref('')

  function pickProject(id: number | null) {
    selectedId.value = id
    const p = projects.value.find((x) => x.id === id)
    if (p && !p.datasets.includes(builder.dataset)) builder.dataset = p.datasets[0] ?? 'cases'
    preview.value = null
    resubmitting.value = null
  }
  watch(
    projects,
    (list) => {
      if (!list.some((p) => p.id === selectedId.value)) pickProject((list.find((p) => p.state === 'active') ?? list[0])?.id ?? null)
    },
    { immediate: true },
  )
  // Keep the choices valid for the dataset: its forms, dimensions and attributes.
  watch(
    () => builder.dataset,
    () => {
      const d = definition.value
      if (!(d.forms as readonly string[]).includes(builder.form)) builder.form = d.forms[0]!
      if (!(d.rows as readonly string[]).includes(builder.rows)) builder.rows = d.rows[0]!
      if (!(d.columns as readonly string[]).includes(builder.columns)) builder.columns = d.columns[0]!
      builder.attributes = builder.attributes.filter((a) => (d.attributes as readonly string[]).includes(a))
      preview.value = null
    },
  )
  watch(
    () => [builder.form, builder.rows, builder.columns, builder.attributes.join(), builder.epsilon, builder.periodFrom, builder.periodTo],
    () => (preview.value = null),
  )

  function spec(): ExportSpec {
    const base = { projectId: selectedId.value ?? 0, dataset: builder.dataset, periodFrom: builder.periodFrom, periodTo: builder.periodTo }
    return builder.form === 'aggregate'
      ? {
          ...base,
          form: 'aggregate',
          rows: builder.rows,
          columns: builder.columns,
          ...(builder.epsilon ? { epsilon: builder.epsilon } : {}),
        }
      : { ...base, form: 'record', attributes: [...builder.attributes] }
  }

  async function runPreview() {
    await run(async () => {
      preview.value = await $trpc.research.preview.mutate(spec())
    })
  }

  async function submit() {
    const again = resubmitting.value
    const ok = await run(() => (again ? $trpc.research.resubmit.mutate({ ...again, spec: spec() }) : $trpc.research.request.mutate(spec())))
    if (!ok) return
    ElMessage.success(t(again ? 'research.resubmitted' : 'research.requested'))
    resubmitting.value = null
    preview.value = null
    await mine.refresh()
  }

  type ExportItem = NonNullable<typeof project.value>['exports'][number]

  /** Loads a returned request into the builder, to change it as the bureau's note asks. */
  function startResubmit(e: ExportItem) {
    if (!e.spec) return
    const s = e.spec
    Object.assign(builder, { dataset: s.dataset, form: s.form, periodFrom: s.periodFrom, periodTo: s.periodTo })
    if (s.form === 'aggregate') Object.assign(builder, { rows: s.rows, columns: s.columns, epsilon: s.epsilon ?? null })
    else builder.attributes = [...s.attributes]
    resubmitting.value = { id: e.id, version: e.version }
  }

  async function withdraw(e: ExportItem) {
    const sure = await ElMessageBox.confirm(t('research.withdrawConfirm'), t('research.withdraw'), {
      confirmButtonText: t('research.withdraw'),
      cancelButtonText: t('common.cancel'),
      type: 'warning',
    }).then(
      () => true,
      () => false,
    )
    if (!sure) return
    if (await run(() => $trpc.research.withdraw.mutate({ id: e.id, version: e.version }))) await mine.refresh()
  }

  async function download(e: ExportItem, file: ExportFile) {
    downloading.value = `${e.id}/${file}`
    try {
      const out = await $trpc.research.download.mutate({ id: e.id, file })
      save(out)
    } catch (err) {
      await report(err)
    } finally {
      downloading.value = ''
    }
  }

  useHead({ title: () => t('research.title') })
  await mine
  return {
    error,
    errorMessage,
    projects,
    project,
    selectedId,
    pickProject,
    builder,
    definition,
    preview,
    resubmitting,
    busy,
    errors,
    downloading,
    runPreview,
    submit,
    startResubmit,
    cancelResubmit: () => (resubmitting.value = null),
    withdraw,
    download,
  }
}
