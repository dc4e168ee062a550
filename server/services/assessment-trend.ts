import { DISTRICT_AUDIENCE } from '../../shared/disclosure'
import { INSTRUMENTS, type InstrumentId } from '../../shared/instruments'
import { roundSchools, roundsInScope, teacherTrendRows } from '../repositories/assessment'
import { roundState } from '../rules/assessment'
import { AGE_BANDS, type TrendDimension } from '../../shared/assessment-trend'
import { ageBand, participationRate } from '../rules/assessment-trend'
import { combine, tableSpec, type ReleaseConstraint, type ReleaseSpec, type TableSpec } from '../rules/disclosure'
import { roundInstruments } from './assessment'
import { appendAudit } from './audit'
import { requireActor, type ServiceContext } from './context'
import { release } from './disclosure'

const STATUS = ['answered', 'not_answered'] as const
/** How many past rounds the year-over-year view compares. */
const ROUNDS_SHOWN = 12

/** One spec from several, each entry once: tables counting the same population share their totals by id. */
function merged(...specs: ReleaseSpec[]): ReleaseSpec {
  const all = combine(...specs)
  const seen = new Set<string>()
  return { entries: all.entries.filter((e) => (seen.has(e.id) ? false : (seen.add(e.id), true))), constraints: all.constraints }
}

interface Group {
  key: string
  label: string
  labelEn: string | null
}

/**
 * Year over year, one instrument: each past round's participation and band distribution by school,
 * street, age band or sex, for the bureau (every school) or a school's admin and counsellors (their own).
 * One release through the disclosure module for all the rounds shown. Each round's figures by school
 * carry the very entry ids of that round's results (assessment-aggregates.ts), and every other breakdown
 * is tied to them — a street to the sum of its schools, every breakdown to the round's totals, each band
 * table's row to the answered count — so no hidden cell can be worked out from this view, the round's
 * results and the rounds list together. Never an individual, never an alert.
 */
