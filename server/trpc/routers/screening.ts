import {
  awarenessExportInput,
  awarenessInput,
  awarenessSchoolInput,
  campaignCreateInput,
  campaignIdInput,
  classInput,
  consentRecordInput,
  consentWithdrawInput,
  distributionInput,
  questionnaireSaveInput,
  questionnaireVersionInput,
  reissueSlipInput,
  screeningSettingsSchema,
  sessionIdInput,
  studentOpenInput,
  studentSaveInput,
  warningIdInput,
  warningListInput,
  warningOutcomeInput,
} from '../../../shared/screening'
import { z } from 'zod'
import {
  campaignClasses,
  consentRoster,
  createCampaign,
  endSessionService,
  getScreeningSettings,
  instrumentLibrary,
  issueSlips,
  listCampaigns,
  listQuestionnaires,
  publishQuestionnaire,
  recordConsent,
  saveQuestionnaire,
  sessionStatus,
  startSession,
  updateScreeningSettings,
  withdrawConsent,
} from '../../services/screening'
import { awarenessDashboard, awarenessOfSchool, campaignDistribution, exportAwareness } from '../../services/screening-aggregates'
import { getWarning, listWarningsService, recordOutcome, warningOfCase } from '../../services/screening-warning'
import { openStudent, saveStudent, submitStudent } from '../../services/screening-response'
import { procedure, router } from '../init'

/**
 * Student screening: campaigns and the library (bureau and counsellors), consent, sessions and slips
 * (the school's counsellors), warnings (counsellors only: the firewall), the bureau's figures through
 * disclosure control, and the students' public answering procedures.
 */
export const screeningRouter = router({
  campaigns: procedure.meta({ permission: 'screening.read' }).query(({ ctx }) => listCampaigns(ctx)),
  library: procedure.meta({ permission: 'screening.campaign' }).query(({ ctx }) => instrumentLibrary(ctx)),
  createCampaign: procedure
    .meta({ permission: 'screening.campaign' })
    .input(campaignCreateInput)
    .mutation(({ ctx, input }) => createCampaign(ctx, input)),
  classes: procedure
    .meta({ permission: 'screening.manage' })
    .input(campaignIdInput)
    .query(({ ctx, input }) => campaignClasses(ctx, input.campaignId)),
  consents: procedure
    .meta({ permission: 'screening.manage' })
    .input(classInput)
    .query(({ ctx, input }) => consentRoster(ctx, input)),
  recordConsent: procedure
    .meta({ permission: 'screening.manage' })
    .input(consentRecordInput)
    .mutation(({ ctx, input }) => recordConsent(ctx, input)),
  withdrawConsent: procedure
    .meta({ permission: 'screening.manage' })
    .input(consentWithdrawInput)
    .mutation(({ ctx, input }) => withdrawConsent(ctx, input)),
  issueSlips: procedure
    .meta({ permission: 'screening.manage' })
    .input(classInput)
    .mutation(({ ctx, input }) => issueSlips(ctx, input)),
  reissueSlip: procedure
    .meta({ permission: 'screening.manage' })
    .input(reissueSlipInput.extend({ grade: z.number().int().min(1).max(12), className: z.string().trim().min(1).max(20) }))
    .mutation(({ ctx, input }) => issueSlips(ctx, input)),
  startSession: procedure
    .meta({ permission: 'screening.manage' })
    .input(classInput)
    .mutation(({ ctx, input }) => startSession(ctx, input)),
  session: procedure
    .meta({ permission: 'screening.manage' })
    .input(sessionIdInput)
    .query(({ ctx, input }) => sessionStatus(ctx, input.sessionId)),
  endSession: procedure
    .meta({ permission: 'screening.manage' })
    .input(sessionIdInput)
    .mutation(({ ctx, input }) => endSessionService(ctx, input.sessionId)),
  warnings: procedure
    .meta({ permission: 'screening.warnings' })
    .input(warningListInput)
    .query(({ ctx, input }) => listWarningsService(ctx, input)),
  warning: procedure
    .meta({ permission: 'screening.warnings' })
    .input(warningIdInput)
    .query(({ ctx, input }) => getWarning(ctx, input.id)),
  recordOutcome: procedure
    .meta({ permission: 'screening.warnings' })
    .input(warningOutcomeInput)
    .mutation(({ ctx, input }) => recordOutcome(ctx, input)),
  warningOfCase: procedure
    .meta({ permission: 'screening.warnings' })
    .input(z.strictObject({ caseId: z.number().int().positive() }))
    .query(({ ctx, input }) => warningOfCase(ctx, input.caseId)),
  questionnaires: procedure.meta({ permission: 'screening.district' }).query(({ ctx }) => listQuestionnaires(ctx)),
  saveQuestionnaire: procedure
    .meta({ permission: 'screening.district' })
    .input(questionnaireSaveInput)
    .mutation(({ ctx, input }) => saveQuestionnaire(ctx, input)),
  publishQuestionnaire: procedure
    .meta({ permission: 'screening.district' })
    .input(questionnaireVersionInput)
    .mutation(({ ctx, input }) => publishQuestionnaire(ctx, input.versionId)),
  awareness: procedure
    .meta({ permission: 'screening.district' })
    .input(awarenessInput)
    .query(({ ctx, input }) => awarenessDashboard(ctx, input)),
  awarenessSchool: procedure
    .meta({ permission: 'screening.district' })
    .input(awarenessSchoolInput)
    .query(({ ctx, input }) => awarenessOfSchool(ctx, input)),
  exportAwareness: procedure
    .meta({ permission: 'screening.district' })
    .input(awarenessExportInput)
    .mutation(({ ctx, input }) => exportAwareness(ctx, input)),
  distribution: procedure
    .meta({ permission: 'screening.district' })
    .input(distributionInput)
    .query(({ ctx, input }) => campaignDistribution(ctx, input)),
  settings: procedure.meta({ permission: 'district.settings' }).query(({ ctx }) => getScreeningSettings(ctx)),
  updateSettings: procedure
    .meta({ permission: 'district.settings' })
    .input(screeningSettingsSchema)
    .mutation(({ ctx, input }) => updateScreeningSettings(ctx, input)),
})

/** A student answering in class: the class code and the personal code, both in the POST body. */
export const screeningRespondRouter = router({
  open: procedure
    .meta({ permission: 'public' })
    .input(studentOpenInput)
    .mutation(({ ctx, input }) => openStudent(ctx, input)),
  save: procedure
    .meta({ permission: 'public' })
    .input(studentSaveInput)
    .mutation(({ ctx, input }) => saveStudent(ctx, input)),
  submit: procedure
    .meta({ permission: 'public' })
    .input(studentSaveInput)
    .mutation(({ ctx, input }) => submitStudent(ctx, input)),
})
