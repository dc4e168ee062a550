import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema'
import {
  K_ADULT,
  K_UNDER_14,
  L_DIVERSITY,
  MAX_DROPPED_SHARE,
  QUASI_IDENTIFIERS,
  RECORD_ATTRIBUTES,
  SENSITIVE_ATTRIBUTE,
  type DisclosureReport,
  type QuasiIdentifier,
} from '../../shared/research'
import type { ExportSpec } from '../../shared/research-schemas'
import {
  AGE_HIERARCHY,
  ageOn,
  anonymiseCounted,
  CLASS_SEPARATOR,
  DATE_HIERARCHY,
  generaliseRecord,
  GRADE_HIERARCHY,
  SCHOOL_HIERARCHY,
  SEX_HIERARCHY,
  type Hierarchy,
  QuasiCounter,
} from '../rules/anonymise'
import { csvLine } from '../rules/csv'
import { pseudonymiser } from '../rules/pseudonym'
import { caseUnitsBatch } from '../repositories/research'

/**
 * Record-level extracts in two streaming passes, so a district of millions of cases is extracted with
 * flat memory:
 *   1. count: read the period's cases in keyset batches and count them by their raw quasi-identifiers
 *      and sensitive value (memory grows with the distinct tuples, not the records); decide the
 *      generalisation levels and the classes that are safe (`anonymiseGroups`, the same Datafly rule
 *      as `anonymise`);
 *   2. rows: read the batches again, generalise each record, drop those of unsafe classes, pseudonymise,
 *      and emit the rows in the extract's fixed order. The order (by the generalised attributes, then
 *      the pseudonym) needs a sort: rows are sorted in runs of `SORT_RUN` kept in memory, runs spill to
 *      a temp file when there is more than one, and the runs are merged on the way out.
 * The output is byte for byte what the in-memory path produced before (a test holds them equal).
 */

const BATCH = 1_000
/** Rows sorted in memory at once; more than one run spills to temp files and is merged. */
export const SORT_RUN = 50_000

type CaseRow = Awaited<ReturnType<typeof caseUnitsBatch>>[number]

export const HIERARCHY: Record<QuasiIdentifier, Hierarchy> = {
  school: SCHOOL_HIERARCHY,
  grade: GRADE_HIERARCHY,
  sex: SEX_HIERARCHY,
  age: AGE_HIERARCHY,
  opened: DATE_HIERARCHY,
}
const OTHER_ATTRIBUTES = RECORD_ATTRIBUTES.filter((a) => !(QUASI_IDENTIFIERS as readonly string[]).includes(a))

const parseList = (json: string): string[] => {
  try {
    const v: unknown = JSON.parse(json)
    return Array.isArray(v) ? v.map(String) : []
  } catch {
    return []
  }
}

/** The raw quasi-identifier of a case. The opening date counts by its month: every level of its hierarchy reads only that. */
function rawValue(r: CaseRow, age: number | null, q: QuasiIdentifier): string {
  if (q === 'school') return `${r.school_type}|${r.street}`
  if (q === 'grade') return String(r.grade)
  if (q === 'sex') return r.sex
  if (q === 'age') return age == null ? 'unknown' : String(age)
  return r.opened_on.slice(0, 7)
}

async function eachBatch(db: Kysely<Database>, from: string, to: string, fn: (rows: CaseRow[]) => void | Promise<void>) {
  let after = 0
  for (;;) {
    const rows = await caseUnitsBatch(db, from, to, after, BATCH)
    if (!rows.length) return
    await fn(rows)
    after = rows[rows.length - 1]!.case_id
    if (rows.length < BATCH) return
  }
}

export interface RecordExtractPlan {
  spec: Extract<ExportSpec, { form: 'record' }>
  quasiIds: QuasiIdentifier[]
  others: (typeof OTHER_ATTRIBUTES)[number][]
  headers: string[]
  levels: number[]
  safeClasses: Set<string>
  report: DisclosureReport
}

/** Pass 1: counts the period's cases by raw quasi-identifiers and decides generalisation and the classes kept. */
export async function planRecordExtract(db: Kysely<Database>, spec: Extract<ExportSpec, { form: 'record' }>): Promise<RecordExtractPlan> {
  const quasiIds = QUASI_IDENTIFIERS.filter((q) => spec.attributes.includes(q))
  const others = OTHER_ATTRIBUTES.filter((a) => spec.attributes.includes(a))
  const counter = new QuasiCounter(quasiIds.length)
  let records = 0
  let child = false
  await eachBatch(db, spec.periodFrom, spec.periodTo, (rows) => {
    for (const r of rows) {
      const age = ageOn(r.birth_date, r.opened_on)
      if (age == null || age < 14) child = true
      counter.add(
        quasiIds.map((q) => rawValue(r, age, q)),
        r.risk_level,
      )
      records += 1
    }
  })
  const k = records === 0 ? K_ADULT : child ? K_UNDER_14 : K_ADULT
  const hierarchies = quasiIds.map((q) => HIERARCHY[q])
  const result = anonymiseCounted({ counter, hierarchies, k, l: L_DIVERSITY, maxDroppedShare: MAX_DROPPED_SHARE })
  const headers = ['subject', ...quasiIds, SENSITIVE_ATTRIBUTE, ...others]
  const report: DisclosureReport = {
    dataset: spec.dataset,
    form: spec.form,
    periodFrom: spec.periodFrom,
    periodTo: spec.periodTo,
    population: 'casesOpened',
    columns: headers,
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
    kRequired: k,
    kAchieved: result.kAchieved,
    lRequired: L_DIVERSITY,
    lAchieved: result.lAchieved,
    classes: result.classes,
    recordsIn: records,
    recordsDropped: result.dropped,
    recordsOut: records - result.dropped,
    generalisation: quasiIds.map((q, i) => ({
      attribute: q,
      level: result.levels[i]!,
      applied: HIERARCHY[q].describe[result.levels[i]!]!,
    })),
    noise: null,
  }
  return { spec, quasiIds, others, headers, levels: result.levels, safeClasses: result.safeClasses, report }
}

