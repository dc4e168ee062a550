import { ElMessage } from 'element-plus'
import QRCode from 'qrcode'
import { DEFAULT_CONSENT, type RoundRecurrence } from '~~/shared/assessment'
import { INSTRUMENT_IDS, INSTRUMENTS, type InstrumentId } from '~~/shared/instruments'

export interface RoundForm {
  name: string
  window: [Date, Date] | null
  instruments: InstrumentId[]
  schoolIds: number[]
  consentZh: string
  consentEn: string
  recurrence: RoundRecurrence
}

export interface PrintedSlip {
  teacherId: number
  staffNo: string
  name: string
  code: string
  /** a QR code of the link, drawn here in the browser (no outside service) */
  /** the QR code as an image URL (an SVG drawn locally by the qrcode library) */
  qrSrc: string
}

/**
 * The assessment rounds screen (bureau and school): the list with participation counts, opening a
 * round, creating the next one, and issuing codes as printable slips. Codes exist only in the answer
 * to `issueCodes`/`reissueCode`; the slips are printed from that and never stored in the browser.
 */
export function useAssessmentRounds() {
  const { $trpc } = useNuxtApp()
  const { t } = useI18n()
  const { report } = useApiError()
  const list = $trpc.assessment.rounds.useQuery(undefined, { queryKey: 'assessment-rounds' })
  const rows = computed(() => list.data.value ?? [])
  const instrumentOptions = INSTRUMENT_IDS.map((id) => ({ id, name: INSTRUMENTS[id] }))
  const form = ref<RoundForm | null>(null)
  const slips = ref<{ roundName: string; closesAt: string; slips: PrintedSlip[] } | null>(null)
  const busy = ref(false)
  const { run, errors } = useSubmit()

  function startOpen() {
    const now = new Date()
    const close = new Date(now.getTime() + 14 * 24 * 3_600_000)
    form.value = {
      name: '',
      window: [now, close],
      instruments: ['phq9', 'gad7', 'who5'],
      schoolIds: [],
      consentZh: DEFAULT_CONSENT['zh-CN'],
      consentEn: DEFAULT_CONSENT.en,
      recurrence: 'term',
    }
  }

  async function saveRound(f: RoundForm): Promise<boolean> {
    const ok = await run(() =>
      $trpc.assessment.openRound.mutate({
        name: f.name,
        opensAt: (f.window?.[0] ?? new Date()).toISOString(),
        closesAt: (f.window?.[1] ?? new Date()).toISOString(),
        instruments: f.instruments,
        schoolIds: f.schoolIds,
        consentZh: f.consentZh,
        consentEn: f.consentEn,
        recurrence: f.recurrence,
      }),
    )
    if (ok) {
      form.value = null
      ElMessage.success(t('common.saved'))
      await list.refresh()
    }
    return ok
  }

  async function nextRound(roundId: number) {
    try {
      await $trpc.assessment.nextRound.mutate({ roundId })
      ElMessage.success(t('assessment.nextCreated'))
      await list.refresh()
    } catch (err) {
      await report(err)
    }
  }

  async function withQr(answer: { roundName: string; closesAt: string; slips: Omit<PrintedSlip, 'qrSrc'>[] }) {
    const origin = window.location.origin
    const printed = await Promise.all(
      answer.slips.map(async (s) => ({
        ...s,
        qrSrc: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(
          await QRCode.toString(`${origin}/a#${s.code}`, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }),
        )}`,
      })),
    )
    slips.value = { roundName: answer.roundName, closesAt: answer.closesAt, slips: printed }
  }

  async function issueCodes(roundId: number) {
    busy.value = true
    try {
      const answer = await $trpc.assessment.issueCodes.mutate({ roundId })
      if (!answer.slips.length) ElMessage.info(t('assessment.noNewCodes'))
      else await withQr(answer)
      await list.refresh()
    } catch (err) {
      await report(err)
    } finally {
      busy.value = false
    }
  }

  async function reissue(roundId: number, teacherId: number) {
    busy.value = true
    try {
      await withQr(await $trpc.assessment.reissueCode.mutate({ roundId, teacherId }))
    } catch (err) {
      await report(err)
    } finally {
      busy.value = false
    }
  }

  return { list, rows, instrumentOptions, form, errors, slips, busy, startOpen, saveRound, nextRound, issueCodes, reissue }
}
