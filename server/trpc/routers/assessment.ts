import { z } from 'zod'
import {
  alertCloseInput,
  alertIdInput,
  alertListInput,
  assessmentSettingsSchema,
  publicOpenInput,
  publicSaveInput,
  publicSubmitInput,
  reissueCodeInput,
  roundIdInput,
  roundOpenInput,
  supportAddInput,
} from '../../../shared/assessment'
import {
  createNextRound,
  getAssessmentSettings,
  getRound,
  issueCodes,
  openRound,
  reissueCode,
  updateAssessmentSettings,
} from '../../services/assessment'
import { acknowledgeAlert, addSupport, closeAlert, completeSupport, getAlert, listAlertsService } from '../../services/assessment-alert'
import { openByCode, saveByCode, submitByCode } from '../../services/assessment-response'
import { listRounds, roundAggregates } from '../../services/assessment-aggregates'
import { assessmentTrend } from '../../services/assessment-trend'
import { trendInput } from '../../../shared/assessment-trend'
import { procedure, router } from '../init'

/**
 * Assessment rounds (bureau and school admin open them; school roles issue codes), the alert
 * handler's procedures (counsellors only: the firewall), and the respondent's public procedures.
 */
export const assessmentRouter = router({
  rounds: procedure.meta({ permission: 'assessment.read' }).query(({ ctx }) => listRounds(ctx)),
  round: procedure
    .meta({ permission: 'assessment.read' })
    .input(roundIdInput)
    .query(({ ctx, input }) => getRound(ctx, input.roundId)),
  aggregates: procedure
    .meta({ permission: 'assessment.read' })
    .input(roundIdInput)
    .query(({ ctx, input }) => roundAggregates(ctx, input)),
  trend: procedure
    .meta({ permission: 'assessment.read' })
    .input(trendInput)
    .query(({ ctx, input }) => assessmentTrend(ctx, input)),
  openRound: procedure
    .meta({ permission: 'assessment.manage' })
    .input(roundOpenInput)
    .mutation(({ ctx, input }) => openRound(ctx, input)),
  nextRound: procedure
    .meta({ permission: 'assessment.manage' })
    .input(roundIdInput)
    .mutation(({ ctx, input }) => createNextRound(ctx, input.roundId)),
  issueCodes: procedure
    .meta({ permission: 'teacher.manage' })
    .input(roundIdInput)
    .mutation(({ ctx, input }) => issueCodes(ctx, input.roundId)),
  reissueCode: procedure
    .meta({ permission: 'teacher.manage' })
    .input(reissueCodeInput)
    .mutation(({ ctx, input }) => reissueCode(ctx, input)),
  settings: procedure.meta({ permission: 'district.settings' }).query(({ ctx }) => getAssessmentSettings(ctx)),
  updateSettings: procedure
    .meta({ permission: 'district.settings' })
    .input(assessmentSettingsSchema)
    .mutation(({ ctx, input }) => updateAssessmentSettings(ctx, input)),
  alerts: procedure
    .meta({ permission: 'assessment.handle' })
    .input(alertListInput)
    .query(({ ctx, input }) => listAlertsService(ctx, input)),
  alert: procedure
    .meta({ permission: 'assessment.handle' })
    .input(alertIdInput)
    .query(({ ctx, input }) => getAlert(ctx, input.id)),
  acknowledge: procedure
    .meta({ permission: 'assessment.handle' })
    .input(alertIdInput)
    .mutation(({ ctx, input }) => acknowledgeAlert(ctx, input.id)),
  addSupport: procedure
    .meta({ permission: 'assessment.handle' })
    .input(supportAddInput)
    .mutation(({ ctx, input }) => addSupport(ctx, input)),
  completeSupport: procedure
    .meta({ permission: 'assessment.handle' })
    .input(z.strictObject({ id: z.number().int().positive() }))
    .mutation(({ ctx, input }) => completeSupport(ctx, input.id)),
  closeAlert: procedure
    .meta({ permission: 'assessment.handle' })
    .input(alertCloseInput)
    .mutation(({ ctx, input }) => closeAlert(ctx, input)),
})

/** Answering without an account: the code is the only key, sent in the POST body (never in a URL). */
export const respondRouter = router({
  open: procedure
    .meta({ permission: 'public' })
    .input(publicOpenInput)
    .mutation(({ ctx, input }) => openByCode(ctx, input.code)),
  save: procedure
    .meta({ permission: 'public' })
    .input(publicSaveInput)
    .mutation(({ ctx, input }) => saveByCode(ctx, input)),
  submit: procedure
    .meta({ permission: 'public' })
    .input(publicSubmitInput)
    .mutation(({ ctx, input }) => submitByCode(ctx, input)),
})
