import {
  exportDecideInput,
  exportDownloadInput,
  exportIdInput,
  exportResubmitInput,
  exportSpecInput,
  exportWithdrawInput,
  projectCloseInput,
  projectCreateInput,
  projectUpdateInput,
} from '../../../shared/research-schemas'
import {
  bureauProjects,
  closeProject,
  createProject,
  decideExport,
  downloadExport,
  editProject,
  exportReview,
  myProjects,
  previewExport,
  requestExport,
  researchAccounts,
  resubmitExport,
  reviewQueue,
  withdrawExport,
} from '../../services/research'
import { procedure, router } from '../init'

const manage = procedure.meta({ permission: 'research.manage' })
const use = procedure.meta({ permission: 'research.use' })

export const researchRouter = router({
  // the bureau
  projects: manage.query(({ ctx }) => bureauProjects(ctx)),
  accounts: manage.query(({ ctx }) => researchAccounts(ctx)),
  create: manage.input(projectCreateInput).mutation(({ ctx, input }) => createProject(ctx, input)),
  update: manage.input(projectUpdateInput).mutation(({ ctx, input }) => editProject(ctx, input)),
  close: manage.input(projectCloseInput).mutation(({ ctx, input }) => closeProject(ctx, input)),
  queue: manage.query(({ ctx }) => reviewQueue(ctx)),
  review: manage.input(exportIdInput).query(({ ctx, input }) => exportReview(ctx, input.id)),
  decide: manage.input(exportDecideInput).mutation(({ ctx, input }) => decideExport(ctx, input)),
  // the researcher
  mine: use.query(({ ctx }) => myProjects(ctx)),
  preview: use.input(exportSpecInput).mutation(({ ctx, input }) => previewExport(ctx, input)),
  request: use.input(exportSpecInput).mutation(({ ctx, input }) => requestExport(ctx, input)),
  resubmit: use.input(exportResubmitInput).mutation(({ ctx, input }) => resubmitExport(ctx, input)),
  withdraw: use.input(exportWithdrawInput).mutation(({ ctx, input }) => withdrawExport(ctx, input)),
  download: use.input(exportDownloadInput).mutation(({ ctx, input }) => downloadExport(ctx, input)),
})
