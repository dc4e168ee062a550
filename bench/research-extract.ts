/**
 * `npm run bench:extract`: a record-level research extract (issue 11) of 1,000,000 cases streamed to
 * CSV with flat memory, against a raw scan-and-write of the same rows in the same run.
 *
 * A fresh SQLite file in a temp dir is migrated and filled through a bulk path (prepared
 * better-sqlite3 inserts in one transaction; the services would take hours for a million cases):
 * 10 streets, 100 schools of every K12 type, students whose grade and birth date agree, and cases
 * over three school years with every risk level, source and category. Generation runs in a child
 * process, and so does each measured variant, so every process's peak RSS (the kernel's high-water
 * mark, `resourceUsage().maxRSS`) is that variant's own:
 *   raw      one hand-written SELECT of the same joined columns the extract reads, iterated by
 *            better-sqlite3 and written as CSV lines to a file — the least the extract must do
 *   extract  writeRecordExtractCsv(...): pass 1 counts classes in keyset batches and decides the
 *            generalisation; pass 2 reads the batches again, generalises, drops unsafe classes,
 *            pseudonymises (HMAC per row), sorts in runs of 50,000 spilled to temp files and merges
 *            them into the CSV file
 * Reported per variant: wall time, peak RSS growth over the process's RSS just before the run, and
 * peak heap growth (heapUsed sampled on every 64 KB written and after each pass). Both measured
 * children run with V8's old generation capped at 64 MB (`--max-old-space-size=64`): an extract that
 * held its rows (~80 MB of CSV, several times that as JS strings) dies of an out-of-memory error under
 * it, so finishing is itself the proof of flat live memory; without the cap V8 lets garbage pile up to
 * ~100 MB before its first full collection while the live heap stays ~20 MB (measured with --trace-gc),
 * which would make the RSS figure a reading of the collector's slack rather than of the extract. The extract's output
 * is checked: its row count equals the report's records_out, and k and ℓ recounted from the file
 * reach what the report claims. Exits 1 when a budget fails, 2 on a setup or correctness failure.
 *
 * Knobs (environment): EXTRACT_CASES (default 1000000), EXTRACT_KEEP=1 (keep the temp dir and print it).
 */
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import BetterSqlite3 from 'better-sqlite3'
import { openDatabase } from '../db/client'
import { migrateToLatest } from '../db/migrate'
import { csvLine } from '../server/rules/csv'
import { writeRecordExtractCsv } from '../server/services/research-extract'
import { CASE_CATEGORIES, CASE_SOURCES, RISK_LEVELS } from '../shared/cases'
import type { ExportSpec } from '../shared/research-schemas'
import { failsRun, figure, knob, SMOKE, writeFigures } from './lib'

// Smoke mode (BENCH_SMOKE=1): 20,000 cases; the time ratio is then advisory (a ~0.1 s raw scan is dominated
// by start-up and noise) while the memory budgets stay checked (trivially met at that size: a smoke run
// proves the bench and the extract work end to end, a full run proves flat memory).
const CASES = knob('EXTRACT_CASES', 1_000_000, 20_000)
const MB = 1024 * 1024
/**
 * Budgets. Memory is the (< 100 MB growth). The time ratio is a loose guard against a
 * regression (a per-row query, a quadratic merge): the extract reads the rows twice, hashes a pseudonym
 * per row and sorts them, so several times the raw scan is expected. Measured (1 M cases, 2 shared
 * cores): extract 19.6 s vs raw 4.5 s = 4.4×, peak RSS growth 77.5 MB (raw 46.9 MB), heap 37.6 MB.
 */
const MEMORY_BUDGET_MB = 100
const RATIO_BUDGET = 15
const SPEC: Extract<ExportSpec, { form: 'record' }> = {
  projectId: 1,
  dataset: 'cases',
  form: 'record',
  attributes: ['school', 'grade', 'sex', 'age', 'opened', 'status', 'source', 'categories'],
  periodFrom: '2023-09-01',
  periodTo: '2026-08-31',
}
const RAW_SQL = `
  select c.id as case_id, c.student_id, c.status, c.risk_level, c.source, c.categories, c.opened_on,
         s.sex, s.birth_date, s.grade, sc.type as school_type, st.code as street
  from student_case c
  join student s on s.id = c.student_id
  join school sc on sc.id = c.school_id
  join street st on st.id = sc.street_id
  where c.opened_on >= ? and c.opened_on <= ?
  order by c.id`

