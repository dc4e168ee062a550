import { shanghaiDate } from '~~/shared/shanghai-time'

export interface CalendarEvent {
  start: string
  end: string
  title: string
  class: string
  /** what a click opens */
  ref:
    | { kind: 'open'; slotId: number; date: string }
    | { kind: 'appointment'; id: number }
    | { kind: 'request'; id: number; slotId: number; date: string }
}

const pad = (n: number) => String(n).padStart(2, '0')
/** An instant as the Shanghai wall-clock text the calendar shows, whatever the browser's time zone. */
export function shanghaiWall(at: string): string {
  const d = new Date(Date.parse(at) + 8 * 3_600_000)
  return `${d.toISOString().slice(0, 10)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`
}

/**
 * The appointment book: the week calendar (per room, or the counsellor's own), open requests with the
 * urgent ones first, upcoming appointments, and the actions on them. The calendar shows open slots as
 * background, confirmed appointments, and each request's preferred slots, which a click confirms.
 */
export function useRoomAppointments() {
  const { $trpc } = useNuxtApp()
  const { t } = useI18n()
  const { report } = useApiError()
  const session = useSessionStore()
  const day = ref(shanghaiDate(new Date()))
  const who = ref<'room' | 'mine'>('room')
  const view = ref<'week' | 'day'>('week')
  const calendar = $trpc.room.calendar.useQuery(
    () => ({ day: day.value, counsellorId: who.value === 'mine' ? (session.user?.accountId ?? undefined) : undefined }),
    { queryKey: 'room-calendar' },
  )
  const requests = $trpc.room.appointments.useQuery({ status: 'open' }, { queryKey: 'room-requests' })
  const upcoming = $trpc.room.appointments.useQuery({ status: 'upcoming' }, { queryKey: 'room-upcoming' })
  const feed = $trpc.room.feed.useQuery(undefined, { queryKey: 'room-feed' })
  const feedPath = ref<string | null>(null)

  type Appointment = NonNullable<typeof requests.data.value>[number]
  const selected = ref<{ appointment: Appointment | null; slot: { slotId: number; date: string } | null } | null>(null)

  const label = (a: Appointment) => `${t(`room.ops.kinds.${a.kind}`)} · ${a.name}`
  const events = computed<CalendarEvent[]>(() => {
    const c = calendar.data.value
    if (!c) return []
    const booked = new Set(c.appointments.map((a) => a.startsAt))
    // A booked slot shows only its appointment, so nothing lies over it to catch the click.
    const open = c.open
      .filter((o) => !booked.has(o.startsAt))
      .map((o) => ({
        start: shanghaiWall(o.startsAt),
        end: shanghaiWall(o.endsAt),
        title: `${t('room.ops.openSlot')} · ${o.counsellorName}`,
        class: 'xq-ev-open',
        ref: { kind: 'open' as const, slotId: o.slotId, date: o.date },
      }))
    const appts = c.appointments.map((a) => ({
      start: shanghaiWall(a.startsAt!),
      end: shanghaiWall(a.endsAt!),
      title: `${label(a)}${a.status === 'confirmed' ? '' : ` (${t(`room.ops.status.${a.status}`)})`}`,
      class: `xq-ev-${a.status}`,
      ref: { kind: 'appointment' as const, id: a.id },
    }))
    const openBySlot = new Map(c.open.map((o) => [`${o.slotId}|${o.date}`, o]))
    const pending = (requests.data.value ?? []).flatMap((a) =>
      a.preferred.flatMap((p) => {
        const o = openBySlot.get(`${p.slotId}|${p.date}`)
        if (!o || booked.has(o.startsAt)) return []
        return [
          {
            start: shanghaiWall(o.startsAt),
            end: shanghaiWall(o.endsAt),
            title: `${t('room.ops.pendingRequest')} · ${label(a)}`,
            class: a.urgent ? 'xq-ev-urgent' : 'xq-ev-request',
            ref: { kind: 'request' as const, id: a.id, slotId: p.slotId, date: p.date },
          },
        ]
      }),
    )
    return [...open.filter((o) => !pending.some((p) => p.start === o.start)), ...appts, ...pending]
  })

  function find(id: number): Appointment | null {
    return (
      requests.data.value?.find((a) => a.id === id) ??
      upcoming.data.value?.find((a) => a.id === id) ??
      calendar.data.value?.appointments.find((a) => a.id === id) ??
      null
    )
  }

  function openEvent(ev: CalendarEvent) {
    if (ev.ref.kind === 'open') selected.value = { appointment: null, slot: { slotId: ev.ref.slotId, date: ev.ref.date } }
    else if (ev.ref.kind === 'request')
      selected.value = { appointment: find(ev.ref.id), slot: { slotId: ev.ref.slotId, date: ev.ref.date } }
    else selected.value = { appointment: find(ev.ref.id), slot: null }
  }

  async function refreshAll() {
    await Promise.all([calendar.refresh(), requests.refresh(), upcoming.refresh()])
  }

  async function act(action: () => Promise<unknown>, done: string) {
    try {
      await action()
      ElMessage.success(t(done))
      selected.value = null
      await refreshAll()
      return true
    } catch (err) {
      await report(err)
      await refreshAll()
      return false
    }
  }
  const confirm = (a: Appointment, slot: { slotId: number; date: string }) =>
    act(() => $trpc.room.confirm.mutate({ id: a.id, version: a.version, slot }), 'room.ops.confirmed')
  const decline = (a: Appointment) => act(() => $trpc.room.decline.mutate({ id: a.id, version: a.version }), 'room.ops.declined')
  const mark = (a: Appointment, status: 'no_show' | 'cancelled') =>
    act(() => $trpc.room.mark.mutate({ id: a.id, version: a.version, status }), 'common.saved')

  async function issueFeed() {
    try {
      const r = await $trpc.room.issueFeed.mutate()
      feedPath.value = import.meta.client ? `${window.location.origin}${r.path}` : r.path
      await feed.refresh()
    } catch (err) {
      await report(err)
    }
  }
  async function revokeFeed() {
    try {
      await $trpc.room.revokeFeed.mutate()
      feedPath.value = null
      await feed.refresh()
    } catch (err) {
      await report(err)
    }
  }

  return {
    day,
    who,
    view,
    calendar,
    requests,
    upcoming,
    events,
    selected,
    openEvent,
    confirm,
    decline,
    mark,
    refreshAll,
    feed,
    feedPath,
    issueFeed,
    revokeFeed,
  }
}
