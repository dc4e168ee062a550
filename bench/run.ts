/**
 * `npm run bench`: throughput of the production build against a plain node:http baseline, on loopback.
 *
 * One server at a time (a plain node:http JSON server, then the app's .output on a fresh SQLite data
 * dir), each target warmed up, then loaded with a fixed number of keep-alive connections by
 * autocannon in this process. Prints req/s and the ratios the budgets are written against, writes
 * bench/.results/latest.json, and exits 1 when a budget fails. It builds nothing: run
 * `npx nuxt build` first.
 *
 * Knobs (environment): BENCH_DURATION (s, default 10; smoke 2), BENCH_WARMUP (s, default 5; smoke 1),
 * BENCH_CONNECTIONS (default 20). In smoke mode (BENCH_SMOKE=1) the ratios are advisory: two-second
 * runs of servers measured one after the other on a shared 2-core machine swing by more than any
 * tolerance that would still catch a regression. Writes bench/.results/throughput.figures.json for bench/all.ts.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { cpus, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { figure, knob, SMOKE, writeFigures, type Figure } from './lib'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const SERVER_ENTRY = join(ROOT, '.output/server/index.mjs')
const RESULTS = join(ROOT, 'bench/.results/latest.json')
const HOST = '127.0.0.1'
const DURATION = knob('BENCH_DURATION', 10, 2)
const WARMUP = knob('BENCH_WARMUP', 5, 1)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 20)
const DEMO_PASSWORD = 'Xinqiao-Demo-2026'
const CSRF = { 'x-xinqiao-csrf': '1', 'content-type': 'application/json' }

const BUDGETS = [
  { key: 'bareOverPlain', label: 'bare handler / plain node:http', num: 'bare', den: 'plain', min: 0.5 },
  { key: 'pingOverBare', label: 'tRPC ping / bare handler', num: 'ping', den: 'bare', min: 0.3 },
  { key: 'schoolsOverBare', label: 'schools query / bare handler', num: 'schools', den: 'bare', min: null },
] as const

interface Target {
  key: 'plain' | 'bare' | 'ping' | 'schools'
  label: string
  url: string
  method: 'GET' | 'POST'
  headers?: Record<string, string>
  body?: string
}

interface Measured {
  label: string
  request: string
  reqPerSec: number
  requests: number
  latencyMs: { p50: number; p99: number; max: number }
}

const children = new Set<ChildProcess>()

/** A setup problem (no build, a server that does not start): reported without a stack. */
class BenchSetupError extends Error {}

function fail(message: string): never {
  throw new BenchSetupError(message)
}

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer()
    srv.once('error', rej)
    srv.listen(0, HOST, () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => res(port))
    })
  })
}

/** Starts a Node child and resolves once `readyPath` answers 200; rejects with its output if it dies first. */
async function startNode(name: string, args: string[], env: NodeJS.ProcessEnv, port: number, readyPath: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
  children.add(child)
  const output: string[] = []
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString())
    if (output.length > 200) output.shift()
  }
  child.stdout!.on('data', keep)
  child.stderr!.on('data', keep)
  child.once('exit', () => children.delete(child))

  const deadline = Date.now() + 120_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      fail(`${name} exited (${child.exitCode ?? child.signalCode}) before answering:\n${output.join('')}`)
    }
    try {
      const res = await fetch(`http://${HOST}:${port}${readyPath}`, { signal: AbortSignal.timeout(2_000) })
      if (res.status === 200) return child
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  fail(`${name} did not answer on ${HOST}:${port}${readyPath} within 120 s:\n${output.join('')}`)
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
  await exited
  clearTimeout(timer)
}

function killAllNow(): void {
  for (const child of children) child.kill('SIGKILL')
}

