/**
 * `npm run bench:caseload`: the caseload board (issue 3) for a school with 5,000 students and 2,000
 * cases, against the raw SQL of the same query, reported as a ratio.
 *
 * A fresh SQLite file in a temp dir is migrated and filled through the services, as the school's
 * counsellors, in one transaction (bench/caseload-data.ts); a second, smaller school shares the file
 * so the school scope really filters. Then, in this process, after a warm-up and in rotating order:
 *   service     caseBoardService(ctx, { status: 'open', mine: false }): what a request runs minus
 *               HTTP and tRPC (query, decrypting names, mapping, sorting, one audit row)
 *   repository  caseBoard(...): the Kysely query alone
 *   raw         the SQL Kysely sent for that query (captured by a plugin, not rewritten by hand) as
 *               a prepared better-sqlite3 statement `.all()` on the app's own connection; no decryption
 *   audit       appendAudit alone, the write the service makes on every read (a commit, so an fsync)
 *   decrypt     decrypting the board's student names alone (what the service adds per row)
 * It prints median and p95 per call, the ratios, EXPLAIN QUERY PLAN of the raw query (flagging a
 * SCAN of a large table), writes bench/.results/caseload.json and exits 1 when a budget fails.
 * With TEST_DATABASE_URL (postgres://…) the same runs on PostgreSQL in a throwaway schema; those
 * ratios are reported, not budgeted.
 *
 * Knobs (environment): CASELOAD_ROUNDS (default 200), CASELOAD_WARMUP (default 30), CASELOAD_SAVE (a
 * file path: the generated SQLite database is copied there with VACUUM INTO, for trying indexes on a copy).
 */
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import type BetterSqlite3 from 'better-sqlite3'
import type { CompiledQuery } from 'kysely'
import pg from 'pg'
import { isPostgresUrl, openDatabase, type DbHandle, type DbKind } from '../db/client'
import { migrateToLatest } from '../db/migrate'
import { caseBoard } from '../server/repositories/case'
import { dueWindow } from '../shared/due'
import { appendAudit } from '../server/services/audit'
import { decryptText } from '../server/services/crypto'
import { caseBoardService } from '../server/services/case'
import { createContextInner, SYSTEM_ACTOR, type Actor } from '../server/services/context'
import { testKeys } from '../server/services/keys'
import { generateCaseload, type GeneratedSchool, type SchoolPlan } from './caseload-data'
import {
  BenchSetupError,
  CaptureQueries,
  fail,
  failsRun,
  figure,
  knob,
  openSqliteCapturing,
  SMOKE,
  stats,
  writeFigures,
  type Timing,
} from './lib'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const RESULTS = join(ROOT, 'bench/.results/caseload.json')
const ROUNDS = knob('CASELOAD_ROUNDS', 200, 40)
const WARMUP = knob('CASELOAD_WARMUP', 30, 10)
/** Smoke mode (BENCH_SMOKE=1) shrinks both schools fivefold and runs SQLite only. */
const SCALE = SMOKE ? 0.2 : 1
/** The injected clock: every date in the data is relative to it, so overdue counts are reproducible. */
const NOW = new Date('2026-03-16T04:00:00.000Z')

/**
 * Budgets, SQLite only, on the median of per-round ratios (chosen after measuring 5,000 students /
 * 1,612 open cases on 2 shared cores under load 5–8: raw ~15–17 ms min, ~19–35 ms median):
 * - repository ≤ 1.3× raw: Kysely adds compiling the builder and its result handling; measured
 *   1.05–1.09×. Beyond 1.3× the query layer, not SQLite, has started to cost (e.g. a second query).
 * - service ≤ 3× raw: on top of the query the service decrypts every student name on the board
 *   (~9 µs each, ~14 ms for 1,612), maps and sorts the items and commits one audit row (an fsync
 *   under synchronous=FULL, ~1–2 ms); measured 2.29–2.42×. A faster query raises this ratio (the
 *   decryption does not shrink with it): the covering task/follow-up indexes tried on a copy would
 *   give ~2.5×, the grouped-join rewrite of caseBoard ~2.8× (estimated from minima). Whoever lands
 *   such a change re-measures and moves this budget in the same commit; 3× today still fails on,
 *   say, a second decryption per row (~+14 ms, ~3.2×).
 */
