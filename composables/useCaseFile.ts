import { ElMessage } from 'element-plus'
import {
  recipientsForTask,
  type CaseCategory,
  type CaseSource,
  type NoteType,
  type NotifyRecipient,
  type ReferralStatus,
  type RiskLevel,
  type VulnerableFlag,
} from '~~/shared/cases'
import { nextReferralStatuses, referralMoveLabel } from '~~/shared/referrals'
import { buildTimeline } from '~~/shared/timeline'

/** Which form is open on the case file, with what it needs to start from. */
export type CaseForm =
  | { mode: 'note' }
  | { mode: 'editNote'; note: { noteId: number; version: number; sessionDate: string; durationMin: number; type: NoteType; text: string } }
  | { mode: 'risk'; version: number; current: RiskLevel }
  | { mode: 'followUp' }
  | { mode: 'referral' }
  | {
      mode: 'referralUpdate'
      referral: { referralId: number; version: number; from: ReferralStatus; next: ReferralStatus; feedback: string | null }
    }
  | { mode: 'crisis' }
  /** a notification: on its own, or completing a task (then only the recipients that fulfil it) */
  | { mode: 'notify'; taskId: number | null; recipients: NotifyRecipient[] | null }
  | { mode: 'taskNa'; taskId: number; kind: string }
  | { mode: 'contact' }
  | {
      mode: 'details'
      details: {
        version: number
        source: CaseSource
        categories: CaseCategory[]
        flags: VulnerableFlag[]
        concern: string
        counsellorIds: number[]
      }
    }
  | { mode: 'close'; version: number }
  | { mode: 'reopen'; version: number }

export interface NoteVersion {
  version: number
  text: string
  replacedAt: string
  sessionDate: string
}

/**
 * The case file screen: the file, its timeline, what may be done from here (referral moves from the
 * shared state machine, open tasks), the form that is open, a note's earlier versions, and the
 * mutations (useCaseActions), which close the form and reload the file once the server accepts them.
 */
export function useCaseFile(id: MaybeRefOrGetter<number>) {
  const { $trpc } = useNuxtApp()
  const { t } = useI18n()
  const { report } = useApiError()
  const file = $trpc.case.byId.useQuery(() => ({ id: toValue(id) }), { queryKey: `case-${toValue(id)}` })

  const c = computed(() => file.data.value)
  const isOpen = computed(() => c.value?.status === 'open')
  const timeline = computed(() => (c.value ? buildTimeline(c.value) : []))
  /** Open tasks offer the way they are finished (tick, notification, referral) and "not applicable". */
  const tasks = computed(() => (c.value?.tasks ?? []).map((task) => ({ ...task, actionable: isOpen.value && task.status === 'open' })))
  const followUps = computed(() => (c.value?.followUps ?? []).map((f) => ({ ...f, canComplete: isOpen.value && f.status === 'planned' })))
  const referrals = computed(() =>
    (c.value?.referrals ?? []).map((r) => {
      const from = r.status as ReferralStatus
      const moves = isOpen.value ? nextReferralStatuses(from).map((to) => ({ to, label: referralMoveLabel(from, to) })) : []
      return { ...r, status: from, moves }
    }),
  )

  const form = ref<CaseForm | null>(null)
  const counsellors = ref<{ id: number; name: string }[]>([])
  const history = ref<NoteVersion[] | null>(null)

  async function saved() {
    form.value = null
    ElMessage.success(t('common.saved'))
    await file.refresh()
  }
  const actions = useCaseActions(saved)

  function open(next: CaseForm) {
    form.value = next
  }
  /** Finishing a task the way its kind requires: tick it, record the notification, or record the referral. */
  function finishTask(taskId: number) {
    const task = c.value?.tasks.find((x) => x.id === taskId)
    if (!task) return
    if (task.completion === 'notification') open({ mode: 'notify', taskId, recipients: recipientsForTask(task.kind) })
    else if (task.completion === 'referral') open({ mode: 'referral' })
    else void actions.completeTask(taskId)
  }
  function openTaskNa(taskId: number) {
    const task = c.value?.tasks.find((x) => x.id === taskId)
    if (task) open({ mode: 'taskNa', taskId, kind: task.kind })
  }
  function openRisk() {
    if (c.value) open({ mode: 'risk', version: c.value.version, current: c.value.riskLevel })
  }
  function openClose() {
    if (c.value) open({ mode: 'close', version: c.value.version })
  }
  function openReopen() {
    if (c.value) open({ mode: 'reopen', version: c.value.version })
  }
  function openReferralMove(referralId: number, next: ReferralStatus) {
    const r = referrals.value.find((x) => x.id === referralId)
    if (r) open({ mode: 'referralUpdate', referral: { referralId, version: r.version, from: r.status, next, feedback: r.feedback } })
  }
  function openEditNote(noteId: number) {
    const n = c.value?.notes.find((x) => x.id === noteId)
    if (n && n.text != null && n.type != null) {
      open({
        mode: 'editNote',
        note: {
          noteId,
          version: n.version,
          sessionDate: n.sessionDate,
          durationMin: n.durationMin ?? 0,
          type: n.type as NoteType,
          text: n.text,
        },
      })
    }
  }
  async function openDetails() {
    const x = c.value
    if (!x) return
    try {
      counsellors.value = await $trpc.case.counsellors.query()
    } catch (err) {
      await report(err)
      return
    }
    open({
      mode: 'details',
      details: {
        version: x.version,
        source: x.source as CaseSource,
        categories: [...x.categories],
        flags: [...x.flags],
        concern: x.concern,
        counsellorIds: x.counsellors.map((a) => a.id),
      },
    })
  }
  async function showHistory(noteId: number) {
    try {
      history.value = await $trpc.case.noteVersions.query({ noteId })
    } catch (err) {
      await report(err)
    }
  }

  return {
    file,
    c,
    isOpen,
    timeline,
    tasks,
    followUps,
    referrals,
    form,
    counsellors,
    history,
    actions,
    open,
    openRisk,
    openClose,
    openReopen,
    openReferralMove,
    openEditNote,
    openDetails,
    finishTask,
    openTaskNa,
    showHistory,
    closeForm: () => {
      form.value = null
    },
    closeHistory: () => {
      history.value = null
    },
  }
}
