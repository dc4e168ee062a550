import { z } from 'zod'
import { INSTRUMENT_IDS } from './instruments'

/** The breakdowns of the year-over-year assessment aggregates, and a teacher's age bands (at the round's year). */
export const TREND_DIMENSIONS = ['school', 'street', 'ageBand', 'sex'] as const
export type TrendDimension = (typeof TREND_DIMENSIONS)[number]

export const AGE_BANDS = ['under30', '30to39', '40to49', '50plus', 'unknown'] as const
export type AgeBand = (typeof AGE_BANDS)[number]

export const trendInput = z.strictObject({ instrument: z.enum(INSTRUMENT_IDS), dimension: z.enum(TREND_DIMENSIONS) })
