import type { z } from 'zod'
import type { channelCreateInput, clinicSaveInput, eventCreateInput, eventUpdateInput, teamSaveInput } from '~~/shared/programme-schemas'
import { PROGRAMME_ITEMS, type ProgrammeItem } from '~~/shared/programme'

/**
 * One school's seven programme items for a year (own school when `schoolId` is left out): statuses
 * and gaps as the server judged them, and the evidence behind each item.
 */
export function useProgrammeEvidence(opts: { schoolId: () => number | undefined; schoolYearId?: number; only?: ProgrammeItem }) {
  const { $trpc } = useNuxtApp()
  const years = useSchoolYearList()
  const yearId = ref<number | ''>(opts.schoolYearId ?? '')
  const overview = $trpc.programme.overview.useQuery(() => ({ schoolId: opts.schoolId(), schoolYearId: yearId.value || undefined }), {
    queryKey: `programme-${opts.schoolId() ?? 'own'}-${opts.only ?? 'all'}`,
  })
  const data = computed(() => overview.data.value)
  const shown = computed<ProgrammeItem[]>(() => (opts.only ? [opts.only] : [...PROGRAMME_ITEMS]))
  /** A new record is dated on the reference date, or on the year's first day when that is still ahead. */
  const defaultDate = computed(() => {
    const d = data.value
    if (!d) return ''
    return d.refDate < d.year.startsOn ? d.year.startsOn : d.refDate
  })
  const refresh = () => overview.refresh()
  return { years, yearId, overview, data, shown, defaultDate, refresh, ready: Promise.all([years, overview]) }
}

export type EventSave = z.input<typeof eventCreateInput> | z.input<typeof eventUpdateInput>
export type TeamSave = z.input<typeof teamSaveInput>
export type ChannelSave = z.input<typeof channelCreateInput>
export type ClinicSave = z.input<typeof clinicSaveInput>

/** The evidence panels' calls; each resolves when the server has saved (or throws its error). */
export function useProgrammeRecords() {
  const { $trpc } = useNuxtApp()
  return {
    /** resolves to the event's id */
    saveEvent: async (v: EventSave): Promise<number> =>
      'id' in v ? (await $trpc.programme.updateEvent.mutate(v), v.id) : (await $trpc.programme.createEvent.mutate(v)).id,
    removeEvent: (id: number) => $trpc.programme.removeEvent.mutate({ id }),
    removeAttachment: (id: number) => $trpc.programme.removeAttachment.mutate({ id }),
    rosterClasses: () => $trpc.programme.rosterClasses.query(),
    saveTeam: (v: TeamSave) => $trpc.programme.saveTeam.mutate(v),
    addChannel: (v: ChannelSave) => $trpc.programme.addChannel.mutate(v),
    removeChannel: (id: number) => $trpc.programme.removeChannel.mutate({ id }),
    saveClinic: (v: ClinicSave) => $trpc.programme.saveClinic.mutate(v),
    removeClinic: (schoolYearId: number) => $trpc.programme.removeClinic.mutate({ schoolYearId }),
  }
}
