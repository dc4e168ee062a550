import {
  breakGlassIdInput,
  breakGlassOpenInput,
  breakGlassReviewListInput,
  breakGlassSettingsSchema,
  routingSetInput,
} from '../../../shared/break-glass'
import {
  getBreakGlassSettings,
  listBreakGlassForReview,
  myBreakGlass,
  openBreakGlass,
  readBreakGlass,
  reviewBreakGlass,
  updateBreakGlassSettings,
} from '../../services/break-glass'
import { listRouting, setRouting } from '../../services/district-centre'
import { procedure, router } from '../init'

/** The bureau's routing of schools' assessment alerts to the district centre. */
export const centreRouter = router({
  routing: procedure.meta({ permission: 'district.settings' }).query(({ ctx }) => listRouting(ctx)),
  setRouting: procedure
    .meta({ permission: 'district.settings' })
    .input(routingSetInput)
    .mutation(({ ctx, input }) => setRouting(ctx, input)),
})

/** Break-glass: open with a reason (admin, district centre), read while it lasts, the bureau's review. */
export const breakGlassRouter = router({
  open: procedure
    .meta({ permission: 'case.breakGlass' })
    .input(breakGlassOpenInput)
    .mutation(({ ctx, input }) => openBreakGlass(ctx, input)),
  mine: procedure.meta({ permission: 'case.breakGlass' }).query(({ ctx }) => myBreakGlass(ctx)),
  read: procedure
    .meta({ permission: 'case.breakGlass' })
    .input(breakGlassIdInput)
    .query(({ ctx, input }) => readBreakGlass(ctx, input.id)),
  review: procedure
    .meta({ permission: 'case.breakGlassReview' })
    .input(breakGlassReviewListInput)
    .query(({ ctx, input }) => listBreakGlassForReview(ctx, input)),
  markReviewed: procedure
    .meta({ permission: 'case.breakGlassReview' })
    .input(breakGlassIdInput)
    .mutation(({ ctx, input }) => reviewBreakGlass(ctx, input.id)),
  settings: procedure.meta({ permission: 'district.settings' }).query(({ ctx }) => getBreakGlassSettings(ctx)),
  updateSettings: procedure
    .meta({ permission: 'district.settings' })
    .input(breakGlassSettingsSchema)
    .mutation(({ ctx, input }) => updateBreakGlassSettings(ctx, input)),
})
