import type { Kysely } from 'kysely'

/**
 * The level history says what wrote each row (`opened`, `changed`, `crisis`, `reopened`) instead of
 * storing sentinel reasons ('opened', 'crisis event', 'reopened: …') that readers parsed back.
 * Existing rows keep `kind` null here: their reason is encrypted and a migration holds no key, so the
 * service layer converts them on start (server/services/risk-history.ts) and rewrites their reason to
 * the counsellor's own words.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('case_risk_change').addColumn('kind', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('case_risk_change').dropColumn('kind').execute()
}
