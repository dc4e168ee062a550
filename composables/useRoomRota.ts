import type { z } from 'zod'
import type { closureAddInput } from '~~/shared/room-ops'

export interface SlotRow {
  weekday: number
  start: string
  end: string
  counsellorId: number | null
}

/** The duty rota screen: the rota, its editable copy, the closures, and the hours it gives the room standard. */
export function useRoomRota() {
  const { $trpc } = useNuxtApp()
  const { t } = useI18n()
  const { report } = useApiError()
  const { busy, errors, run } = useSubmit()
  const rota = $trpc.room.rota.useQuery(undefined, { queryKey: 'room-rota' })
  const data = computed(() => rota.data.value)
  const rows = ref<SlotRow[]>([])
  const editing = ref(false)
  const closure = ref<z.input<typeof closureAddInput>>({ startsOn: '', endsOn: '', reason: '' })

  /** Preview of the regular weekly hours while editing (the server computes the stored figure). */
  const previewHours = computed(() => {
    const min = (s: string) => (/^\d\d:\d\d$/.test(s) ? Number(s.slice(0, 2)) * 60 + Number(s.slice(3)) : 0)
    return Math.round((rows.value.reduce((sum, r) => sum + Math.max(0, min(r.end) - min(r.start)), 0) / 60) * 100) / 100
  })

  function edit() {
    rows.value = (data.value?.slots ?? []).map((s) => ({ weekday: s.weekday, start: s.start, end: s.end, counsellorId: s.counsellorId }))
    if (!rows.value.length)
      rows.value = [{ weekday: 1, start: '12:00', end: '13:00', counsellorId: data.value?.counsellors[0]?.id ?? null }]
    editing.value = true
  }
  const addRow = () => {
    const last = rows.value.at(-1)
    rows.value.push({
      weekday: last ? Math.min(7, last.weekday + 1) : 1,
      start: last?.start ?? '12:00',
      end: last?.end ?? '13:00',
      counsellorId: last?.counsellorId ?? null,
    })
  }
  const removeRow = (i: number) => rows.value.splice(i, 1)

  async function save() {
    const ok = await run(() =>
      $trpc.room.saveRota.mutate({
        slots: rows.value.map((r) => ({ weekday: r.weekday, start: r.start, end: r.end, counsellorId: r.counsellorId ?? 0 })),
      }),
    )
    if (ok) {
      editing.value = false
      ElMessage.success(t('common.saved'))
      await rota.refresh()
    }
  }

  async function addClosure() {
    const ok = await run(() => $trpc.room.addClosure.mutate(closure.value))
    if (ok) {
      closure.value = { startsOn: '', endsOn: '', reason: '' }
      await rota.refresh()
    }
  }

  async function removeClosure(id: number) {
    try {
      await $trpc.room.removeClosure.mutate({ id })
      await rota.refresh()
    } catch (err) {
      await report(err)
    }
  }

  return { rota, data, rows, editing, closure, previewHours, edit, addRow, removeRow, save, addClosure, removeClosure, busy, errors }
}
