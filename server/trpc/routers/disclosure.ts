import { disclosureSettingsSchema } from '../../../shared/disclosure'
import { getDisclosureSettings, listReleases, updateDisclosureSettings } from '../../services/disclosure'
import { procedure, router } from '../init'

const settings = procedure.meta({ permission: 'district.settings' })

/** The district's one disclosure setting; every aggregate in the product is published with it. */
export const disclosureRouter = router({
  settings: settings.query(({ ctx }) => getDisclosureSettings(ctx)),
  releases: settings.query(({ ctx }) => listReleases(ctx)),
  updateSettings: settings.input(disclosureSettingsSchema.strict()).mutation(({ ctx, input }) => updateDisclosureSettings(ctx, input)),
})
