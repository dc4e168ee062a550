import { shanghaiDate } from '~~/shared/shanghai-time'
import type { RiskLevel } from '~~/shared/cases'
import type { VisitKind, VisitOutcome, VisitTopic } from '~~/shared/room-ops'

/**
 * The visit log: recent visits and the form to record one (from an appointment when `appointment` is
 * in the address: an id only). Opening a case from a visit leads to the new case.
 */
export function useRoomVisits() {
  const { $trpc } = useNuxtApp()
  const { t } = useI18n()
  const route = useRoute()
  const { busy, errors, run } = useSubmit()
  const picker = useStudentPicker()
  const visits = $trpc.room.visits.useQuery({ page: 1 }, { queryKey: 'room-visits' })
  const upcoming = $trpc.room.appointments.useQuery({ status: 'past' }, { queryKey: 'room-past-appointments' })
  const now = new Date()
  const blank = () => ({
    kind: 'individual' as VisitKind,
    studentId: null as number | null,
    anonymous: false,
    occurredOn: shanghaiDate(now),
    start: '12:00',
    durationMin: 40,
    topic: 'emotion' as VisitTopic,
    outcome: 'none' as VisitOutcome,
    caseId: null as number | null,
    appointmentId: null as number | null,
    notes: '',
    riskLevel: 'watch' as RiskLevel,
    concern: '',
  })
  const form = ref(blank())
  const open = ref(false)
  const lastCaseId = ref<number | null>(null)

  /** Prefill from an appointment: its student and time. */
  const fromAppointment = computed(() => {
    const id = Number(route.query.appointment)
    if (!Number.isInteger(id) || id <= 0) return null
    return id
  })
  watch(
    [fromAppointment, () => upcoming.data.value],
    ([id]) => {
      if (id == null || open.value) return
      const a = upcoming.data.value?.find((x) => x.id === id)
      form.value = { ...blank(), appointmentId: id }
      if (a) {
        if (a.studentId) {
          form.value.studentId = a.studentId
          void picker.search(a.name)
        } else form.value.kind = a.kind === 'teacher' ? 'teacher' : 'parent'
        if (a.startsAt) {
          const local = new Date(Date.parse(a.startsAt) + 8 * 3_600_000).toISOString()
          // recorded once it has happened: an appointment later than today is recorded as of today
          form.value.occurredOn = [local.slice(0, 10), shanghaiDate(new Date())].sort()[0]!
          form.value.start = local.slice(11, 16)
        }
      }
      open.value = true
    },
    { immediate: true },
  )

  /** The picked student's open case, which "add to the existing case" joins. */
  const openCaseOf = computed(() => picker.options.value.find((o) => o.id === form.value.studentId)?.openCaseId ?? null)

  function start() {
    form.value = blank()
    lastCaseId.value = null
    open.value = true
  }

  async function save() {
    const f = form.value
    let result: { id: number; caseId: number | null } | null = null
    const ok = await run(async () => {
      result = await $trpc.room.addVisit.mutate({
        kind: f.kind,
        studentId: f.anonymous ? null : f.studentId,
        anonymous: f.anonymous,
        occurredOn: f.occurredOn,
        start: f.start,
        durationMin: f.durationMin,
        topic: f.topic,
        outcome: f.anonymous ? 'none' : f.outcome,
        caseId: f.outcome === 'add_to_case' ? openCaseOf.value : null,
        appointmentId: f.appointmentId,
        notes: f.notes || null,
        riskLevel: f.outcome === 'open_case' ? f.riskLevel : undefined,
        concern: f.outcome === 'open_case' ? f.concern : null,
      })
    })
    if (ok && result) {
      const r = result as { id: number; caseId: number | null }
      ElMessage.success(t('room.ops.visitSaved'))
      open.value = false
      lastCaseId.value = f.outcome === 'open_case' ? r.caseId : null
      if (fromAppointment.value) await navigateTo({ path: '/school/room-visits', query: {} }, { replace: true })
      await visits.refresh()
    }
  }

  return { visits, form, open, start, save, busy, errors, picker, lastCaseId, openCaseOf }
}
