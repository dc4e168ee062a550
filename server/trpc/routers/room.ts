import {
  appointmentListInput,
  attendanceInput,
  bookInput,
  closureAddInput,
  confirmInput,
  declineInput,
  groupCreateInput,
  idInput,
  markInput,
  publicRequestInput,
  publicRoomInput,
  publicStatusInput,
  rotaSaveInput,
  statsInput,
  visitInput,
  visitListInput,
  weekInput,
} from '../../../shared/room-ops'
import {
  bookAppointment,
  calendarWeek,
  confirmAppointment,
  listAppointments,
  publicRequest,
  publicRoom,
  publicStatus,
  setAppointmentStatus,
} from '../../services/room-appointments'
import { feedStatus, issueFeedToken, revokeFeedToken } from '../../services/room-feed'
import { addClosure, getRota, removeClosure, saveRota } from '../../services/room-rota'
import { districtRoomStats, schoolRoomStats } from '../../services/room-stats'
import { createGroup, getGroup, getVisit, listGroups, listVisits, recordAttendance, recordVisit } from '../../services/room-visits'
import { procedure, router } from '../init'

/**
 * The counselling room's daily work: the rota (school admin and counsellors), the appointment book,
 * visit log, groups and calendar (counsellors), the figures (school; bureau), and the public request page.
 */
export const roomRouter = router({
  rota: procedure.meta({ permission: 'room.rota' }).query(({ ctx }) => getRota(ctx)),
  saveRota: procedure
    .meta({ permission: 'room.rota' })
    .input(rotaSaveInput)
    .mutation(({ ctx, input }) => saveRota(ctx, input)),
  addClosure: procedure
    .meta({ permission: 'room.rota' })
    .input(closureAddInput)
    .mutation(({ ctx, input }) => addClosure(ctx, input)),
  removeClosure: procedure
    .meta({ permission: 'room.rota' })
    .input(idInput)
    .mutation(({ ctx, input }) => removeClosure(ctx, input)),

  appointments: procedure
    .meta({ permission: 'room.work' })
    .input(appointmentListInput)
    .query(({ ctx, input }) => listAppointments(ctx, input)),
  book: procedure
    .meta({ permission: 'room.work' })
    .input(bookInput)
    .mutation(({ ctx, input }) => bookAppointment(ctx, input)),
  confirm: procedure
    .meta({ permission: 'room.work' })
    .input(confirmInput)
    .mutation(({ ctx, input }) => confirmAppointment(ctx, input)),
  decline: procedure
    .meta({ permission: 'room.work' })
    .input(declineInput)
    .mutation(({ ctx, input }) => setAppointmentStatus(ctx, { ...input, status: 'declined' })),
  mark: procedure
    .meta({ permission: 'room.work' })
    .input(markInput)
    .mutation(({ ctx, input }) => setAppointmentStatus(ctx, input)),
  calendar: procedure
    .meta({ permission: 'room.work' })
    .input(weekInput)
    .query(({ ctx, input }) => calendarWeek(ctx, input)),

  visits: procedure
    .meta({ permission: 'room.work' })
    .input(visitListInput)
    .query(({ ctx, input }) => listVisits(ctx, input)),
  visit: procedure
    .meta({ permission: 'room.work' })
    .input(idInput)
    .query(({ ctx, input }) => getVisit(ctx, input)),
  addVisit: procedure
    .meta({ permission: 'room.work' })
    .input(visitInput)
    .mutation(({ ctx, input }) => recordVisit(ctx, input)),

  groups: procedure.meta({ permission: 'room.work' }).query(({ ctx }) => listGroups(ctx)),
  group: procedure
    .meta({ permission: 'room.work' })
    .input(idInput)
    .query(({ ctx, input }) => getGroup(ctx, input)),
  createGroup: procedure
    .meta({ permission: 'room.work' })
    .input(groupCreateInput)
    .mutation(({ ctx, input }) => createGroup(ctx, input)),
  attendance: procedure
    .meta({ permission: 'room.work' })
    .input(attendanceInput)
    .mutation(({ ctx, input }) => recordAttendance(ctx, input)),

  feed: procedure.meta({ permission: 'room.work' }).query(({ ctx }) => feedStatus(ctx)),
  issueFeed: procedure.meta({ permission: 'room.work' }).mutation(({ ctx }) => issueFeedToken(ctx)),
  revokeFeed: procedure.meta({ permission: 'room.work' }).mutation(({ ctx }) => revokeFeedToken(ctx)),

  stats: procedure
    .meta({ permission: 'room.stats' })
    .input(statsInput)
    .query(({ ctx, input }) => schoolRoomStats(ctx, input)),
  districtStats: procedure
    .meta({ permission: 'room.district' })
    .input(statsInput)
    .query(({ ctx, input }) => districtRoomStats(ctx, input)),

  publicRoom: procedure
    .meta({ permission: 'public' })
    .input(publicRoomInput)
    .query(({ ctx, input }) => publicRoom(ctx, input)),
  publicRequest: procedure
    .meta({ permission: 'public' })
    .input(publicRequestInput)
    .mutation(({ ctx, input }) => publicRequest(ctx, input)),
  publicStatus: procedure
    .meta({ permission: 'public' })
    .input(publicStatusInput)
    .mutation(({ ctx, input }) => publicStatus(ctx, input)),
})
