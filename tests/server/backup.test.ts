import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase, type DbHandle } from '../../db/client'
import { migrateToLatest } from '../../db/migrate'
import type { Database } from '../../db/schema'
import type { Kysely } from 'kysely'
import { backupDatabase, backupKeyFrom, openBackup, restoreDatabase } from '../../server/ops/backup'
import { verifyAuditChain } from '../../server/services/audit'
import { testKeys } from '../../server/services/keys'
import { makeCase, makeCounsellor, marker } from '../fixtures/cases'
import { snapshotTables, targets } from '../fixtures/db'
import { makeSchool } from '../fixtures/factories'

const work = mkdtempSync(join(tmpdir(), 'xinqiao-backup-test-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))
const key = randomBytes(32)

async function admin(url: string, text: string) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(text)
  } finally {
    await client.end()
  }
}

/** A database with real content written through the services: schools, a counsellor, cases with encrypted text, audit rows. */
async function fill(db: Kysely<Database>) {
  const school = await makeSchool(db)
  const counsellor = await makeCounsellor(db, school.id)
  const name = marker('backup')
  for (let i = 0; i < 3; i++) await makeCase(counsellor, { riskLevel: 'watch' }, { name: `${name}-${i}` })
  return name
}

describe.each(targets)('backup and restore drill on $name', (target) => {
  const handles: DbHandle[] = []
  afterAll(async () => {
    for (const h of handles) await h.close()
  })

  it('restores a backup to identical rows, a clean integrity check and an intact audit chain; the file holds no plain text', async () => {
    const id = randomBytes(4).toString('hex')
    const out = join(work, `${target.name}-${id}.xqbak`)
    let sourceUrl: string
    let schema: string | null = null
    let targetUrl: string
    if (target.name === 'sqlite') {
      sourceUrl = join(work, `source-${id}.sqlite`)
      targetUrl = join(work, `restored-${id}.sqlite`)
    } else {
      schema = `bk_${id}`
      await admin(target.url, `create schema ${schema}`)
      sourceUrl = target.url
      targetUrl = target.url.replace(/\/[^/]*$/, `/xq_restore_${id}`)
      await admin(target.url, `create database xq_restore_${id}`)
    }
    try {
      const source = openDatabase({ url: sourceUrl, pgSchema: schema ?? undefined })
      handles.push(source)
      await migrateToLatest(source.db)
      const name = await fill(source.db)
      const before = await snapshotTables(source.db)

      const header = await backupDatabase({ url: sourceUrl, pgSchema: schema, key, outFile: out })
      expect(header.kind).toBe(target.name === 'sqlite' ? 'sqlite' : 'postgres')
      const sealed = readFileSync(out)
      // encrypted and compressed: neither the marker nor a table name is readable in the file
      expect(sealed.includes(Buffer.from(name))).toBe(false)
      expect(sealed.includes(Buffer.from('student_case'))).toBe(false)

      const result = await restoreDatabase({ inFile: out, key, url: targetUrl })
      expect(result.integrity).toBe('ok')
      const restored = openDatabase({ url: targetUrl, pgSchema: schema ?? undefined })
      handles.push(restored)
      expect(await snapshotTables(restored.db)).toEqual(before)
      expect((await verifyAuditChain(restored.db, testKeys().audit)).ok).toBe(true)
      const migrations = async (db: Kysely<Database>) =>
        (
          await (db as unknown as Kysely<{ kysely_migration: { name: string } }>)
            .selectFrom('kysely_migration')
            .select('name')
            .orderBy('name')
            .execute()
        ).map((r) => r.name)
      expect(await migrations(restored.db)).toEqual(await migrations(source.db))
    } finally {
      if (schema) {
        for (const h of handles.splice(0)) await h.close()
        await admin(target.url, `drop schema if exists ${schema} cascade`)
        await admin(target.url, `drop database if exists xq_restore_${id}`)
      }
    }
  }, 120_000)
})

describe('backup files refuse what they should', () => {
  it('opens with its key only, fails on any changed byte, and never restores over an existing file without --force', async () => {
    const src = join(work, 'refuse.sqlite')
    const h = openDatabase({ url: src })
    await migrateToLatest(h.db)
    await fill(h.db)
    await h.close()
    const out = join(work, 'refuse.xqbak')
    await backupDatabase({ url: src, key, outFile: out })
    const file = readFileSync(out)
    expect(() => openBackup(file, randomBytes(32))).toThrow(/wrong key|changed/)
    const tampered = Buffer.from(file)
    tampered[tampered.length - 10]! ^= 0x01
    expect(() => openBackup(tampered, key)).toThrow(/wrong key|changed/)
    // a changed header (the time) fails too: it is authenticated with the contents
    const text = file.toString('latin1').replace(/"createdAt":"(\d{4})/, (m, y: string) => m.replace(y, String(Number(y) - 1)))
    expect(() => openBackup(Buffer.from(text, 'latin1'), key)).toThrow(/wrong key|changed/)
    const dest = join(work, 'exists.sqlite')
    writeFileSync(dest, 'keep me')
    await expect(restoreDatabase({ inFile: out, key, url: dest })).rejects.toThrow(/exists/)
    expect(readFileSync(dest, 'utf8')).toBe('keep me')
    const wrongTarget = join(work, 'never.sqlite')
    await expect(restoreDatabase({ inFile: out, key: randomBytes(32), url: wrongTarget })).rejects.toThrow()
    expect(existsSync(wrongTarget)).toBe(false)
  })

  it.each([
    { name: 'no key at all', env: {}, error: /XINQIAO_BACKUP_KEY/ },
    { name: 'a short key', env: { XINQIAO_BACKUP_KEY: 'abcd' }, error: /32 bytes/ },
  ])('refuses to run with $name', ({ env, error }) => {
    expect(() => backupKeyFrom({ env })).toThrow(error)
  })

  it('reads a 32-byte key in hex or base64', () => {
    const k = randomBytes(32)
    expect(backupKeyFrom({ env: { XINQIAO_BACKUP_KEY: k.toString('hex') } })).toEqual(k)
    expect(backupKeyFrom({ env: { XINQIAO_BACKUP_KEY: k.toString('base64') } })).toEqual(k)
  })
})
