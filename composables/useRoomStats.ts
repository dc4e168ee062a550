import { shanghaiDate } from '~~/shared/shanghai-time'
import { HIDDEN_MARK } from '~~/shared/disclosure'
import type { ChartSeries } from './dashboard-view'

const COLORS = ['#409eff', '#67c23a', '#e6a23c', '#909399', '#f56c6c', '#9b59b6']

function monthsBack(n: number): { from: string; to: string } {
  const now = new Date()
  const to = shanghaiDate(now)
  const from = shanghaiDate(new Date(now.getTime() - n * 30 * 86_400_000))
  return { from, to }
}

/** A CSV of already-released figures (hidden cells stay '—'), saved in the browser. */
function csv(rows: (string | number | null)[][]): string {
  const cell = (v: string | number | null) => {
    const s = v == null ? HIDDEN_MARK : String(v)
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
  }
  return `\uFEFF${rows.map((r) => r.map(cell).join(',')).join('\r\n')}`
}

/** The school's room figures: visits per week by type, utilisation, no-shows. */
export function useRoomStats() {
  const { $trpc } = useNuxtApp()
  const { t } = useI18n()
  const range = ref(monthsBack(3))
  const stats = $trpc.room.stats.useQuery(() => range.value, { queryKey: 'room-stats' })
  const data = computed(() => stats.data.value)
  const labels = computed(() => data.value?.weeks ?? [])
  const series = computed<ChartSeries[]>(() =>
    (data.value?.kinds ?? []).map((k, j) => ({
      label: t(`room.ops.visitKinds.${k}`),
      data: (data.value?.visits.cells ?? []).map((row) => row[j] ?? null),
      color: COLORS[j % COLORS.length]!,
    })),
  )
  const shown = (n: number | null | undefined) => (n == null ? HIDDEN_MARK : String(n))
  return { range, stats, data, labels, series, shown }
}

/** The bureau's room-operations table per school and street, with its chart and CSV export. */
export function useRoomDistrict() {
  const { $trpc } = useNuxtApp()
  const { t, locale } = useI18n()
  const range = ref(monthsBack(3))
  const stats = $trpc.room.districtStats.useQuery(() => range.value, { queryKey: 'room-district' })
  const data = computed(() => stats.data.value)
  const name = (s: { name: string; nameEn: string | null }) => (locale.value === 'en' ? (s.nameEn ?? s.name) : s.name)
  const streetName = (s: { nameZh: string; nameEn: string }) => (locale.value === 'en' ? s.nameEn : s.nameZh)
  const colLabel = (c: string) => (c === 'group_sessions' ? t('room.ops.groupSessions') : t(`room.ops.visitKinds.${c}`))
  const chartLabels = computed(() => (data.value?.streets ?? []).map(streetName))
  const series = computed<ChartSeries[]>(() =>
    (data.value?.columns ?? []).map((c, j) => ({
      label: colLabel(c),
      data: (data.value?.streets ?? []).map((s) => s.cells[j] ?? null),
      color: COLORS[j % COLORS.length]!,
    })),
  )
  function exportCsv() {
    const d = data.value
    if (!d || !import.meta.client) return
    const head = [t('room.ops.school'), ...d.columns.map(colLabel), t('room.ops.weeklyHours'), t('room.ops.hoursSourceLabel')]
    const rows = d.schools.map((s) => [name(s), ...s.cells, s.weeklyHours, s.hoursSource ? t(`room.ops.hoursSource.${s.hoursSource}`) : ''])
    const blob = new Blob([csv([head, ...rows])], { type: 'text/csv;charset=utf-8' })
    const url = URL.createObjectURL(blob)
    const a = document.createElement('a')
    a.href = url
    a.download = `room-operations-${range.value.from}-${range.value.to}.csv`
    document.body.appendChild(a)
    a.click()
    a.remove()
    setTimeout(() => URL.revokeObjectURL(url), 1000)
  }
  const shown = (n: number | null | undefined) => (n == null ? HIDDEN_MARK : String(n))
  return { range, stats, data, name, streetName, colLabel, chartLabels, series, exportCsv, shown }
}
