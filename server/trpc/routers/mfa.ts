import { byIdInput } from '../../../shared/schemas'
import { mfaCodeInput, mfaVerifyInput, securitySettingsSchema } from '../../../shared/trust'
import { getSecuritySettings, updateSecuritySettings } from '../../services/district-settings'
import {
  myMfaDisable,
  myMfaEnrolConfirm,
  myMfaEnrolStart,
  myMfaStatus,
  myRecoveryCodesRegenerate,
  resetAccountMfa,
  signInChallenge,
  signInEnrolConfirm,
  signInEnrolStart,
  verifySignIn,
} from '../../services/mfa'
import { retentionOverview } from '../../services/retention'
import { procedure, router } from '../init'

/**
 * The second factor. The sign-in steps are public procedures that answer only to a sign-in waiting
 * for its second factor (ctx.pending); everything else needs a full session.
 */
export const mfaRouter = router({
  challenge: procedure.meta({ permission: 'public' }).query(({ ctx }) => signInChallenge(ctx)),
  verify: procedure
    .meta({ permission: 'public' })
    .input(mfaVerifyInput)
    .mutation(({ ctx, input }) => verifySignIn(ctx, input.code)),
  signInEnrolStart: procedure.meta({ permission: 'public' }).mutation(({ ctx }) => signInEnrolStart(ctx)),
  signInEnrolConfirm: procedure
    .meta({ permission: 'public' })
    .input(mfaCodeInput)
    .mutation(({ ctx, input }) => signInEnrolConfirm(ctx, input.code)),
  status: procedure.meta({ permission: 'account.self' }).query(({ ctx }) => myMfaStatus(ctx)),
  enrolStart: procedure.meta({ permission: 'account.self' }).mutation(({ ctx }) => myMfaEnrolStart(ctx)),
  enrolConfirm: procedure
    .meta({ permission: 'account.self' })
    .input(mfaCodeInput)
    .mutation(({ ctx, input }) => myMfaEnrolConfirm(ctx, input.code)),
  disable: procedure
    .meta({ permission: 'account.self' })
    .input(mfaCodeInput)
    .mutation(({ ctx, input }) => myMfaDisable(ctx, input.code)),
  regenerateRecoveryCodes: procedure
    .meta({ permission: 'account.self' })
    .input(mfaCodeInput)
    .mutation(({ ctx, input }) => myRecoveryCodesRegenerate(ctx, input.code)),
  reset: procedure
    .meta({ permission: 'account.manage' })
    .input(byIdInput)
    .mutation(({ ctx, input }) => resetAccountMfa(ctx, input.id)),
})

/** The district's second-factor requirement and retention periods (bureau settings page). */
export const securityRouter = router({
  settings: procedure.meta({ permission: 'district.settings' }).query(({ ctx }) => getSecuritySettings(ctx)),
  updateSettings: procedure
    .meta({ permission: 'district.settings' })
    .input(securitySettingsSchema)
    .mutation(({ ctx, input }) => updateSecuritySettings(ctx, input)),
  retention: procedure.meta({ permission: 'district.settings' }).query(({ ctx }) => retentionOverview(ctx)),
})
