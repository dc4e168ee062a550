import { z } from 'zod'
import { isoDay } from './dates'
import { cleanString, requiredText } from './text'
import {
  AGGREGATE_DIMENSIONS,
  DATASET_NAMES,
  EPSILON_BUDGET_MAX,
  EPSILON_MAX,
  EPSILON_MIN,
  EXPORT_FILES,
  PROJECT_MAX_DAYS,
  RECORD_ATTRIBUTES,
  type ResearchDataset,
} from './research'

const id = z.number().int().positive()
const version = z.number().int().min(1)
const isoDate = isoDay('record')
const text = (max: number) => requiredText(max)
const dataset = z.enum(DATASET_NAMES as [ResearchDataset, ...ResearchDataset[]])

const daysBetween = (a: string, b: string) => (Date.parse(b) - Date.parse(a)) / 86_400_000

const projectFields = {
  title: text(120),
  institution: text(120),
  purpose: text(2000),
  datasets: z.array(dataset).min(1).max(DATASET_NAMES.length),
  startsOn: isoDate,
  endsOn: isoDate,
  approverId: id,
  researcherIds: z.array(id).max(50).default([]),
  /** privacy-loss budget ε for noisy aggregate releases (0 = none); left out on an update = unchanged */
  epsilonBudget: z.number().min(0).max(EPSILON_BUDGET_MAX).optional(),
}
const periodOk = (p: { startsOn: string; endsOn: string }) =>
  p.endsOn >= p.startsOn && daysBetween(p.startsOn, p.endsOn) <= PROJECT_MAX_DAYS
const periodMessage = { message: 'validation.researchPeriod', path: ['endsOn'] }

export const projectCreateInput = z.strictObject(projectFields).refine(periodOk, periodMessage)
export type ProjectCreateInput = z.infer<typeof projectCreateInput>
export const projectUpdateInput = z.strictObject({ ...projectFields, id, version }).refine(periodOk, periodMessage)
export type ProjectUpdateInput = z.infer<typeof projectUpdateInput>
export const projectIdInput = z.strictObject({ id })
export const projectCloseInput = z.strictObject({ id, version })

const period = { periodFrom: isoDate, periodTo: isoDate }
const periodValid = (p: { periodFrom: string; periodTo: string }) => p.periodTo >= p.periodFrom
const periodIssue = { message: 'validation.periodOrder', path: ['periodTo'] }

export const exportSpecInput = z
  .discriminatedUnion('form', [
    z.strictObject({
      projectId: id,
      dataset,
      form: z.literal('aggregate'),
      rows: z.enum(AGGREGATE_DIMENSIONS),
      columns: z.enum(AGGREGATE_DIMENSIONS),
      /** counts with discrete-Laplace noise at this ε, spent from the project's budget when approved */
      epsilon: z.number().min(EPSILON_MIN).max(EPSILON_MAX).optional(),
      ...period,
    }),
    z.strictObject({
      projectId: id,
      dataset,
      form: z.literal('record'),
      attributes: z
        .array(z.enum(RECORD_ATTRIBUTES))
        .max(RECORD_ATTRIBUTES.length)
        .refine((a) => new Set(a).size === a.length),
      ...period,
    }),
  ])
  .refine(periodValid, periodIssue)
export type ExportSpec = z.infer<typeof exportSpecInput>

export const exportIdInput = z.strictObject({ id })
export const exportDecideInput = z
  .strictObject({ id, version, decision: z.enum(['approve', 'return']), note: cleanString().max(1000).default('') })
  .refine((d) => d.decision === 'approve' || d.note.length > 0, { message: 'validation.noteRequired', path: ['note'] })
export const exportWithdrawInput = z.strictObject({ id, version })
export const exportResubmitInput = z.strictObject({ id, version, spec: exportSpecInput })
export const exportDownloadInput = z.strictObject({ id, file: z.enum(EXPORT_FILES) })
