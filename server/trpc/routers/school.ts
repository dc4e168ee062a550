import {
  byIdInput,
  districtOverviewInput,
  enrolmentInput,
  schoolCreateInput,
  schoolExportInput,
  schoolListInput,
  schoolUpdateInput,
} from '../../../shared/schemas'
import {
  createSchool,
  districtOverview,
  exportSchoolList,
  getSchool,
  listSchoolsService,
  setEnrolment,
  setSchoolDisabled,
  streets,
  updateSchoolService,
} from '../../services/school'
import { procedure, router } from '../init'

export const schoolRouter = router({
  streets: procedure.meta({ permission: 'school.read' }).query(({ ctx }) => streets(ctx)),
  list: procedure
    .meta({ permission: 'school.read' })
    .input(schoolListInput)
    .query(({ ctx, input }) => listSchoolsService(ctx, input)),
  byId: procedure
    .meta({ permission: 'school.read' })
    .input(byIdInput)
    .query(({ ctx, input }) => getSchool(ctx, input.id)),
  overview: procedure
    .meta({ permission: 'district.overview' })
    .input(districtOverviewInput)
    .query(({ ctx, input }) => districtOverview(ctx, input)),
  export: procedure
    .meta({ permission: 'district.overview' })
    .input(schoolExportInput)
    .mutation(({ ctx, input }) => exportSchoolList(ctx, input)),
  create: procedure
    .meta({ permission: 'school.manage' })
    .input(schoolCreateInput)
    .mutation(({ ctx, input }) => createSchool(ctx, input)),
  update: procedure
    .meta({ permission: 'school.manage' })
    .input(schoolUpdateInput)
    .mutation(({ ctx, input }) => updateSchoolService(ctx, input)),
  disable: procedure
    .meta({ permission: 'school.manage' })
    .input(byIdInput)
    .mutation(({ ctx, input }) => setSchoolDisabled(ctx, input.id, true)),
  enable: procedure
    .meta({ permission: 'school.manage' })
    .input(byIdInput)
    .mutation(({ ctx, input }) => setSchoolDisabled(ctx, input.id, false)),
  setEnrolment: procedure
    .meta({ permission: 'school.manage' })
    .input(enrolmentInput)
    .mutation(({ ctx, input }) => setEnrolment(ctx, input)),
})
