/**
 * `npm run bench` (and `npm run bench:smoke`): runs every bench, one after another, even when one
 * fails, then prints one table of every figure (value, budget, PASS / FAIL) and exits 1 if any budget
 * failed or any bench did not report.
 *
 * Each bench stays runnable on its own (`npm run bench:x`) and writes its figures to
 * bench/.results/<name>.figures.json (bench/lib.ts `writeFigures`); this runner removes that file
 * before the bench starts, so a bench that dies without reporting shows as FAIL, not as last run's
 * figures.
 *
 * `--smoke` (or BENCH_SMOKE=1) runs every bench at a small size and a short duration (seconds, not
 * minutes); budgets are checked with SMOKE_TOLERANCE of slack and the figures that are too noisy for a
 * short run on a shared machine are advisory (shown, never failing). `--only a,b` runs a subset.
 * The throughput bench needs a production build (`npx nuxt build`); it builds nothing.
 */
import { spawn } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { FIGURES_DIR, SMOKE_TOLERANCE, type Figure } from './lib'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const TSX = join(ROOT, 'node_modules/.bin/tsx')

const BENCHES = [
  { name: 'throughput', script: 'bench/run.ts' },
  { name: 'caseload', script: 'bench/caseload.ts' },
  { name: 'staffing', script: 'bench/staffing.ts' },
  { name: 'name-search', script: 'bench/name-search.ts' },
  { name: 'research-extract', script: 'bench/research-extract.ts' },
  { name: 'pages', script: 'bench/pages.ts' },
] as const

interface Outcome {
  name: string
  code: number | null
  seconds: number
  figures: Figure[]
  error?: string
}

function runOne(script: string, env: NodeJS.ProcessEnv): Promise<number | null> {
  return new Promise((res) => {
    const child = spawn(TSX, [script], { cwd: ROOT, env, stdio: 'inherit' })
    child.once('error', () => res(null))
    child.once('exit', (code) => res(code))
  })
}

function fmt(x: number | null, unit: string): string {
  if (x == null) return '—'
  const digits = unit === '×' ? 2 : Math.abs(x) >= 100 ? 0 : 2
  return `${x.toFixed(digits)}${unit === '×' ? '×' : ` ${unit}`}`
}

async function main(): Promise<number> {
  const args = process.argv.slice(2)
  const smoke = args.includes('--smoke') || process.env.BENCH_SMOKE === '1'
  const onlyArg = args.find((a) => a.startsWith('--only='))?.slice('--only='.length)
  const only = onlyArg ? new Set(onlyArg.split(',')) : null
  const env = { ...process.env, ...(smoke ? { BENCH_SMOKE: '1' } : {}) }
  const started = performance.now()
  const outcomes: Outcome[] = []

  for (const b of BENCHES) {
    if (only && !only.has(b.name)) continue
    const file = join(FIGURES_DIR, `${b.name}.figures.json`)
    rmSync(file, { force: true })
    console.log(`\n━━━ ${b.name} (${b.script})${smoke ? ', smoke' : ''} ━━━`)
    const t0 = performance.now()
    const code = await runOne(b.script, env)
    const seconds = Math.round((performance.now() - t0) / 100) / 10
    let figures: Figure[] = []
    let error: string | undefined
    if (existsSync(file)) {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as { figures: Figure[]; error?: string }
      figures = parsed.figures
      error = parsed.error
    } else {
      error = 'reported no figures'
    }
    if (code !== 0 && code !== 1 && !error) error = `exited ${code}`
    outcomes.push({ name: b.name, code, seconds, figures, error })
  }

  const total = Math.round((performance.now() - started) / 100) / 10
  const rows: string[][] = [['bench', 'figure', 'value', 'budget', 'verdict']]
  const notes = new Set<string>()
  let failed = false
  for (const o of outcomes) {
    for (const f of o.figures) {
      const budget = f.op == null ? 'reported' : `${f.op} ${f.limit}${f.checked !== f.limit ? ` (checked ${f.op} ${f.checked})` : ''}`
      const verdict = f.pass == null ? (f.advisory ? 'advisory' : '') : f.pass ? 'PASS' : f.advisory ? 'FAIL (advisory)' : 'FAIL'
      if (f.note) notes.add(`${o.name}: ${f.label}: ${f.note}`)
      if (f.pass === false && !f.advisory) failed = true
      rows.push([o.name, f.label, fmt(f.value, f.unit), budget, verdict])
    }
    if (o.error || (o.code !== 0 && !o.figures.some((f) => f.pass === false))) {
      failed = true
      rows.push([o.name, `(${o.error ?? `exited ${o.code}`})`, '', '', 'FAIL'])
    }
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd()
  console.log(`\n━━━ bench summary${smoke ? ' (SMOKE)' : ''} ━━━`)
  console.log(line(rows[0]!))
  console.log(widths.map((w) => '─'.repeat(w)).join('  '))
  for (const r of rows.slice(1)) console.log(line(r))
  for (const n of notes) console.log(`  note  ${n}`)
  console.log(`\n${outcomes.map((o) => `${o.name} ${o.seconds} s`).join(', ')}; total ${total} s`)
  if (smoke) {
    console.log(
      `smoke mode: small data sets and short runs; budgets checked with ×${SMOKE_TOLERANCE} slack, advisory figures never fail the run.\n` +
        'A smoke run catches a gross regression and a broken bench; the budgets themselves are judged by a full `npm run bench`.',
    )
  }
  console.log(failed ? 'bench: FAILED' : 'bench: all budgets met')
  return failed ? 1 : 0
}

main().then(
  (code) => {
    process.exitCode = code
  },
  (err: unknown) => {
    console.error(err)
    process.exitCode = 2
  },
)
