import { z } from 'zod'
import { CODE_ALPHABET, codeSchema } from './assessment'
import { CASE_CATEGORIES, GRADE_MAX, RISK_LEVELS, SEXES } from './cases'
import { INSTRUMENTS, type InstrumentId, type Text } from './instruments'

/**
 * Student screening's vocabulary and input schemas. A campaign uses instruments of the library: the
 * embedded ones suitable for students, and district-defined questionnaires (a screening scale with
 * bands, or a knowledge quiz with correct answers), referenced by their published version.
 */
export const QUESTIONNAIRE_KINDS = ['screening', 'quiz'] as const
export type QuestionnaireKind = (typeof QUESTIONNAIRE_KINDS)[number]

/** Embedded instruments given to students (PHQ-9 has an adolescent use; GAD-7; WHO-5). */
export const STUDENT_INSTRUMENTS = ['phq9', 'gad7', 'who5'] as const satisfies readonly InstrumentId[]

export const CONSENT_PARTIES = ['guardian', 'student'] as const
export type ConsentParty = (typeof CONSENT_PARTIES)[number]
/** PIPL: under 14 a guardian consents, from 14 the student. */
export const OWN_CONSENT_AGE = 14

export const WARNING_LEVELS = ['critical', 'high', 'watch'] as const
export type WarningLevel = (typeof WARNING_LEVELS)[number]
/** Levels as the bureau's distribution counts them: "none" for an answered student without a warning. */
export const LEVEL_COLUMNS = ['none', 'watch', 'high', 'critical'] as const

export const WARNING_OUTCOMES = ['no_concern', 'watch', 'case'] as const
export type WarningOutcome = (typeof WARNING_OUTCOMES)[number]

/** Grade bands of the bureau's view: upper primary, junior and senior high (the 2021 notice's screening years). */
export const GRADE_BANDS = ['upper_primary', 'junior', 'senior', 'other'] as const
export type GradeBand = (typeof GRADE_BANDS)[number]
export function gradeBand(grade: number): GradeBand {
  if (grade >= 4 && grade <= 6) return 'upper_primary'
  if (grade >= 7 && grade <= 9) return 'junior'
  if (grade >= 10 && grade <= 12) return 'senior'
  return 'other'
}

/** Whole years of age on `day` (ISO dates; a 29 February birthday turns over on 1 March). */
export function ageOn(birthDate: string, day: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number]
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0)
}

/**
 * Who must consent for a student, at the campaign date: the guardian under 14, the student from 14.
 * Without a birth date on file nobody can show the student is 14: the guardian consents.
 */
export function consentParty(birthDate: string | null, campaignDate: string): ConsentParty {
  if (!birthDate) return 'guardian'
  return ageOn(birthDate, campaignDate) >= OWN_CONSENT_AGE ? 'student' : 'guardian'
}

export interface ConsentRecord {
  party: ConsentParty
  withdrawnAt: string | null
}

/** Whether a student may be offered the questionnaire: a standing consent of the right party. */
export function hasConsent(record: ConsentRecord | null, required: ConsentParty): boolean {
  return record != null && record.withdrawnAt == null && record.party === required
}

/** A school year label ("2026-2027") from a day: years run from 1 September. */
export function schoolYearOf(day: string): string {
  const y = Number(day.slice(0, 4))
  const m = Number(day.slice(5, 7))
  return m >= 9 ? `${y}-${y + 1}` : `${y - 1}-${y}`
}

/** The class code on the board: 6 characters of the code alphabet. */
export const CLASS_CODE_LENGTH = 6
export const classCodeSchema = z
  .string()
  .trim()
  .max(20)
  .transform((s) => s.replace(/[\s-]/g, '').toUpperCase())
  .pipe(z.string().regex(new RegExp(`^[${CODE_ALPHABET}]{${CLASS_CODE_LENGTH}}$`), 'validation.classCodeFormat'))

// ---------------------------------------------------------------------------------------------------
// District-defined questionnaires

const id = z.number().int().positive()
const text = (max: number) => z.string().trim().min(1).max(max)
const key = z.string().regex(/^[a-z][a-z0-9_]{0,19}$/, 'validation.keyFormat')

