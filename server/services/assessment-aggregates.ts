import { DISTRICT_AUDIENCE } from '../../shared/disclosure'
import { INSTRUMENTS, type InstrumentId } from '../../shared/instruments'
import { findRoundInScope, roundBandCounts, roundParticipationBySchool, roundSchools, roundsInScope } from '../repositories/assessment'
import { roundState } from '../rules/assessment'
import { combine, publishedTable, tableSpec, type PublishedTable, type ReleaseConstraint, type TableSpec } from '../rules/disclosure'
import { appendAudit } from './audit'
import { ownsRound, roundInstruments } from './assessment'
import { requireActor, type ServiceContext } from './context'
import { release } from './disclosure'
import { notFound } from './errors'

const STATUS = ['answered', 'not_answered'] as const

type RoundRow = NonNullable<Awaited<ReturnType<typeof findRoundInScope>>>
type Scoped = 'all' | number[]

/** The audience a scope's figures are released to: the school itself, or the district (bureau). */
export function audienceOf(own: Scoped): string {
  return own === 'all' ? DISTRICT_AUDIENCE : `school:${own[0]}`
}

/**
 * One round's release as an audience sees it: participation by school, and each instrument's band
 * distribution by school, the band tables linked to the answered counts. The rounds list and the round's
 * results both publish exactly this release (same key, same entries), so the two together show nothing
 * either hides.
 */
export async function roundRelease(ctx: ServiceContext, round: RoundRow, own: Scoped) {
  const targeted = (await roundSchools(ctx.db, [round.id])).map((l) => l.school_id).filter((id) => own === 'all' || own.includes(id))
  const schools = targeted.length
    ? await ctx.db.selectFrom('school').select(['id', 'code', 'name', 'name_en']).where('id', 'in', targeted).orderBy('code').execute()
    : []
  const index = new Map(schools.map((s, i) => [s.id, i]))
  const [counts, bands] = await Promise.all([roundParticipationBySchool(ctx.db, round.id, own), roundBandCounts(ctx.db, round.id, own)])
  const participation = schools.map(() => [0, 0])
  for (const c of counts) {
    const i = index.get(c.school_id)
    if (i == null) continue
    const answered = Number(c.answered ?? 0)
    participation[i] = [answered, Number(c.invited) - answered]
  }
  const instruments = roundInstruments(round.instruments)
  const base = `assessment:${round.id}`
  const named = (prefix: string, axis: string, values: readonly string[]) => (i: number | null, j: number | null) =>
    [prefix, ...(i != null ? [`school:${schools[i]!.id}`] : []), ...(j != null ? [`${axis}:${values[j]}`] : [])].join('|')
  const participationTable: TableSpec = { name: 'participation', cells: participation, id: named(base, 'status', STATUS) }
  const bandTables = instruments.map((instrument) => {
    const keys = INSTRUMENTS[instrument].bands.map((b) => b.key)
    const cells = schools.map(() => keys.map(() => 0))
    for (const b of bands) {
      const i = index.get(b.school_id)
      const j = keys.indexOf(b.band)
      if (b.instrument === instrument && i != null && j >= 0) cells[i]![j]! += Number(b.n)
    }
    return { instrument, keys, table: { name: instrument, cells, id: named(`${base}|${instrument}`, 'band', keys) } satisfies TableSpec }
  })
  // Everyone who answered answered every instrument: each band table's school total is the answered count.
  const links: ReleaseConstraint[] = bandTables.flatMap(({ table }) =>
    schools.flatMap((_, i) =>
      table.cells[i]!.reduce((a, b) => a + b, 0) === participation[i]![0]
        ? [{ parts: [table.id(i, null)], total: participationTable.id!(i, 0) }]
        : [],
    ),
  )
  const released = await release(ctx, ctx.db, {
    audience: audienceOf(own),
    key: `assessment-round:${round.id}`,
    spec: combine(tableSpec(participationTable), ...bandTables.map((b) => tableSpec(b.table)), { entries: [], constraints: links }),
  })
  return { schools, participationTable, bandTables, released }
}