const BUDGETS = [
  { key: 'repositoryOverRaw', label: 'repository / raw', num: 'repository', max: 1.3 },
  { key: 'serviceOverRaw', label: 'service / raw', num: 'service', max: 3 },
] as const

const PLANS: SchoolPlan[] = [
  {
    code: 'A',
    type: 'nine_year',
    grades: [1, 2, 3, 4, 5, 6, 7, 8, 9],
    classesPerGrade: 12,
    students: 5000 * SCALE,
    cases: 2000 * SCALE,
    closedShare: 0.2,
    counsellors: 3,
    seed: 3001,
  },
  {
    code: 'B',
    type: 'junior',
    grades: [7, 8, 9],
    classesPerGrade: 8,
    students: 1000 * SCALE,
    cases: 400 * SCALE,
    closedShare: 0.2,
    counsellors: 1,
    seed: 3002,
  },
]

/** Tables that grow with the district: a full SCAN of one of them in the board query is flagged. */
const LARGE_TABLES = new Set([
  'student',
  'student_case',
  'case_task',
  'case_follow_up',
  'case_note',
  'case_counsellor',
  'case_risk_change',
  'audit_event',
])

type Variant = 'service' | 'repository' | 'raw' | 'audit' | 'decrypt'
const VARIANTS: Variant[] = ['service', 'repository', 'raw', 'audit', 'decrypt']

interface TargetResult {
  kind: DbKind
  location: string
  engine: string
  generation: { seconds: number; schools: GeneratedSchool[]; rows: Record<string, number>; fileBytes: number | null }
  rows: { service: number; servicePage: number; repository: number; raw: number; otherSchool: number; sameIds: boolean }
  timings: Record<Variant, Timing>
  ratios: Record<string, { value: number; ofMedians: number; max: number | null; pass: boolean | null }>
  plan: string[]
  flagged: string[]
  sql: string
  parameters: unknown[]
}

async function pgAdmin(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(text)
  } finally {
    await client.end()
  }
}

