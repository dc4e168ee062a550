import { z } from 'zod'

/**
 * The district's one disclosure setting (DOMAIN.md: suppress 0 < n < 10, a local rule, never below 5).
 * Every aggregate in the product is published through `server/rules/disclosure.ts` with this threshold.
 */
export const DEFAULT_THRESHOLD = 10
export const MIN_THRESHOLD = 5
export const MAX_THRESHOLD = 50

export const disclosureSettingsSchema = z.object({
  threshold: z.number().int().min(MIN_THRESHOLD).max(MAX_THRESHOLD),
})
export type DisclosureSettings = z.infer<typeof disclosureSettingsSchema>
export const DEFAULT_DISCLOSURE_SETTINGS: DisclosureSettings = { threshold: DEFAULT_THRESHOLD }

/**
 * How a hidden figure reads everywhere (screens, CSV, Excel): a dash with a legend, never "<10" — a
 * hidden figure may be any value, including large ones hidden so a small one cannot be worked out.
 */
export const HIDDEN_MARK = '—'

/** The audiences of the ledger: everyone holding the same figures shares one. */
export const DISTRICT_AUDIENCE = 'district'
export const researchAudience = (projectId: number) => `research:${projectId}`
