import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createApp, createRouter, toNodeListener } from 'h3'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { AppRuntime } from '../../server/runtime'
import { ATTACHMENT_MAX_BYTES } from '../../shared/programme'
import { SESSION_COOKIE } from '../../server/services/auth'
import { testKeys } from '../../server/services/keys'
import { decryptText } from '../../server/services/crypto'
import uploadRoute from '../../server/api/uploads/index.post'
import downloadRoute from '../../server/api/uploads/[id].get'
import { auditRows, headSeq } from '../fixtures/audit'
import { Clock, signIn } from '../fixtures/caller'
import { snapshotTables, targets, useTestDatabase } from '../fixtures/db'
import { makeAccount, makeSchool, makeYear } from '../fixtures/factories'
import { eventInput, jpegBytes, makeProgrammeUser, pngBytes, textBytes, useUploadDir } from '../fixtures/programme'

/**
 * The two plain HTTP routes for attachments, through h3 on a real local socket. The routes build
 * their context from the process runtime; here the runtime is the test database with test keys.
 */
const runtime = vi.hoisted(() => ({ current: null as unknown }))
vi.mock('../../server/runtime', () => ({ useRuntime: () => Promise.resolve(runtime.current) }))

const T0 = '2026-03-02T01:00:00.000Z'
const CSRF = { 'x-xinqiao-csrf': '1' }

