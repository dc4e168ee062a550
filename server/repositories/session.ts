import type { CompiledQuery, Insertable, Kysely } from 'kysely'
import type { Database, SessionTable } from '../../db/schema'

export async function insertSession(db: Kysely<Database>, values: Insertable<SessionTable>): Promise<number> {
  const row = await db.insertInto('session').values(values).returning('id').executeTakeFirstOrThrow()
  return row.id
}

function sessionWithAccountQuery(db: Kysely<Database>, tokenHash: string) {
  return db
    .selectFrom('session')
    .innerJoin('account', 'account.id', 'session.account_id')
    .select([
      'session.id as session_id',
      'session.created_at',
      'session.last_seen_at',
      'session.expires_at',
      'session.revoked_at',
      'session.pending_factor',
      'account.id as account_id',
      'account.username',
      'account.display_name',
      'account.role',
      'account.school_id',
      'account.disabled_at',
      'account.must_change_password',
    ])
    .where('session.token_hash', '=', tokenHash)
}

type SessionWithAccount = Awaited<ReturnType<ReturnType<typeof sessionWithAccountQuery>['executeTakeFirst']>>

// Compiled once per database: this lookup runs on every authenticated request, and building and
// compiling the query cost more than running it (~66 µs of ~165 µs, measured).
const compiledLookups = new WeakMap<Kysely<Database>, CompiledQuery<NonNullable<SessionWithAccount>>>()

/** The session with its account, in one indexed lookup per request. */
export async function findSessionWithAccount(db: Kysely<Database>, tokenHash: string): Promise<SessionWithAccount> {
  let compiled = compiledLookups.get(db)
  if (!compiled) {
    compiled = sessionWithAccountQuery(db, '').compile()
    compiledLookups.set(db, compiled)
  }
  const result = await db.executeQuery<NonNullable<SessionWithAccount>>({ ...compiled, parameters: [tokenHash] })
  return result.rows[0]
}

export async function touchSession(db: Kysely<Database>, id: number, at: string): Promise<void> {
  await db.updateTable('session').set({ last_seen_at: at }).where('id', '=', id).execute()
}

export async function revokeSession(db: Kysely<Database>, id: number, at: string, reason: string): Promise<void> {
  await db
    .updateTable('session')
    .set({ revoked_at: at, revoked_reason: reason })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute()
}

/** Revokes every open session of an account, except `keepId` when given. Returns how many. */
export async function revokeAccountSessions(
  db: Kysely<Database>,
  accountId: number,
  at: string,
  reason: string,
  keepId?: number,
): Promise<number> {
  let q = db
    .updateTable('session')
    .set({ revoked_at: at, revoked_reason: reason })
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
  if (keepId != null) q = q.where('id', '!=', keepId)
  const r = await q.executeTakeFirst()
  return Number(r.numUpdatedRows)
}

export function listOpenSessions(db: Kysely<Database>, accountId: number, notExpiredAfter: string) {
  return db
    .selectFrom('session')
    .select(['id', 'created_at', 'last_seen_at', 'expires_at', 'ip', 'user_agent'])
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', notExpiredAfter)
    .orderBy('last_seen_at', 'desc')
    .execute()
}

/** The password was right and the second factor now is too: the waiting session becomes a full one, under a new token. */
export async function completeSession(
  db: Kysely<Database>,
  id: number,
  values: { token_hash: string; last_seen_at: string; expires_at: string },
): Promise<boolean> {
  const r = await db
    .updateTable('session')
    .set({ ...values, pending_factor: null })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .where('pending_factor', 'is not', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}
