import ExcelJS from 'exceljs'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema'
import en from '../../i18n/locales/en.json'
import zh from '../../i18n/locales/zh-CN.json'
import {
  DIMENSION_VALUES,
  SENSITIVE_ATTRIBUTE,
  NOISE_MECHANISM,
  type AggregateDimension,
  type DisclosureReport,
  type NoiseReport,
  type ResearchDataset,
} from '../../shared/research'
import type { ExportSpec } from '../../shared/research-schemas'

import { RISK_LEVELS } from '../../shared/cases'
import { ageBand, ageOn, crossTab, gradeBand, termOf } from '../rules/anonymise'
import { csvLine } from '../rules/csv'
import { publishedTable, tableSpec, type HiddenReason, type TableSpec } from '../rules/disclosure'
import { researchAudience } from '../../shared/disclosure'
import type { ServiceContext } from './context'
import { release } from './disclosure'
import { discreteLaplaceMoments, noisyTable } from '../rules/noise'
import { fixZipTimestamps } from '../rules/zip-time'
import { caseUnits, programmeUnits, staffUnits, streetsInOrder } from '../repositories/research'
import { buildRecordExtract } from './research-extract'

export interface GeneratedFile {
  name: 'data.csv' | 'data.xlsx' | 'codebook.csv' | 'disclosure.csv'
  mimeType: string
  bytes: Buffer
}

export interface BuiltExport {
  report: DisclosureReport
  headers: string[]
  rows: (string | number)[][]
}

export type { DisclosureReport }

/** A suppressed cell in every file and screen: a dash, explained in the codebook. */
export const HIDDEN = '—'

// ── the one disclosure call for aggregate tables ─────────────────────────────────────────────

/**
 * Every research aggregate table goes through here, and only here, to the district's disclosure module
 * (`server/rules/disclosure.ts` via the ledger in `./disclosure`). Entries are named by what they count
 * (dataset, period and the conditions of the cell), so a later export of the same project that shares
 * a figure is judged against what the project already holds. `record` is false for a preview (no values
 * are shown) and true when the files are generated.
 */
export async function discloseAggregate(
  ctx: ServiceContext,
  input: {
    projectId: number
    record: boolean
    dataset: string
    periodFrom: string
    periodTo: string
    rowDimension: string
    colDimension: string
    rowValues: readonly string[]
    colValues: readonly string[]
    cells: number[][]
    additive: boolean
  },
) {
  const base = `${input.dataset}|${input.periodFrom}..${input.periodTo}`
  const table: TableSpec = {
    name: 'research',
    cells: input.cells,
    rowTotals: input.additive,
    id: (i, j) =>
      [
        base,
        ...[
          ...(j != null ? [`${input.colDimension}=${input.colValues[j]}`] : []),
          ...(i != null ? [`${input.rowDimension}=${input.rowValues[i]}`] : []),
        ].sort(),
      ].join('|'),
  }
  const released = await release(ctx, ctx.db, {
    audience: researchAudience(input.projectId),
    key: 'research-aggregate',
    spec: tableSpec(table),
    record: input.record,
  })
  const d = released.decision
  const out = publishedTable(d, table)
  const cellReasons = input.cells.flatMap((row, i) => row.map((_, j) => d.hidden.get(table.id!(i, j))))
  const count = (why: HiddenReason) => cellReasons.filter((r) => r === why).length
  const totalsHidden = [...(out.rowTotals ?? []), ...out.colTotals, ...(input.additive ? [out.total] : [])].filter((n) => n == null).length
  return {
    threshold: d.threshold,
    table: out,
    primary: count('primary'),
    zero: count('zero'),
    change: count('change'),
    complementary: count('complementary'),
    totalsHidden,
  }
}

// ── dataset registry: how each allowlisted dataset is read ──────────────────────────────────────

interface Unit {
  dims: Partial<Record<AggregateDimension, string[]>>
}

interface DatasetSource {
  population: string
  units: (db: Kysely<Database>, from: string, to: string) => Promise<Unit[]>
}

