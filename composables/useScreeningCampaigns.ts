import { ElMessage } from 'element-plus'
import { shanghaiDate } from '~~/shared/shanghai-time'

export interface CampaignForm {
  name: string
  campaignDate: string
  closesOn: string
  instruments: string[]
  grades: number[]
  classNames: string[]
  schoolIds: number[]
}

/** The campaigns screen (school and bureau): the list, the library of instruments and creating a campaign. */
export function useScreeningCampaigns() {
  const { $trpc } = useNuxtApp()
  const { t } = useI18n()
  const session = useSessionStore()
  const list = $trpc.screening.campaigns.useQuery(undefined, { queryKey: 'screening-campaigns' })
  const rows = computed(() => list.data.value ?? [])
  const library = ref<Awaited<ReturnType<typeof $trpc.screening.library.query>>>([])
  const form = ref<CampaignForm | null>(null)
  const { run, errors, busy } = useSubmit()

  async function loadLibrary() {
    if (session.can('screening.campaign')) library.value = await $trpc.screening.library.query()
  }

  async function startCreate() {
    await loadLibrary()
    const today = shanghaiDate(new Date())
    const close = shanghaiDate(new Date(Date.now() + 14 * 86_400_000))
    form.value = { name: '', campaignDate: today, closesOn: close, instruments: ['phq9'], grades: [], classNames: [], schoolIds: [] }
  }

  async function save(f: CampaignForm): Promise<boolean> {
    const ok = await run(() => $trpc.screening.createCampaign.mutate({ ...f }))
    if (ok) {
      form.value = null
      ElMessage.success(t('common.saved'))
      await list.refresh()
    }
    return ok
  }

  return { list, rows, library, form, errors, busy, loadLibrary, startCreate, save }
}
