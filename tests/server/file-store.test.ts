import { PostgresAdapter } from 'kysely'
import { describe, expect, it, vi } from 'vitest'
import { databaseFileStore, fileStoreKind, localFileStore, newStorageKey } from '../../server/services/file-store'
import { addAttachment, openAttachment, removeAttachment } from '../../server/services/programme'
import { decryptBytes } from '../../server/services/crypto'
import { testKeys } from '../../server/services/keys'
import { seedIfEmpty } from '../../server/demo'
import { Clock } from '../fixtures/caller'
import { countRows, targets, useTestDatabase } from '../fixtures/db'
import { makeSchool, makeYear } from '../fixtures/factories'
import { eventInput, jpegBytes, makeProgrammeUser, pdfBytes, useUploadDir } from '../fixtures/programme'

/** Monday 2 March 2026, 09:00 in Shanghai: inside school year 2025-2026. */
const T0 = '2026-03-02T01:00:00.000Z'

describe('which file store a server uses', () => {
  it.each([
    [{}, 'sqlite', 'local'],
    [{}, 'postgres', 'database'],
    [{ XINQIAO_FILE_STORE: 'local' }, 'postgres', 'local'],
    [{ XINQIAO_FILE_STORE: 'database' }, 'sqlite', 'database'],
    [{ XINQIAO_FILE_STORE: 'database' }, 'postgres', 'database'],
  ] as const)('%o on %s → %s', (env, dialect, kind) => {
    // fileStoreKind only asks the handle which dialect it speaks
    const fake = { getExecutor: () => ({ adapter: dialect === 'postgres' ? new PostgresAdapter() : {} }) }
    expect(fileStoreKind(fake as never, env as NodeJS.ProcessEnv)).toBe(kind)
  })

  it('refuses an unknown store name rather than guessing', () => {
    const fake = { getExecutor: () => ({ adapter: {} }) }
    expect(() => fileStoreKind(fake as never, { XINQIAO_FILE_STORE: 's3' })).toThrow(/XINQIAO_FILE_STORE/)
  })
})

describe.each(targets)('the database file store on $name', (target) => {
  const t = useTestDatabase(target)
  const uploads = useUploadDir()
  const clock = new Clock(T0)

  it('keeps bytes under their key, never overwrites, reads back exactly, removes idempotently', async () => {
    const store = databaseFileStore(t.db)
    const key = newStorageKey('image/png')
    const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 31) % 256)
    await store.put(key, bytes)
    expect((await store.get(key)).equals(Buffer.from(bytes))).toBe(true)
    await expect(store.put(key, new Uint8Array([1, 2, 3]))).rejects.toThrow()
    expect((await store.get(key)).equals(Buffer.from(bytes))).toBe(true)
    await store.remove(key)
    await expect(store.get(key)).rejects.toThrow()
    await store.remove(key)
    expect(await countRows(t.db, 'stored_file')).toBe(0)
  })

  it('refuses a key that is not a random storage key, reading or writing', async () => {
    const store = databaseFileStore(t.db)
    for (const key of ['../keys.json', 'a.jpg', `${newStorageKey('image/png')}/x`, '']) {
      await expect(store.put(key, new Uint8Array([1]))).rejects.toThrow(/invalid storage key/)
      await expect(store.get(key)).rejects.toThrow(/invalid storage key/)
    }
    expect(await countRows(t.db, 'stored_file')).toBe(0)
  })

  it('serves evidence attachments to a second process: what one context stored, another reads; encrypted at rest; removal deletes the row', async () => {
    const year = await makeYear(t.db, 2025, true)
    const school = await makeSchool(t.db)
    // two "processes": two contexts on the same database, each with its own store object, and no shared folder
    const writer = await makeProgrammeUser(t.db, 'counsellor', school.id, clock, uploads.path)
    const reader = await makeProgrammeUser(t.db, 'school_admin', school.id, clock, `${uploads.path}/elsewhere`)
    const writerCtx = { ...writer.ctx, files: databaseFileStore(t.db) }
    const readerCtx = { ...reader.ctx, files: databaseFileStore(t.db) }
    const { id: eventId } = await writer.caller.programme.createEvent(eventInput(year))
    const photo = jpegBytes(5000)
    const saved = await addAttachment(writerCtx, { eventId, fileName: '活动照片.jpg', bytes: photo })
    const pdf = await addAttachment(writerCtx, { eventId, fileName: '签到表.pdf', bytes: pdfBytes(3000) })

    const opened = await openAttachment(readerCtx, saved.id)
    expect(Buffer.from(opened.bytes).equals(Buffer.from(photo))).toBe(true)
    expect(opened.fileName).toBe('活动照片.jpg')
    // nothing reached the local folder
    expect(await uploads.files()).toEqual([])

    const row = await t.db.selectFrom('programme_attachment').select('storage_key').where('id', '=', saved.id).executeTakeFirstOrThrow()
    const stored = await t.db.selectFrom('stored_file').selectAll().where('storage_key', '=', row.storage_key).executeTakeFirstOrThrow()
    const raw = Buffer.from(stored.bytes)
    expect(stored.size).toBe(raw.length)
    expect(raw.includes(Buffer.from(photo.subarray(0, 64)))).toBe(false)
    expect(decryptBytes(testKeys(), `programme.attachment:${row.storage_key}`, raw).equals(Buffer.from(photo))).toBe(true)

    await removeAttachment(readerCtx, saved.id)
    expect(await t.db.selectFrom('stored_file').select('storage_key').execute()).toHaveLength(1)
    await removeAttachment(writerCtx, pdf.id)
    expect(await countRows(t.db, 'stored_file')).toBe(0)
  })

  it('the local store is what tests and a single process use: the same contract', async () => {
    const store = localFileStore(uploads.path)
    const key = newStorageKey('application/pdf')
    await store.put(key, new Uint8Array([9, 8, 7]))
    await expect(store.put(key, new Uint8Array([1]))).rejects.toThrow()
    expect([...(await store.get(key))]).toEqual([9, 8, 7])
    await store.remove(key)
    await store.remove(key)
    await expect(store.get(key)).rejects.toThrow()
  })
})

describe.each(targets)('first start of several app processes at once on $name', (target) => {
  const t = useTestDatabase(target)

  it('seeds exactly once: the others find the first one’s accounts and seed nothing', async () => {
    vi.stubEnv('XINQIAO_DEMO', '0')
    vi.stubEnv('XINQIAO_ADMIN_PASSWORD', 'Concurrent-Start-2026')
    try {
      const reports = await Promise.all([0, 1, 2, 3].map(() => seedIfEmpty(t.db, testKeys())))
      expect(reports.map((r) => r.seeded).sort()).toEqual(['admin', 'none', 'none', 'none'])
      expect(await countRows(t.db, 'account')).toBe(1)
    } finally {
      vi.unstubAllEnvs()
    }
  })
})