export async function assessmentTrend(ctx: ServiceContext, input: { instrument: InstrumentId; dimension: TrendDimension }) {
  const actor = requireActor(ctx)
  const own = actor.scope.kind === 'school' ? [actor.scope.schoolId] : ('all' as const)
  const now = ctx.now()
  const rounds = (await roundsInScope(ctx.db, actor.scope))
    .filter(
      (r) =>
        r.respondent_kind === 'teacher' &&
        roundInstruments(r.instruments).includes(input.instrument) &&
        roundState({ opensAt: r.opens_at, closesAt: r.closes_at }, now) !== 'upcoming',
    )
    .sort((a, b) => a.opens_at.localeCompare(b.opens_at) || a.id - b.id)
    .slice(-ROUNDS_SHOWN)
  const ids = rounds.map((r) => r.id)
  const [links, rows] = await Promise.all([roundSchools(ctx.db, ids), teacherTrendRows(ctx.db, ids, own, input.instrument)])
  const targeted = [...new Set(links.map((l) => l.school_id).filter((id) => own === 'all' || own.includes(id)))]
  const schools = targeted.length
    ? await ctx.db
        .selectFrom('school')
        .innerJoin('street', 'street.id', 'school.street_id')
        .select([
          'school.id',
          'school.code',
          'school.name',
          'school.name_en',
          'school.street_id',
          'street.name_zh',
          'street.name_en as street_en',
        ])
        .where('school.id', 'in', targeted)
        .orderBy('school.code')
        .execute()
    : []
  const bands = INSTRUMENTS[input.instrument].bands.map((b) => b.key)
  const specs: ReleaseSpec[] = []
  const views: {
    round: (typeof rounds)[number]
    groups: Group[]
    participation: TableSpec
    bandTable: TableSpec
  }[] = []

  for (const r of rounds) {
    const base = `assessment:${r.id}`
    const mine = rows.filter((x) => x.round_id === r.id)
    const inRound = new Set(links.filter((l) => l.round_id === r.id).map((l) => l.school_id))
    const roundSchoolsShown = schools.filter((s) => inRound.has(s.id))
    const tables = (dim: string, groups: Group[], groupOf: (x: (typeof mine)[number]) => string) => {
      const index = new Map(groups.map((g, i) => [g.key, i]))
      const part = groups.map(() => [0, 0])
      const band = groups.map(() => bands.map(() => 0))
      for (const x of mine) {
        const i = index.get(groupOf(x))
        if (i == null) continue
        part[i]![x.submitted_at ? 0 : 1]! += 1
        const j = x.submitted_at && x.band ? bands.indexOf(x.band) : -1
        if (j >= 0) band[i]![j]! += 1
      }
      const id =
        (prefix: string, axis: string, values: readonly string[]) =>
        (i: number | null, j: number | null): string =>
          [prefix, ...(i != null ? [`${dim}:${groups[i]!.key}`] : []), ...(j != null ? [`${axis}:${values[j]}`] : [])].join('|')
      const participation: TableSpec = { name: `${r.id}-${dim}-p`, cells: part, id: id(base, 'status', STATUS) }
      const bandTable: TableSpec = { name: `${r.id}-${dim}-b`, cells: band, id: id(`${base}|${input.instrument}`, 'band', bands) }
      // Everyone who answered answered every instrument of the round: a group's band total is its answered count.
      const tie: ReleaseConstraint[] = groups.flatMap((_, i) =>
        band[i]!.reduce((a, b) => a + b, 0) === part[i]![0] ? [{ parts: [bandTable.id!(i, null)], total: participation.id!(i, 0) }] : [],
      )
      return { participation, bandTable, spec: combine(tableSpec(participation), tableSpec(bandTable), { entries: [], constraints: tie }) }
    }
    const bySchool = tables(
      'school',
      roundSchoolsShown.map((s) => ({ key: String(s.id), label: s.name, labelEn: s.name_en })),
      (x) => String(x.school_id),
    )
    specs.push(bySchool.spec)
    if (input.dimension === 'school') {
      views.push({
        round: r,
        groups: roundSchoolsShown.map((s) => ({ key: String(s.id), label: s.name, labelEn: s.name_en })),
        ...bySchool,
      })
      continue
    }
    const groups: Group[] =
      input.dimension === 'street'
        ? [
            ...new Map(
              roundSchoolsShown.map((s) => [s.street_id, { key: String(s.street_id), label: s.name_zh, labelEn: s.street_en }]),
            ).values(),
          ]
        : input.dimension === 'sex'
          ? [
              { key: 'F', label: '女', labelEn: 'Female' },
              { key: 'M', label: '男', labelEn: 'Male' },
            ]
          : AGE_BANDS.map((a) => ({ key: a, label: a, labelEn: a }))
    const groupOf = (x: (typeof mine)[number]) =>
      input.dimension === 'street' ? String(x.street_id) : input.dimension === 'sex' ? x.sex : ageBand(x.birth_year, r.opens_at)
    const byGroup = tables(input.dimension, groups, groupOf)
    specs.push(byGroup.spec)
    if (input.dimension === 'street') {
      // A street's figure is the sum of its schools' figures: tied, so neither can be subtracted from the other.
      const streetLinks: ReleaseConstraint[] = groups.flatMap((g, gi) => {
        const members = roundSchoolsShown.flatMap((s, si) => (String(s.street_id) === g.key ? [si] : []))
        const cols = (t: TableSpec, m: number) =>
          [...Array.from({ length: m }, (_, j) => j), null].map((j) => ({
            parts: members.map((si) => (t === byGroup.participation ? bySchool.participation : bySchool.bandTable).id!(si, j)),
            total: t.id!(gi, j),
          }))
        return [...cols(byGroup.participation, STATUS.length), ...cols(byGroup.bandTable, bands.length)]
      })
      specs.push({ entries: [], constraints: streetLinks })
    }
    views.push({ round: r, groups, participation: byGroup.participation, bandTable: byGroup.bandTable })
  }

  const released = await release(ctx, ctx.db, {
    audience: own === 'all' ? DISTRICT_AUDIENCE : `school:${own[0]}`,
    key: `assessment-trend:${input.instrument}:${input.dimension}`,
    spec: merged(...specs),
  })
  const get = (id: string) => released.decision.published.get(id) ?? null
  await appendAudit(ctx.db, ctx, {
    action: 'assessment.trend_read',
    outcome: 'ok',
    entityType: 'assessment_round',
    detail: `rows:${views.length}`,
  })
  return {
    instrument: input.instrument,
    dimension: input.dimension,
    bands,
    threshold: released.decision.threshold,
    rounds: views.map(({ round, groups, participation, bandTable }) => {
      const figure = (i: number | null) => {
        const answered = get(participation.id!(i, 0))
        const invited = get(participation.id!(i, null))
        return { answered, invited, rate: participationRate(answered, invited), bands: bands.map((_, j) => get(bandTable.id!(i, j))) }
      }
      return {
        roundId: round.id,
        name: round.name,
        opensAt: round.opens_at,
        total: figure(null),
        groups: groups.map((g, i) => ({ ...g, ...figure(i) })),
      }
    }),
  }
}
