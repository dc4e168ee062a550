import {
  caseByIdInput,
  caseCloseInput,
  caseUpdateInput,
  caseListInput,
  caseOpenInput,
  caseReopenInput,
  contactInput,
  crisisInput,
  districtStatsExportInput,
  districtStatsInput,
  followUpDoneInput,
  followUpInput,
  noteInput,
  noteUpdateInput,
  referralInput,
  referralUpdateInput,
  riskChangeInput,
  taskCompleteInput,
  notificationInput,
} from '../../../shared/case-schemas'
import { z } from 'zod'
import {
  caseBoardService,
  closeCase,
  counsellorsOfMySchool,
  getCaseFile,
  openCase,
  reopenCase,
  schoolCaseCounts,
  updateCaseDetails,
} from '../../services/case'
import { districtCaseStats, exportDistrictCaseStats } from '../../services/case-stats'
import {
  addContact,
  addFollowUp,
  addNote,
  addReferral,
  changeRiskLevel,
  completeFollowUp,
  completeTask,
  editNote,
  listNoteVersions,
  recordCrisis,
  addNotification,
  updateReferralService,
} from '../../services/case-work'
import { procedure, router } from '../init'

const read = procedure.meta({ permission: 'case.read' })
const write = procedure.meta({ permission: 'case.write' })

export const caseRouter = router({
  board: read.input(caseListInput).query(({ ctx, input }) => caseBoardService(ctx, input)),
  byId: read.input(caseByIdInput).query(({ ctx, input }) => getCaseFile(ctx, input.id)),
  counsellors: read.query(({ ctx }) => counsellorsOfMySchool(ctx)),
  noteVersions: read
    .input(z.strictObject({ noteId: z.number().int().positive() }))
    .query(({ ctx, input }) => listNoteVersions(ctx, input.noteId)),
  open: write.input(caseOpenInput).mutation(({ ctx, input }) => openCase(ctx, input)),
  update: write.input(caseUpdateInput).mutation(({ ctx, input }) => updateCaseDetails(ctx, input)),
  addNote: write.input(noteInput).mutation(({ ctx, input }) => addNote(ctx, input)),
  editNote: write.input(noteUpdateInput).mutation(({ ctx, input }) => editNote(ctx, input)),
  changeRisk: write.input(riskChangeInput).mutation(({ ctx, input }) => changeRiskLevel(ctx, input)),
  addFollowUp: write.input(followUpInput).mutation(({ ctx, input }) => addFollowUp(ctx, input)),
  completeFollowUp: write.input(followUpDoneInput).mutation(({ ctx, input }) => completeFollowUp(ctx, input)),
  completeTask: write.input(taskCompleteInput).mutation(({ ctx, input }) => completeTask(ctx, input)),
  addReferral: write.input(referralInput).mutation(({ ctx, input }) => addReferral(ctx, input)),
  updateReferral: write.input(referralUpdateInput).mutation(({ ctx, input }) => updateReferralService(ctx, input)),
  recordCrisis: write.input(crisisInput).mutation(({ ctx, input }) => recordCrisis(ctx, input)),
  notify: write.input(notificationInput).mutation(({ ctx, input }) => addNotification(ctx, input)),
  addContact: write.input(contactInput).mutation(({ ctx, input }) => addContact(ctx, input)),
  close: write.input(caseCloseInput).mutation(({ ctx, input }) => closeCase(ctx, input)),
  reopen: write.input(caseReopenInput).mutation(({ ctx, input }) => reopenCase(ctx, input)),
  schoolCounts: procedure.meta({ permission: 'case.counts' }).query(({ ctx }) => schoolCaseCounts(ctx)),
  districtStats: procedure
    .meta({ permission: 'case.districtStats' })
    .input(districtStatsInput)
    .query(({ ctx, input }) => districtCaseStats(ctx, input)),
  exportDistrictStats: procedure
    .meta({ permission: 'case.districtStats' })
    .input(districtStatsExportInput)
    .mutation(({ ctx, input }) => exportDistrictCaseStats(ctx, input)),
})
