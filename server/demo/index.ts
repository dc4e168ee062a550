import { randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { Database } from '../../db/schema'
import { ROLES } from '../../shared/roles'
import { createContextInner, SYSTEM_ACTOR } from '../services/context'
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
export async function seedIfEmpty(db: Kysely<Database>, keys: AppKeys): Promise<SeedReport> {
  const ctx = createContextInner({ db, keys, actor: SYSTEM_ACTOR, requestId: 'seed' })
  const existing = await db
    .selectFrom('account')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  if (Number(existing.n) > 0) {
    const demo = await db.selectFrom('app_meta').select('value').where('key', '=', 'demo_accounts').executeTakeFirst()
    return { seeded: 'none', announce: demo ? announceDemo(parseStored(storedDemoAccounts, demo.value, [], 'app_meta.demo_accounts')) : [] }
  }
  if (process.env.XINQIAO_DEMO === '0') {
    const password = process.env.XINQIAO_ADMIN_PASSWORD || `${randomBytes(9).toString('base64url')}-1a`
    await createAccount(ctx, { username: 'admin', displayName: 'Administrator', role: 'admin', schoolId: null, password })
    return {
      seeded: 'admin',
      announce: process.env.XINQIAO_ADMIN_PASSWORD
        ? ['[xinqiao] created account admin']
        : [`[xinqiao] created account admin with one-time password ${password} (change it at first sign-in)`],
    }
  }
  // One transaction: a start that dies half-way leaves nothing behind, and the next start seeds again.
  const result = await db.transaction().execute(async (trx) => {
    const generated = await generateDemoDistrict({ ...ctx, db: trx }, DEMO_SEED)
    await trx
      .insertInto('app_meta')
      .values([
        { key: 'demo_seed', value: String(DEMO_SEED) },
        { key: 'demo_accounts', value: JSON.stringify(generated.accounts) },
      ])
      .execute()
    return generated
  })
  return { seeded: 'demo', announce: announceDemo(result.accounts) }
}
