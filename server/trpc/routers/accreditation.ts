import { z } from 'zod'
import {
  accreditationSettingsSchema,
  applicationIdInput,
  assignInput,
  decideInput,
  deltaInput,
  discussionOpenInput,
  discussionPostInput,
  draftVersionInput,
  employmentAddInput,
  employmentRemoveInput,
  expertScoreInput,
  exportInput,
  returnInput,
  selfSaveInput,
  unassignInput,
  versionIdInput,
  visitInput,
  withdrawInput,
} from '../../../shared/accreditation'
import { idSchema } from '../../../shared/schemas'
import {
  acceptApplication,
  applicationsService,
  createDraftVersion,
  mySchoolAccreditation,
  openApplication,
  publishVersion,
  removeEvidence,
  returnApplication,
  saveSelfAssessment,
  submitApplication,
  updateDraft,
  versionsService,
} from '../../services/accreditation'
import {
  addDelta,
  applicationDetail,
  assignExpert,
  candidatesService,
  decide,
  myAssignments,
  openDiscussion,
  postMessage,
  recordVisit,
  saveSheet,
  unassignExpert,
} from '../../services/accreditation-review'
import {
  addEmployment,
  decisionRecord,
  employmentList,
  exportReviewSheet,
  myTitles,
  overviewService,
  removeEmployment,
  withdrawTitle,
} from '../../services/accreditation-titles'
import { loadAccreditationSettings, updateAccreditationSettings } from '../../services/district-settings'
import { requireActor } from '../../services/context'
import { procedure, router } from '../init'

const manage = procedure.meta({ permission: 'accreditation.manage' })
const apply = procedure.meta({ permission: 'accreditation.apply' })
const review = procedure.meta({ permission: 'accreditation.review' })

/**
 * Feature-school accreditation. The detail and evidence procedures are shared by the three roles under
 * their own permission each; the service decides what each reader sees (an expert only their
 * assigned files, and other experts' sheets only after submitting their own).
 */
export const accreditationRouter = router({
  // the bureau
  overview: manage.query(({ ctx }) => overviewService(ctx)),
  settings: manage.query(({ ctx }) => {
    requireActor(ctx)
    return loadAccreditationSettings(ctx.db)
  }),
  updateSettings: manage.input(accreditationSettingsSchema).mutation(({ ctx, input }) => updateAccreditationSettings(ctx, input)),
  versions: manage.query(({ ctx }) => versionsService(ctx)),
  createDraft: manage.mutation(({ ctx }) => createDraftVersion(ctx)),
  updateDraft: manage.input(draftVersionInput).mutation(({ ctx, input }) => updateDraft(ctx, input)),
  publish: manage.input(versionIdInput).mutation(({ ctx, input }) => publishVersion(ctx, input)),
  applications: manage.query(({ ctx }) => applicationsService(ctx)),
  application: manage.input(applicationIdInput).query(({ ctx, input }) => applicationDetail(ctx, input)),
  returnApplication: manage.input(returnInput).mutation(({ ctx, input }) => returnApplication(ctx, input)),
  accept: manage.input(applicationIdInput).mutation(({ ctx, input }) => acceptApplication(ctx, input)),
  candidates: manage.input(applicationIdInput).query(({ ctx, input }) => candidatesService(ctx, input)),
  assign: manage.input(assignInput).mutation(({ ctx, input }) => assignExpert(ctx, input)),
  unassign: manage.input(unassignInput).mutation(({ ctx, input }) => unassignExpert(ctx, input)),
  openDiscussion: manage.input(discussionOpenInput).mutation(({ ctx, input }) => openDiscussion(ctx, input)),
  postBureau: manage.input(discussionPostInput).mutation(({ ctx, input }) => postMessage(ctx, input)),
  visit: manage.input(visitInput).mutation(({ ctx, input }) => recordVisit(ctx, input)),
  decide: manage.input(decideInput).mutation(({ ctx, input }) => decide(ctx, input)),
  withdrawTitle: manage.input(withdrawInput).mutation(({ ctx, input }) => withdrawTitle(ctx, input)),
  exportSheet: manage.input(exportInput).mutation(({ ctx, input }) => exportReviewSheet(ctx, input)),
  record: manage.input(applicationIdInput).query(({ ctx, input }) => decisionRecord(ctx, input)),
  employment: manage.input(z.strictObject({ accountId: idSchema.optional() })).query(({ ctx, input }) => employmentList(ctx, input)),
  addEmployment: manage.input(employmentAddInput).mutation(({ ctx, input }) => addEmployment(ctx, input)),
  removeEmployment: manage.input(employmentRemoveInput).mutation(({ ctx, input }) => removeEmployment(ctx, input)),

  // the school admin
  mine: apply.query(({ ctx }) => mySchoolAccreditation(ctx)),
  myTitles: apply.query(({ ctx }) => myTitles(ctx)),
  open: apply.mutation(({ ctx }) => openApplication(ctx)),
  schoolApplication: apply.input(applicationIdInput).query(({ ctx, input }) => applicationDetail(ctx, input)),
  saveSelf: apply.input(selfSaveInput).mutation(({ ctx, input }) => saveSelfAssessment(ctx, input)),
  submit: apply.input(applicationIdInput).mutation(({ ctx, input }) => submitApplication(ctx, input)),
  removeEvidence: apply.input(z.strictObject({ id: idSchema })).mutation(({ ctx, input }) => removeEvidence(ctx, input)),

  // the expert
  assignments: review.query(({ ctx }) => myAssignments(ctx)),
  review: review.input(applicationIdInput).query(({ ctx, input }) => applicationDetail(ctx, input)),
  saveSheet: review.input(expertScoreInput).mutation(({ ctx, input }) => saveSheet(ctx, input)),
  submitSheet: review.input(expertScoreInput).mutation(({ ctx, input }) => saveSheet(ctx, input, true)),
  addDelta: review.input(deltaInput).mutation(({ ctx, input }) => addDelta(ctx, input)),
  postExpert: review.input(discussionPostInput).mutation(({ ctx, input }) => postMessage(ctx, input)),
})
