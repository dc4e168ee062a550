import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema'
import { legacyRiskChanges, setLegacyRiskChange } from '../repositories/case'
import { legacyRiskEntry } from '../rules/risk'
import { CP } from './case'
import { withTransaction } from './context'
import { decryptText, encryptText } from './crypto'
import type { AppKeys } from './keys'

/**
 * Gives level-history rows written before migration 0006 their `kind` and rewrites their reason to
 * the counsellor's own words. It needs the data key, which migrations never hold, so it runs on start
 * right after migrating; a database without such rows costs one query that finds nothing.
 * Returns how many rows were converted. A row that cannot be decrypted is left as it was and reported
 * without its content.
 */
export async function convertLegacyRiskHistory(db: Kysely<Database>, keys: AppKeys): Promise<number> {
  const rows = await legacyRiskChanges(db)
  if (!rows.length) return 0
  let converted = 0
  await withTransaction(db, async (trx) => {
    for (const row of rows) {
      let stored: string
      try {
        stored = decryptText(keys, CP.reason, row.reason_enc)
      } catch {
        console.warn(`[xinqiao] case_risk_change ${row.id}: the reason cannot be decrypted; left unconverted`)
        continue
      }
      const { kind, reason } = legacyRiskEntry(row.from_level, row.to_level, stored)
      await setLegacyRiskChange(trx, row.id, { kind, reason_enc: encryptText(keys, CP.reason, reason ?? '') })
      converted++
    }
  })
  return converted
}
