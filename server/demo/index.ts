import { randomBytes } from 'node:crypto'
import { sql, type Kysely } from 'kysely'
import { z } from 'zod'
import { isPostgres } from '../../db/migrations/helpers'
import type { Database } from '../../db/schema'
import { ROLES } from '../../shared/roles'
import { createContextInner, SYSTEM_ACTOR } from '../services/context'
import type { FileStore } from '../services/file-store'
import type { AppKeys } from '../services/keys'
import { createAccount } from '../services/account'
import { parseStored } from '../services/stored-json'
import { DEMO_PASSWORD, DEMO_SEED, generateDemoDistrict, type DemoAccount } from './demo'

export interface SeedReport {
  seeded: 'demo' | 'admin' | 'none'
  announce: string[]
}

/** app_meta `demo_accounts`: the accounts the demo seed created, announced again on every start */
const storedDemoAccounts = z.array(
  z.object({ username: z.string(), role: z.enum(ROLES), displayName: z.string(), school: z.string().nullable() }),
) satisfies z.ZodType<DemoAccount[]>

function announceDemo(accounts: DemoAccount[]): string[] {
  return [
    '[xinqiao] DEMO district: every street figure, school and account below is synthetic (合成演示数据).',
    `[xinqiao] demo accounts (password for all: ${DEMO_PASSWORD}):`,
    ...accounts.map((a) => `  ${a.username.padEnd(20)} ${a.role.padEnd(13)} ${a.school ?? ''}`),
  ]
}

/**
 * First start only: a demo district (default), or with XINQIAO_DEMO=0 a single admin account whose
 * password comes from XINQIAO_ADMIN_PASSWORD or is generated and printed once.
 */
export async function seedIfEmpty(db: Kysely<Database>, keys: AppKeys, files?: FileStore): Promise<SeedReport> {
  const ctx = createContextInner({ db, keys, files, actor: SYSTEM_ACTOR, requestId: 'seed' })
  if ((await accountCount(db)) > 0) return alreadySeeded(db)
  // One transaction: a start that dies half-way leaves nothing behind, and the next start seeds again.
  // Several app processes may start at once on one PostgreSQL database: the first to take the seed
  // lock seeds, the others find its accounts once it commits and seed nothing (SQLite transactions
  // begin immediate, so the same holds there).
  const result = await db.transaction().execute(async (trx) => {
    if (isPostgres(trx)) await sql`select pg_advisory_xact_lock(${SEED_LOCK})`.execute(trx)
    if ((await accountCount(trx)) > 0) return null
    const tctx = { ...ctx, db: trx }
    if (process.env.XINQIAO_DEMO === '0') {
      const password = process.env.XINQIAO_ADMIN_PASSWORD || `${randomBytes(9).toString('base64url')}-1a`
      await createAccount(tctx, { username: 'admin', displayName: 'Administrator', role: 'admin', schoolId: null, password })
      return { kind: 'admin' as const, password }
    }
    const generated = await generateDemoDistrict(tctx, DEMO_SEED)
    await trx
      .insertInto('app_meta')
      .values([
        { key: 'demo_seed', value: String(DEMO_SEED) },
        { key: 'demo_accounts', value: JSON.stringify(generated.accounts) },
      ])
      .execute()
    return { kind: 'demo' as const, accounts: generated.accounts }
  })
  if (!result) return alreadySeeded(db)
  if (result.kind === 'admin') {
    return {
      seeded: 'admin',
      announce: process.env.XINQIAO_ADMIN_PASSWORD
        ? ['[xinqiao] created account admin']
        : [`[xinqiao] created account admin with one-time password ${result.password} (change it at first sign-in)`],
    }
  }
  return { seeded: 'demo', announce: announceDemo(result.accounts) }
}

/** An arbitrary, fixed advisory-lock key for the first start's seed. */
const SEED_LOCK = 727_401

async function accountCount(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('account')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

async function alreadySeeded(db: Kysely<Database>): Promise<SeedReport> {
  const demo = await db.selectFrom('app_meta').select('value').where('key', '=', 'demo_accounts').executeTakeFirst()
  return { seeded: 'none', announce: demo ? announceDemo(parseStored(storedDemoAccounts, demo.value, [], 'app_meta.demo_accounts')) : [] }
}
