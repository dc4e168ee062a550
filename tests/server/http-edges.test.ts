import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createApp, createRouter, toNodeListener } from 'h3'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { AppRuntime } from '../../server/runtime'
import { SESSION_COOKIE } from '../../server/services/auth'
import { testKeys } from '../../server/services/keys'
import trpcRoute from '../../server/api/trpc/[trpc]'
import uploadRoute from '../../server/api/uploads/index.post'
import { signIn } from '../fixtures/caller'
import { snapshotTables, targets, useTestDatabase } from '../fixtures/db'
import { makeAccount, makeSchool } from '../fixtures/factories'

/**
 * Probe findings on the HTTP edges: a wrong Content-Type answered `internal`; the Origin check ignored
 * the scheme; any Host was answered. Through h3 on a real local socket, with the test database.
 */
const runtime = vi.hoisted(() => ({ current: null as unknown }))
vi.mock('../../server/runtime', () => ({ useRuntime: () => Promise.resolve(runtime.current) }))

const CSRF = { 'x-xinqiao-csrf': '1' }

describe.each(targets)('HTTP edges on $name', (target) => {
  const t = useTestDatabase(target)
  let server: Server
  let base: string
  let port: number
  let cookie: string

  beforeAll(async () => {
    runtime.current = { handle: { db: t.db, kind: t.kind, close: async () => {} }, keys: testKeys(), seed: {} } as unknown as AppRuntime
    vi.stubEnv('XINQIAO_ALLOWED_HOSTS', 'xinqiao.example.edu.cn, intranet.local:8443')
    vi.resetModules()
    const hostCheck = (await import('../../server/middleware/allowed-host')).default
    const school = await makeSchool(t.db)
    const account = await makeAccount(t.db, 'school_admin', { schoolId: school.id })
    cookie = `${SESSION_COOKIE}=${(await signIn(t.db, account.username, account.password)).token}`
    const app = createApp()
    app.use(hostCheck)
    const router = createRouter()
    router.post('/api/trpc/:path', trpcRoute)
    router.post('/api/uploads', uploadRoute)
    app.use(router)
    server = createServer(toNodeListener(app))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    port = (server.address() as AddressInfo).port
    base = `http://127.0.0.1:${port}`
  })

  afterAll(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
    vi.unstubAllEnvs()
  })

  const call = (headers: Record<string, string>, body = '{}') =>
    fetch(`${base}/api/trpc/auth.ping?batch=1`, { method: 'POST', headers: { ...CSRF, cookie, ...headers }, body: body })

  it('answers a JSON call normally', async () => {
    const res = await call({ 'content-type': 'application/json' }, JSON.stringify({ 0: {} }))
    expect(res.status).toBe(200)
    expect((await res.json())[0].result.data).toMatchObject({ ok: true })
  })

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp', ''])(
    'refuses Content-Type %j with 415 contentType, not internal',
    async (type) => {
      const headers: Record<string, string> = type ? { 'content-type': type } : {}
      const res = await fetch(`${base}/api/trpc/auth.ping?batch=1`, {
        method: 'POST',
        headers: { ...CSRF, cookie, ...headers },
        body: type ? '{}' : undefined,
      })
      expect(res.status).toBe(415)
      expect(await res.json()).toEqual({ error: { code: 'UNSUPPORTED_MEDIA_TYPE', data: { appCode: 'contentType' } } })
    },
  )

  it('accepts application/json with a charset', async () => {
    const res = await call({ 'content-type': 'Application/JSON; charset=utf-8' }, JSON.stringify({ 0: {} }))
    expect(res.status).toBe(200)
  })

  it('refuses an upload that is not multipart with 415, writing nothing', async () => {
    const before = await snapshotTables(t.db)
    const res = await fetch(`${base}/api/uploads`, {
      method: 'POST',
      headers: { ...CSRF, cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ eventId: 1, file: 'x' }),
    })
    expect([res.status, await res.json()]).toEqual([415, { error: { code: 'UNSUPPORTED_MEDIA_TYPE', data: { appCode: 'contentType' } } }])
    expect(await snapshotTables(t.db)).toEqual(before)
  })

  it('refuses an Origin with the right host but another scheme', async () => {
    const json = { 'content-type': 'application/json' }
    expect((await call({ ...json, origin: `http://127.0.0.1:${port}` }, JSON.stringify({ 0: {} }))).status).toBe(200)
    const res = await call({ ...json, origin: `https://127.0.0.1:${port}` }, JSON.stringify({ 0: {} }))
    expect([res.status, (await res.json()).error.data.appCode]).toEqual([403, 'csrf'])
  })

  it.each([
    { host: 'localhost', ok: true },
    { host: '127.0.0.1:3000', ok: true },
    { host: 'xinqiao.example.edu.cn', ok: true },
    { host: 'XINQIAO.example.edu.cn:443', ok: true },
    { host: 'intranet.local:8443', ok: true },
    { host: 'intranet.local:80', ok: false },
    { host: 'evil.example', ok: false },
    { host: 'xinqiao.example.edu.cn.evil.example', ok: false },
  ])('Host $host is answered: $ok', async ({ host, ok }) => {
    // fetch cannot set Host: use a raw request
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/api/trpc/auth.ping?batch=1',
          method: 'POST',
          headers: { host, ...CSRF, cookie, 'content-type': 'application/json' },
        },
        (res) => {
          res.resume()
          resolve(res.statusCode ?? 0)
        },
      )
      req.on('error', reject)
      req.end(JSON.stringify({ 0: {} }))
    })
    expect(status === 421).toBe(!ok)
  })
})