const parseList = (json: string): string[] => {
  try {
    const v: unknown = JSON.parse(json)
    return Array.isArray(v) ? v.map(String) : []
  } catch {
    return []
  }
}

/** Later domains (teacher assessments, screening, room visits) add their source here and their dataset in shared/research.ts. */
export const DATASET_SOURCES: Record<ResearchDataset, DatasetSource> = {
  cases: {
    population: 'casesOpened',
    units: async (db, from, to) =>
      (await caseUnits(db, from, to)).map((c) => ({
        dims: {
          school_type: [c.school_type],
          street: [c.street],
          term: [termOf(c.opened_on)],
          sex: [c.sex],
          age_band: [ageBand(ageOn(c.birth_date, c.opened_on))],
          grade_band: [gradeBand(c.grade)],
          risk_level: [c.risk_level],
          status: [c.status],
          category: parseList(c.categories),
        },
      })),
  },
  staffing: {
    population: 'staffInPost',
    units: async (db, _from, to) =>
      (await staffUnits(db, to)).map((s) => ({ dims: { school_type: [s.school_type], street: [s.street], employment: [s.employment] } })),
  },
  programme: {
    population: 'eventsHeld',
    units: async (db, from, to) =>
      (await programmeUnits(db, from, to)).map((e) => ({
        dims: { school_type: [e.school_type], street: [e.street], term: [termOf(e.held_on)], event_kind: [e.kind] },
      })),
  },
}

function emptyReport(spec: ExportSpec, population: string): DisclosureReport {
  return {
    dataset: spec.dataset,
    form: spec.form,
    periodFrom: spec.periodFrom,
    periodTo: spec.periodTo,
    population,
    columns: [],
    rowDimension: null,
    colDimension: null,
    threshold: null,
    cells: null,
    cellsSuppressedPrimary: null,
    cellsSuppressedZero: null,
    cellsSuppressedChange: null,
    cellsSuppressedComplementary: null,
    totalsSuppressed: null,
    rowLabels: null,
    colLabels: null,
    hidden: null,
    kRequired: null,
    kAchieved: null,
    lRequired: null,
    lAchieved: null,
    classes: null,
    recordsIn: null,
    recordsDropped: null,
    recordsOut: null,
    generalisation: [],
    noise: null,
  }
}

async function dimensionOrder(db: Kysely<Database>, dim: AggregateDimension): Promise<string[]> {
  if (dim === 'street') return (await streetsInOrder(db)).map((s) => s.code)
  return [...(DIMENSION_VALUES[dim] ?? [])]
}

const TOTAL = 'total'

