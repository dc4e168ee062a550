import type { z } from 'zod'
import type {
  certificateCreateInput,
  certificateUpdateInput,
  staffCreateInput,
  staffUpdateInput,
  trainingCreateInput,
} from '~~/shared/staffing-schemas'
import { memberStatus } from '~~/shared/staffing'

/** Tag colour of a certificate's state (the state itself is the server's). */
export const CERT_TAG = { expired: 'danger', expiring: 'warning', valid: 'success', permanent: 'info' } as const

/**
 * The psychology team of one school for one year (own school when `schoolId` is left out): the query,
 * the year picker, who is listed, and the removals. Saving goes through `useStaffingRecords`.
 */
export function useStaffingTeam(schoolId: () => number | undefined, startYearId?: number) {
  const { $trpc } = useNuxtApp()
  const { t } = useI18n()
  const { report } = useApiError()
  const years = useSchoolYearList()
  const yearId = ref<number | ''>(startYearId ?? '')
  const showLeft = ref(false)
  const team = $trpc.staffing.team.useQuery(() => ({ schoolId: schoolId(), schoolYearId: yearId.value || undefined }), {
    queryKey: `staffing-team-${schoolId() ?? 'own'}`,
  })
  const data = computed(() => team.data.value)
  type Member = NonNullable<typeof data.value>['members'][number]

  const statusOf = (m: Member) => memberStatus(m, data.value?.refDate ?? '')
  const members = computed(() => (data.value?.members ?? []).filter((m) => showLeft.value || statusOf(m) !== 'left'))
  const statusLabel = (m: Member) => t(`staffing.${statusOf(m)}`)
  const expiryTags = (m: Member) => m.certificates.filter((c) => c.state === 'expired' || c.state === 'expiring')

  async function confirmAndRun(message: string, action: () => Promise<unknown>) {
    try {
      await ElMessageBox.confirm(message, t('common.remove'), {
        type: 'warning',
        confirmButtonText: t('common.remove'),
        cancelButtonText: t('common.cancel'),
      })
    } catch {
      return
    }
    try {
      await action()
      await team.refresh()
    } catch (err) {
      await report(err)
    }
  }
  const removeMember = (m: Member) =>
    confirmAndRun(t('staffing.removeMemberConfirm', { name: m.name }), () => $trpc.staffing.removeMember.mutate({ id: m.id }))
  const removeCertificate = (id: number) =>
    confirmAndRun(t('staffing.removeConfirm'), () => $trpc.staffing.removeCertificate.mutate({ id }))
  const removeTraining = (id: number) => confirmAndRun(t('staffing.removeConfirm'), () => $trpc.staffing.removeTraining.mutate({ id }))

  async function saved() {
    ElMessage.success(t('common.saved'))
    await team.refresh()
  }

  return {
    team,
    years,
    data,
    yearId,
    showLeft,
    members,
    statusLabel,
    expiryTags,
    removeMember,
    removeCertificate,
    removeTraining,
    saved,
    ready: Promise.all([years, team]),
  }
}

export type MemberSave = z.input<typeof staffCreateInput> | z.input<typeof staffUpdateInput>
export type CertificateSave = z.input<typeof certificateCreateInput> | z.input<typeof certificateUpdateInput>
export type TrainingSave = z.input<typeof trainingCreateInput>

/** The team's record calls, one per dialog; each resolves when the server has saved. */
export function useStaffingRecords() {
  const { $trpc } = useNuxtApp()
  return {
    saveMember: (v: MemberSave) => ('id' in v ? $trpc.staffing.updateMember.mutate(v) : $trpc.staffing.createMember.mutate(v)),
    saveCertificate: (v: CertificateSave) =>
      'id' in v ? $trpc.staffing.updateCertificate.mutate(v) : $trpc.staffing.addCertificate.mutate(v),
    addTraining: (v: TrainingSave) => $trpc.staffing.addTraining.mutate(v),
  }
}