export const questionnaireOption = z.strictObject({ value: z.number().int().min(0).max(10), labelZh: text(80), labelEn: text(80) })
export const questionnaireItem = z.strictObject({
  key,
  textZh: text(300),
  textEn: text(300),
  options: z.array(questionnaireOption).min(2).max(8),
  /** quiz: the value of the correct option */
  correct: z.number().int().min(0).max(10).nullable().default(null),
  /** screening: an answer at or above this value is a critical warning (e.g. self-harm thoughts) */
  critical: z.number().int().min(0).max(10).nullable().default(null),
})
export const questionnaireBand = z.strictObject({
  key,
  labelZh: text(40),
  labelEn: text(40),
  min: z.number().int().min(0).max(1000),
  max: z.number().int().min(0).max(1000),
  warn: z.enum(['none', 'watch', 'high']),
})
export const questionnaireDefinition = z.strictObject({
  kind: z.enum(QUESTIONNAIRE_KINDS),
  nameZh: text(80),
  nameEn: text(80),
  stemZh: z.string().trim().max(300).default(''),
  stemEn: z.string().trim().max(300).default(''),
  items: z.array(questionnaireItem).min(1).max(60),
  bands: z.array(questionnaireBand).max(10).default([]),
})
export type QuestionnaireDefinition = z.infer<typeof questionnaireDefinition>

export type DefinitionProblem =
  | 'duplicateItem'
  | 'duplicateOption'
  | 'correctMissing'
  | 'correctNotAnOption'
  | 'bandsMissing'
  | 'bandsGap'
  | 'duplicateBand'
  | 'criticalNotAnOption'

/** The range of totals a screening questionnaire can give: the least and the most each item can add. */
export function totalRange(def: Pick<QuestionnaireDefinition, 'items'>): { min: number; max: number } {
  let min = 0
  let max = 0
  for (const item of def.items) {
    const values = item.options.map((o) => o.value)
    min += Math.min(...values)
    max += Math.max(...values)
  }
  return { min, max }
}

/**
 * What stops a definition from being published: item keys and option values unique; a quiz has a correct
 * option for every item; a screening questionnaire's bands cover every possible total exactly once.
 */
export function definitionProblems(def: QuestionnaireDefinition): DefinitionProblem[] {
  const out = new Set<DefinitionProblem>()
  if (new Set(def.items.map((i) => i.key)).size !== def.items.length) out.add('duplicateItem')
  for (const item of def.items) {
    const values = item.options.map((o) => o.value)
    if (new Set(values).size !== values.length) out.add('duplicateOption')
    if (def.kind === 'quiz') {
      if (item.correct == null) out.add('correctMissing')
      else if (!values.includes(item.correct)) out.add('correctNotAnOption')
    }
    if (def.kind === 'screening' && item.critical != null && !values.some((v) => v >= item.critical!)) out.add('criticalNotAnOption')
  }
  if (def.kind === 'screening') {
    if (!def.bands.length) out.add('bandsMissing')
    else {
      if (new Set(def.bands.map((b) => b.key)).size !== def.bands.length) out.add('duplicateBand')
      const { min, max } = totalRange(def)
      const sorted = [...def.bands].sort((a, b) => a.min - b.min)
      let next = min
      for (const b of sorted) {
        if (b.min !== next || b.max < b.min) {
          out.add('bandsGap')
          break
        }
        next = b.max + 1
      }
      if (next !== max + 1) out.add('bandsGap')
    }
  }
  return [...out]
}

export const questionnaireSaveInput = z.strictObject({
  /** the questionnaire to change (its draft, or a new draft after the published version); absent: a new one */
  questionnaireId: id.optional(),
  definition: questionnaireDefinition,
})
export const questionnaireVersionInput = z.strictObject({ versionId: id })

/** An instrument of a campaign: an embedded id, or "q" + a published questionnaire version id. */
export const instrumentRef = z.string().regex(/^(phq9|gad7|who5|q[1-9][0-9]{0,8})$/, 'validation.instrumentRef')
export const customVersionId = (ref: string): number | null => (/^q(\d+)$/.exec(ref) ? Number(ref.slice(1)) : null)

// ---------------------------------------------------------------------------------------------------
// Campaigns, consent, sessions

const isoDay = z.iso.date()
export const campaignCreateInput = z
  .strictObject({
    name: text(80),
    campaignDate: isoDay,
    closesOn: isoDay,
    instruments: z.array(instrumentRef).min(1).max(6),
    grades: z.array(z.number().int().min(1).max(GRADE_MAX)).min(1).max(12),
    /** a school campaign may name classes of the grades; empty = all of them */
    classNames: z.array(text(20)).max(60).default([]),
    /** bureau: the target schools */
    schoolIds: z.array(id).max(2000).default([]),
  })
  .refine((v) => v.campaignDate <= v.closesOn, { message: 'validation.endsBeforeStart', path: ['closesOn'] })
  .refine((v) => new Set(v.instruments).size === v.instruments.length, { message: 'validation.duplicate', path: ['instruments'] })