async function countAll(handle: DbHandle): Promise<Record<string, number>> {
  const out: Record<string, number> = {}
  for (const table of ['student', 'student_case', 'case_task', 'case_follow_up', 'case_note', 'case_risk_change', 'audit_event'] as const) {
    out[table] = Number(
      (
        await handle.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )
  }
  return out
}

interface RawRunner {
  all: () => Promise<{ id: number }[]>
  explain: () => Promise<string[]>
  engine: () => Promise<string>
  close: () => Promise<void>
}

async function measureTarget(kind: DbKind, pgUrl?: string): Promise<TargetResult> {
  let handle: DbHandle
  let sqlite: BetterSqlite3.Database | undefined
  let cleanup: () => Promise<void>
  let location: string
  let schema = ''
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'xinqiao-caseload-'))
    location = join(dir, 'bench.sqlite')
    ;({ handle, sqlite } = openSqliteCapturing(location))
    cleanup = async () => {
      await handle.close()
      rmSync(dir, { recursive: true, force: true })
    }
  } else {
    schema = `bench_${randomBytes(5).toString('hex')}`
    await pgAdmin(pgUrl!, `create schema ${schema}`)
    handle = openDatabase({ url: pgUrl, pgSchema: schema, pgPoolSize: 4 })
    location = `${handle.location} schema ${schema}`
    cleanup = async () => {
      await handle.close()
      await pgAdmin(pgUrl!, `drop schema if exists ${schema} cascade`)
    }
  }
  let raw: RawRunner | undefined
  try {
    console.log(`\n[${kind}] ${location}`)
    await migrateToLatest(handle.db)
    const keys = testKeys()
    const base = createContextInner({ db: handle.db, keys, actor: SYSTEM_ACTOR, requestId: 'bench-caseload', now: () => NOW })

    process.stdout.write(`  generating ${PLANS.map((p) => `${p.code}: ${p.students} students / ${p.cases} cases`).join(', ')} … `)
    const t0 = performance.now()
    const schools = await handle.db.transaction().execute((trx) => generateCaseload({ ...base, db: trx }, PLANS, NOW))
    const genSeconds = Math.round((performance.now() - t0) / 100) / 10
    console.log(`${genSeconds} s`)
    // PostgreSQL's autovacuum would analyze a freshly loaded table within a minute; do it now. SQLite
    // gets no ANALYZE: nothing in the app runs one, so its planner works without statistics in production too.
    if (kind === 'postgres') await pgAdmin(pgUrl!, `analyze ${[...LARGE_TABLES].map((t) => `${schema}.${t}`).join(', ')}`)
    const rowCounts = await countAll(handle)
    // Under WAL most of a fresh load still sits in the -wal file.
    const fileBytes =
      kind === 'sqlite' ? statSync(location).size + (existsSync(`${location}-wal`) ? statSync(`${location}-wal`).size : 0) : null
    const saveTo = process.env.CASELOAD_SAVE
    if (kind === 'sqlite' && saveTo) {
      rmSync(saveTo, { force: true })
      sqlite!.prepare('vacuum into ?').run(resolve(saveTo))
      console.log(`  copy saved to ${resolve(saveTo)}`)
    }
    for (const s of schools) {
      console.log(
        `  school ${s.schoolId}: ${s.students} students, ${s.cases.open} open + ${s.cases.closed} closed cases, ${s.tasks} tasks, ${s.followUps} follow-ups`,
      )
    }

    const target = schools[0]!
    const actor: Actor = target.counsellor
    const ctx = createContextInner({ db: handle.db, keys, actor, requestId: 'bench-caseload', now: () => NOW })
    // The board as a counsellor opens it: the first page of 50 (the service sorts all, decrypts only the page).
    const input = { status: 'open', mine: false, page: 1, pageSize: 50 } as const
    const filter = { status: 'open' } as const

    const capture = new CaptureQueries()
    await caseBoard(handle.db.withPlugin(capture), actor.scope, filter, dueWindow(NOW))
    if (capture.seen.length !== 1) fail(`caseBoard ran ${capture.seen.length} queries; the bench expects exactly one`)
    const compiled: CompiledQuery = handle.db.getExecutor().compileQuery(capture.seen[0]!.node, capture.seen[0]!.queryId)
    const params = [...compiled.parameters]

    if (kind === 'sqlite') {
      const db = sqlite!
      const stmt = db.prepare(compiled.sql)
      raw = {
        all: async () => stmt.all(...params) as { id: number }[],
        explain: async () =>
          (db.prepare(`explain query plan ${compiled.sql}`).all(...params) as { id: number; parent: number; detail: string }[]).map(
            (r) => r.detail,
          ),
        engine: async () => `SQLite ${(db.prepare('select sqlite_version() as v').get() as { v: string }).v}`,
        close: async () => undefined,
      }
    } else {
      const client = new pg.Client({ connectionString: pgUrl, options: `-c search_path=${schema}` })
      await client.connect()
      const named = { name: 'caseload_board', text: compiled.sql, values: params }
      raw = {
        all: async () => (await client.query(named)).rows as { id: number }[],
        explain: async () =>
          (await client.query(`explain ${compiled.sql}`, params)).rows.map((r: Record<string, string>) => r['QUERY PLAN']!),
        engine: async () => (await client.query('show server_version')).rows[0].server_version as string,
        close: () => client.end(),
      }
    }

    // Same cases through all three paths, and the scope really filters.
    const fromService = await caseBoardService(ctx, input)
    const fromRepo = await caseBoard(handle.db, actor.scope, filter, dueWindow(NOW))
    const fromRaw = await raw.all()
    const ids = (rows: { id: number }[]) =>
      rows
        .map((r) => Number(r.id))
        .sort((a, b) => a - b)
        .join(',')
    const sameIds =
      fromService.total === fromRepo.length &&
      ids(fromRepo) === ids(fromRaw) &&
      fromService.items.every((i) => fromRepo.some((r) => r.id === i.id))
    const other = schools[1]!
    const otherBoard = await caseBoard(handle.db, other.counsellor.scope, filter, dueWindow(NOW))
    const leaked = otherBoard.some((r) => fromRepo.some((x) => x.id === r.id))
    console.log(
      `  rows: service ${fromService.total} (page of ${fromService.items.length}), repository ${fromRepo.length}, raw ${fromRaw.length} (other school ${otherBoard.length}); same ids: ${sameIds ? 'yes' : 'NO'}`,
    )
    if (!sameIds) fail('service, repository and raw SQL returned different cases')
    if (fromRepo.length !== target.cases.open) fail(`board shows ${fromRepo.length} cases, the school has ${target.cases.open} open`)
    if (leaked || otherBoard.length !== other.cases.open) fail('the school scope does not separate the two schools')
    console.log(`  board: ${fromService.overdueCases} cases overdue; by level ${JSON.stringify(fromService.byLevel)}`)

    const plan = await raw.explain()
    const flagged =
      kind === 'sqlite'
        ? plan.filter((d) => /^SCAN (\w+)/.test(d) && LARGE_TABLES.has(/^SCAN (\w+)/.exec(d)![1]!))
        : plan.filter((d) => /Seq Scan on (\w+)/.test(d) && LARGE_TABLES.has(/Seq Scan on (\w+)/.exec(d)![1]!))
    console.log(`  query plan:`)
    for (const line of plan) console.log(`    ${line}${flagged.includes(line) ? '   <-- SCAN of a large table' : ''}`)
    if (kind === 'postgres' && flagged.length) {
      console.log(
        `    (PostgreSQL prefers a Seq Scan when one school holds most rows, as school A does here; judge an index on district-sized data)`,
      )
    }

    const run: Record<Variant, () => Promise<unknown>> = {
      service: () => caseBoardService(ctx, input),
      repository: () => caseBoard(handle.db, actor.scope, filter, dueWindow(NOW)),
      raw: () => raw!.all(),
      decrypt: async () => fromRepo.slice(0, input.pageSize).map((r) => decryptText(keys, 'student.name', r.name_enc)),
      audit: () =>
        appendAudit(handle.db, ctx, {
          action: 'case.list',
          outcome: 'ok',
          entityType: 'case',
          schoolId: actor.schoolId,
          detail: 'rows:bench',
        }),
    }
    const samples: Record<Variant, number[]> = { service: [], repository: [], raw: [], audit: [], decrypt: [] }
    process.stdout.write(`  ${WARMUP} warm-up + ${ROUNDS} measured rounds, order rotating … `)
    for (let round = 0; round < WARMUP + ROUNDS; round++) {
      for (let k = 0; k < VARIANTS.length; k++) {
        const v = VARIANTS[(round + k) % VARIANTS.length]!
        const start = performance.now()
        await run[v]()
        const ms = performance.now() - start
        if (round >= WARMUP) samples[v].push(ms)
      }
    }
    console.log('done')
    const timings = Object.fromEntries(VARIANTS.map((v) => [v, stats(samples[v])])) as Record<Variant, Timing>
    for (const v of VARIANTS) {
      const t = timings[v]
      console.log(
        `  ${v.padEnd(11)} median ${t.medianMs.toFixed(2).padStart(7)} ms   p95 ${t.p95Ms.toFixed(2).padStart(7)} ms   min ${t.minMs.toFixed(2).padStart(7)} ms`,
      )
    }
    const ratios: TargetResult['ratios'] = {}
    for (const b of BUDGETS) {
      // Each round runs every variant back to back, so the per-round ratio sees the same machine load
      // on both sides; its median is what the budget checks. The ratio of the medians is printed beside it.
      const paired = samples[b.num].map((ms, i) => ms / samples.raw[i]!)
      const value = Math.round(stats(paired).medianMs * 100) / 100
      const ofMedians = Math.round((timings[b.num].medianMs / timings.raw.medianMs) * 100) / 100
      const max = kind === 'sqlite' ? b.max : null
      const pass = max == null ? null : value <= max
      ratios[b.key] = { value, ofMedians, max, pass }
      console.log(
        `  ${b.label.padEnd(20)} ${value.toFixed(2).padStart(6)}× (median of per-round ratios; ratio of medians ${ofMedians.toFixed(2)}×)   ${max == null ? '(reported)' : `(budget <= ${max}) ${pass ? 'ok' : 'FAIL'}`}`,
      )
    }
    const m = (v: Variant) => timings[v].medianMs
    const rest = m('service') - m('repository') - m('audit') - m('decrypt')
    console.log(
      `  service ${m('service').toFixed(2)} ≈ repository ${m('repository').toFixed(2)} + audit ${m('audit').toFixed(2)} + decrypt ${m('decrypt').toFixed(2)} + map/sort/other ${rest.toFixed(2)} ms (medians)`,
    )

    return {
      kind,
      location,
      engine: await raw.engine(),
      generation: { seconds: genSeconds, schools, rows: rowCounts, fileBytes },
      rows: {
        service: fromService.total,
        servicePage: fromService.items.length,
        repository: fromRepo.length,
        raw: fromRaw.length,
        otherSchool: otherBoard.length,
        sameIds,
      },
      timings,
      ratios,
      plan,
      flagged,
      sql: compiled.sql,
      parameters: params,
    }
  } finally {
    await raw?.close()
    await cleanup()
  }
}

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim()
  } catch {
    return null
  }
}

