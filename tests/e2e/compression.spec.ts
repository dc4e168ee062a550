import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { expect, request as newRequest, test, type APIResponse } from '@playwright/test'
import { apiLogin, DEMO_USERS, runToken, trpcData } from './helpers'
import { overview } from './helpers/programme'
import { shanghaiToday } from './helpers/staffing'

/**
 * Dynamic responses (SSR HTML, tRPC JSON, i18n messages) arrive compressed when the client accepts it
 * and plain when it does not, always with Vary: Accept-Encoding; a file download is never re-encoded.
 * Playwright's request API decodes a compressed body itself, so the checks read the headers and compare
 * the decoded text with the plain answer.
 */

const CSRF = { 'x-xinqiao-csrf': '1', 'content-type': 'application/json' }

function expectEncoded(res: APIResponse, coding: 'br' | 'gzip' | null): void {
  expect(res.status()).toBe(200)
  const h = res.headers()
  if (coding) expect(h['content-encoding']).toBe(coding)
  else expect(h['content-encoding']).toBeUndefined()
  expect(h['vary'] ?? '').toMatch(/accept-encoding/i)
}

/** The i18n messages URL: the build's hash is in the client bundle; the route itself serves the locale. */
const messagesUrl = (locale: string) => `/_i18n/e2e/${locale}/messages.json`

test('HTML, tRPC JSON and the i18n messages are compressed when accepted, plain when not; a download is unchanged', async ({ baseURL }) => {
  // A context of our own, so no default Accept-Encoding is added behind our back.
  const api = await newRequest.newContext({ baseURL })
  await apiLogin(api, DEMO_USERS.school1Counsellor)

  await test.step('server-rendered HTML', async () => {
    const plain = await api.get('/school/programme', { headers: { 'accept-encoding': 'identity' } })
    expectEncoded(plain, null)
    expect(plain.headers()['content-type']).toContain('text/html')
    const html = await plain.text()
    for (const coding of ['br', 'gzip'] as const) {
      const res = await api.get('/school/programme', { headers: { 'accept-encoding': coding } })
      expectEncoded(res, coding)
      // Same page (the request id and timings in the payload may differ): same shell, same length class.
      // every page carries a fresh CSP nonce: compare with the nonces blanked
      const blank = (page: string) => page.replace(/nonce="[^"]*"/g, 'nonce=""').slice(0, 200)
      const text = await res.text()
      expect(blank(text)).toBe(blank(html))
    }
    // Preference: brotli when both are offered; q=0 refuses a coding.
    expectEncoded(await api.get('/school/programme', { headers: { 'accept-encoding': 'gzip, deflate, br' } }), 'br')
    expectEncoded(await api.get('/school/programme', { headers: { 'accept-encoding': 'br;q=0, gzip' } }), 'gzip')
  })

  await test.step('tRPC JSON', async () => {
    const call = (coding: string) =>
      api.post('/api/trpc/student.list', { headers: { ...CSRF, 'accept-encoding': coding }, data: { page: 1, pageSize: 50 } })
    const plain = await call('identity')
    expectEncoded(plain, null)
    const body = await plain.json()
    expect(JSON.stringify(body).length).toBeGreaterThan(1024)
    for (const coding of ['br', 'gzip'] as const) {
      const res = await call(coding)
      expectEncoded(res, coding)
      expect(res.headers()['content-type']).toContain('application/json')
      expect(await res.json()).toEqual(body)
    }
  })

  await test.step('i18n messages', async () => {
    for (const locale of ['zh-CN', 'en']) {
      const plain = await api.get(messagesUrl(locale), { headers: { 'accept-encoding': 'identity' } })
      expectEncoded(plain, null)
      const messages = await plain.json()
      for (const coding of ['br', 'gzip'] as const) {
        const res = await api.get(messagesUrl(locale), { headers: { 'accept-encoding': coding } })
        expectEncoded(res, coding)
        expect(await res.json()).toEqual(messages)
      }
    }
  })

  await test.step('a tiny body is not compressed', async () => {
    const res = await api.post('/api/trpc/auth.ping', { headers: { ...CSRF, 'accept-encoding': 'br' }, data: {} })
    expect(res.status()).toBe(200)
    expect(res.headers()['content-encoding']).toBeUndefined()
  })

  await test.step('a file download keeps its exact bytes and is not re-encoded', async () => {
    const mine = await overview(api)
    const { id: eventId } = await trpcData<{ id: number }>(api, 'programme.createEvent', {
      schoolYearId: mine.year.id,
      kind: 'activity',
      heldOn: shanghaiToday() < mine.year.startsOn ? mine.year.startsOn : shanghaiToday(),
      title: `（E2E）压缩检查 ${runToken()}`,
      audiences: ['students'],
      grades: [],
      participants: 30,
      organiser: null,
      summary: '（E2E）下载不应被重新编码。',
      roles: [],
    })
    // A PDF of repeated text: it would compress well, so a re-encoding would show.
    const pdf = Buffer.from(`%PDF-1.4\n${'签到表 sign-in sheet, row of names\n'.repeat(200)}%%EOF\n`, 'utf8')
    expect(pdf.length).toBeGreaterThan(4096)
    const up = await api.post('/api/uploads', {
      headers: { 'x-xinqiao-csrf': '1' },
      multipart: { eventId: String(eventId), file: { name: '签到表.pdf', mimeType: 'application/pdf', buffer: pdf } },
    })
    expect(up.status()).toBe(201)
    const fileId = (await overview(api)).evidence.activity.find((e) => e.id === eventId)!.files[0]!.id
    const res = await api.get(`/api/uploads/${fileId}`, { headers: { 'accept-encoding': 'br, gzip' } })
    expect(res.status()).toBe(200)
    expect(res.headers()['content-encoding']).toBeUndefined()
    expect(res.headers()['content-type']).toBe('application/pdf')
    expect(res.headers()['content-length']).toBe(String(pdf.length))
    expect(Buffer.compare(await res.body(), pdf)).toBe(0)
  })
  await api.dispose()
})

test('the compressed bytes decode to the plain body (checked with node:zlib)', async ({ baseURL }) => {
  // fetch from Node 22 sends its own Accept-Encoding and decodes; read raw bytes with node:http instead.
  const { request: httpRequest } = await import('node:http')
  const get = (coding: string) =>
    new Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
      const req = httpRequest(`${baseURL}${messagesUrl('zh-CN')}`, { headers: { 'accept-encoding': coding } }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }))
      })
      req.on('error', reject)
      req.end()
    })
  const plain = await get('identity')
  const br = await get('br')
  const gz = await get('gzip')
  expect(br.headers['content-encoding']).toBe('br')
  expect(gz.headers['content-encoding']).toBe('gzip')
  expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true)
  expect(gunzipSync(gz.body).equals(plain.body)).toBe(true)
  // The saving the issue asked for: the messages were sent uncompressed before.
  expect(br.body.length).toBeLessThan(plain.body.length / 2)
})
