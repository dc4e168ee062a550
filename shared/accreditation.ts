import { z } from 'zod'
import { EXPORT_FORMATS, EXPORT_LOCALES } from './exports'
import { idSchema } from './schemas'
import { cleanString, requiredText } from './text'

/**
 * Feature-school accreditation (心理健康教育特色学校): the versioned indicator tree, the application's
 * stages, the review and the title. Both sides run these schemas and the stage rule.
 */

/** Facts the platform already holds about a school, shown as 系统核验 evidence and frozen at submission. */
export const SYSTEM_CHECKS = ['staffing', 'room', 'sevenOnes', 'supervision', 'drills'] as const
export type SystemCheck = (typeof SYSTEM_CHECKS)[number]

export const STAGES = ['draft', 'submitted', 'returned', 'accepted', 'review', 'visited', 'decided'] as const
export type Stage = (typeof STAGES)[number]

/**
 * The only moves between stages. A school edits in draft/returned and submits; the bureau returns or
 * accepts; the first expert assigned starts the review; the visit needs every panel sheet submitted
 * (checked by the service); the decision closes the file.
 */
export const TRANSITIONS: Readonly<Record<Stage, readonly Stage[]>> = {
  draft: ['submitted'],
  submitted: ['returned', 'accepted'],
  returned: ['submitted'],
  accepted: ['review'],
  review: ['visited'],
  visited: ['decided'],
  decided: [],
}

export function canTransition(from: Stage, to: Stage): boolean {
  return TRANSITIONS[from].includes(to)
}

/** Stages in which the school may still change its self-assessment and evidence. */
export const SCHOOL_EDITABLE: readonly Stage[] = ['draft', 'returned']

export const DECISIONS = ['accredited', 'not_yet'] as const
export type Decision = (typeof DECISIONS)[number]

export const CONFLICT_KINDS = ['ownSchool', 'sameStreet', 'sameGroup', 'employment', 'previousPanel'] as const
export type ConflictKind = (typeof CONFLICT_KINDS)[number]

/** Re-review reminders before a title expires, in days (Asia/Shanghai dates). */
export const REMINDER_DAYS = [180, 90, 30] as const

const code = cleanString()
  .min(1)
  .max(20)
  .regex(/^[A-Za-z0-9_.-]+$/, 'validation.codeChars')

export const pointSchema = z.strictObject({
  code,
  textZh: requiredText(200),
  textEn: requiredText(300),
  maxScore: z.number().int().min(1).max(100),
  /** what the school must show (材料要求) */
  evidenceZh: cleanString().max(200),
  evidenceEn: cleanString().max(300),
  /** a platform fact shown at this point as 系统核验 evidence */
  system: z.enum(SYSTEM_CHECKS).nullable(),
  /** a must-pass (★) item: failing it means "not yet" whatever the total */
  starred: z.boolean(),
})
export type Point = z.infer<typeof pointSchema>

export const indicatorNodeSchema = z.strictObject({
  code,
  nameZh: requiredText(80),
  nameEn: requiredText(120),
  points: z.array(pointSchema).min(1).max(20),
})

export const categorySchema = z.strictObject({
  code,
  nameZh: requiredText(80),
  nameEn: requiredText(120),
  /** share of the 100-point total this category carries */
  weight: z.number().min(0).max(100),
  indicators: z.array(indicatorNodeSchema).min(1).max(20),
})
export type Category = z.infer<typeof categorySchema>

export const treeSchema = z
  .array(categorySchema)
  .min(1)
  .max(12)
  .refine((cats) => Math.abs(cats.reduce((s, c) => s + c.weight, 0) - 100) < 1e-6, { message: 'accreditation.weightsSum' })
  .refine(
    (cats) => {
      const codes = cats.flatMap((c) => c.indicators.flatMap((i) => i.points.map((p) => p.code)))
      return new Set(codes).size === codes.length
    },
    { message: 'validation.duplicateCode' },
  )
