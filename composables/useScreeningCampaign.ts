import { ElMessage } from 'element-plus'
import QRCode from 'qrcode'
import type { ConsentParty } from '~~/shared/screening'
import { shanghaiDate } from '~~/shared/shanghai-time'

export interface ScreeningPrintedSlip {
  studentId: number
  studentNo: string
  name: string
  code: string
  qrSrc: string
}
export interface ClassRef {
  grade: number
  className: string
}

/**
 * One campaign at the counsellor's school: its classes with counts, a class's consent slips (record,
 * withdraw), personal-code slips to print (shown once, never stored in the browser) and class sessions.
 */
export function useScreeningCampaign(campaignId: number) {
  const { $trpc } = useNuxtApp()
  const { t } = useI18n()
  const { report } = useApiError()
  const q = $trpc.screening.classes.useQuery({ campaignId }, { queryKey: `screening-classes-${campaignId}` })
  const campaign = computed(() => q.data.value?.campaign ?? null)
  const classes = computed(() => q.data.value?.classes ?? [])
  const rosterOf = ref<ClassRef | null>(null)
  const roster = ref<Awaited<ReturnType<typeof $trpc.screening.consents.query>>>([])
  const slips = ref<{ campaignName: string; grade: number; className: string; closesOn: string; slips: ScreeningPrintedSlip[] } | null>(
    null,
  )
  const busy = ref(false)
  const slipDate = ref(shanghaiDate(new Date()))

  /** Only the class's identity goes to the server (the inputs are strict). */
  const only = (c: ClassRef): ClassRef => ({ grade: c.grade, className: c.className })

  async function openRoster(k: ClassRef) {
    const c = only(k)
    rosterOf.value = c
    try {
      roster.value = await $trpc.screening.consents.query({ campaignId, ...c })
    } catch (err) {
      await report(err)
    }
  }
  async function act(fn: () => Promise<unknown>) {
    busy.value = true
    try {
      await fn()
      if (rosterOf.value) roster.value = await $trpc.screening.consents.query({ campaignId, ...rosterOf.value })
      await q.refresh()
      return true
    } catch (err) {
      await report(err)
      return false
    } finally {
      busy.value = false
    }
  }
  const recordConsent = (studentId: number, party: ConsentParty) =>
    act(() => $trpc.screening.recordConsent.mutate({ campaignId, studentId, party, slipDate: slipDate.value }))
  const withdrawConsent = (studentId: number) => act(() => $trpc.screening.withdrawConsent.mutate({ campaignId, studentId }))

  async function withQr(answer: {
    campaignName: string
    grade: number
    className: string
    closesOn: string
    slips: Omit<ScreeningPrintedSlip, 'qrSrc'>[]
  }) {
    const origin = window.location.origin
    const printed = await Promise.all(
      answer.slips.map(async (s) => ({
        ...s,
        qrSrc: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(
          await QRCode.toString(`${origin}/s#${s.code}`, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }),
        )}`,
      })),
    )
    slips.value = { ...answer, slips: printed }
  }
  async function issueSlips(k: ClassRef) {
    const c = only(k)
    busy.value = true
    try {
      const answer = await $trpc.screening.issueSlips.mutate({ campaignId, ...c })
      if (!answer.slips.length) ElMessage.info(t('screening.noNewSlips'))
      else await withQr(answer)
      await q.refresh()
    } catch (err) {
      await report(err)
    } finally {
      busy.value = false
    }
  }
  async function reissue(studentId: number) {
    if (!rosterOf.value) return
    const c = rosterOf.value
    busy.value = true
    try {
      await withQr(await $trpc.screening.reissueSlip.mutate({ campaignId, studentId, ...c }))
    } catch (err) {
      await report(err)
    } finally {
      busy.value = false
    }
  }
  async function startSession(k: ClassRef) {
    const c = only(k)
    busy.value = true
    try {
      const { id } = await $trpc.screening.startSession.mutate({ campaignId, ...c })
      await navigateTo(`/school/screening/session/${id}`)
    } catch (err) {
      await report(err)
    } finally {
      busy.value = false
    }
  }
  return {
    q,
    campaign,
    classes,
    rosterOf,
    roster,
    slips,
    busy,
    slipDate,
    openRoster,
    recordConsent,
    withdrawConsent,
    issueSlips,
    reissue,
    startSession,
  }
}
