import { byIdInput, schoolYearCreateInput, schoolYearUpdateInput } from '../../../shared/schemas'
import {
  createSchoolYear,
  listSchoolYearsService,
  setCurrentSchoolYear,
  setSchoolYearDisabled,
  updateSchoolYearService,
} from '../../services/school-year'
import { procedure, router } from '../init'

export const schoolYearRouter = router({
  list: procedure.meta({ permission: 'schoolYear.read' }).query(({ ctx }) => listSchoolYearsService(ctx)),
  create: procedure
    .meta({ permission: 'schoolYear.manage' })
    .input(schoolYearCreateInput)
    .mutation(({ ctx, input }) => createSchoolYear(ctx, input)),
  update: procedure
    .meta({ permission: 'schoolYear.manage' })
    .input(schoolYearUpdateInput)
    .mutation(({ ctx, input }) => updateSchoolYearService(ctx, input)),
  setCurrent: procedure
    .meta({ permission: 'schoolYear.manage' })
    .input(byIdInput)
    .mutation(({ ctx, input }) => setCurrentSchoolYear(ctx, input.id)),
  disable: procedure
    .meta({ permission: 'schoolYear.manage' })
    .input(byIdInput)
    .mutation(({ ctx, input }) => setSchoolYearDisabled(ctx, input.id, true)),
  enable: procedure
    .meta({ permission: 'schoolYear.manage' })
    .input(byIdInput)
    .mutation(({ ctx, input }) => setSchoolYearDisabled(ctx, input.id, false)),
})