/** Reads a spilled run line by line with a fixed buffer. */
class RunReader {
  private fd: number
  private buf = Buffer.alloc(1 << 16)
  private rest = ''
  private lines: string[] = []
  private done = false
  constructor(path: string) {
    this.fd = openSync(path, 'r')
  }
  next(): string | null {
    while (!this.lines.length && !this.done) {
      const n = readSync(this.fd, this.buf, 0, this.buf.length, null)
      if (n === 0) {
        this.done = true
        closeSync(this.fd)
        if (this.rest) this.lines.push(this.rest)
        this.rest = ''
        break
      }
      const parts = (this.rest + this.buf.toString('utf8', 0, n)).split('\n')
      this.rest = parts.pop()!
      this.lines = parts
    }
    return this.lines.shift() ?? null
  }
}

const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/**
 * Pass 2: the extract's rows in their fixed order (generalised attributes, then the pseudonym), each
 * as its cells. `key` null gives empty pseudonyms (never used for a release).
 */
export async function* recordExtractRows(
  db: Kysely<Database>,
  plan: RecordExtractPlan,
  key: Uint8Array | null,
  runSize = SORT_RUN,
): AsyncGenerator<string[]> {
  const name = key ? pseudonymiser(key) : null
  const hierarchies = plan.quasiIds.map((q) => HIERARCHY[q])
  // A row's sort key is its cells after the subject, then the subject, joined with U+0000 (no cell holds one).
  let run: string[] = []
  const spilled: string[] = []
  let dir: string | null = null
  const spill = () => {
    run.sort(byKey)
    dir ??= mkdtempSync(join(tmpdir(), 'xq-extract-'))
    const path = join(dir, `run-${spilled.length}`)
    const fd = openSync(path, 'w')
    for (let i = 0; i < run.length; i += 10_000) writeSync(fd, run.slice(i, i + 10_000).join('\n') + '\n')
    closeSync(fd)
    spilled.push(path)
    run = []
  }
  try {
    await eachBatch(db, plan.spec.periodFrom, plan.spec.periodTo, (rows) => {
      for (const r of rows) {
        const age = ageOn(r.birth_date, r.opened_on)
        const generalised = generaliseRecord(
          plan.quasiIds.map((q) => rawValue(r, age, q)),
          hierarchies,
          plan.levels,
        )
        if (!plan.safeClasses.has(generalised.join(CLASS_SEPARATOR))) continue
        const other = plan.others.map((a) =>
          a === 'status' ? r.status : a === 'source' ? r.source : parseList(r.categories).sort().join(';'),
        )
        const subject = name ? name('student', r.student_id) : ''
        run.push([...generalised, r.risk_level, ...other, subject].join(CLASS_SEPARATOR))
        if (run.length >= runSize) spill()
      }
    })
    const toRow = (sortKey: string) => {
      const cells = sortKey.split(CLASS_SEPARATOR)
      const subject = cells.pop()!
      return [subject, ...cells]
    }
    if (!spilled.length) {
      run.sort(byKey)
      for (const line of run) yield toRow(line)
      return
    }
    if (run.length) spill()
    const readers = spilled.map((p) => new RunReader(p))
    const heads = readers.map((r) => r.next())
    for (;;) {
      let best = -1
      for (let i = 0; i < heads.length; i++) if (heads[i] != null && (best < 0 || heads[i]! < heads[best]!)) best = i
      if (best < 0) return
      yield toRow(heads[best]!)
      heads[best] = readers[best]!.next()
    }
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Streams a record-level extract's data.csv (the same bytes as the in-memory file: BOM, header, CRLF
 * rows) to `write`, in pieces of about 64 KB. Returns the disclosure report.
 */
export async function writeRecordExtractCsv(
  db: Kysely<Database>,
  spec: Extract<ExportSpec, { form: 'record' }>,
  key: Uint8Array | null,
  write: (text: string) => void | Promise<void>,
  runSize = SORT_RUN,
): Promise<DisclosureReport> {
  const plan = await planRecordExtract(db, spec)
  let pending = '\uFEFF' + csvLine(plan.headers) + '\r\n'
  for await (const row of recordExtractRows(db, plan, key, runSize)) {
    pending += csvLine(row) + '\r\n'
    if (pending.length >= 1 << 16) {
      await write(pending)
      pending = ''
    }
  }
  if (pending) await write(pending)
  return plan.report
}

/** The extract in memory (for the workbook and the approver's sample): the streaming passes, collected. */
export async function buildRecordExtract(
  db: Kysely<Database>,
  spec: Extract<ExportSpec, { form: 'record' }>,
  key: Uint8Array | null,
): Promise<{ report: DisclosureReport; headers: string[]; rows: string[][] }> {
  const plan = await planRecordExtract(db, spec)
  const rows: string[][] = []
  for await (const row of recordExtractRows(db, plan, key)) rows.push(row)
  return { report: plan.report, headers: plan.headers, rows }
}
