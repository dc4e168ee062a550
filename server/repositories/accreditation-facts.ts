import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema'

/** The school's most recently scored supervision (督导评估) sheet with its round's indicator list. */
export function latestSupervision(db: Kysely<Database>, schoolId: number) {
  return db
    .selectFrom('evaluation_submission as s')
    .innerJoin('evaluation_round as r', 'r.id', 's.round_id')
    .select(['r.title', 'r.indicators', 's.bureau_total', 's.scored_at'])
    .where('s.school_id', '=', schoolId)
    .where('s.bureau_total', 'is not', null)
    .orderBy('s.scored_at', 'desc')
    .limit(1)
    .executeTakeFirst()
}
