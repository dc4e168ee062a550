import type { Insertable, Kysely } from 'kysely'
import type { Database, DisclosureReleaseTable } from '../../db/schema'

/** The latest release of one key to one audience. */
export function latestRelease(db: Kysely<Database>, audience: string, key: string) {
  return db
    .selectFrom('disclosure_release')
    .selectAll()
    .where('audience', '=', audience)
    .where('release_key', '=', key)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
}

/** The latest release to one audience, whatever its key: it carries everything the audience was shown. */
export function latestOfAudience(db: Kysely<Database>, audience: string) {
  return db
    .selectFrom('disclosure_release')
    .select(['id', 'known'])
    .where('audience', '=', audience)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
}

export async function insertRelease(db: Kysely<Database>, row: Insertable<DisclosureReleaseTable>): Promise<number> {
  const r = await db.insertInto('disclosure_release').values(row).returning('id').executeTakeFirstOrThrow()
  return r.id
}

/** The latest releases, newest first (the ledger as the bureau reviews it). */
export function recentReleases(db: Kysely<Database>, limit: number) {
  return db
    .selectFrom('disclosure_release')
    .leftJoin('account', 'account.id', 'disclosure_release.released_by')
    .select([
      'disclosure_release.id',
      'disclosure_release.audience',
      'disclosure_release.release_key',
      'disclosure_release.threshold',
      'disclosure_release.entries',
      'disclosure_release.hidden',
      'disclosure_release.released_at',
      'account.display_name as released_by_name',
    ])
    .orderBy('disclosure_release.id', 'desc')
    .limit(limit)
    .execute()
}
