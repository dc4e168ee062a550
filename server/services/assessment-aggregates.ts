import { DISTRICT_AUDIENCE } from '../../shared/disclosure'
import { INSTRUMENTS, type InstrumentId } from '../../shared/instruments'
import { findRoundInScope, roundBandCounts, roundParticipationBySchool, roundSchools } from '../repositories/assessment'
import { combine, publishedTable, tableSpec, type PublishedTable, type ReleaseConstraint, type TableSpec } from '../rules/disclosure'
import { appendAudit } from './audit'
import { roundInstruments } from './assessment'
import { requireActor, type ServiceContext } from './context'
import { release } from './disclosure'
import { notFound } from './errors'

const STATUS = ['answered', 'not_answered'] as const

/**
 * A round's aggregates for the bureau (district rounds: every target school) and a school's admin and
 * counsellors (their own school): participation by school, and each instrument's band distribution by
 * school — one release through the disclosure module, the band tables linked to the answered counts, so
 * no small group's figure shows or can be worked out, across the tables or against what this audience
 * was shown before. Never an individual, never who has not answered, never an alert.
 */
export async function roundAggregates(ctx: ServiceContext, input: { roundId: number }) {
  const actor = requireActor(ctx)
  const round = await findRoundInScope(ctx.db, actor.scope, input.roundId)
  if (!round) throw notFound()
  const own = actor.scope.kind === 'school' ? [actor.scope.schoolId] : 'all'
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
    audience: actor.scope.kind === 'school' ? `school:${actor.scope.schoolId}` : DISTRICT_AUDIENCE,
    key: `assessment-round:${round.id}`,
    spec: combine(tableSpec(participationTable), ...bandTables.map((b) => tableSpec(b.table)), { entries: [], constraints: links }),
  })
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