/**
 * A round's aggregates for the bureau (district rounds: every target school) and a school's admin and
 * counsellors (their own school): participation by school, and each instrument's band distribution by
 * school — one release through the disclosure module (`roundRelease`), so no small group's figure shows
 * or can be worked out, across the tables or against what this audience was shown before. Never an
 * individual, never who has not answered, never an alert.
 */
export async function roundAggregates(ctx: ServiceContext, input: { roundId: number }) {
  const actor = requireActor(ctx)
  const round = await findRoundInScope(ctx.db, actor.scope, input.roundId)
  if (!round) throw notFound()
  const own: Scoped = actor.scope.kind === 'school' ? [actor.scope.schoolId] : 'all'
  const { schools, participationTable, bandTables, released } = await roundRelease(ctx, round, own)
  const shape = (t: PublishedTable) => ({
    rows: schools.map((s, i) => ({
      schoolId: s.id,
      schoolCode: s.code,
      schoolName: s.name,
      schoolNameEn: s.name_en,
      cells: t.cells[i]!,
      total: t.rowTotals?.[i] ?? null,
    })),
    columnTotals: t.colTotals,
    total: t.total,
  })
  await appendAudit(ctx.db, ctx, {
    action: 'assessment.aggregates_read',
    outcome: 'ok',
    entityType: 'assessment_round',
    entityId: round.id,
  })
  return {
    roundId: round.id,
    name: round.name,
    threshold: released.decision.threshold,
    releasedAt: released.releasedAt,
    participation: { columns: [...STATUS], ...shape(publishedTable(released.decision, participationTable)) },
    instruments: bandTables.map(({ instrument, keys, table }) => ({
      instrument: instrument as InstrumentId,
      columns: keys,
      ...shape(publishedTable(released.decision, table)),
    })),
  }
}

/**
 * Rounds the actor's scope sees, with their state and how many answered of how many invited: counts
 * only, never who (no one but the teacher learns who has not answered), each taken from the round's one
 * release through the disclosure module (the same release as the round's results), hidden ('—') where
 * that release hides it.
 */
export async function listRounds(ctx: ServiceContext) {
  const actor = requireActor(ctx)
  const rounds = await roundsInScope(ctx.db, actor.scope)
  const ids = rounds.map((r) => r.id)
  const own = actor.scope.kind === 'school' ? [actor.scope.schoolId] : ('all' as const)
  const [links, nexts] = await Promise.all([
    roundSchools(ctx.db, ids),
    ids.length
      ? ctx.db.selectFrom('assessment_round').select(['id', 'previous_round_id']).where('previous_round_id', 'in', ids).execute()
      : [],
  ])
  const pendingCodes =
    actor.scope.kind === 'school' && ids.length
      ? await ctx.db
          .selectFrom('assessment_respondent')
          .select((eb) => ['round_id', eb.fn.countAll<number>().as('n')])
          .where('round_id', 'in', ids)
          .where('school_id', '=', actor.scope.schoolId)
          .where('code_hash', 'is', null)
          .groupBy('round_id')
          .execute()
      : []
  const figures = new Map<number, { answered: number | null; invited: number | null }>()
  for (const r of rounds) {
    const { participationTable, released } = await roundRelease(ctx, r, own)
    const shown = (i: null, j: number | null) => released.decision.published.get(participationTable.id!(i, j)) ?? null
    figures.set(r.id, { answered: shown(null, 0), invited: shown(null, null) })
  }
  const now = ctx.now()
  return rounds.map((r) => {
    return {
      id: r.id,
      name: r.name,
      respondentKind: r.respondent_kind,
      district: r.owner_school_id == null,
      instruments: roundInstruments(r.instruments),
      opensAt: r.opens_at,
      closesAt: r.closes_at,
      state: roundState({ opensAt: r.opens_at, closesAt: r.closes_at }, now),
      recurrence: r.recurrence,
      nextRoundId: nexts.find((n) => n.previous_round_id === r.id)?.id ?? null,
      canManage: ownsRound(actor, r),
      schools: links.filter((l) => l.round_id === r.id).length,
      participation: figures.get(r.id)!,
      withoutCode: Number(pendingCodes.find((p) => p.round_id === r.id)?.n ?? 0),
    }
  })
}
