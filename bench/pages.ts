/**
 * `npm run bench:pages`: Lighthouse (mobile preset, simulated throttling) on the production build,
 * with Debian's Chromium: the sign-in page, a counsellor's caseload and the bureau's staffing
 * dashboard. Figures: performance and accessibility scores, and the first-load JavaScript (bytes on
 * the wire, compressed as served). Budgets from the speed issue: performance ≥ 90, accessibility 100,
 * JavaScript ≤ 200 KB per page.
 *
 * Writes the full Lighthouse reports to bench/.results/pages-<page>.report.json and the figures to
 * bench/.results/pages.figures.json. It builds nothing: run `npx nuxt build` first. In smoke mode only
 * the sign-in page is audited and every figure is advisory (one Lighthouse run on a shared 2-core
 * machine swings by more than any budget's margin).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as chromeLauncher from 'chrome-launcher'
import lighthouse from 'lighthouse'
import { BenchSetupError, failsRun, fail, figure, FIGURES_DIR, SMOKE, writeFigures, type Figure } from './lib'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const SERVER_ENTRY = join(ROOT, '.output/server/index.mjs')
const HOST = '127.0.0.1'
const DEMO_PASSWORD = 'Xinqiao-Demo-2026'
const CHROME = process.env.CHROME_PATH || '/usr/bin/chromium'

const PAGES = [
  { key: 'login', label: 'sign-in page', path: '/login', user: null },
  { key: 'caseload', label: 'caseload (counsellor)', path: '/school/cases', user: 'school1.counsellor' },
  { key: 'staffing', label: 'staffing dashboard (bureau)', path: '/bureau/staffing', user: 'bureau' },
] as const

const BUDGET = { performance: 90, accessibility: 100, scriptKb: 200 }

function freePort(): Promise<number> {
  return new Promise((ok, bad) => {
    const s = createServer()
    s.once('error', bad)
    s.listen(0, HOST, () => {
      const port = (s.address() as { port: number }).port
      s.close(() => ok(port))
    })
  })
}

async function ready(base: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 240_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) fail(`the app server exited with code ${child.exitCode} before it was ready`)
    try {
      if ((await fetch(`${base}/api/ready`)).ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500))
  }
  fail('the app server did not become ready within 240 s')
}

async function signIn(base: string, username: string): Promise<string> {
  const res = await fetch(`${base}/api/trpc/auth.login`, {
    method: 'POST',
    headers: { 'x-xinqiao-csrf': '1', 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  })
  if (!res.ok) fail(`sign-in as ${username} answered ${res.status}`)
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ')
}

interface Audit {
  performance: number | null
  accessibility: number | null
  scriptBytes: number
}

async function audit(url: string, port: number, cookie: string | null, key: string): Promise<Audit> {
  const result = await lighthouse(url, {
    port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: ['performance', 'accessibility'],
    ...(cookie ? { extraHeaders: { Cookie: cookie } } : {}),
  })
  if (!result) fail(`Lighthouse returned nothing for ${url}`)
  const lhr = result.lhr
  if (lhr.runtimeError) fail(`Lighthouse could not audit ${url}: ${lhr.runtimeError.message}`)
  if (new URL(lhr.finalDisplayedUrl).pathname !== new URL(url).pathname) {
    fail(`${url} ended on ${lhr.finalDisplayedUrl} (signed out?)`)
  }
  mkdirSync(FIGURES_DIR, { recursive: true })
  writeFileSync(join(FIGURES_DIR, `pages-${key}.report.json`), typeof result.report === 'string' ? result.report : JSON.stringify(lhr))
  const requests = (lhr.audits['network-requests']?.details as { items?: { resourceType?: string; transferSize?: number }[] } | undefined)
    ?.items
  const scriptBytes = (requests ?? []).filter((r) => r.resourceType === 'Script').reduce((a, r) => a + (r.transferSize ?? 0), 0)
  const score = (c: string) => {
    const s = lhr.categories[c]?.score
    return s == null ? null : Math.round(s * 100)
  }
  return { performance: score('performance'), accessibility: score('accessibility'), scriptBytes }
}

async function main(): Promise<number> {
  if (!existsSync(SERVER_ENTRY)) fail('No production build: .output/server/index.mjs is missing. Run `npx nuxt build` first.')
  if (!existsSync(CHROME)) fail(`No Chromium at ${CHROME} (apt-get install -y chromium, or set CHROME_PATH)`)
  const pages = SMOKE ? PAGES.filter((p) => p.key === 'login') : PAGES
  const port = await freePort()
  const dataDir = mkdtempSync(join(tmpdir(), 'xinqiao-bench-pages-'))
  const { DATABASE_URL: _db, NITRO_PORT: _p, NITRO_HOST: _h, ...inherited } = process.env
  const server = spawn(process.execPath, [SERVER_ENTRY], {
    env: {
      ...inherited,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST,
      XINQIAO_DATA_DIR: dataDir,
      XINQIAO_INSECURE_COOKIES: '1',
      XINQIAO_ACCEPT_FILE_KEYS: '1',
    },
    stdio: 'ignore',
  })
  let chrome: chromeLauncher.LaunchedChrome | undefined
  const figures: Figure[] = []
  try {
    const base = `http://${HOST}:${port}`
    await ready(base, server)
    chrome = await chromeLauncher.launch({ chromePath: CHROME, chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu'] })
    console.log(`bench: Lighthouse ${SMOKE ? '(smoke: sign-in page only, advisory) ' : ''}mobile preset on ${base}\n`)
    for (const p of pages) {
      const cookie = p.user ? await signIn(base, p.user) : null
      process.stdout.write(`  ${p.label.padEnd(30)}`)
      const a = await audit(`${base}${p.path}`, chrome.port, cookie, p.key)
      const kb = Math.round((a.scriptBytes / 1024) * 10) / 10
      console.log(`performance ${a.performance}   accessibility ${a.accessibility}   JS ${kb} KB`)
      const advisory = SMOKE
      figures.push(
        figure(`${p.label}: Lighthouse performance`, a.performance, 'score', { op: '>=', limit: BUDGET.performance, advisory }),
        figure(`${p.label}: Lighthouse accessibility`, a.accessibility, 'score', { op: '>=', limit: BUDGET.accessibility, advisory }),
        figure(`${p.label}: first-load JS (compressed)`, kb, 'KB', { op: '<=', limit: BUDGET.scriptKb, advisory }),
      )
    }
  } finally {
    await chrome?.kill()
    server.kill('SIGTERM')
    rmSync(dataDir, { recursive: true, force: true })
  }
  writeFigures('pages', figures)
  return figures.some(failsRun) ? 1 : 0
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof BenchSetupError ? `bench:pages: ${err.message}` : err)
    process.exit(2)
  },
)
