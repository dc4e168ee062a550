import { createHash } from 'node:crypto'
import { TRPCError } from '@trpc/server'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { can, PUBLIC } from '../../shared/permissions'
import { ROLES, type Role } from '../../shared/roles'
import type { Actor } from '../../server/services/context'
import type { Meta } from '../../server/trpc/init'
import { appRouter } from '../../server/trpc/routers'
import { signIn } from '../fixtures/caller'
import { snapshotTables, targets, useTestDatabase } from '../fixtures/db'
import { makeAccountPerRole, makeSchool, makeYear } from '../fixtures/factories'
import { arbitraryFor } from '../fixtures/fuzz'
import { programmeCaller, useUploadDir } from '../fixtures/programme'

/**
 * Every procedure's input through fast-check (issue 16): arbitrary inputs shaped like its zod schema,
 * called as a role that may call it. Never an internal error (a 500), and a refused call writes nothing
 * (checked against a full snapshot for the first calls of each procedure). `FUZZ_RUNS` raises the number
 * of runs (`npm run fuzz` runs 10,000 per procedure on both databases); a failure prints fast-check's
 * seed and the shrunk input.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 200)
const CHECKED_WRITES = 5
const FUZZ_TARGETS = process.env.FUZZ_RUNS ? targets : targets.filter((t) => t.name === 'sqlite')

interface Proc {
  path: string
  permission: string
  input: z.ZodType | undefined
}
const procedures: Proc[] = Object.entries(appRouter._def.procedures)
  .map(([path, p]) => {
    const def = (p as unknown as { _def: { meta?: Meta; inputs: z.ZodType[] } })._def
    return { path, permission: def.meta?.permission ?? 'none', input: def.inputs[0] }
  })
  // sign-out and account changes last: they may end the sessions the other procedures run under
  .sort((a, b) => Number(/^(auth|account)\./.test(a.path)) - Number(/^(auth|account)\./.test(b.path)))

const callPath = (caller: object, path: string, input: unknown): Promise<unknown> => {
  const fn = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller)
  return (fn as (i: unknown) => Promise<unknown>)(input)
}
const seedOf = (path: string) =>
  createHash('sha256')
    .update(`${process.env.FUZZ_SEED ?? 'xinqiao'}:${path}`)
    .digest()
    .readInt32LE(0)
/** Tables a refused call may legitimately touch: its audit row, a failed sign-in. */
const MAY_WRITE_ON_REFUSAL = new Set(['audit_event', 'audit_head', 'login_failure'])

describe.each(FUZZ_TARGETS)('fuzzing every procedure on $name', (target) => {
  const t = useTestDatabase(target)
  const uploads = useUploadDir()
  const actors = {} as Record<Role, Actor>

  beforeAll(async () => {
    await makeYear(t.db, 2025, true)
    const accounts = await makeAccountPerRole(t.db)
    await makeSchool(t.db)
    for (const role of ROLES) actors[role] = (await signIn(t.db, accounts[role].username, accounts[role].password)).actor
  })

  it.each(procedures)(
    '$path: never an internal error, and a refused call writes nothing',
    async ({ path, permission, input }) => {
      const role = ROLES.find((r) => permission !== PUBLIC && can(r, permission as never))
      const caller = programmeCaller(t.db, role ? actors[role] : null, { uploadDir: uploads.path })
      let checked = 0
      await fc.assert(
        fc.asyncProperty(arbitraryFor(input), async (value) => {
          const check = checked < CHECKED_WRITES
          const before = check ? await snapshotTables(t.db) : null
          try {
            await callPath(caller, path, value)
          } catch (error) {
            if (!(error instanceof TRPCError)) throw new Error(`${path}: not a TRPCError: ${String(error)}`, { cause: error })
            if (error.code === 'INTERNAL_SERVER_ERROR')
              throw new Error(`${path}: internal error for ${JSON.stringify(value)?.slice(0, 300)}: ${error.message}`, { cause: error })
            if (before) {
              checked++
              const after = await snapshotTables(t.db)
              const changed = Object.keys(after).filter(
                (k) =>
                  !MAY_WRITE_ON_REFUSAL.has(k) &&
                  JSON.stringify(after[k as keyof typeof after]) !== JSON.stringify(before[k as keyof typeof before]),
              )
              if (changed.length)
                throw new Error(`${path}: a refused call (${error.code}) wrote to ${changed.join(', ')}`, { cause: error })
            }
          }
        }),
        { numRuns: RUNS, seed: seedOf(path), endOnFailure: true },
      )
      expect(true).toBe(true)
    },
    600_000,
  )
})