export type CampaignCreateInput = z.infer<typeof campaignCreateInput>

export const campaignIdInput = z.strictObject({ campaignId: id })
export const classInput = z.strictObject({ campaignId: id, grade: z.number().int().min(1).max(GRADE_MAX), className: text(20) })
export const consentRecordInput = z.strictObject({
  campaignId: id,
  studentId: id,
  party: z.enum(CONSENT_PARTIES),
  slipDate: isoDay,
})
export const consentWithdrawInput = z.strictObject({ campaignId: id, studentId: id })
export const reissueSlipInput = z.strictObject({ campaignId: id, studentId: id })
export const sessionIdInput = z.strictObject({ sessionId: id })

// ---------------------------------------------------------------------------------------------------
// Answering (public: a class code and a personal code, in the POST body)

const answerMap = z.record(z.string().max(20), z.record(z.string().max(20), z.number().int().min(0).max(10)))
export type ScreeningAnswers = z.infer<typeof answerMap>
export const studentOpenInput = z.strictObject({ classCode: classCodeSchema, code: codeSchema })
export const studentSaveInput = z.strictObject({ classCode: classCodeSchema, code: codeSchema, answers: answerMap })

// ---------------------------------------------------------------------------------------------------
// Warnings

export const warningListInput = z.strictObject({ status: z.enum(['open', 'done', 'all']).default('open') })
export const warningIdInput = z.strictObject({ id })
export const warningOutcomeInput = z.strictObject({
  id,
  version: z.number().int().min(1),
  interviewOn: isoDay,
  notes: text(1500),
  outcome: z.enum(WARNING_OUTCOMES),
  /** "case": the level the case opens at and its categories */
  riskLevel: z.enum(RISK_LEVELS).optional(),
  categories: z.array(z.enum(CASE_CATEGORIES)).max(CASE_CATEGORIES.length).default([]),
})

// ---------------------------------------------------------------------------------------------------
// Bureau

export const awarenessInput = z.strictObject({
  schoolYear: z
    .string()
    .regex(/^\d{4}-\d{4}$/)
    .optional(),
})
export const awarenessSchoolInput = z.strictObject({ schoolYear: z.string().regex(/^\d{4}-\d{4}$/), schoolId: id })
export const awarenessExportInput = z.strictObject({
  schoolYear: z.string().regex(/^\d{4}-\d{4}$/),
  format: z.enum(['csv', 'xlsx']),
  locale: z.enum(['zh-CN', 'en']),
})
export const distributionInput = z.strictObject({ campaignId: id })

// ---------------------------------------------------------------------------------------------------
// District settings

const bandKey = z.string().max(40).nullable()
export const screeningSettingsSchema = z.strictObject({
  /** the share of correct answers (percent) at or above which a student counts as aware */
  passMarkPercent: z.number().int().min(1).max(100),
  /** the district's awareness target (percent) */
  awarenessTarget: z.number().int().min(1).max(100),
  /** item answers are purged this many days after submission; bands and totals stay for statistics */
  retentionDays: z.number().int().min(30).max(3650),
  /** per embedded instrument, the band from which a warning is "watch" and "high" */
  warnBands: z.partialRecord(z.enum(STUDENT_INSTRUMENTS), z.strictObject({ watch: bandKey, high: bandKey })),
})
export type ScreeningSettings = z.infer<typeof screeningSettingsSchema>
export const DEFAULT_SCREENING_SETTINGS: ScreeningSettings = {
  passMarkPercent: 60,
  awarenessTarget: 80,
  retentionDays: 365,
  warnBands: {
    phq9: { watch: 'moderate', high: 'moderately_severe' },
    gad7: { watch: 'moderate', high: 'severe' },
    who5: { watch: 'poor', high: null },
  },
}

/** A name in both languages for any instrument ref (embedded: the library's; custom: the definition's). */
export function embeddedName(id: (typeof STUDENT_INSTRUMENTS)[number]): Text {
  return INSTRUMENTS[id].name
}

export const SEX_VALUES = SEXES
