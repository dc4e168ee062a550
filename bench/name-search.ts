/**
 * `npm run bench:search`: what searching by part of a name costs a school of 3,000 students.
 *
 * Names are encrypted at rest, so a search decrypts the names of the counsellor's own school and
 * matches them in memory (server/services/student.ts `studentSearch`). This bench fills a fresh
 * SQLite file (and, with TEST_DATABASE_URL, a throwaway PostgreSQL schema) through the services:
 * school A with 3,000 students and 600 cases, school B with 500 students and 100 cases. Then, as a
 * counsellor of A, after a warm-up and in rotating order, it times the service calls a request makes
 * (minus HTTP and tRPC, plus the audit row):
 *   roster            student.list, no search (one SQL page of 50)
 *   roster:surname    student.list, search "黄" (a common surname: many matches)
 *   roster:given      student.list, search "佳怡" (part of a given name)
 *   roster:miss       student.list, search "不存在" (decrypts every name, matches none)
 *   roster:number     student.list, search "A0012" (a student-number prefix)
 *   board             case.board, no search
 *   board:name        case.board, search "黄佳怡"
 *   decrypt           decrypting 3,000 names alone
 * It checks that no result ever holds a student of school B, prints median and p95 per call, and
 * writes bench/.results/name-search.json. Nothing is budgeted: the numbers go into the issue notes.
 *
 * Knobs: SEARCH_ROUNDS (default 60), SEARCH_WARMUP (default 10).
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import pg from 'pg'
import { isPostgresUrl, openDatabase, type DbHandle, type DbKind } from '../db/client'
import { migrateToLatest } from '../db/migrate'
import { caseBoardService } from '../server/services/case'
import { createContextInner, SYSTEM_ACTOR, type ServiceContext } from '../server/services/context'
import { decryptText } from '../server/services/crypto'
import { testKeys } from '../server/services/keys'
import { listStudentsService } from '../server/services/student'
import type { CaseListInput, StudentListInput } from '../shared/case-schemas'
import { generateCaseload, type SchoolPlan } from './caseload-data'
import { BenchSetupError, fail, figure, knob, SMOKE, stats, writeFigures, type Timing } from './lib'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const RESULTS = join(ROOT, 'bench/.results/name-search.json')
const ROUNDS = knob('SEARCH_ROUNDS', 60, 10)
const WARMUP = knob('SEARCH_WARMUP', 10, 3)
/** Smoke mode (BENCH_SMOKE=1): a third of the students, SQLite only. */
const SCALE = SMOKE ? 1 / 3 : 1
const NOW = new Date('2026-03-16T04:00:00.000Z')

const PLANS: SchoolPlan[] = [
  {
    code: 'A',
    type: 'nine_year',
    grades: [1, 2, 3, 4, 5, 6, 7, 8, 9],
    classesPerGrade: 8,
    students: 3000 * SCALE,
    cases: 600 * SCALE,
    closedShare: 0.2,
    counsellors: 2,
    seed: 4001,
  },
  {
    code: 'B',
    type: 'junior',
    grades: [7, 8, 9],
    classesPerGrade: 4,
    students: Math.round(500 * SCALE),
    cases: Math.round(100 * SCALE),
    closedShare: 0.2,
    counsellors: 1,
    seed: 4002,
  },
]

const roster = (search?: string): StudentListInput => ({ search, page: 1, pageSize: 50 })
const board = (search?: string): CaseListInput => ({ status: 'open', mine: false, search, page: 1, pageSize: 50 })

type Run = (ctx: ServiceContext) => Promise<{ ids: number[]; total: number }>
const RUNS: Record<string, Run> = {
  roster: async (ctx) => rosterIds(await listStudentsService(ctx, roster())),
  'roster:surname': async (ctx) => rosterIds(await listStudentsService(ctx, roster('黄'))),
  'roster:given': async (ctx) => rosterIds(await listStudentsService(ctx, roster('佳怡'))),
  'roster:miss': async (ctx) => rosterIds(await listStudentsService(ctx, roster('不存在'))),
  'roster:number': async (ctx) => rosterIds(await listStudentsService(ctx, roster('A0012'))),
  board: async (ctx) => boardIds(await caseBoardService(ctx, board())),
  'board:name': async (ctx) => boardIds(await caseBoardService(ctx, board('黄佳怡'))),
}
const rosterIds = (r: { total: number; rows: { id: number }[] }) => ({ ids: r.rows.map((s) => s.id), total: r.total })
const boardIds = (r: { total: number; items: { student: { id: number } }[] }) => ({ ids: r.items.map((i) => i.student.id), total: r.total })

async function pgAdmin(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(text)
  } finally {
    await client.end()
  }
}