/** A small deterministic generator: the same district every run. */
function rng(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

// ── child: generate ─────────────────────────────────────────────────────────────────────────

async function generate(file: string) {
  const handle = openDatabase({ url: file })
  await migrateToLatest(handle.db)
  await handle.close()
  const db = new BetterSqlite3(file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = OFF')
  const r = rng(11)
  const at = '2026-03-01T00:00:00.000Z'
  const types = ['primary', 'junior', 'senior', 'nine_year', 'twelve_year'] as const
  const grades: Record<(typeof types)[number], [number, number]> = {
    primary: [1, 6],
    junior: [7, 9],
    senior: [10, 12],
    nine_year: [1, 9],
    twelve_year: [1, 12],
  }
  const students = Math.ceil(CASES / 2)
  db.transaction(() => {
    const street = db.prepare('insert into street (code, name_zh, name_en, sort_order) values (?, ?, ?, ?)')
    for (let i = 1; i <= 10; i++) street.run(`ST${String(i).padStart(2, '0')}`, `街道${i}`, `Street ${i}`, i)
    const school = db.prepare(
      'insert into school (code, name, type, street_id, is_public, created_at, updated_at, version) values (?, ?, ?, ?, 1, ?, ?, 1)',
    )
    for (let i = 1; i <= 100; i++) school.run(`S${String(i).padStart(3, '0')}`, `学校${i}`, types[i % types.length], 1 + (i % 10), at, at)
    const student = db.prepare(
      `insert into student (school_id, student_no, name_enc, name_index, sex, birth_date, grade, class_name, created_at, updated_at, version)
       values (?, ?, 'x', 'x', ?, ?, ?, '1', ?, ?, 1)`,
    )
    const kase = db.prepare(
      `insert into student_case (school_id, student_id, status, risk_level, source, categories, flags, concern_enc, opened_on, opened_by,
         last_activity_at, created_at, updated_at, version)
       values (?, ?, ?, ?, ?, ?, '[]', 'x', ?, 1, ?, ?, ?, 1)`,
    )
    let made = 0
    for (let s = 1; s <= students; s++) {
      const schoolId = 1 + Math.floor(r() * 100)
      const [lo, hi] = grades[types[schoolId % types.length]!]
      const grade = lo + Math.floor(r() * (hi - lo + 1))
      const birthYear = 2025 - grade - 6
      const birth = `${birthYear}-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`
      student.run(schoolId, `N${s}`, r() < 0.5 ? 'F' : 'M', r() < 0.01 ? null : birth, grade, at, at)
      for (let c = 0; c < 2 && made < CASES; c++, made++) {
        const day = Math.floor(r() * 1090)
        const opened = new Date(Date.UTC(2023, 8, 1) + day * 86_400_000).toISOString().slice(0, 10)
        const u = r()
        const level = u < 0.03 ? RISK_LEVELS[0] : u < 0.15 ? RISK_LEVELS[1] : u < 0.5 ? RISK_LEVELS[2] : RISK_LEVELS[3]
        const cats = [CASE_CATEGORIES[Math.floor(r() * CASE_CATEGORIES.length)]!]
        if (r() < 0.3) cats.push(CASE_CATEGORIES[Math.floor(r() * CASE_CATEGORIES.length)]!)
        kase.run(
          schoolId,
          s,
          c === 1 && r() < 0.3 ? 'open' : 'closed',
          level,
          CASE_SOURCES[Math.floor(r() * CASE_SOURCES.length)]!,
          JSON.stringify([...new Set(cats)]),
          opened,
          at,
          at,
          at,
        )
      }
    }
  })()
  db.pragma('wal_checkpoint(TRUNCATE)')
  db.close()
}

// ── child: measure one variant ──────────────────────────────────────────────────────────────

interface Measured {
  variant: string
  seconds: number
  rows: number
  bytes: number
  rssBeforeMb: number
  peakRssGrowthMb: number
  peakHeapGrowthMb: number
  report?: { recordsIn: number | null; recordsOut: number | null; kAchieved: number | null; lAchieved: number | null }
}

async function measure(variant: 'raw' | 'extract', file: string, out: string): Promise<Measured> {
  const handle = openDatabase({ url: file })
  const rssBefore = process.memoryUsage.rss()
  const heapBefore = process.memoryUsage().heapUsed
  let heapPeak = heapBefore
  const sample = () => {
    const h = process.memoryUsage().heapUsed
    if (h > heapPeak) heapPeak = h
  }
  const fd = openSync(out, 'w')
  let bytes = 0
  const write = (text: string) => {
    bytes += writeSync(fd, text)
    sample()
  }
  const start = performance.now()
  let rows = 0
  let report: Measured['report']
  if (variant === 'raw') {
    const db = new BetterSqlite3(file, { readonly: true })
    let pending = '\uFEFF'
    for (const row of db.prepare(RAW_SQL).iterate(SPEC.periodFrom, SPEC.periodTo) as Iterable<Record<string, string | number | null>>) {
      pending += csvLine(Object.values(row)) + '\r\n'
      rows += 1
      if (pending.length >= 1 << 16) {
        write(pending)
        pending = ''
      }
    }
    write(pending)
    db.close()
  } else {
    const r = await writeRecordExtractCsv(handle.db, SPEC, randomBytes(32), write)
    report = { recordsIn: r.recordsIn, recordsOut: r.recordsOut, kAchieved: r.kAchieved, lAchieved: r.lAchieved }
    rows = r.recordsOut ?? 0
  }
  const seconds = (performance.now() - start) / 1000
  sample()
  closeSync(fd)
  await handle.close()
  // maxRSS is in kilobytes on Linux.
  const peakRss = process.resourceUsage().maxRSS * 1024
  return {
    variant,
    seconds: Math.round(seconds * 100) / 100,
    rows,
    bytes,
    rssBeforeMb: Math.round((rssBefore / MB) * 10) / 10,
    peakRssGrowthMb: Math.round(((peakRss - rssBefore) / MB) * 10) / 10,
    peakHeapGrowthMb: Math.round(((heapPeak - heapBefore) / MB) * 10) / 10,
    report,
  }
}

/** k and ℓ of the streamed file, recounted by a path of its own: group the CSV lines by their quasi-identifier cells. */
async function recount(out: string) {
  const classes = new Map<string, { size: number; levels: Set<string> }>()
  let head: string[] | null = null
  let rows = 0
  for await (const line of createInterface({ input: createReadStream(out, 'utf8'), crlfDelay: Infinity })) {
    const cells = line.replace(/^\uFEFF/, '').split(',')
    if (!head) {
      head = cells
      continue
    }
    if (!line) continue
    rows += 1
    const key = ['school', 'grade', 'sex', 'age', 'opened'].map((q) => cells[head!.indexOf(q)]).join('|')
    const c = classes.get(key) ?? { size: 0, levels: new Set<string>() }
    c.size += 1
    c.levels.add(cells[head.indexOf('risk_level')]!)
    classes.set(key, c)
  }
  let k = Infinity
  let l = Infinity
  for (const c of classes.values()) {
    k = Math.min(k, c.size)
    l = Math.min(l, c.levels.size)
  }
  return { rows, k, l, classes: classes.size }
}

// ── parent ─────────────────────────────────────────────────────────────────────────────────

/** The old-generation cap of the measured children: far below what holding the rows would take (the CSV alone is ~80 MB). */
const HEAP_CAP_MB = 64

function child(args: string[], nodeFlags: string[] = []): string {
  const self = fileURLToPath(import.meta.url)
  const res = spawnSync(process.execPath, [...nodeFlags, ...process.execArgv, self, ...args], {
    encoding: 'utf8',
    maxBuffer: 16 * MB,
    env: process.env,
  })
  if (res.status !== 0) {
    process.stderr.write(res.stderr)
    console.error(`child ${args[0]} failed (${res.status})`)
    process.exit(2)
  }
  return res.stdout
}

async function main() {
  const [mode, file, out] = process.argv.slice(2)
  if (mode === 'generate') return generate(file!)
  if (mode === 'raw' || mode === 'extract') {
    process.stdout.write(JSON.stringify(await measure(mode, file!, out!)))
    return
  }
  const dir = mkdtempSync(join(tmpdir(), 'xinqiao-extract-'))
  const db = join(dir, 'bench.sqlite')
  try {
    process.stdout.write(`generating ${CASES.toLocaleString('en')} cases … `)
    const t0 = performance.now()
    child(['generate', db])
    console.log(`${Math.round((performance.now() - t0) / 100) / 10} s, ${Math.round(statSync(db).size / MB)} MB`)
    const cap = [`--max-old-space-size=${HEAP_CAP_MB}`]
    const raw = JSON.parse(child(['raw', db, join(dir, 'raw.csv')], cap)) as Measured
    const extract = JSON.parse(child(['extract', db, join(dir, 'extract.csv')], cap)) as Measured
    const check = await recount(join(dir, 'extract.csv'))
    const ratio = Math.round((extract.seconds / raw.seconds) * 100) / 100
    console.log('')
    console.table(
      [raw, extract].map((m) => ({
        variant: m.variant,
        rows: m.rows,
        'csv MB': Math.round((m.bytes / MB) * 10) / 10,
        seconds: m.seconds,
        'RSS before MB': m.rssBeforeMb,
        'peak RSS growth MB': m.peakRssGrowthMb,
        'peak heap growth MB': m.peakHeapGrowthMb,
      })),
    )
    console.log(
      `extract: records in ${extract.report?.recordsIn}, out ${extract.report?.recordsOut}; k ${extract.report?.kAchieved}, ℓ ${extract.report?.lAchieved} (recounted from the file: ${check.rows} rows, ${check.classes} classes, k ${check.k}, ℓ ${check.l})`,
    )
    const failures: string[] = []
    if (raw.rows !== CASES) failures.push(`raw scan read ${raw.rows} rows, expected ${CASES}`)
    if (check.rows !== extract.report?.recordsOut) failures.push(`file has ${check.rows} rows, report says ${extract.report?.recordsOut}`)
    if (check.k !== extract.report?.kAchieved || check.l !== extract.report?.lAchieved)
      failures.push(`recounted k/ℓ ${check.k}/${check.l} differ from the report`)
    if (failures.length) {
      writeFigures('research-extract', [], { error: failures.join('; ') })
      for (const f of failures) console.error(`CORRECTNESS: ${f}`)
      process.exitCode = 2
      return
    }
    const budgets = [
      { label: 'extract peak RSS growth', value: extract.peakRssGrowthMb, max: MEMORY_BUDGET_MB, unit: 'MB' },
      { label: 'extract peak heap growth', value: extract.peakHeapGrowthMb, max: MEMORY_BUDGET_MB, unit: 'MB' },
      { label: 'extract time / raw scan-and-write', value: ratio, max: RATIO_BUDGET, unit: '×' },
    ]
    console.table(budgets.map((b) => ({ budget: b.label, value: `${b.value} ${b.unit}`, max: `${b.max} ${b.unit}`, ok: b.value <= b.max })))
    const figures = budgets.map((b) =>
      figure(`${b.label} (${CASES} cases)`, b.value, b.unit, {
        op: '<=',
        limit: b.max,
        advisory: SMOKE && b.unit === '×',
        note: SMOKE && b.unit === '×' ? 'smoke: a tiny scan is dominated by start-up, reported only' : undefined,
      }),
    )
    writeFigures('research-extract', figures)
    if (figures.some(failsRun)) process.exitCode = 1
  } finally {
    if (process.env.EXTRACT_KEEP) console.log(`kept ${dir}`)
    else rmSync(dir, { recursive: true, force: true })
  }
}

await main()
