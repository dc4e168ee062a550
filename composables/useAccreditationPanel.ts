import { ElMessage } from 'element-plus'

/** The bureau's panel for one file: every active expert with the conflicts they would have, seating and unseating. */
export async function useAccreditationPanel(id: () => number, onChange: () => Promise<unknown>) {
  const { $trpc } = useNuxtApp()
  const { t } = useI18n()
  const { busy, run } = useSubmit()
  const q = $trpc.accreditation.candidates.useQuery(() => ({ applicationId: id() }), { queryKey: `accreditation-candidates-${id()}` })
  const rows = computed(() => q.data.value ?? [])
  /** The expert being seated despite a conflict, and the reason the bureau records. */
  const override = ref<{ expertId: number; name: string; conflicts: string[]; reason: string } | null>(null)

  async function assign(expertId: number, reason: string | null = null) {
    const ok = await run(() => $trpc.accreditation.assign.mutate({ applicationId: id(), expertId, overrideReason: reason }))
    if (ok) {
      ElMessage.success(t('accreditation.assigned'))
      override.value = null
      await Promise.all([q.refresh(), onChange()])
    }
  }
  function seat(row: { expertId: number; displayName: string; conflicts: string[] }) {
    if (row.conflicts.length) override.value = { expertId: row.expertId, name: row.displayName, conflicts: row.conflicts, reason: '' }
    else void assign(row.expertId)
  }
  async function unassign(expertId: number) {
    if (await run(() => $trpc.accreditation.unassign.mutate({ applicationId: id(), expertId })))
      await Promise.all([q.refresh(), onChange()])
  }
  await q
  return { rows, busy, override, seat, assign, unassign, refresh: () => q.refresh() }
}