export async function buildAggregate(
  ctx: ServiceContext,
  spec: Extract<ExportSpec, { form: 'aggregate' }>,
  nonAdditive: readonly AggregateDimension[],
  record: boolean,
): Promise<BuiltExport> {
  const db = ctx.db
  const source = DATASET_SOURCES[spec.dataset]
  const units = await source.units(db, spec.periodFrom, spec.periodTo)
  const tab = crossTab(
    units.map((u) => ({ row: u.dims[spec.rows] ?? [], col: u.dims[spec.columns] ?? [] })),
    await dimensionOrder(db, spec.rows),
    await dimensionOrder(db, spec.columns),
  )
  const additive = !nonAdditive.includes(spec.columns) && !nonAdditive.includes(spec.rows)
  const d = await discloseAggregate(ctx, {
    projectId: spec.projectId,
    record,
    dataset: spec.dataset,
    periodFrom: spec.periodFrom,
    periodTo: spec.periodTo,
    rowDimension: spec.rows,
    colDimension: spec.columns,
    rowValues: tab.rowValues,
    colValues: tab.colValues,
    cells: tab.cells,
    additive,
  })
  // Noise (when asked) goes on after the disclosure decision: hidden cells stay hidden.
  const noise = spec.epsilon ? noiseReport(spec.epsilon, nonAdditive, spec, tab) : null
  const decided = { ...d.table, rowTotals: d.table.rowTotals ?? tab.rowValues.map(() => null) }
  const published = noise ? noisyTable(tab.cells, decided, noise.epsilon, noise.sensitivity) : decided
  const show = (n: number | null) => (n == null ? HIDDEN : n)
  const headers = [spec.rows, ...tab.colValues, ...(additive ? [TOTAL] : [])]
  const rows: (string | number)[][] = tab.rowValues.map((r, i) => [
    r,
    ...published.cells[i]!.map(show),
    ...(additive ? [show(published.rowTotals[i]!)] : []),
  ])
  rows.push([TOTAL, ...published.colTotals.map(show), ...(additive ? [show(published.total)] : [])])
  const report: DisclosureReport = {
    ...emptyReport(spec, source.population),
    columns: headers,
    rowDimension: spec.rows,
    colDimension: spec.columns,
    threshold: d.threshold,
    cells: tab.rowValues.length * tab.colValues.length,
    cellsSuppressedPrimary: d.primary,
    cellsSuppressedZero: d.zero,
    cellsSuppressedChange: d.change,
    cellsSuppressedComplementary: d.complementary,
    totalsSuppressed: d.totalsHidden,
    rowLabels: tab.rowValues,
    colLabels: tab.colValues,
    hidden: d.table.cells.map((row) => row.map((n) => n == null)),
    noise,
  }
  return { report, headers, rows }
}

/**
 * The noise of one release: ε as asked, and the sensitivity of the table's cells — one case counts in
 * one cell of an additive table, and in up to one cell per value of a dimension that overlaps (a case
 * with several categories). Totals are sums of the noisy cells, so they add nothing.
 */
function noiseReport(
  epsilon: number,
  nonAdditive: readonly AggregateDimension[],
  spec: Extract<ExportSpec, { form: 'aggregate' }>,
  tab: { rowValues: string[]; colValues: string[] },
): NoiseReport {
  const sensitivity =
    (nonAdditive.includes(spec.rows) ? Math.max(1, tab.rowValues.length) : 1) *
    (nonAdditive.includes(spec.columns) ? Math.max(1, tab.colValues.length) : 1)
  return { mechanism: NOISE_MECHANISM, epsilon, sensitivity, variance: discreteLaplaceMoments(epsilon, sensitivity).variance }
}

/**
 * A record-level cases extract: one row per case opened in the period, the student as a per-project
 * pseudonym, the chosen quasi-identifiers generalised until every class has k ≥ 5 (10 when any
 * subject is or may be under 14) and ℓ ≥ 2 risk levels; what cannot be made safe is dropped.
 * `key` null = preview only: the report is computed, no pseudonym is. Built by the two streaming
 * passes of `research-extract.ts` (which also writes the CSV with flat memory).
 */
export { buildRecordExtract }

// ── files ────────────────────────────────────────────────────────────────────────────────

type Messages = Record<string, unknown>
function lookup(messages: Messages, key: string): string | null {
  let node: unknown = messages
  for (const part of key.split('.')) node = (node as Messages | undefined)?.[part]
  return typeof node === 'string' ? node : null
}
const both = (key: string): [string, string] => [lookup(zh as Messages, key) ?? key, lookup(en as Messages, key) ?? key]

/** The i18n key of a coded value, per column. */
function valueKey(column: string, value: string): string | null {
  const scoped: Record<string, string> = {
    school_type: 'schoolTypes',
    risk_level: 'risk',
    category: 'categories',
    categories: 'categories',
    source: 'sources',
    employment: 'employment',
    event_kind: 'itemsShort',
  }
  if (scoped[column]) return `${scoped[column]}.${value}`
  if (['status', 'sex', 'age_band', 'grade_band'].includes(column)) return `research.values.${column}.${value}`
  return null
}

function codingOf(column: string, values: readonly string[]): string {
  return values
    .map((v) => {
      const key = valueKey(column, v)
      if (!key) return v
      const [z, e] = both(key)
      return `${v}=${z}/${e}`
    })
    .join('; ')
}

