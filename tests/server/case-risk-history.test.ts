import type { Kysely } from 'kysely'
import { Migrator } from 'kysely/migration'
import { describe, expect, it } from 'vitest'
import { migrateToLatest } from '../../db/migrate'
import { migrationProvider } from '../../db/migrations'
import { CP } from '../../server/services/case'
import { decryptText, encryptText } from '../../server/services/crypto'
import { testKeys } from '../../server/services/keys'
import { convertLegacyRiskHistory } from '../../server/services/risk-history'
import { Clock, HOUR } from '../fixtures/caller'
import { targets, useTestDatabase } from '../fixtures/db'
import { makeSchool } from '../fixtures/factories'
import { makeCase, makeCounsellor } from '../fixtures/cases'

const T0 = '2026-03-02T01:00:00.000Z'

/** case_risk_change as migration 0005 left it: no kind, the reason held sentinels. */
interface Schema0005 {
  case_risk_change: {
    case_id: number
    from_level: string | null
    to_level: string
    reason_enc: string
    changed_by: number
    changed_at: string
  }
}
const keys = testKeys()

describe.each(targets)('case level history on $name', (target) => {
  const t = useTestDatabase(target)

  it('shows a reason the counsellor typed as their own words, even when it reads like a system event', async () => {
    const me = await makeCounsellor(t.db, (await makeSchool(t.db)).id, new Clock(T0))
    const { caseId } = await makeCase(me, { riskLevel: 'watch' })
    await me.caller.case.changeRisk({ caseId, version: 1, level: 'high', reason: 'opened' })
    await me.caller.case.changeRisk({ caseId, version: 2, level: 'crisis', reason: 'crisis event' })
    const file = await me.caller.case.byId({ id: caseId })
    expect(file.risks.map((r) => [r.kind, r.reason])).toEqual([
      ['opened', null],
      ['changed', 'opened'],
      ['changed', 'crisis event'],
    ])
  })

  it("converts rows written before migration 0006: the kind from the sentinel, the reason back to the counsellor's words", async () => {
    const clock = new Clock(T0)
    const me = await makeCounsellor(t.db, (await makeSchool(t.db)).id, clock)
    const { caseId } = await makeCase(me, { riskLevel: 'watch' })
    const by = me.account.id

    // Back to the schema 0005 left, and the rows its services wrote (reasons as sentinels).
    const migrator = new Migrator({ db: t.db, provider: migrationProvider, migrationTableSchema: t.schema ?? undefined })
    const down = await migrator.migrateTo('0005_programme')
    expect(down.error).toBeUndefined()
    const old = t.db as unknown as Kysely<Schema0005>
    await old.deleteFrom('case_risk_change').where('case_id', '=', caseId).execute()
    const at = (h: number) => new Date(Date.parse(T0) + h * HOUR).toISOString()
    const legacy: [from: string | null, to: string, reason: string][] = [
      [null, 'watch', 'opened'],
      ['watch', 'high', 'opened'], // a counsellor who typed "opened" as a reason
      ['high', 'crisis', 'crisis event'],
      ['crisis', 'crisis', 'reopened: 期末压力复发'],
      ['crisis', 'high', '情况好转'],
    ]
    await old
      .insertInto('case_risk_change')
      .values(
        legacy.map(([from, to, reason], i) => ({
          case_id: caseId,
          from_level: from,
          to_level: to,
          reason_enc: encryptText(keys, CP.reason, reason),
          changed_by: by,
          changed_at: at(i),
        })),
      )
      .execute()

    await migrateToLatest(t.db)
    // Every row of the database lost its kind on the way down, not only this case's.
    const rows = await t.db
      .selectFrom('case_risk_change')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(await convertLegacyRiskHistory(t.db, keys)).toBe(Number(rows.n))
    expect(await convertLegacyRiskHistory(t.db, keys)).toBe(0)

    const file = await me.caller.case.byId({ id: caseId })
    expect(file.risks.map((r) => [r.kind, r.from, r.to, r.reason])).toEqual([
      ['opened', null, 'watch', null],
      ['changed', 'watch', 'high', 'opened'],
      ['crisis', 'high', 'crisis', null],
      ['reopened', 'crisis', 'crisis', '期末压力复发'],
      ['changed', 'crisis', 'high', '情况好转'],
    ])
    // What is stored is the counsellor's words only: nothing for system events.
    const stored = await t.db
      .selectFrom('case_risk_change')
      .select(['kind', 'reason_enc'])
      .where('case_id', '=', caseId)
      .orderBy('id')
      .execute()
    expect(stored.map((r) => [r.kind, decryptText(keys, CP.reason, r.reason_enc)])).toEqual([
      ['opened', ''],
      ['changed', 'opened'],
      ['crisis', ''],
      ['reopened', '期末压力复发'],
      ['changed', '情况好转'],
    ])
  })
})