describe.each(targets)('attachment upload and download routes on $name', (target) => {
  const t = useTestDatabase(target)
  const uploads = useUploadDir()
  const clock = new Clock(T0)
  let server: Server
  let base: string
  let eventId: number
  let schoolId: number
  const cookie: Record<'admin' | 'counsellor' | 'stranger' | 'bureau', string> = {} as never

  beforeAll(async () => {
    runtime.current = { handle: { db: t.db, kind: t.kind, close: async () => {} }, keys: testKeys(), seed: {} } as unknown as AppRuntime
    vi.stubEnv('XINQIAO_UPLOAD_DIR', uploads.path)
    // The routes run on the real clock, and a past school year is read-only: use the year we are in.
    const now = new Date(Date.now() + 8 * 3600_000)
    const start = now.getUTCMonth() >= 8 ? now.getUTCFullYear() : now.getUTCFullYear() - 1
    const year = await makeYear(t.db, start, true)
    clock.t = Date.now()
    const school = await makeSchool(t.db)
    schoolId = school.id
    const other = await makeSchool(t.db)
    const admin = await makeProgrammeUser(t.db, 'school_admin', school.id, clock, uploads.path)
    eventId = (await admin.caller.programme.createEvent(eventInput(year, { heldOn: `${start}-09-01` }))).id
    const session = async (role: 'school_admin' | 'counsellor' | 'bureau', sid: number | null) => {
      const account = await makeAccount(t.db, role, { schoolId: sid })
      return `${SESSION_COOKIE}=${(await signIn(t.db, account.username, account.password)).token}`
    }
    cookie.admin = await session('school_admin', school.id)
    cookie.counsellor = await session('counsellor', school.id)
    cookie.stranger = await session('counsellor', other.id)
    cookie.bureau = await session('bureau', null)

    const app = createApp()
    const router = createRouter()
    router.post('/api/uploads', uploadRoute)
    router.get('/api/uploads/:id', downloadRoute)
    app.use(router)
    server = createServer(toNodeListener(app))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })

  afterAll(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
    vi.unstubAllEnvs()
  })

  function form(fields: { eventId?: number | string; file?: { bytes: Uint8Array; name: string; type?: string } }): FormData {
    const f = new FormData()
    if (fields.eventId !== undefined) f.append('eventId', String(fields.eventId))
    if (fields.file)
      f.append(
        'file',
        new Blob([Buffer.from(fields.file.bytes)], { type: fields.file.type ?? 'application/octet-stream' }),
        fields.file.name,
      )
    return f
  }

  const upload = (body: BodyInit, headers: Record<string, string> = {}) => fetch(`${base}/api/uploads`, { method: 'POST', body, headers })
  const download = (id: number | string, headers: Record<string, string> = {}) => fetch(`${base}/api/uploads/${id}`, { headers })
  const rows = () => t.db.selectFrom('programme_attachment').selectAll().where('event_id', '=', eventId).orderBy('id').execute()

  it('refuses an upload without the CSRF header (403), without a session (401), from another school (404), or too large by Content-Length (413), writing nothing', async () => {
    const good = () => form({ eventId, file: { bytes: jpegBytes(), name: 'a.jpg', type: 'image/jpeg' } })
    const before = await snapshotTables(t.db)
    const filesBefore = await uploads.files()

    let res = await upload(good(), { cookie: cookie.admin })
    expect([res.status, await res.json()]).toEqual([403, { error: { code: 'FORBIDDEN', data: { appCode: 'csrf' } } }])
    res = await upload(good(), { ...CSRF, cookie: cookie.admin, origin: 'https://evil.example' })
    expect(res.status).toBe(403)
    res = await upload(good(), { ...CSRF, cookie: cookie.admin, 'sec-fetch-site': 'cross-site' })
    expect(res.status).toBe(403)
    res = await fetch(`${base}/api/uploads`, { method: 'GET', headers: { ...CSRF, cookie: cookie.admin } })
    expect(res.status).not.toBe(201)

    res = await upload(good(), CSRF)
    expect([res.status, (await res.json()).error.data.appCode]).toEqual([401, 'unauthenticated'])
    res = await upload(good(), { ...CSRF, cookie: `${SESSION_COOKIE}=not-a-session` })
    expect(res.status).toBe(401)

    res = await upload(good(), { ...CSRF, cookie: cookie.stranger })
    expect([res.status, (await res.json()).error.data.appCode]).toEqual([404, 'notFound'])

    res = await upload(new Uint8Array(ATTACHMENT_MAX_BYTES + 64 * 1024 + 1), {
      ...CSRF,
      cookie: cookie.admin,
      'content-type': 'multipart/form-data; boundary=x',
    })
    expect([res.status, (await res.json()).error.data.appCode]).toEqual([413, 'attachment.tooLarge'])

    expect((await snapshotTables(t.db)).programme_attachment).toEqual(before.programme_attachment)
    expect(await uploads.files()).toEqual(filesBefore)
  })

  it('refuses the bureau, bad parts and files that are not photos or PDFs', async () => {
    const filesBefore = await uploads.files()
    let res = await upload(form({ eventId, file: { bytes: jpegBytes(), name: 'a.jpg' } }), { ...CSRF, cookie: cookie.bureau })
    expect([res.status, (await res.json()).error.data.appCode]).toEqual([403, 'forbidden'])
    res = await upload(form({ file: { bytes: jpegBytes(), name: 'a.jpg' } }), { ...CSRF, cookie: cookie.admin })
    expect([res.status, (await res.json()).error.data.appCode]).toEqual([400, 'validation'])
    res = await upload(form({ eventId: 'abc', file: { bytes: jpegBytes(), name: 'a.jpg' } }), { ...CSRF, cookie: cookie.admin })
    expect(res.status).toBe(400)
    res = await upload(form({ eventId }), { ...CSRF, cookie: cookie.admin })
    expect(res.status).toBe(400)
    res = await upload(form({ eventId, file: { bytes: textBytes(), name: 'photo.jpg', type: 'image/jpeg' } }), {
      ...CSRF,
      cookie: cookie.counsellor,
    })
    expect([res.status, (await res.json()).error.data.appCode]).toEqual([400, 'attachment.unsupportedType'])
    expect(await rows()).toEqual([])
    expect(await uploads.files()).toEqual(filesBefore)
  })

  it('stores a good upload (201) and serves the same bytes back as an inert file to the school and the bureau, and to no one else', async () => {
    const bytes = pngBytes(4096)
    const seq = await headSeq(t.db)
    let res = await upload(form({ eventId, file: { bytes, name: '签到表.pdf', type: 'application/pdf' } }), {
      ...CSRF,
      cookie: cookie.counsellor,
    })
    expect(res.status).toBe(201)
    const saved = (await res.json()) as { id: number; mimeType: string; sizeBytes: number }
    expect(saved).toMatchObject({ mimeType: 'image/png', sizeBytes: 4096 })
    expect(
      (await rows()).map((r) => [
        r.id,
        decryptText(testKeys(), `programme.attachment.name:${r.storage_key}`, r.file_name),
        r.file_ext,
        r.mime_type,
        r.school_id,
      ]),
    ).toEqual([[saved.id, '签到表.pdf', 'png', 'image/png', schoolId]])
    expect((await auditRows(t.db, seq)).map((r) => [r.action, r.entity_id])).toEqual([['programme.attachment_add', String(saved.id)]])

    for (const who of ['admin', 'counsellor', 'bureau'] as const) {
      res = await download(saved.id, { cookie: cookie[who] })
      expect(res.status, who).toBe(200)
      expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(bytes)), who).toBe(true)
      expect(res.headers.get('content-type')).toBe('image/png')
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      expect(res.headers.get('content-security-policy')).toContain('sandbox')
      expect(res.headers.get('cache-control')).toBe('private, no-store')
      // the name the bytes deserve: a PNG named .pdf downloads as .png
      expect(res.headers.get('content-disposition')).toBe(`inline; filename*=UTF-8''${encodeURIComponent('签到表.png')}`)
    }
    const reads = (await auditRows(t.db, seq)).filter((r) => r.action === 'programme.attachment_read')
    expect(reads).toHaveLength(3)

    res = await download(saved.id, { cookie: cookie.stranger })
    expect([res.status, (await res.json()).error.data.appCode]).toEqual([404, 'notFound'])
    res = await download(saved.id)
    expect(res.status).toBe(401)
    res = await download(saved.id, { cookie: cookie.admin, 'sec-fetch-site': 'cross-site' })
    expect(res.status).toBe(403)
    res = await download('abc', { cookie: cookie.admin })
    expect(res.status).toBe(404)
    res = await download(999_999, { cookie: cookie.admin })
    expect(res.status).toBe(404)
  })
})