async function main(): Promise<number> {
  if (Number(process.versions.node.split('.')[0]) < 22) {
    fail(`Node ${process.versions.node}: run the bench with \`npm run bench:caseload\` so the project's Node 22 is used.`)
  }
  const pgUrl = process.env.TEST_DATABASE_URL
  if (pgUrl && !isPostgresUrl(pgUrl)) fail('TEST_DATABASE_URL must be a postgres:// URL')
  console.log(`caseload bench: ${WARMUP} warm-up + ${ROUNDS} rounds per variant, clock fixed at ${NOW.toISOString()}`)
  console.log(`                Node ${process.versions.node}, ${cpus().length} CPUs`)

  const results: TargetResult[] = [await measureTarget('sqlite')]
  if (pgUrl && !SMOKE) results.push(await measureTarget('postgres', pgUrl))

  const figures = results.flatMap((r) =>
    BUDGETS.map((b) => {
      const x = r.ratios[b.key]!
      // At smoke size the service's fixed per-call costs (decrypting a page of 50 names, one fsync'd audit
      // row) stay while the raw query shrinks fivefold, so service / raw is not the budget's ratio: advisory.
      const advisory = SMOKE && b.key === 'serviceOverRaw'
      return figure(`${r.kind}: ${b.label} (${PLANS[0]!.students} students)`, x.value, '×', {
        op: '<=',
        limit: x.max,
        advisory,
        note: advisory ? 'smoke: fixed per-call costs dominate a small board, reported only' : undefined,
      })
    }),
  )
  writeFigures('caseload', figures)
  const failed = figures.some(failsRun)
  mkdirSync(dirname(RESULTS), { recursive: true })
  writeFileSync(
    RESULTS,
    `${JSON.stringify(
      {
        at: new Date().toISOString(),
        commit: gitCommit(),
        node: process.versions.node,
        cpus: cpus().length,
        config: { rounds: ROUNDS, warmup: WARMUP, clock: NOW.toISOString(), plans: PLANS, budgets: BUDGETS },
        targets: results,
        passed: !failed,
      },
      null,
      2,
    )}\n`,
  )
  console.log(`\nwritten ${RESULTS.slice(ROOT.length + 1)}`)
  if (failed) console.error('bench: a caseload budget failed')
  return failed ? 1 : 0
}

main().then(
  (code) => {
    process.exitCode = code
  },
  (err: unknown) => {
    console.error(
      `\nbench: ${err instanceof BenchSetupError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    )
    process.exitCode = 2
  },
)
