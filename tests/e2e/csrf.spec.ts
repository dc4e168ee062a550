import { expect, test, type APIRequestContext, type APIResponse } from '@playwright/test'
import { apiLogin, CSRF_HEADER, CSRF_HEADERS, DEMO_PASSWORD, trpcCall, trpcData, type TrpcError } from './helpers'

const EVIL = 'http://evil.example'

interface AccountRow {
  id: number
  username: string
  disabled: boolean
}

async function accountByUsername(request: APIRequestContext, username: string): Promise<AccountRow> {
  const list = await trpcData<{ rows: AccountRow[] }>(request, 'account.list', { search: username, pageSize: 100 })
  const row = list.rows.find((r) => r.username === username)
  expect(row, `account ${username}`).toBeTruthy()
  return row!
}

async function auditCount(request: APIRequestContext, action: string): Promise<number> {
  return (await trpcData<{ total: number }>(request, 'audit.list', { action, pageSize: 1 })).total
}

/** A refused request: the status, a machine-readable code, no cookie handed out, never cached. */
async function expectRefused(res: APIResponse, status: 403 | 405): Promise<void> {
  expect(res.status()).toBe(status)
  expect(res.headers()['set-cookie']).toBeUndefined()
  expect(res.headers()['cache-control']).toContain('no-store')
  const body = (await res.json()) as { error: { data: { appCode: string } } }
  expect(body.error.data.appCode).toBe('csrf')
}