async function measure(kind: DbKind, pgUrl?: string) {
  let handle: DbHandle
  let cleanup: () => Promise<void>
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'xinqiao-search-'))
    handle = openDatabase({ url: join(dir, 'bench.sqlite') })
    cleanup = async () => {
      await handle.close()
      rmSync(dir, { recursive: true, force: true })
    }
  } else {
    const schema = `bench_${randomBytes(5).toString('hex')}`
    await pgAdmin(pgUrl!, `create schema ${schema}`)
    handle = openDatabase({ url: pgUrl, pgSchema: schema, pgPoolSize: 4 })
    cleanup = async () => {
      await handle.close()
      await pgAdmin(pgUrl!, `drop schema if exists ${schema} cascade`)
    }
  }
  try {
    console.log(`\n[${kind}] ${handle.location}`)
    await migrateToLatest(handle.db)
    const keys = testKeys()
    const base = createContextInner({ db: handle.db, keys, actor: SYSTEM_ACTOR, requestId: 'bench-search', now: () => NOW })
    process.stdout.write(`  generating ${PLANS.map((p) => `${p.code}: ${p.students} students / ${p.cases} cases`).join(', ')} … `)
    const t0 = performance.now()
    const [a, b] = await handle.db.transaction().execute((trx) => generateCaseload({ ...base, db: trx }, PLANS, NOW))
    console.log(`${Math.round((performance.now() - t0) / 100) / 10} s`)
    // PostgreSQL's autovacuum would analyze the fresh tables within a minute; do it now.
    if (kind === 'postgres') await sql`analyze`.execute(handle.db)

    const ctx = createContextInner({ db: handle.db, keys, actor: a!.counsellor, requestId: 'bench-search', now: () => NOW })
    const foreign = new Set(
      (await handle.db.selectFrom('student').select('id').where('school_id', '=', b!.schoolId).execute()).map((r) => r.id),
    )
    const names = await handle.db.selectFrom('student').select('name_enc').where('school_id', '=', a!.schoolId).execute()
    if (names.length !== PLANS[0]!.students) fail(`school A has ${names.length} students, expected ${PLANS[0]!.students}`)

    const variants: Record<string, Run> = {
      ...RUNS,
      decrypt: async () => {
        for (const n of names) decryptText(keys, 'student.name', n.name_enc)
        return { ids: [], total: names.length }
      },
    }
    const found: Record<string, number> = {}
    for (const [name, run] of Object.entries(variants)) {
      const r = await run(ctx)
      found[name] = r.total
      if (r.ids.some((id) => foreign.has(id))) fail(`${name} returned a student of another school`)
    }
    if (!found['roster:surname'] || !found['roster:given'] || found['roster:miss'] !== 0 || !found['board:name'])
      fail(`unexpected match counts: ${JSON.stringify(found)}`)

    const samples: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]))
    const order = Object.keys(variants)
    for (let round = 0; round < WARMUP + ROUNDS; round++) {
      for (let k = 0; k < order.length; k++) {
        const name = order[(round + k) % order.length]!
        const start = performance.now()
        await variants[name]!(ctx)
        if (round >= WARMUP) samples[name]!.push(performance.now() - start)
      }
    }
    const timings: Record<string, Timing & { matches: number }> = {}
    console.log(`  ${'call'.padEnd(16)} ${'matches'.padStart(8)} ${'median ms'.padStart(10)} ${'p95 ms'.padStart(8)}`)
    for (const name of order) {
      timings[name] = { ...stats(samples[name]!), matches: found[name]! }
      const t = timings[name]
      console.log(
        `  ${name.padEnd(16)} ${String(t.matches).padStart(8)} ${t.medianMs.toFixed(1).padStart(10)} ${t.p95Ms.toFixed(1).padStart(8)}`,
      )
    }
    return { kind, students: names.length, cases: a!.cases, timings }
  } finally {
    await cleanup()
  }
}

async function main() {
  const results = [await measure('sqlite')]
  const pgUrl = process.env.TEST_DATABASE_URL
  if (pgUrl && isPostgresUrl(pgUrl) && !SMOKE) results.push(await measure('postgres', pgUrl))
  // Nothing here is budgeted: the medians are reported.
  writeFigures(
    'name-search',
    results.flatMap((r) =>
      ['roster:miss', 'board:name'].map((name) =>
        figure(`${r.kind}: ${name} median (${r.students} students)`, r.timings[name]!.medianMs, 'ms'),
      ),
    ),
  )
  mkdirSync(dirname(RESULTS), { recursive: true })
  writeFileSync(RESULTS, JSON.stringify({ at: new Date().toISOString(), rounds: ROUNDS, results }, null, 2))
  console.log(`\nwritten ${RESULTS}`)
}

main().catch((error: unknown) => {
  console.error(error instanceof BenchSetupError ? `bench failed: ${error.message}` : error)
  process.exit(1)
})
