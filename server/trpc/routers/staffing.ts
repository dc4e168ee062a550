import { byIdInput } from '../../../shared/schemas'
import {
  certificateCreateInput,
  certificatesInput,
  certificateUpdateInput,
  enrolmentImportInput,
  exportInput,
  roomDashboardInput,
  roomSaveInput,
  schoolEnrolmentInput,
  schoolYearScopeInput,
  settingsUpdateInput,
  staffCreateInput,
  staffingDashboardInput,
  staffUpdateInput,
  trainingCreateInput,
  trendInput,
} from '../../../shared/staffing-schemas'
import { getDistrictSettings, updateDistrictSettings } from '../../services/district-settings'
import { importEnrolment } from '../../services/enrolment-import'
import {
  addCertificate,
  addTraining,
  createStaffMember,
  editCertificate,
  removeCertificate,
  removeStaffMember,
  removeTraining,
  roomService,
  saveRoom,
  setOwnEnrolment,
  teamService,
  updateStaffMember,
} from '../../services/staffing'
import { expiringCertificatesService, roomDashboard, staffingDashboard, trend } from '../../services/staffing-dashboard'
import { exportTable } from '../../services/staffing-export'
import { procedure, router } from '../init'

const read = procedure.meta({ permission: 'staffing.read' })
const manage = procedure.meta({ permission: 'staffing.manage' })
const district = procedure.meta({ permission: 'staffing.district' })

export const staffingRouter = router({
  team: read.input(schoolYearScopeInput).query(({ ctx, input }) => teamService(ctx, input)),
  room: read.input(schoolYearScopeInput).query(({ ctx, input }) => roomService(ctx, input)),
  settings: read.query(({ ctx }) => getDistrictSettings(ctx)),

  createMember: manage.input(staffCreateInput).mutation(({ ctx, input }) => createStaffMember(ctx, input)),
  updateMember: manage.input(staffUpdateInput).mutation(({ ctx, input }) => updateStaffMember(ctx, input)),
  removeMember: manage.input(byIdInput).mutation(({ ctx, input }) => removeStaffMember(ctx, input.id)),
  addCertificate: manage.input(certificateCreateInput).mutation(({ ctx, input }) => addCertificate(ctx, input)),
  updateCertificate: manage.input(certificateUpdateInput).mutation(({ ctx, input }) => editCertificate(ctx, input)),
  removeCertificate: manage.input(byIdInput).mutation(({ ctx, input }) => removeCertificate(ctx, input.id)),
  addTraining: manage.input(trainingCreateInput).mutation(({ ctx, input }) => addTraining(ctx, input)),
  removeTraining: manage.input(byIdInput).mutation(({ ctx, input }) => removeTraining(ctx, input.id)),
  saveRoom: manage.input(roomSaveInput).mutation(({ ctx, input }) => saveRoom(ctx, input)),
  setEnrolment: manage.input(schoolEnrolmentInput).mutation(({ ctx, input }) => setOwnEnrolment(ctx, input)),

  dashboard: district.input(staffingDashboardInput).query(({ ctx, input }) => staffingDashboard(ctx, input)),
  rooms: district.input(roomDashboardInput).query(({ ctx, input }) => roomDashboard(ctx, input)),
  certificates: district.input(certificatesInput).query(({ ctx, input }) => expiringCertificatesService(ctx, input)),
  trend: district.input(trendInput).query(({ ctx, input }) => trend(ctx, input)),
  export: district.input(exportInput).mutation(({ ctx, input }) => exportTable(ctx, input)),
  updateSettings: procedure
    .meta({ permission: 'district.settings' })
    .input(settingsUpdateInput)
    .mutation(({ ctx, input }) => updateDistrictSettings(ctx, input)),
  importEnrolment: procedure
    .meta({ permission: 'school.manage' })
    .input(enrolmentImportInput)
    .mutation(({ ctx, input }) => importEnrolment(ctx, input)),
})