export type Tree = z.infer<typeof treeSchema>

export function treePoints(tree: Tree): (Point & { category: string; indicator: string })[] {
  return tree.flatMap((c) => c.indicators.flatMap((i) => i.points.map((p) => ({ ...p, category: c.code, indicator: i.code }))))
}

export const accreditationSettingsSchema = z.strictObject({
  /** district feature schools to hold (seed 000: 10 by 2021) */
  target: z.number().int().min(1).max(1000),
  targetYear: z.number().int().min(2000).max(2099),
  validityYears: z.number().int().min(1).max(10),
  /** weighted total (of 100) the panel's mean must reach for the system to recommend the title */
  passTotal: z.number().min(0).max(100),
  /** a point is flagged when the experts' scores differ by more than this share of its maximum */
  spreadPercent: z.number().int().min(1).max(100),
  /** a starred point passes at this share of its maximum */
  starredPassPercent: z.number().int().min(1).max(100),
  /** education groups (教育集团): schools of one group conflict with each other's experts */
  groups: z.array(z.strictObject({ name: requiredText(60), schoolIds: z.array(idSchema).max(50) })).max(50),
})
export type AccreditationSettings = z.infer<typeof accreditationSettingsSchema>

export const DEFAULT_ACCREDITATION_SETTINGS: AccreditationSettings = {
  target: 10,
  targetYear: 2021,
  validityYears: 3,
  passTotal: 80,
  spreadPercent: 30,
  starredPassPercent: 60,
  groups: [],
}

// ── inputs ───────────────────────────────────────────────────────────────────────────────────

const comment = cleanString().max(1000)
const reason = requiredText(1000)
const score = z.number().min(0).max(100)

export const applicationIdInput = z.strictObject({ applicationId: idSchema })
export const versionIdInput = z.strictObject({ versionId: idSchema })
export const draftVersionInput = z.strictObject({ versionId: idSchema, tree: treeSchema })

export const selfSaveInput = z.strictObject({
  applicationId: idSchema,
  version: z.number().int().min(1),
  points: z.array(z.strictObject({ code, score: score.nullable(), comment })).max(200),
})
export type SelfSaveInput = z.infer<typeof selfSaveInput>

export const returnInput = z.strictObject({ applicationId: idSchema, reason })
export const assignInput = z.strictObject({
  applicationId: idSchema,
  expertId: idSchema,
  overrideReason: cleanString().max(1000).nullable().optional(),
})
export const unassignInput = z.strictObject({ applicationId: idSchema, expertId: idSchema })
export const expertScoreInput = z.strictObject({
  applicationId: idSchema,
  points: z.array(z.strictObject({ code, score: score.nullable(), comment })).max(200),
})
export type ExpertScoreInput = z.infer<typeof expertScoreInput>
export const deltaInput = z.strictObject({ applicationId: idSchema, code, delta: z.number().min(-100).max(100), reason })
export const discussionOpenInput = z.strictObject({ applicationId: idSchema, code, note: reason })
export const discussionPostInput = z.strictObject({ discussionId: idSchema, text: reason })
export const visitInput = z.strictObject({
  applicationId: idSchema,
  visitedOn: z.iso.date(),
  observations: requiredText(4000),
})
export const decideInput = z.strictObject({ applicationId: idSchema, decision: z.enum(DECISIONS), reason })
export const withdrawInput = z.strictObject({ titleId: idSchema, reason })
export const employmentAddInput = z.strictObject({
  accountId: idSchema,
  schoolId: idSchema,
  fromOn: z.iso.date(),
  toOn: z.iso.date().nullable(),
})
export const employmentRemoveInput = z.strictObject({ id: idSchema })
export const exportInput = z.strictObject({ applicationId: idSchema, format: z.enum(EXPORT_FORMATS), locale: z.enum(EXPORT_LOCALES) })