async function codebookRows(db: Kysely<Database>, built: BuiltExport): Promise<string[][]> {
  const { report } = built
  const streets = await streetsInOrder(db)
  const streetCoding = streets.map((s) => `${s.code}=${s.name_zh}/${s.name_en}`).join('; ')
  const gen = new Map(report.generalisation.map((g) => [g.attribute, g]))
  const out: string[][] = []
  report.columns.forEach((column, index) => {
    let [labelZh, labelEn] = both(`research.columns.${column}`)
    let coding = ''
    let applied: string
    if (report.form === 'aggregate') {
      const suppressed = `${HIDDEN} = ${both('research.codebook.suppressed')[1].replace('{threshold}', String(report.threshold))}`
      if (index === 0) {
        const dim = column as AggregateDimension
        coding =
          dim === 'street' ? streetCoding : dim === 'term' ? both('research.codebook.term')[1] : codingOf(dim, report.rowLabels ?? [])
        coding += `; ${TOTAL}: ${both('research.codebook.totalRow')[1]}`
        applied = 'row dimension'
      } else {
        const colDim = report.colDimension ?? ''
        const key = column === TOTAL ? null : valueKey(colDim, column)
        if (key) [labelZh, labelEn] = both(key)
        coding = column === TOTAL ? both('research.codebook.totalColumn')[1] : `count, ${colDim} = ${column}`
        applied = suppressed
        if (report.noise) applied += `; ${noiseText(report.noise)}`
      }
    } else {
      const g = gen.get(column)
      if (column === 'subject') coding = both('research.codebook.subject')[1]
      else if (column === 'school')
        coding = `type|street; ${codingOf('school_type', [...(DIMENSION_VALUES.school_type ?? [])])}; ${streetCoding}`
      else if (column === 'opened') coding = both('research.codebook.term')[1]
      else if (column === 'age') coding = codingOf('age_band', [...(DIMENSION_VALUES.age_band ?? [])]) + '; under14/14plus'
      else if (column === 'grade') coding = `1-12; ${codingOf('grade_band', [...(DIMENSION_VALUES.grade_band ?? [])])}`
      else if (column === SENSITIVE_ATTRIBUTE) coding = codingOf('risk_level', RISK_LEVELS)
      else if (column === 'categories') coding = `;-separated: ${codingOf('categories', [...(DIMENSION_VALUES.category ?? [])])}`
      else if (column === 'sex') coding = codingOf('sex', ['F', 'M'])
      else if (column === 'status') coding = codingOf('status', ['open', 'closed'])
      else if (column === 'source') coding = codingOf('source', ['self', 'head_teacher', 'parent', 'screening', 'peer_supporter', 'other'])
      applied = g
        ? `level ${g.level}: ${g.applied} (* = suppressed)`
        : column === SENSITIVE_ATTRIBUTE
          ? `sensitive attribute: every class holds at least ${report.lRequired} distinct values`
          : column === 'subject'
            ? 'pseudonym'
            : 'not generalised (not a quasi-identifier)'
    }
    out.push([column, labelZh, labelEn, coding, applied])
  })
  return out
}

/** How the codebook states the noise of a release. */
function noiseText(noise: NoiseReport): string {
  return both('research.codebook.noise')[1]
    .replace('{epsilon}', String(noise.epsilon))
    .replace('{sensitivity}', String(noise.sensitivity))
    .replace('{variance}', String(Math.round(noise.variance * 100) / 100))
}