test.describe('tRPC endpoint refuses cross-site and malformed calls', () => {
  test('a cross-origin POST is refused and changes nothing, even with the victim’s cookie', async ({ request }) => {
    await apiLogin(request, 'admin')
    const target = await accountByUsername(request, 'school3.counsellor')
    expect(target.disabled).toBe(false)
    const loginsBefore = await auditCount(request, 'auth.login')

    // The admin's browser, lured to evil.example, would carry the cookie; the Origin gives it away.
    await expectRefused(await trpcCall(request, 'account.disable', { id: target.id }, { origin: EVIL }), 403)
    await expectRefused(await trpcCall(request, 'auth.login', { username: 'bureau', password: DEMO_PASSWORD }, { origin: EVIL }), 403)
    await expectRefused(await trpcCall(request, 'auth.logout', {}, { origin: EVIL }), 403)

    // Checked through legitimate calls: account still enabled, no login happened, admin still signed in.
    expect((await accountByUsername(request, 'school3.counsellor')).disabled).toBe(false)
    expect(await auditCount(request, 'auth.login')).toBe(loginsBefore)
    const session = await trpcData<{ username: string } | null>(request, 'auth.session')
    expect(session?.username).toBe('admin')
  })

  test('a GET is refused with 405, header or not', async ({ request }) => {
    const variants: Record<string, string>[] = [{}, { [CSRF_HEADER]: '1' }]
    for (const headers of variants) {
      const res = await request.get('/api/trpc/auth.session', { headers, maxRedirects: 0 })
      await expectRefused(res, 405)
      expect(res.headers()['allow']).toBe('POST')
    }
    await expectRefused(await request.get(`/api/trpc/auth.session?input=${encodeURIComponent('{}')}`), 405)
  })

  test('a POST without the CSRF header is refused', async ({ request }) => {
    const variants: Record<string, string>[] = [
      { 'content-type': 'application/json' },
      { 'content-type': 'application/json', [CSRF_HEADER]: '0' },
    ]
    for (const headers of variants) {
      const res = await request.post('/api/trpc/auth.login', {
        headers,
        data: JSON.stringify({ username: 'bureau', password: DEMO_PASSWORD }),
      })
      await expectRefused(res, 403)
    }
    // A simple cross-site form post (no preflight) looks like this.
    const form = await request.post('/api/trpc/auth.login', { form: { username: 'bureau', password: DEMO_PASSWORD } })
    await expectRefused(form, 403)
    expect(await trpcData(request, 'auth.session')).toBeNull()
  })

  test('Sec-Fetch-Site other than same-origin is refused', async ({ request }) => {
    for (const site of ['cross-site', 'same-site']) {
      await expectRefused(
        await trpcCall(request, 'auth.login', { username: 'bureau', password: DEMO_PASSWORD }, { 'sec-fetch-site': site }),
        403,
      )
    }
    expect(await trpcData(request, 'auth.session')).toBeNull()
  })

  test('a same-origin POST with the header is accepted', async ({ request, baseURL }) => {
    const origin = new URL(baseURL!).origin
    const res = await trpcCall(request, 'auth.session', {}, { origin, 'sec-fetch-site': 'same-origin' })
    expect(res.status()).toBe(200)
    expect(await res.json()).toEqual({ result: { data: null } })

    const login = await trpcCall(
      request,
      'auth.login',
      { username: 'bureau', password: DEMO_PASSWORD },
      { origin, 'sec-fetch-site': 'same-origin' },
    )
    expect(login.status()).toBe(200)
    expect(login.headers()['set-cookie']).toMatch(/xq_session=[^;]+;.*HttpOnly/i)
    expect(login.headers()['set-cookie']).toMatch(/SameSite=Lax/i)
    const session = await trpcData<{ username: string; role: string }>(request, 'auth.session')
    expect(session).toMatchObject({ username: 'bureau', role: 'bureau' })
  })

  test('an invalid input answers a localisable validation error, never a stack trace or SQL', async ({ request }) => {
    const checks: { path: string; input: unknown; field: string }[] = [
      { path: 'auth.login', input: { username: '', password: 'x', extra: 1 }, field: 'username' },
    ]
    await apiLogin(request, 'bureau')
    checks.push({ path: 'school.list', input: { pageSize: 'many', sort: 'name; drop table school' }, field: 'pageSize' })
    for (const { path, input, field } of checks) {
      const res = await trpcCall(request, path, input)
      expect(res.status()).toBe(400)
      const text = await res.text()
      expect(text).not.toMatch(/stack|\bat [\w.<>]+ \(|node_modules|\.mjs|sqlite|select |insert |ZodError/i)
      const { error } = JSON.parse(text) as { error: TrpcError & { stack?: unknown } }
      expect(error.stack).toBeUndefined()
      expect(error.data.appCode).toBe('validation')
      expect(error.message).toBe('validation')
      expect(error.data.fieldIssues.map((i) => i.path)).toContain(field)
    }

    // Unparseable JSON and a missing id reach the client as codes too.
    const broken = await request.post('/api/trpc/auth.login', { headers: CSRF_HEADERS, data: '{"username":' })
    expect(broken.status()).toBe(400)
    const brokenText = await broken.text()
    expect(brokenText).not.toMatch(/stack|SyntaxError|JSON at position/i)
    expect(JSON.parse(brokenText).error.data.appCode).toBe('validation')

    const missing = await trpcCall(request, 'school.byId', { id: 999_999 })
    expect(missing.status()).toBe(404)
    expect((await missing.json()).error.data.appCode).toBe('notFound')
  })

  test('authenticated responses are never cached', async ({ request }) => {
    const login = await trpcCall(request, 'auth.login', { username: 'bureau', password: DEMO_PASSWORD })
    expect(login.headers()['cache-control']).toContain('no-store')
    for (const [path, input] of [
      ['auth.session', {}],
      ['auth.ping', {}],
      ['school.list', { pageSize: 50 }],
    ] as const) {
      const res = await trpcCall(request, path, input)
      expect(res.status(), path).toBe(200)
      expect(res.headers()['cache-control'], path).toContain('no-store')
    }
    const batch = await request.post('/api/trpc/auth.ping,school.streets?batch=1', {
      headers: CSRF_HEADERS,
      data: JSON.stringify({ 0: {}, 1: {} }),
    })
    expect(batch.status()).toBe(200)
    expect(batch.headers()['cache-control']).toContain('no-store')
  })

  test('a batch is limited to 10 calls', async ({ request }) => {
    const batch = (n: number) =>
      request.post(`/api/trpc/${Array(n).fill('auth.session').join(',')}?batch=1`, {
        headers: CSRF_HEADERS,
        data: JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [i, {}]))),
      })
    const ten = await batch(10)
    expect(ten.status()).toBe(200)
    expect(await ten.json()).toHaveLength(10)
    const eleven = await batch(11)
    expect(eleven.status()).toBe(400)
    expect(await eleven.text()).not.toMatch(/stack/i)
  })

  test('a body over 1 MB is refused with 413 before anything runs', async ({ request }) => {
    const before = await request.post('/api/trpc/auth.login', {
      headers: CSRF_HEADERS,
      data: JSON.stringify({ username: 'admin', password: 'x'.repeat(2 * 1024 * 1024) }),
    })
    expect(before.status()).toBe(413)
    expect(await before.text()).not.toMatch(/stack/i)
    // A normal call on the same endpoint still works.
    const ok = await trpcCall(request, 'auth.session')
    expect(ok.status()).toBe(200)
  })
})
