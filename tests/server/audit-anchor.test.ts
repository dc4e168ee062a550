import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyAuditChain } from '../../server/services/audit'
import { verifyAuditAnchors, writeAuditAnchor } from '../../server/services/audit-anchor'
import { chainHash } from '../../server/rules/audit-chain'
import { testKeys } from '../../server/services/keys'
import { headSeq } from '../fixtures/audit'
import { rawExec, targets, useTestDatabase } from '../fixtures/db'
import { makeAccount, makeSchool } from '../fixtures/factories'

/**
 * Probe finding "audit tail truncation goes undetected": with write access to the database, drop the
 * trigger, delete the newest audit rows and rewrite `audit_head` → the chain alone still verifies.
 * The head anchored outside the database catches it, and catches a chain rebuilt with the audit key.
 */
const dir = mkdtempSync(join(tmpdir(), 'xq-anchor-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const key = testKeys().audit

describe.each(targets)('audit anchoring on $name', (target) => {
  const t = useTestDatabase(target)
  const file = join(dir, `${target.name}-anchors.log`)

  beforeAll(async () => {
    for (let i = 0; i < 3; i++) await makeSchool(t.db)
    await makeAccount(t.db, 'bureau')
  })

  async function dropTriggers() {
    for (const name of ['audit_event_no_update', 'audit_event_no_delete'])
      await rawExec(t.db, t.kind === 'postgres' ? `drop trigger if exists ${name} on audit_event` : `drop trigger if exists ${name}`)
  }

  it('nothing anchored yet: nothing to disagree with', async () => {
    expect(await verifyAuditAnchors(t.db, key, join(dir, 'none.log'))).toMatchObject({ ok: true, anchors: 0, latest: null })
  })

  it('an untouched chain agrees with its anchors, written as keyed lines', async () => {
    const a = await writeAuditAnchor(t.db, key, file, new Date('2026-03-01T16:00:00Z'))
    expect(a).toMatchObject({ seq: await headSeq(t.db) })
    await makeSchool(t.db)
    await writeAuditAnchor(t.db, key, file, new Date('2026-03-02T16:00:00Z'))
    await makeSchool(t.db)
    expect(await verifyAuditAnchors(t.db, key, file)).toMatchObject({ ok: true, anchors: 2, firstBreak: null })
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(2)
  })

  it('catches a deleted tail with a rewritten head, which the chain alone misses', async () => {
    const anchored = await verifyAuditAnchors(t.db, key, file)
    const anchoredSeq = anchored.latest!.seq
    await dropTriggers()
    // delete the newest rows down to below the last anchor, and make the head point at the new last row
    const keep = anchoredSeq - 2
    await sql`delete from audit_event where seq > ${keep}`.execute(t.db)
    const last = await t.db.selectFrom('audit_event').select(['seq', 'hash']).where('seq', '=', keep).executeTakeFirstOrThrow()
    await sql`update audit_head set seq = ${last.seq}, hash = ${last.hash} where id = 1`.execute(t.db)

    expect(await verifyAuditChain(t.db, key)).toMatchObject({ ok: true })
    expect(await verifyAuditAnchors(t.db, key, file)).toMatchObject({
      ok: false,
      firstBreak: { reason: 'anchor_truncated', seq: anchoredSeq, headSeq: keep },
    })
  })

  it('catches a chain rebuilt with the audit key (different rows, valid links)', async () => {
    const rows = await t.db.selectFrom('audit_event').selectAll().orderBy('seq').execute()
    const anchors = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { seq: number })
    // rewrite the first anchored row and re-chain everything after it, as an insider with the key could
    const victim = anchors[0]!.seq
    let prev = rows.find((r) => r.seq === victim - 1)?.hash ?? ''
    for (const r of rows.filter((x) => x.seq >= victim)) {
      const detail = r.seq === victim ? 'forged' : r.detail
      const hash = chainHash(key, prev, { ...r, detail })
      await sql`update audit_event set detail = ${detail}, prev_hash = ${prev}, hash = ${hash} where seq = ${r.seq}`.execute(t.db)
      prev = hash
    }
    await sql`update audit_head set hash = ${prev} where id = 1`.execute(t.db)
    expect(await verifyAuditChain(t.db, key)).toMatchObject({ ok: true })
    expect(await verifyAuditAnchors(t.db, key, file)).toMatchObject({ ok: false, firstBreak: { reason: 'anchor_mismatch', seq: victim } })
  })

  it('a made-up or edited anchor line is reported, not trusted', async () => {
    const forged = join(dir, `${target.name}-forged.log`)
    const good = readFileSync(file, 'utf8').trim().split('\n')[0]!
    writeFileSync(forged, `${good}\n${good.replace(/"seq":\d+/, '"seq":1')}\n`)
    expect(await verifyAuditAnchors(t.db, key, forged)).toMatchObject({ ok: false, firstBreak: { reason: 'anchor_invalid', line: 2 } })
  })

  it('never anchors a head that disagrees with its row', async () => {
    await sql`update audit_head set hash = ${'0'.repeat(64)} where id = 1`.execute(t.db)
    expect(await writeAuditAnchor(t.db, key, join(dir, `${target.name}-refused.log`), new Date())).toBeNull()
  })
})
