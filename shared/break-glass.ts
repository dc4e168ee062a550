import { z } from 'zod'
import { idSchema } from './schemas'
import { requiredText } from './text'

/**
 * Break-glass (issue 16): an admin or the district centre opens one restricted case file — every case file
 * is restricted to its school's counsellors — only by stating a reason; the opening lasts a district-set
 * number of minutes, is flagged in the audit, told to the school's counsellors and reviewed by the bureau.
 */
export const BREAK_GLASS_REASON_MIN = 15
export const BREAK_GLASS_REASON_MAX = 1000

export const breakGlassSettingsSchema = z.strictObject({
  minutes: z.number().int().min(5).max(480),
})
export type BreakGlassSettings = z.infer<typeof breakGlassSettingsSchema>
export const DEFAULT_BREAK_GLASS_SETTINGS: BreakGlassSettings = { minutes: 60 }

export const breakGlassOpenInput = z.strictObject({
  caseId: idSchema,
  reason: requiredText(BREAK_GLASS_REASON_MAX, BREAK_GLASS_REASON_MIN),
})
export type BreakGlassOpenInput = z.infer<typeof breakGlassOpenInput>

export const breakGlassIdInput = z.strictObject({ id: idSchema })
export const breakGlassReviewListInput = z.strictObject({ filter: z.enum(['unreviewed', 'all']) })
export const routingSetInput = z.strictObject({ schoolId: idSchema, toCentre: z.boolean() })
