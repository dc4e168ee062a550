import type { AccountRow, AccountTable, Database } from '../../db/schema'
import type { AccountListInput } from '../../shared/schemas'
import { containsPattern, likeInsensitive } from './text-match'
import type { Insertable, Kysely, Updateable } from 'kysely'

export function findAccountByUsername(db: Kysely<Database>, username: string): Promise<AccountRow | undefined> {
  return db.selectFrom('account').selectAll().where('username', '=', username).executeTakeFirst()
}

export function findAccountById(db: Kysely<Database>, id: number): Promise<AccountRow | undefined> {
  return db.selectFrom('account').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function insertAccount(db: Kysely<Database>, values: Insertable<AccountTable>): Promise<number> {
  const row = await db.insertInto('account').values(values).returning('id').executeTakeFirstOrThrow()
  return row.id
}

/** Optimistic update: returns false when the version moved on (someone else saved first). */
export async function updateAccount(
  db: Kysely<Database>,
  id: number,
  expectedVersion: number | null,
  values: Updateable<AccountTable>,
): Promise<boolean> {
  let q = db
    .updateTable('account')
    .set((eb) => ({ ...values, version: eb('version', '+', 1) }))
    .where('id', '=', id)
  if (expectedVersion != null) q = q.where('version', '=', expectedVersion)
  const r = await q.executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** Records a sign-in. Not an edit of the account: the version stays, so an open edit form still saves. */
export async function recordSignIn(db: Kysely<Database>, id: number, at: string): Promise<void> {
  await db.updateTable('account').set({ last_login_at: at }).where('id', '=', id).execute()
}

export async function listAccounts(db: Kysely<Database>, input: AccountListInput) {
  let q = db.selectFrom('account').leftJoin('school', 'school.id', 'account.school_id')
  if (input.search) {
    const pattern = containsPattern(input.search)
    q = q.where((eb) =>
      eb.or([likeInsensitive(eb.ref('account.username'), pattern), likeInsensitive(eb.ref('account.display_name'), pattern)]),
    )
  }
  if (input.role) q = q.where('account.role', '=', input.role)
  if (input.schoolId) q = q.where('account.school_id', '=', input.schoolId)
  if (input.status === 'active') q = q.where('account.disabled_at', 'is', null)
  if (input.status === 'disabled') q = q.where('account.disabled_at', 'is not', null)
  const { total } = await q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow()
  const rows = await q
    .select([
      'account.id',
      'account.username',
      'account.display_name',
      'account.role',
      'account.school_id',
      'account.disabled_at',
      'account.last_login_at',
      'account.must_change_password',
      'account.created_at',
      'account.version',
      'school.name as school_name',
    ])
    .orderBy('account.username')
    .limit(input.pageSize)
    .offset((input.page - 1) * input.pageSize)
    .execute()
  return { total: Number(total), rows }
}
