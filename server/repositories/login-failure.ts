import { PostgresAdapter, sql, type Kysely } from 'kysely'
import type { Database, LoginFailureTable } from '../../db/schema'

/** What a failure is counted against: the account name, a trusted device (id:username), the client address, or an unknown assessment code (by address). */
export type FailureKind = LoginFailureTable['kind']

export async function recentFailures(db: Kysely<Database>, kind: FailureKind, key: string, since: string): Promise<number[]> {
  const rows = await db
    .selectFrom('login_failure')
    .select('at')
    .where('kind', '=', kind)
    .where('key', '=', key)
    .where('at', '>', since)
    .orderBy('at', 'desc')
    .limit(100)
    .execute()
  return rows.map((r) => Date.parse(r.at))
}

export async function recordFailure(db: Kysely<Database>, kind: FailureKind, key: string, at: string): Promise<number> {
  const row = await db.insertInto('login_failure').values({ kind, key, at }).returning('id').executeTakeFirstOrThrow()
  return row.id
}

export async function deleteFailure(db: Kysely<Database>, id: number): Promise<void> {
  await db.deleteFrom('login_failure').where('id', '=', id).execute()
}

export async function clearFailures(db: Kysely<Database>, kind: FailureKind, key: string): Promise<void> {
  await db.deleteFrom('login_failure').where('kind', '=', kind).where('key', '=', key).execute()
}

/** Failures older than the window carry no information; pruned on each failed attempt. */
export async function pruneFailures(db: Kysely<Database>, before: string): Promise<void> {
  await db.deleteFrom('login_failure').where('at', '<', before).execute()
}

/** An arbitrary, fixed advisory-lock key for sign-in attempts. */
const LOGIN_ATTEMPT_LOCK = 7_301_113

/**
 * Serialises counting and recording sign-in attempts until the transaction ends. SQLite needs
 * nothing (transactions begin immediate, one writer at a time); PostgreSQL takes an advisory lock.
 */
export async function lockLoginAttempts(trx: Kysely<Database>): Promise<void> {
  if (trx.getExecutor().adapter instanceof PostgresAdapter) await sql`select pg_advisory_xact_lock(${LOGIN_ATTEMPT_LOCK})`.execute(trx)
}
