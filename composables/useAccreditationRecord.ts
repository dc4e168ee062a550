import { treePoints } from '~~/shared/accreditation'

/** The printable decision record (认定记录) of one application: the bureau's full view, audited when opened. */
export async function useAccreditationRecord() {
  const { $trpc } = useNuxtApp()
  const { locale } = useI18n()
  const route = useRoute()
  const q = $trpc.accreditation.record.useQuery(() => ({ applicationId: Number(route.params.id) }), {
    queryKey: `accreditation-record-${String(route.params.id)}`,
  })
  const { errorMessage } = useLoadError(q)
  const r = computed(() => q.data.value ?? null)
  const en = computed(() => locale.value === 'en')
  const rows = computed(() => {
    const v = r.value
    if (!v) return []
    return treePoints(v.tree.categories).map((p) => ({
      code: p.code,
      text: en.value ? p.textEn : p.textZh,
      max: p.maxScore,
      starred: p.starred,
      self: v.self.scores[p.code] ?? null,
      mean: v.panel?.points.find((x) => x.code === p.code)?.mean ?? null,
    }))
  })
  const schoolName = computed(() => (r.value ? (en.value && r.value.school.nameEn ? r.value.school.nameEn : r.value.school.name) : ''))
  const printPage = () => window.print()
  await q
  return { r, rows, schoolName, errorMessage, printPage }
}
