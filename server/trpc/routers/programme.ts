import { byIdInput } from '../../../shared/schemas'
import {
  bureauScoreInput,
  channelCreateInput,
  clinicSaveInput,
  eventCreateInput,
  eventUpdateInput,
  matrixExportInput,
  matrixInput,
  programmeScopeInput,
  programmeSettingsInput,
  programmeTrendInput,
  roundCreateInput,
  roundIdInput,
  roundStatusInput,
  selfEvaluationInput,
  teamSaveInput,
  yearOnlyInput,
} from '../../../shared/programme-schemas'
import { getProgrammeSettings, updateProgrammeSettings } from '../../services/district-settings'
import {
  createRound,
  evaluationReport,
  roundDetail,
  roundsService,
  scoreSchool,
  setRoundStatus,
  submitSelfEvaluation,
} from '../../services/evaluation'
import {
  addChannel,
  createEvent,
  editEvent,
  programmeOverview,
  removeAttachment,
  removeChannel,
  removeClinic,
  removeEvent,
  rosterClassList,
  saveClinic,
  saveTeam,
} from '../../services/programme'
import { exportMatrix, programmeMatrix, programmeTrend } from '../../services/programme-dashboard'
import { procedure, router } from '../init'

const read = procedure.meta({ permission: 'programme.read' })
const manage = procedure.meta({ permission: 'programme.manage' })
const district = procedure.meta({ permission: 'programme.district' })

export const programmeRouter = router({
  overview: read.input(programmeScopeInput).query(({ ctx, input }) => programmeOverview(ctx, input)),
  settings: read.query(({ ctx }) => getProgrammeSettings(ctx)),
  rosterClasses: manage.query(({ ctx }) => rosterClassList(ctx)),
  saveTeam: manage.input(teamSaveInput).mutation(({ ctx, input }) => saveTeam(ctx, input)),
  createEvent: manage.input(eventCreateInput).mutation(({ ctx, input }) => createEvent(ctx, input)),
  updateEvent: manage.input(eventUpdateInput).mutation(({ ctx, input }) => editEvent(ctx, input)),
  removeEvent: manage.input(byIdInput).mutation(({ ctx, input }) => removeEvent(ctx, input.id)),
  removeAttachment: manage.input(byIdInput).mutation(({ ctx, input }) => removeAttachment(ctx, input.id)),
  addChannel: manage.input(channelCreateInput).mutation(({ ctx, input }) => addChannel(ctx, input)),
  removeChannel: manage.input(byIdInput).mutation(({ ctx, input }) => removeChannel(ctx, input.id)),
  saveClinic: manage.input(clinicSaveInput).mutation(({ ctx, input }) => saveClinic(ctx, input)),
  removeClinic: manage.input(yearOnlyInput).mutation(({ ctx, input }) => removeClinic(ctx, input)),
  matrix: district.input(matrixInput).query(({ ctx, input }) => programmeMatrix(ctx, input)),
  trend: district.input(programmeTrendInput).query(({ ctx, input }) => programmeTrend(ctx, input)),
  export: district.input(matrixExportInput).mutation(({ ctx, input }) => exportMatrix(ctx, input)),
  updateSettings: procedure
    .meta({ permission: 'district.settings' })
    .input(programmeSettingsInput)
    .mutation(({ ctx, input }) => updateProgrammeSettings(ctx, input)),
})

export const evaluationRouter = router({
  rounds: procedure.meta({ permission: 'evaluation.read' }).query(({ ctx }) => roundsService(ctx)),
  round: procedure
    .meta({ permission: 'evaluation.read' })
    .input(roundIdInput)
    .query(({ ctx, input }) => roundDetail(ctx, input)),
  submitSelf: procedure
    .meta({ permission: 'evaluation.submit' })
    .input(selfEvaluationInput)
    .mutation(({ ctx, input }) => submitSelfEvaluation(ctx, input)),
  createRound: procedure
    .meta({ permission: 'evaluation.manage' })
    .input(roundCreateInput)
    .mutation(({ ctx, input }) => createRound(ctx, input)),
  closeRound: procedure
    .meta({ permission: 'evaluation.manage' })
    .input(roundStatusInput)
    .mutation(({ ctx, input }) => setRoundStatus(ctx, input, 'closed')),
  reopenRound: procedure
    .meta({ permission: 'evaluation.manage' })
    .input(roundStatusInput)
    .mutation(({ ctx, input }) => setRoundStatus(ctx, input, 'open')),
  score: procedure
    .meta({ permission: 'evaluation.manage' })
    .input(bureauScoreInput)
    .mutation(({ ctx, input }) => scoreSchool(ctx, input)),
  report: procedure
    .meta({ permission: 'evaluation.manage' })
    .input(roundIdInput)
    .query(({ ctx, input }) => evaluationReport(ctx, input)),
})
