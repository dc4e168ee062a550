import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema'

export async function recentFailures(db: Kysely<Database>, kind: 'account' | 'ip', key: string, since: string): Promise<number[]> {
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

export async function recordFailure(db: Kysely<Database>, kind: 'account' | 'ip', key: string, at: string): Promise<void> {
  await db.insertInto('login_failure').values({ kind, key, at }).execute()
}

export async function clearFailures(db: Kysely<Database>, kind: 'account' | 'ip', key: string): Promise<void> {
  await db.deleteFrom('login_failure').where('kind', '=', kind).where('key', '=', key).execute()
}

/** Failures older than the window carry no information; pruned on each failed attempt. */
export async function pruneFailures(db: Kysely<Database>, before: string): Promise<void> {
  await db.deleteFrom('login_failure').where('at', '<', before).execute()
}
