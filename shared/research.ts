import { CASE_CATEGORIES, CASE_SOURCES, RISK_LEVELS } from './cases'
import { SCHOOL_TYPES } from './roles'
import { EMPLOYMENT_TYPES } from './staffing'
import { EVENT_KINDS } from './programme'

/**
 * Research projects: what a researcher may ask for, and how an export request moves from request to
 * download. The server and the screens read the same registry, so a domain that lands later (teacher
 * assessments, screening, room visits) adds its dataset here and a loader in
 * `server/services/research-datasets.ts`.
 */

export const EXPORT_FORMS = ['aggregate', 'record'] as const
export type ExportForm = (typeof EXPORT_FORMS)[number]

/** A grouping of an aggregate table: the dimensions both sides know, with their fixed value lists where one exists. */
export const AGGREGATE_DIMENSIONS = [
  'school_type',
  'street',
  'term',
  'sex',
  'age_band',
  'grade_band',
  'risk_level',
  'status',
  'category',
  'employment',
  'event_kind',
] as const
export type AggregateDimension = (typeof AGGREGATE_DIMENSIONS)[number]

/** Attributes a record-level extract may carry besides the pseudonym and the sensitive attribute. */
export const RECORD_ATTRIBUTES = ['school', 'grade', 'sex', 'age', 'opened', 'status', 'source', 'categories'] as const
export type RecordAttribute = (typeof RECORD_ATTRIBUTES)[number]

export interface DatasetDefinition {
  forms: readonly ExportForm[]
  /** the dimensions an aggregate table may use as rows or columns */
  rows: readonly AggregateDimension[]
  columns: readonly AggregateDimension[]
  /** columns whose values overlap (one case, several categories): their rows have no published total */
  nonAdditive: readonly AggregateDimension[]
  /** record-level extracts: the attributes one may include; quasi-identifiers are generalised */
  attributes: readonly RecordAttribute[]
}

export const RESEARCH_DATASETS = {
  cases: {
    forms: ['aggregate', 'record'],
    rows: ['school_type', 'street', 'term', 'sex', 'age_band', 'grade_band'],
    columns: ['risk_level', 'status', 'category'],
    nonAdditive: ['category'],
    attributes: ['school', 'grade', 'sex', 'age', 'opened', 'status', 'source', 'categories'],
  },
  staffing: {
    forms: ['aggregate'],
    rows: ['school_type', 'street'],
    columns: ['employment'],
    nonAdditive: [],
    attributes: [],
  },
  programme: {
    forms: ['aggregate'],
    rows: ['school_type', 'street', 'term'],
    columns: ['event_kind'],
    nonAdditive: [],
    attributes: [],
  },
} as const satisfies Record<string, DatasetDefinition>
export type ResearchDataset = keyof typeof RESEARCH_DATASETS
export const DATASET_NAMES = Object.keys(RESEARCH_DATASETS) as ResearchDataset[]

/** Quasi-identifiers of a record-level extract: generalised until every class is large and diverse enough. */
export const QUASI_IDENTIFIERS = ['school', 'grade', 'sex', 'age', 'opened'] as const satisfies readonly RecordAttribute[]
export type QuasiIdentifier = (typeof QUASI_IDENTIFIERS)[number]
/** The sensitive attribute of the cases extract: every class must hold at least ℓ of its values. */
export const SENSITIVE_ATTRIBUTE = 'risk_level'

/** Fixed value lists of the dimensions that have one (the others come from the data: streets, terms). */
export const DIMENSION_VALUES: Partial<Record<AggregateDimension, readonly string[]>> = {
  school_type: SCHOOL_TYPES,
  risk_level: RISK_LEVELS,
  status: ['open', 'closed'],
  category: CASE_CATEGORIES,
  employment: EMPLOYMENT_TYPES,
  event_kind: EVENT_KINDS,
  sex: ['F', 'M'],
  age_band: ['under6', '6-8', '9-11', '12-13', '14-15', '16-18', 'over18', 'unknown'],
  grade_band: ['g1-3', 'g4-6', 'g7-9', 'g10-12'],
}
export { CASE_SOURCES }

// Disclosure thresholds of record-level extracts (DOMAIN.md): k ≥ 5, k ≥ 10 when any subject is under 14; ℓ ≥ 2.
export const K_ADULT = 5
export const K_UNDER_14 = 10
export const L_DIVERSITY = 2
/** Share of records an extract may drop instead of generalising further. */
export const MAX_DROPPED_SHARE = 0.05

