import { beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { verifyAuditChain } from '../../server/services/audit'
import { testKeys } from '../../server/services/keys'
import { callerFor, signIn } from '../fixtures/caller'
import { auditRows, headSeq } from '../fixtures/audit'
import { rawExec, targets, useTestDatabase } from '../fixtures/db'
import { makeAccount, makeSchool } from '../fixtures/factories'

describe.each(targets)('audit trail tampering on $name', (target) => {
  const t = useTestDatabase(target)
  let victimSeq: number

  beforeAll(async () => {
    for (let i = 0; i < 3; i++) await makeSchool(t.db)
    await makeAccount(t.db, 'bureau')
    victimSeq = Math.floor((await headSeq(t.db)) / 2)
  })

  it('verifies the untouched trail', async () => {
    expect(await verifyAuditChain(t.db, testKeys().audit)).toMatchObject({ ok: true, checked: await headSeq(t.db) })
  })

  it('verifies a trail longer than one page, page by page', async () => {
    const result = await verifyAuditChain(t.db, testKeys().audit, 3)
    expect(result).toMatchObject({ ok: true, checked: await headSeq(t.db) })
  })

  it('refuses updates and deletes of audit rows while the triggers stand', async () => {
    await expect(sql`update audit_event set detail = 'x' where seq = ${victimSeq}`.execute(t.db)).rejects.toThrow(/append-only/)
    await expect(sql`delete from audit_event where seq = ${victimSeq}`.execute(t.db)).rejects.toThrow(/append-only/)
    expect(await verifyAuditChain(t.db, testKeys().audit)).toMatchObject({ ok: true })
  })

  it('finds the row someone with raw database access rewrote', async () => {
    await rawExec(t.db, t.kind === 'postgres' ? 'drop trigger audit_event_no_update on audit_event' : 'drop trigger audit_event_no_update')
    await sql`update audit_event set detail = ${'role:admin'} where seq = ${victimSeq}`.execute(t.db)
    const result = await verifyAuditChain(t.db, testKeys().audit)
    expect(result).toEqual({ ok: false, checked: victimSeq - 1, firstBreak: { reason: 'hash_mismatch', seq: victimSeq } })
  })

  it('reports the break through audit.verify, and records that check in the trail', async () => {
    const admin = await makeAccount(t.db, 'admin')
    const caller = callerFor(t.db, (await signIn(t.db, admin.username, admin.password)).actor)
    const seq = await headSeq(t.db)
    await expect(caller.audit.verify()).resolves.toMatchObject({ ok: false, firstBreak: { reason: 'hash_mismatch', seq: victimSeq } })
    expect((await auditRows(t.db, seq)).map((r) => [r.action, r.outcome, r.detail])).toEqual([
      ['audit.verify', 'failed', `hash_mismatch:${victimSeq}`],
    ])
  })
})
