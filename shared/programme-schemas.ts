import { z } from 'zod'
import { isoDay } from './dates'
import { cleanString, optionalText, requiredText } from './text'
import { SCHOOL_TYPES } from './roles'
import { GRADE_MAX, GRADE_MIN } from './cases'
import { EXPORT_FORMATS, EXPORT_LOCALES } from './exports'
import {
  AUDIENCES,
  CHANNEL_KINDS,
  DRILL_ROLES,
  EVENT_KINDS,
  ITEM_STATUSES,
  PROGRAMME_ITEMS,
  ROUND_HALVES,
  indicatorListSchema,
  indicatorSchema,
  programmeRulesSchema,
} from './programme'

const id = z.number().int().positive()
const isoDate = isoDay('record')
const version = z.number().int().min(1)
const text = (max: number) => requiredText(max)

export const programmeScopeInput = z.strictObject({ schoolId: id.optional(), schoolYearId: id.optional() })

export const teamSaveInput = z.strictObject({
  schoolYearId: id,
  setUpOn: isoDate.nullable(),
  note: optionalText(500),
  classes: z
    .array(
      z.strictObject({
        grade: z.number().int().min(GRADE_MIN).max(GRADE_MAX),
        className: text(20),
        headTeacherTrained: z.boolean(),
        peerSupporters: z.number().int().min(0).max(10),
      }),
    )
    .max(300)
    .refine((list) => new Set(list.map((c) => `${c.grade}/${c.className}`)).size === list.length, { message: 'validation.duplicateClass' }),
})

const eventFields = {
  kind: z.enum(EVENT_KINDS),
  heldOn: isoDate,
  title: text(100),
  audiences: z.array(z.enum(AUDIENCES)).min(1).max(AUDIENCES.length),
  grades: z.array(z.number().int().min(GRADE_MIN).max(GRADE_MAX)).max(GRADE_MAX + 1),
  participants: z.number().int().min(0).max(100_000),
  organiser: optionalText(60),
  summary: optionalText(2000),
  /** drills */
  scenario: optionalText(500),
  roles: z.array(z.enum(DRILL_ROLES)).max(DRILL_ROLES.length).default([]),
  responseMinutes: z.number().min(0).max(600).nullable().optional(),
  problemsFound: optionalText(2000),
  improvements: optionalText(2000),
}
export const eventCreateInput = z.strictObject({ ...eventFields, schoolYearId: id })
export const eventUpdateInput = z.strictObject({ ...eventFields, id, version })

export const channelCreateInput = z.strictObject({
  schoolYearId: id,
  kind: z.enum(CHANNEL_KINDS),
  name: text(60),
  address: optionalText(200),
  launchedOn: isoDate.nullable(),
})

export const clinicSaveInput = z.strictObject({
  schoolYearId: id,
  hospital: text(80),
  clinicName: optionalText(80),
  greenChannel: z.boolean(),
  agreementOn: isoDate.nullable(),
  contactName: optionalText(40),
  contactPhone: cleanString()
    .max(30)
    .regex(/^[0-9+\- ()转]*$/, 'validation.phoneChars')
    .nullable()
    .optional(),
})

export const yearOnlyInput = z.strictObject({ schoolYearId: id })

export const matrixInput = z.strictObject({
  schoolYearId: id.optional(),
  streetId: id.optional(),
  type: z.enum(SCHOOL_TYPES).optional(),
  item: z.enum(PROGRAMME_ITEMS).optional(),
  status: z.enum(ITEM_STATUSES).optional(),
  /** only schools with at least one item not complete */
  openOnly: z.boolean().default(false),
  page: z.number().int().min(1).max(100_000).default(1),
  pageSize: z.number().int().min(1).max(200).default(50),
})
/** The matrix as listed under the same filters, every page, as CSV or Excel in the reader's language. */
export const matrixExportInput = z.strictObject({
  ...matrixInput.omit({ page: true, pageSize: true }).shape,
  format: z.enum(EXPORT_FORMATS),
  locale: z.enum(EXPORT_LOCALES),
})
export const programmeTrendInput = z.strictObject({ streetId: id.optional(), type: z.enum(SCHOOL_TYPES).optional() })

export const programmeSettingsInput = z.strictObject({ rules: programmeRulesSchema, indicators: indicatorListSchema })

const scores = z.record(z.string().max(20), z.number().min(0).max(100))

export const roundCreateInput = z
  .strictObject({
    title: text(80),
    schoolYearId: id,
    half: z.enum(ROUND_HALVES),
    opensOn: isoDate,
    dueOn: isoDate,
  })
  .refine((v) => v.dueOn >= v.opensOn, { message: 'validation.dueBeforeOpen', path: ['dueOn'] })

export const roundIdInput = z.strictObject({ roundId: id })
export const roundStatusInput = z.strictObject({ roundId: id, version })

export const selfEvaluationInput = z.strictObject({
  roundId: id,
  version: version.nullable(),
  scores,
  summary: optionalText(3000),
})

export const bureauScoreInput = z.strictObject({
  roundId: id,
  schoolId: id,
  version: version.nullable(),
  scores,
  comment: optionalText(3000),
})

// ── JSON columns as stored (read back on the server through parseStored, which falls back on a bad row) ──
/** programme_event.audiences */
export const storedAudiences = z.array(z.enum(AUDIENCES))
/** programme_event.grades */
export const storedGrades = z.array(z.number().int())
/** programme_event.roles */
export const storedDrillRoles = z.array(z.enum(DRILL_ROLES))
/** evaluation_round.indicators: the district's list as it stood when the round was created */
export const storedIndicators = z.array(indicatorSchema)
/** evaluation_submission.self_scores and bureau_scores: indicator code → score */
export const storedScores = z.record(z.string(), z.number())

export type TeamSaveInput = z.infer<typeof teamSaveInput>
export type EventCreateInput = z.infer<typeof eventCreateInput>
export type EventUpdateInput = z.infer<typeof eventUpdateInput>
export type ChannelCreateInput = z.infer<typeof channelCreateInput>
export type ClinicSaveInput = z.infer<typeof clinicSaveInput>
export type MatrixInput = z.infer<typeof matrixInput>
export type MatrixExportInput = z.infer<typeof matrixExportInput>
export type RoundCreateInput = z.infer<typeof roundCreateInput>
export type SelfEvaluationInput = z.infer<typeof selfEvaluationInput>
export type BureauScoreInput = z.infer<typeof bureauScoreInput>