async function login(base: string, username: string): Promise<string> {
  // The first login also waits for migrations and the demo seed to finish.
  const deadline = Date.now() + 120_000
  let last = ''
  while (Date.now() < deadline) {
    const res = await fetch(`${base}/api/trpc/auth.login`, {
      method: 'POST',
      headers: CSRF,
      body: JSON.stringify({ username, password: DEMO_PASSWORD }),
    })
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('xq_session='))
    if (res.status === 200 && cookie) return cookie.split(';')[0]!
    last = `${res.status} ${await res.text()}`
    if (res.status !== 500 && res.status !== 503) break
    await new Promise((r) => setTimeout(r, 500))
  }
  fail(`login as ${username} failed: ${last.slice(0, 500)}`)
}

/** One request by hand first, so a broken target fails loudly instead of being measured. */
async function sanityCheck(t: Target, check: (json: unknown) => boolean): Promise<void> {
  const res = await fetch(t.url, { method: t.method, headers: t.headers, body: t.body })
  const text = await res.text()
  let ok = res.status === 200
  try {
    ok &&= check(JSON.parse(text))
  } catch {
    ok = false
  }
  if (!ok) fail(`${t.label}: unexpected answer ${res.status} ${text.slice(0, 300)}`)
}

async function measure(t: Target): Promise<Measured> {
  const opts = { url: t.url, method: t.method, headers: t.headers, body: t.body, connections: CONNECTIONS, timeout: 10 }
  process.stdout.write(`  ${t.label.padEnd(34)}`)
  if (WARMUP > 0) await autocannon({ ...opts, duration: WARMUP })
  const r = await autocannon({ ...opts, duration: DURATION })
  const bad = r.errors + r.timeouts + r.non2xx
  if (bad > 0) fail(`${t.label}: ${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx answers during the run`)
  const m: Measured = {
    label: t.label,
    request: `${t.method} ${new URL(t.url).pathname}`,
    reqPerSec: Math.round(r.requests.average),
    requests: r['2xx'],
    latencyMs: { p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max },
  }
  console.log(`${String(m.reqPerSec).padStart(7)} req/s   p50 ${m.latencyMs.p50} ms   p99 ${m.latencyMs.p99} ms`)
  return m
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
    fail(`Node ${process.versions.node}: run the bench with \`npm run bench\` so the project's Node 22 is used.`)
  }
  if (!existsSync(SERVER_ENTRY)) {
    fail(
      'No production build: .output/server/index.mjs is missing. Run `npx nuxt build` (or `npm run build`) first; the bench builds nothing.',
    )
  }
  const builtAt = statSync(SERVER_ENTRY).mtime.toISOString()
  console.log(`bench: ${CONNECTIONS} connections, ${WARMUP} s warm-up + ${DURATION} s per target, loopback only`)
  console.log(`       build of ${builtAt}, Node ${process.versions.node}, ${cpus().length} CPUs\n`)

  const results: Partial<Record<Target['key'], Measured>> = {}

  // 1. Baseline: plain node:http.
  {
    const port = await freePort()
    const env = { ...process.env, PORT: String(port) }
    const child = await startNode('plain node:http server', [join(ROOT, 'bench/plain-server.mjs')], env, port, '/')
    try {
      const t: Target = { key: 'plain', label: 'plain node:http JSON', url: `http://${HOST}:${port}/`, method: 'GET' }
      await sanityCheck(t, (j) => (j as { ok?: boolean }).ok === true)
      results.plain = await measure(t)
    } finally {
      await stop(child)
    }
  }

  // 2. The app's production server on an empty data dir (migrated and seeded on start).
  {
    const port = await freePort()
    const dataDir = mkdtempSync(join(tmpdir(), 'xinqiao-bench-'))
    // SQLite on the default port/host settings: drop what would point the server elsewhere.
    const { DATABASE_URL: _db, NITRO_PORT: _port, NITRO_HOST: _host, ...inherited } = process.env
    const env: NodeJS.ProcessEnv = {
      ...inherited,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST,
      XINQIAO_DATA_DIR: dataDir,
      // A plain HTTP client has to be able to carry the session cookie back.
      XINQIAO_INSECURE_COOKIES: '1',
      // A throwaway data dir: its generated key file may sit beside the data (production refuses that otherwise).
      XINQIAO_ACCEPT_FILE_KEYS: '1',
    }
    let child: ChildProcess | undefined
    try {
      child = await startNode('app server', [SERVER_ENTRY], env, port, '/api/health')
      const base = `http://${HOST}:${port}`
      const cookie = await login(base, 'bureau')
      const authed = { ...CSRF, cookie }
      const targets: [Target, (j: unknown) => boolean][] = [
        [
          { key: 'bare', label: 'bare Nitro handler GET /api/health', url: `${base}/api/health`, method: 'GET' },
          (j) => (j as { ok?: boolean }).ok === true,
        ],
        [
          { key: 'ping', label: 'tRPC auth.ping (bureau)', url: `${base}/api/trpc/auth.ping`, method: 'POST', headers: authed, body: '{}' },
          (j) => (j as { result?: { data?: { ok?: boolean } } }).result?.data?.ok === true,
        ],
        [
          {
            key: 'schools',
            label: 'tRPC school.list pageSize 50',
            url: `${base}/api/trpc/school.list`,
            method: 'POST',
            headers: authed,
            body: JSON.stringify({ pageSize: 50 }),
          },
          (j) => ((j as { result?: { data?: { rows?: unknown[] } } }).result?.data?.rows?.length ?? 0) === 50,
        ],
      ]
      for (const [t, check] of targets) {
        await sanityCheck(t, check)
        results[t.key] = await measure(t)
      }
    } finally {
      await stop(child)
      rmSync(dataDir, { recursive: true, force: true })
    }
  }

  console.log('\nratios')
  const figures: Figure[] = (['plain', 'bare', 'ping', 'schools'] as const).map((k) =>
    figure(`${results[k]!.label} req/s`, results[k]!.reqPerSec, 'req/s'),
  )
  const ratios: Record<string, { value: number; min: number | null; pass: boolean | null }> = {}
  let failed = false
  for (const b of BUDGETS) {
    const value = Math.round((results[b.num]!.reqPerSec / results[b.den]!.reqPerSec) * 1000) / 1000
    const pass = b.min == null ? null : value >= b.min
    if (pass === false) failed = true
    ratios[b.key] = { value, min: b.min, pass }
    figures.push(
      figure(b.label, value, '×', {
        op: '>=',
        limit: b.min,
        advisory: SMOKE,
        note: SMOKE ? 'smoke: too noisy on a shared machine, reported only' : undefined,
      }),
    )
    const verdict = b.min == null ? '(reported)' : `(budget >= ${b.min}) ${pass ? 'ok' : 'FAIL'}`
    console.log(`  ${b.label.padEnd(34)}${value.toFixed(3).padStart(7)}   ${verdict}`)
  }

  mkdirSync(dirname(RESULTS), { recursive: true })
  writeFileSync(
    RESULTS,
    `${JSON.stringify(
      {
        at: new Date().toISOString(),
        commit: gitCommit(),
        build: builtAt,
        node: process.versions.node,
        cpus: cpus().length,
        config: { connections: CONNECTIONS, warmupSeconds: WARMUP, durationSeconds: DURATION, host: HOST },
        targets: results,
        ratios,
        passed: !failed,
      },
      null,
      2,
    )}\n`,
  )
  writeFigures('throughput', figures)
  console.log(`\nwritten ${RESULTS.slice(ROOT.length + 1)}`)
  if (SMOKE && failed) console.error('bench: a throughput ratio is under budget (advisory in smoke mode)')
  else if (failed) console.error('bench: a budget failed')
  return failed && !SMOKE ? 1 : 0
}

process.once('exit', killAllNow)
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAllNow()
    process.exit(130)
  })
}

main().then(
  (code) => {
    process.exitCode = code
  },
  (err: unknown) => {
    killAllNow()
    console.error(
      `\nbench: ${err instanceof BenchSetupError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    )
    process.exitCode = 2
  },
)
