import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, UnknownRow } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_INDICATORS } from '../../shared/programme'
import { findSubmission, submissionsOf } from '../../server/repositories/programme'
import { createRound, roundsService, scoreSchool, submitSelfEvaluation } from '../../server/services/evaluation'
import type { ServiceContext } from '../../server/services/context'
import { Clock } from '../fixtures/caller'
import { targets, useTestDatabase } from '../fixtures/db'
import { makeSchool, makeStreet, makeYear } from '../fixtures/factories'
import { makeProgrammeUser, useUploadDir, type ProgrammeUser } from '../fixtures/programme'

/** Monday 2 March 2026, 09:00 in Shanghai: inside school year 2025-2026. */
const T0 = '2026-03-02T01:00:00.000Z'

/** Counts the statements a Kysely instance runs (results, not query nodes: a subquery is transformed too). */
class QueryCounter implements KyselyPlugin {
  count = 0
  transformQuery(args: PluginTransformQueryArgs) {
    return args.node
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    this.count++
    return args.result
  }
}

const sheet = (value: number) => Object.fromEntries(DEFAULT_INDICATORS.map((i) => [i.code, Math.min(value, i.maxScore)]))

describe.each(targets)('the evaluation round list on $name', (target) => {
  const t = useTestDatabase(target)
  const uploads = useUploadDir()
  const clock = new Clock(T0)
  let bureau: ProgrammeUser
  const admins: ProgrammeUser[] = []

  /** The list as `actor` sees it, and how many statements it took. */
  async function listed(user: ProgrammeUser) {
    const counter = new QueryCounter()
    const ctx: ServiceContext = { ...user.ctx, db: t.db.withPlugin(counter) }
    const rounds = await roundsService(ctx)
    return { rounds, queries: counter.count }
  }

  /** The list as the former round-by-round code built it: one or two lookups per round. */
  async function roundByRound(user: ProgrammeUser, rounds: Awaited<ReturnType<typeof roundsService>>) {
    const scope = user.actor.scope
    const out = []
    for (const r of rounds) {
      if (scope.kind === 'school') {
        const own = await findSubmission(t.db, r.id, scope.schoolId)
        out.push({
          id: r.id,
          submitted: null,
          scored: null,
          own: own ? { id: own.id, version: own.version, submittedAt: own.submitted_at, scoredAt: own.scored_at } : null,
        })
      } else {
        const subs = await submissionsOf(t.db, scope, r.id)
        out.push({
          id: r.id,
          submitted: subs.filter((s) => s.submitted_at).length,
          scored: subs.filter((s) => s.scored_at).length,
          own: null,
        })
      }
    }
    return out
  }

  const summary = (rounds: Awaited<ReturnType<typeof roundsService>>) =>
    rounds.map((r) => ({
      id: r.id,
      submitted: r.submitted,
      scored: r.scored,
      own: r.own ? { id: r.own.id, version: r.own.version, submittedAt: r.own.submittedAt, scoredAt: r.own.scoredAt } : null,
    }))

  beforeAll(async () => {
    const street = await makeStreet(t.db)
    bureau = await makeProgrammeUser(t.db, 'bureau', null, clock, uploads.path)
    for (let n = 0; n < 3; n++) {
      const school = await makeSchool(t.db, { streetId: street })
      admins.push(await makeProgrammeUser(t.db, 'school_admin', school.id, clock, uploads.path))
    }
  })

  it('takes one query for the bureau and for a school, whatever the number of rounds, with the same figures as round by round', async () => {
    const years: number[] = []
    for (let y = 2022; y <= 2025; y++) years.push(await makeYear(t.db, y, y === 2025))
    const seen: number[] = []
    let n = 0
    for (const schoolYearId of years) {
      for (const half of ['1', '2'] as const) {
        const { id } = await createRound(bureau.ctx, {
          title: `round ${++n}`,
          schoolYearId,
          half,
          opensOn: '2026-03-01',
          dueOn: '2026-06-30',
        })
        // a different pattern per round: some schools submit, some of those are scored
        for (const [i, admin] of admins.entries()) {
          if ((n + i) % 3 === 0) continue
          await submitSelfEvaluation(admin.ctx, { roundId: id, version: null, scores: sheet(5 + i), summary: null })
          if ((n + i) % 2 === 0)
            await scoreSchool(bureau.ctx, { roundId: id, schoolId: admin.actor.schoolId!, version: 1, scores: sheet(6), comment: null })
        }
        for (const user of [bureau, admins[0]!, admins[2]!]) {
          const { rounds, queries } = await listed(user)
          expect(rounds).toHaveLength(n)
          expect(queries).toBe(1)
          expect(summary(rounds)).toEqual(await roundByRound(user, rounds))
        }
        seen.push(n)
      }
    }
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
    const { rounds } = await listed(bureau)
    expect(rounds.map((r) => r.title)).toEqual(['round 8', 'round 7', 'round 6', 'round 5', 'round 4', 'round 3', 'round 2', 'round 1'])
    expect(rounds.some((r) => r.submitted! > 0 && r.scored! > 0 && r.scored! < r.submitted!)).toBe(true)
    const own = (await listed(admins[1]!)).rounds
    expect(own.some((r) => r.own == null)).toBe(true)
    expect(own.some((r) => r.own?.bureauScores != null && r.own.selfTotal != null)).toBe(true)
  })
})
