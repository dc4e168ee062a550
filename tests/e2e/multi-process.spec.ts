import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import pg from 'pg'
import { expect, request as playwrightRequest, test, type APIRequestContext } from '@playwright/test'
import { apiLogin, CSRF_HEADER, DEMO_USERS, trpcCall, trpcData } from './helpers'
import { overview, photo } from './helpers/programme'
import { shanghaiToday } from './helpers/staffing'

/**
 * A province runs several app processes on one PostgreSQL database. Two production servers are
 * started at the same moment on a fresh database: one seeds, both serve; a session made on one is
 * honoured by the other and revoked on both at once; an attachment uploaded to one is read from the
 * other; concurrent writes through both leave an intact audit chain.
 */
const PG_URL = process.env.TEST_DATABASE_URL
const ROOT = resolve(import.meta.dirname, '../..')

test.skip(!PG_URL, 'needs PostgreSQL (TEST_DATABASE_URL, set by .ci/run when 127.0.0.1:5432 answers)')

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer()
    s.once('error', fail)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => ok(port))
    })
  })
}

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: PG_URL })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}

async function healthy(base: string, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${base}/api/ready`)).ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500))
  }
  throw new Error(`${base} did not start`)
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((ok) => (child.exitCode !== null ? ok(child.exitCode) : child.once('exit', (code) => ok(code))))
}

test('two app processes on one PostgreSQL database: one seeds, a session and an upload made on one work on the other, sign-out reaches both, the audit chain stays intact', async () => {
  test.setTimeout(420_000)
  const dbName = `xq_multi_${randomBytes(5).toString('hex')}`
  const databaseUrl = PG_URL!.replace(/\/[^/]*$/, `/${dbName}`)
  await admin(`create database ${dbName}`)
  const work = mkdtempSync(join(tmpdir(), 'xinqiao-multi-'))
  const keys = { XINQIAO_AUDIT_KEY: randomBytes(32).toString('hex'), XINQIAO_DATA_KEY: randomBytes(32).toString('hex') }
  const servers: { base: string; child: ChildProcess; dataDir: string; log: string[] }[] = []
  const contexts: APIRequestContext[] = []
  try {
    for (const name of ['a', 'b']) {
      const port = await freePort()
      const dataDir = join(work, name)
      const { DATABASE_URL: _d, NITRO_PORT: _p, NITRO_HOST: _h, ...inherited } = process.env
      const child = spawn(process.execPath, [join(ROOT, '.output/server/index.mjs')], {
        env: {
          ...inherited,
          ...keys,
          NODE_ENV: 'production',
          HOST: '127.0.0.1',
          PORT: String(port),
          DATABASE_URL: databaseUrl,
          XINQIAO_DATA_DIR: dataDir,
          XINQIAO_INSECURE_COOKIES: '1',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      const log: string[] = []
      child.stdout!.on('data', (d: Buffer) => log.push(d.toString()))
      child.stderr!.on('data', (d: Buffer) => log.push(d.toString()))
      servers.push({ base: `http://127.0.0.1:${port}`, child, dataDir, log })
    }
    const deadline = Date.now() + 330_000
    await Promise.all(servers.map((s) => healthy(s.base, deadline)))
    const [a, b] = servers as [(typeof servers)[0], (typeof servers)[0]]

    await test.step('both started at once; exactly one seeded the demo district', async () => {
      const client = new pg.Client({ connectionString: databaseUrl })
      await client.connect()
      try {
        const { rows } = await client.query(`select count(*)::int as n from account where username = 'bureau'`)
        expect(rows[0].n).toBe(1)
        const meta = await client.query(`select count(*)::int as n from app_meta where key = 'demo_seed'`)
        expect(meta.rows[0].n).toBe(1)
      } finally {
        await client.end()
      }
    })

    const onA = await playwrightRequest.newContext({ baseURL: a.base })
    contexts.push(onA)
    await apiLogin(onA, DEMO_USERS.school1Counsellor)
    // the same browser cookie jar, sent to the other process
    const onB = await playwrightRequest.newContext({ baseURL: b.base, storageState: await onA.storageState() })
    contexts.push(onB)

    await test.step('a session made on one process is honoured by the other', async () => {
      const pingA = await trpcData<{ accountId: number }>(onA, 'auth.ping')
      const pingB = await trpcData<{ accountId: number }>(onB, 'auth.ping')
      expect(pingB.accountId).toBe(pingA.accountId)
    })

    const mine = await overview(onA)
    const heldOn = shanghaiToday() < mine.year.startsOn ? mine.year.startsOn : shanghaiToday()
    const event = (title: string) => ({
      schoolYearId: mine.year.id,
      kind: 'activity',
      heldOn,
      title,
      audiences: ['students'],
      grades: [],
      participants: 30,
      organiser: null,
      summary: '（E2E）多进程写入。',
      roles: [],
    })

    await test.step('an attachment uploaded to one process is read, byte for byte, from the other', async () => {
      const { id: eventId } = await trpcData<{ id: number }>(onA, 'programme.createEvent', event('（E2E）多进程附件'))
      const png = photo('多进程.png', [20, 160, 90])
      const up = await onA.post('/api/uploads', {
        headers: { [CSRF_HEADER]: '1' },
        multipart: { eventId: String(eventId), file: png },
      })
      expect(up.status(), await up.text()).toBe(201)
      const { id } = (await up.json()) as { id: number }
      const down = await onB.get(`/api/uploads/${id}`)
      expect(down.status()).toBe(200)
      expect(down.headers()['content-type']).toBe('image/png')
      expect(Buffer.compare(await down.body(), png.buffer)).toBe(0)
      // no process kept it in its own folder
      for (const s of servers) expect(s.log.join('')).not.toContain('ENOENT')
    })

    await test.step('concurrent writes through both processes: every one lands, and the audit chain verifies', async () => {
      const titles = Array.from({ length: 24 }, (_, i) => `（E2E）并发 ${i}`)
      const results = await Promise.all(titles.map((t, i) => trpcCall(i % 2 ? onB : onA, 'programme.createEvent', event(t))))
      for (const r of results) expect(r.status()).toBe(200)
      const listed = (await overview(onB)).evidence.activity.map((e) => e.title)
      for (const t of titles) expect(listed).toContain(t)

      const verify = spawn(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'scripts/audit-verify.ts')], {
        cwd: ROOT,
        env: { ...process.env, ...keys, DATABASE_URL: databaseUrl, XINQIAO_DATA_DIR: a.dataDir },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let out = ''
      verify.stdout!.on('data', (d: Buffer) => (out += d.toString()))
      verify.stderr!.on('data', (d: Buffer) => (out += d.toString()))
      expect(await exited(verify), out).toBe(0)
      expect(out).toMatch(/audit chain intact: \d+ events verified/)
    })

    await test.step('signing out on one process ends the session on the other at once', async () => {
      expect((await trpcCall(onB, 'auth.logout')).status()).toBe(200)
      expect((await trpcCall(onA, 'auth.ping')).status()).toBe(401)
    })
  } finally {
    for (const c of contexts) await c.dispose()
    for (const s of servers) s.child.kill('SIGTERM')
    await Promise.all(servers.map((s) => exited(s.child)))
    await admin(`drop database if exists ${dbName} with (force)`)
    rmSync(work, { recursive: true, force: true })
  }
})
