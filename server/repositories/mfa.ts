import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema'

export function findMfa(db: Kysely<Database>, accountId: number) {
  return db.selectFrom('account_mfa').selectAll().where('account_id', '=', accountId).executeTakeFirst()
}

/** Starts (or restarts) an unconfirmed enrolment with a new secret. */
export async function upsertPendingMfa(db: Kysely<Database>, accountId: number, secretEnc: string, at: string): Promise<void> {
  await db.deleteFrom('account_mfa').where('account_id', '=', accountId).where('enabled_at', 'is', null).execute()
  await db
    .insertInto('account_mfa')
    .values({ account_id: accountId, secret_enc: secretEnc, enabled_at: null, last_step: null, created_at: at, updated_at: at })
    .execute()
}

export async function enableMfa(db: Kysely<Database>, accountId: number, step: number, at: string): Promise<void> {
  await db.updateTable('account_mfa').set({ enabled_at: at, last_step: step, updated_at: at }).where('account_id', '=', accountId).execute()
}

/**
 * Records the step of an accepted code, only when it is later than the last one: two requests racing
 * with the same code cannot both pass (the second updates nothing). Returns whether this one won.
 */
export async function advanceStep(db: Kysely<Database>, accountId: number, step: number, at: string): Promise<boolean> {
  const r = await db
    .updateTable('account_mfa')
    .set({ last_step: step, updated_at: at })
    .where('account_id', '=', accountId)
    .where((eb) => eb.or([eb('last_step', 'is', null), eb('last_step', '<', step)]))
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export async function deleteMfa(db: Kysely<Database>, accountId: number): Promise<number> {
  await db.deleteFrom('mfa_recovery_code').where('account_id', '=', accountId).execute()
  const r = await db.deleteFrom('account_mfa').where('account_id', '=', accountId).executeTakeFirst()
  return Number(r.numDeletedRows)
}

export async function replaceRecoveryCodes(db: Kysely<Database>, accountId: number, hashes: readonly string[], at: string): Promise<void> {
  await db.deleteFrom('mfa_recovery_code').where('account_id', '=', accountId).execute()
  await db
    .insertInto('mfa_recovery_code')
    .values(hashes.map((code_hash) => ({ account_id: accountId, code_hash, created_at: at, used_at: null })))
    .execute()
}

/** Marks an unused recovery code used; false when there is none (wrong, or used already — also by a racing request). */
export async function useRecoveryCode(db: Kysely<Database>, accountId: number, hash: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('mfa_recovery_code')
    .set({ used_at: at })
    .where('account_id', '=', accountId)
    .where('code_hash', '=', hash)
    .where('used_at', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export async function unusedRecoveryCodes(db: Kysely<Database>, accountId: number): Promise<number> {
  const r = await db
    .selectFrom('mfa_recovery_code')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', accountId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow()
  return Number(r.n)
}

/** Accounts among `ids` with a confirmed second factor (for the accounts list). */
export async function enrolledAmong(db: Kysely<Database>, ids: readonly number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set()
  const rows = await db
    .selectFrom('account_mfa')
    .select('account_id')
    .where('account_id', 'in', [...ids])
    .where('enabled_at', 'is not', null)
    .execute()
  return new Set(rows.map((r) => r.account_id))
}
