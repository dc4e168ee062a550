import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { sql } from 'kysely'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../db/client'
import { migrateToLatest } from '../../db/migrate'
import { appendAudit } from '../../server/services/audit'
import { writeAuditAnchor } from '../../server/services/audit-anchor'
import { SYSTEM_ACTOR } from '../../server/services/context'
import { loadKeys, testKeys } from '../../server/services/keys'
import { headSeq } from '../fixtures/audit'
import { callerFor, signIn } from '../fixtures/caller'
import { rawExec, targets, useTestDatabase } from '../fixtures/db'
import { makeAccount, makeSchool } from '../fixtures/factories'

const dir = mkdtempSync(join(tmpdir(), 'xq-verify-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/**
 * The audit log page's "verify integrity" checks the chain against the anchors kept outside the
 * database too, as `npm run audit:verify` does: a deleted tail with a rewritten head passes the walk
 * of the chain but not the anchors.
 */
describe.each(targets)('in-app audit verification against the anchors on $name', (target) => {
  const t = useTestDatabase(target)
  const file = join(dir, `${target.name}-anchors.log`)
  const saved = process.env.XINQIAO_AUDIT_ANCHOR_FILE
  beforeAll(() => {
    process.env.XINQIAO_AUDIT_ANCHOR_FILE = file
  })
  afterEach(() => {
    process.env.XINQIAO_AUDIT_ANCHOR_FILE = file
  })
  afterAll(() => {
    process.env.XINQIAO_AUDIT_ANCHOR_FILE = saved
  })

  it('reports the anchors it checked, and then a truncated tail the chain alone misses', async () => {
    const admin = await makeAccount(t.db, 'admin')
    const { actor } = await signIn(t.db, admin.username, admin.password)
    const caller = callerFor(t.db, actor)
    for (let i = 0; i < 3; i++) await makeSchool(t.db)
    const anchor = await writeAuditAnchor(t.db, testKeys().audit, file, new Date())
    await expect(caller.audit.verify()).resolves.toMatchObject({
      ok: true,
      firstBreak: null,
      anchors: 1,
      latestAnchor: { seq: anchor!.seq },
    })

    for (const name of ['audit_event_no_update', 'audit_event_no_delete'])
      await rawExec(t.db, t.kind === 'postgres' ? `drop trigger if exists ${name} on audit_event` : `drop trigger if exists ${name}`)
    const keep = anchor!.seq - 2
    await sql`delete from audit_event where seq > ${keep}`.execute(t.db)
    const last = await t.db.selectFrom('audit_event').select(['seq', 'hash']).where('seq', '=', keep).executeTakeFirstOrThrow()
    await sql`update audit_head set seq = ${last.seq}, hash = ${last.hash} where id = 1`.execute(t.db)

    const verdict = await caller.audit.verify()
    expect(verdict).toMatchObject({ ok: false, firstBreak: { reason: 'anchor_truncated', seq: anchor!.seq } })
    const row = await t.db
      .selectFrom('audit_event')
      .selectAll()
      .where('seq', '=', await headSeq(t.db))
      .executeTakeFirstOrThrow()
    expect(row).toMatchObject({ action: 'audit.verify', outcome: 'failed', detail: `anchor_truncated:${anchor!.seq}` })
  })
})

const run = promisify(execFile)

/** `npm test` runs `audit:verify` (the script) against a database and its anchor file: intact, then truncated. */
describe('npm run audit:verify against the anchor', () => {
  it('exits 0 on an intact anchored chain and 1 once the tail is cut and the head rewritten', async () => {
    const data = mkdtempSync(join(dir, 'data-'))
    const dbFile = join(data, 'xinqiao.sqlite')
    const anchors = join(data, 'anchors.log')
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      XINQIAO_DATA_DIR: data,
      DATABASE_URL: dbFile,
      XINQIAO_AUDIT_ANCHOR_FILE: anchors,
      NODE_ENV: 'test',
    }
    delete env.XINQIAO_AUDIT_KEY
    delete env.XINQIAO_DATA_KEY
    delete env.XINQIAO_KEY_FILE
    const keys = loadKeys(data, env)
    const handle = openDatabase({ url: dbFile })
    const ctx = { keys, actor: SYSTEM_ACTOR, requestId: 'audit-verify-test', now: () => new Date() }
    const anchoredSeq = await (async () => {
      try {
        await migrateToLatest(handle.db)
        for (let i = 0; i < 4; i++) await appendAudit(handle.db, ctx, { action: 'audit.verify', outcome: 'ok', detail: `checked:${i}` })
        return (await writeAuditAnchor(handle.db, keys.audit, anchors, new Date()))!.seq
      } finally {
        await handle.close()
      }
    })()
    const verify = () =>
      run('npx', ['tsx', 'scripts/audit-verify.ts'], { env, cwd: process.cwd() }).then(
        (r) => ({ code: 0, out: r.stdout + r.stderr }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
      )
    const intact = await verify()
    expect(intact).toMatchObject({ code: 0 })
    expect(intact.out).toContain(`agrees with 1 anchors`)

    const tamper = openDatabase({ url: dbFile })
    try {
      await rawExec(tamper.db, 'drop trigger if exists audit_event_no_delete')
      await sql`delete from audit_event where seq > ${anchoredSeq - 2}`.execute(tamper.db)
      const last = await tamper.db
        .selectFrom('audit_event')
        .select(['seq', 'hash'])
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirstOrThrow()
      await sql`update audit_head set seq = ${last.seq}, hash = ${last.hash} where id = 1`.execute(tamper.db)
    } finally {
      await tamper.close()
    }
    const cut = await verify()
    expect(cut.code).toBe(1)
    expect(cut.out).toContain('audit chain intact')
    expect(cut.out).toContain('DISAGREES with its anchors (anchor_truncated)')
  }, 120_000)
})