function disclosureRows(report: DisclosureReport): (string | number)[][] {
  const [popZh, popEn] = both(`research.population.${report.population}`)
  const rows: [string, string | number | null][] = [
    ['dataset', report.dataset],
    ['form', report.form],
    ['population', `${popZh} / ${popEn}`],
    ['period_from', report.periodFrom],
    ['period_to', report.periodTo],
    ['threshold', report.threshold],
    ['cells', report.cells],
    ['cells_suppressed_primary', report.cellsSuppressedPrimary],
    ['cells_suppressed_zero', report.cellsSuppressedZero],
    ['cells_suppressed_change', report.cellsSuppressedChange],
    ['cells_suppressed_complementary', report.cellsSuppressedComplementary],
    ['totals_suppressed', report.totalsSuppressed],
    ['k_required', report.kRequired],
    ['k_achieved', report.kAchieved],
    ['l_required', report.lRequired],
    ['l_achieved', report.lAchieved],
    ['classes', report.classes],
    ['records_in', report.recordsIn],
    ['records_dropped', report.recordsDropped],
    ['records_out', report.recordsOut],
    ...report.generalisation.map((g): [string, string] => [`generalisation_${g.attribute}`, `level ${g.level}: ${g.applied}`]),
    ['noise_mechanism', report.noise ? report.noise.mechanism : null],
    ['noise_epsilon', report.noise ? report.noise.epsilon : null],
    ['noise_sensitivity', report.noise ? report.noise.sensitivity : null],
    ['noise_variance', report.noise ? Math.round(report.noise.variance * 1000) / 1000 : null],
    ['noise_note', report.noise ? noiseText(report.noise) : null],
  ]
  return rows.filter(([, v]) => v != null) as (string | number)[][]
}

const csv = (headers: readonly string[], rows: readonly (readonly (string | number)[])[]): Buffer =>
  Buffer.from('\uFEFF' + [headers, ...rows].map(csvLine).join('\r\n') + '\r\n', 'utf8')

/** A fixed moment for the workbook's own properties: data files carry no time (the manifest does). */
const FIXED_DATE = new Date(Date.UTC(2000, 0, 1))

async function workbook(
  sheets: { name: string; headers: readonly string[]; rows: readonly (readonly (string | number)[])[] }[],
): Promise<Buffer> {
  const book = new ExcelJS.Workbook()
  book.creator = 'Xinqiao'
  book.lastModifiedBy = 'Xinqiao'
  book.created = FIXED_DATE
  book.modified = FIXED_DATE
  for (const s of sheets) {
    const sheet = book.addWorksheet(s.name, { views: [{ state: 'frozen', ySplit: 1 }] })
    sheet.addRow([...s.headers]).font = { bold: true }
    for (const r of s.rows) sheet.addRow([...r])
    sheet.columns.forEach((col, i) => {
      const widest = Math.max(String(s.headers[i] ?? '').length, ...s.rows.slice(0, 200).map((r) => String(r[i] ?? '').length))
      col.width = Math.min(60, Math.max(8, widest + 2))
    })
  }
  return fixZipTimestamps(Buffer.from(await book.xlsx.writeBuffer()))
}

const CODEBOOK_HEADERS = ['column', 'label_zh', 'label_en', 'coding', 'generalisation']
const DISCLOSURE_HEADERS = ['measure', 'value']

/** The four data files of an export; identical inputs give byte-identical files. */
export async function exportFiles(db: Kysely<Database>, built: BuiltExport): Promise<GeneratedFile[]> {
  const codebook = await codebookRows(db, built)
  const disclosure = disclosureRows(built.report)
  return [
    { name: 'data.csv', mimeType: 'text/csv;charset=utf-8', bytes: csv(built.headers, built.rows) },
    {
      name: 'data.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      bytes: await workbook([
        { name: 'data', headers: built.headers, rows: built.rows },
        { name: 'codebook', headers: CODEBOOK_HEADERS, rows: codebook },
        { name: 'disclosure', headers: DISCLOSURE_HEADERS, rows: disclosure },
      ]),
    },
    { name: 'codebook.csv', mimeType: 'text/csv;charset=utf-8', bytes: csv(CODEBOOK_HEADERS, codebook) },
    { name: 'disclosure.csv', mimeType: 'text/csv;charset=utf-8', bytes: csv(DISCLOSURE_HEADERS, disclosure) },
  ]
}