/** How long an approved export can be downloaded. */
export const DOWNLOAD_DAYS = 14
/** The longest period of one project. */
export const PROJECT_MAX_DAYS = 3 * 366

// The export request's life: the bureau approves or returns every request; nothing skips a step.
export const EXPORT_STATES = ['requested', 'returned', 'approved', 'withdrawn'] as const
export type ExportState = (typeof EXPORT_STATES)[number]
export const EXPORT_EVENTS = ['approve', 'return', 'resubmit', 'withdraw'] as const
export type ExportEvent = (typeof EXPORT_EVENTS)[number]
export type ExportActor = 'bureau' | 'researcher'

/** Every allowed step; anything not listed is refused. */
export const EXPORT_TRANSITIONS: readonly { from: ExportState; event: ExportEvent; by: ExportActor; to: ExportState }[] = [
  { from: 'requested', event: 'approve', by: 'bureau', to: 'approved' },
  { from: 'requested', event: 'return', by: 'bureau', to: 'returned' },
  { from: 'requested', event: 'withdraw', by: 'researcher', to: 'withdrawn' },
  { from: 'returned', event: 'resubmit', by: 'researcher', to: 'requested' },
  { from: 'returned', event: 'withdraw', by: 'researcher', to: 'withdrawn' },
]

/** The state after `event` by `by`, or null when the step is not allowed. */
export function nextExportState(from: ExportState, event: ExportEvent, by: ExportActor): ExportState | null {
  return EXPORT_TRANSITIONS.find((t) => t.from === from && t.event === event && t.by === by)?.to ?? null
}

/** The files of an approved export. Data files carry no timestamps; the manifest does. */
export const EXPORT_FILES = ['data.csv', 'data.xlsx', 'codebook.csv', 'disclosure.csv', 'manifest.json'] as const
export type ExportFile = (typeof EXPORT_FILES)[number]

/** A project's state as everyone sees it, from its dates and the service clock. */
export type ProjectState = 'pending' | 'active' | 'ended'
export function projectState(p: { startsOn: string; endsOn: string; closedAt: string | null }, today: string): ProjectState {
  if (p.closedAt != null || p.endsOn < today) return 'ended'
  return p.startsOn > today ? 'pending' : 'active'
}

/** What every generated export says about its own disclosure control. */
export interface DisclosureReport {
  dataset: ResearchDataset
  form: ExportForm
  periodFrom: string
  periodTo: string
  /** the counted population, an i18n key under `research.population` */
  population: string
  columns: string[]
  // aggregate tables
  rowDimension: string | null
  colDimension: string | null
  threshold: number | null
  cells: number | null
  cellsSuppressedPrimary: number | null
  /** zeros of a small group, hidden because they would tell its attributes */
  cellsSuppressedZero: number | null
  /** figures hidden because they moved by less than the threshold since this project last saw them */
  cellsSuppressedChange: number | null
  cellsSuppressedComplementary: number | null
  totalsSuppressed: number | null
  rowLabels: string[] | null
  colLabels: string[] | null
  /** which cells are hidden: the layout the researcher sees before approval, no values */
  hidden: boolean[][] | null
  // record-level extracts
  kRequired: number | null
  kAchieved: number | null
  lRequired: number | null
  lAchieved: number | null
  classes: number | null
  recordsIn: number | null
  recordsDropped: number | null
  recordsOut: number | null
  generalisation: { attribute: string; level: number; applied: string }[]
  /** aggregate tables with noisy counts: the mechanism, ε of this release and the sensitivity it was drawn for */
  noise?: NoiseReport | null
}

/** Noisy counts (optional per aggregate release): discrete Laplace at a stated ε, spent from the project's budget. */
export const NOISE_MECHANISM = 'discrete_laplace'
export interface NoiseReport {
  mechanism: typeof NOISE_MECHANISM
  epsilon: number
  /** how many published cells one unit can change by one (1 for an additive table) */
  sensitivity: number
  /** the variance of each cell's noise: 2α/(1−α)², α = e^(−ε/Δ) */
  variance: number
}
/** The bounds of ε: per release and for a project's budget. */
export const EPSILON_MIN = 0.01
export const EPSILON_MAX = 10
export const EPSILON_BUDGET_MAX = 20
