import { beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_CONSENT } from '../../shared/assessment'
import { INSTRUMENTS } from '../../shared/instruments'
import { callerFor, Clock, expectRefusal, HOUR, type Caller } from '../fixtures/caller'
import { makeSignedIn } from '../fixtures/cases'
import { targets, useTestDatabase } from '../fixtures/db'
import { makeSchool, unique } from '../fixtures/factories'

type SignedIn = Awaited<ReturnType<typeof makeSignedIn>>
const DAY = 24 * HOUR
const phq = (item9: number, rest: number) => ({
  phq9: Object.fromEntries(INSTRUMENTS.phq9.items.map((i) => [i.key, i.key === 'phq9_9' ? item9 : rest])),
})

describe.each(targets)('year-over-year assessment aggregates on $name', (target) => {
  const t = useTestDatabase(target)
  const clock = new Clock('2025-03-03T01:00:00.000Z')
  let big: number
  let small: number
  let bureau: SignedIn
  let adminBig: SignedIn
  let adminSmall: SignedIn
  let expert: SignedIn
  const rounds: number[] = []
  const publicCaller = (): Caller => callerFor(t.db, null, { now: clock.now, ip: '10.20.0.1' })

  beforeAll(async () => {
    big = (await makeSchool(t.db)).id
    const street = (await t.db.selectFrom('school').select('street_id').where('id', '=', big).executeTakeFirstOrThrow()).street_id
    small = (await makeSchool(t.db, { streetId: street })).id
    bureau = await makeSignedIn(t.db, 'bureau', null, clock)
    adminBig = await makeSignedIn(t.db, 'school_admin', big, clock)
    adminSmall = await makeSignedIn(t.db, 'school_admin', small, clock)
    expert = await makeSignedIn(t.db, 'expert', null, clock)
    await makeSignedIn(t.db, 'counsellor', big, clock)
    await makeSignedIn(t.db, 'counsellor', small, clock)
    for (let i = 0; i < 16; i++)
      await adminBig.caller.teacher.create({ staffNo: unique('B'), name: `大校${i}`, sex: i % 3 ? 'F' : 'M', birthYear: 1970 + i * 2 })
    for (let i = 0; i < 3; i++)
      await adminSmall.caller.teacher.create({ staffNo: unique('S'), name: `小校${i}`, sex: 'M', birthYear: 1990 })
    // Two yearly district rounds, a year apart; most of the big school answers, two of the small one.
    for (const [year, answeredBig] of [
      [2025, 12],
      [2026, 16],
    ] as const) {
      clock.t = Date.parse(`${year}-03-03T01:00:00.000Z`)
      const round = await bureau.caller.assessment.openRound({
        name: `${year} 教师心理评估`,
        opensAt: new Date(clock.t - HOUR).toISOString(),
        closesAt: new Date(clock.t + 14 * DAY).toISOString(),
        instruments: ['phq9'],
        schoolIds: [big, small],
        consentZh: DEFAULT_CONSENT['zh-CN'],
        consentEn: DEFAULT_CONSENT.en,
        recurrence: 'none',
      })
      rounds.push(round.id)
      const bigSlips = (await adminBig.caller.assessment.issueCodes({ roundId: round.id })).slips
      const smallSlips = (await adminSmall.caller.assessment.issueCodes({ roundId: round.id })).slips
      for (const [i, s] of bigSlips.slice(0, answeredBig).entries())
        await publicCaller().respond.submit({ code: s.code, answers: phq(0, i % 4 === 0 ? 2 : 0), contactMe: false })
      for (const s of smallSlips.slice(0, 2)) await publicCaller().respond.submit({ code: s.code, answers: phq(1, 1), contactMe: false })
    }
    clock.t = Date.parse('2026-06-01T01:00:00.000Z')
  })

  const small1to9 = (v: number | null) => v != null && v > 0 && v < 10
  const figures = (g: { answered: number | null; invited: number | null; bands: (number | null)[] }) => [g.answered, g.invited, ...g.bands]

  it('shows each round by school with small groups hidden, the same figures as the round’s results', async () => {
    const trend = await bureau.caller.assessment.trend({ instrument: 'phq9', dimension: 'school' })
    const mine = trend.rounds.filter((r) => rounds.includes(r.roundId))
    expect(mine.map((r) => r.name)).toEqual(['2025 教师心理评估', '2026 教师心理评估'])
    for (const r of mine) {
      for (const g of r.groups) expect(figures(g).filter(small1to9)).toEqual([])
      const s = r.groups.find((g) => g.key === String(small))!
      expect(s.answered).toBeNull()
      const agg = await bureau.caller.assessment.aggregates({ roundId: r.roundId })
      for (const row of agg.participation.rows) {
        const g = r.groups.find((x) => x.key === String(row.schoolId))!
        if (g.answered != null && row.cells[0] != null) expect(g.answered).toBe(row.cells[0])
      }
    }
    // a rate shows only where both its figures show
    for (const g of mine.flatMap((r) => r.groups))
      expect(g.rate).toBe(g.answered != null && g.invited != null && g.invited > 0 ? Math.round((g.answered / g.invited) * 100) : null)
  })

  it('never lets a street’s figure and its schools’ figures give away a small school', async () => {
    const byStreet = await bureau.caller.assessment.trend({ instrument: 'phq9', dimension: 'street' })
    const bySchool = await bureau.caller.assessment.trend({ instrument: 'phq9', dimension: 'school' })
    for (const id of rounds) {
      const street = byStreet.rounds.find((r) => r.roundId === id)!.groups[0]!
      const schools = bySchool.rounds.find((r) => r.roundId === id)!.groups
      const b = schools.find((g) => g.key === String(big))!
      for (const v of figures(street)) expect(small1to9(v)).toBe(false)
      // the small school's answered = street − big school: never both shown
      expect(street.answered != null && b.answered != null).toBe(false)
      expect(street.invited != null && b.invited != null).toBe(false)
      street.bands.forEach((v, j) => expect(v != null && b.bands[j] != null && v - b.bands[j]! > 0 && v - b.bands[j]! < 10).toBe(false))
    }
  })

  it('breaks down by sex and age band with no small figure, and keeps each breakdown tied to the round’s totals', async () => {
    for (const dimension of ['sex', 'ageBand'] as const) {
      const trend = await bureau.caller.assessment.trend({ instrument: 'phq9', dimension })
      for (const r of trend.rounds.filter((x) => rounds.includes(x.roundId))) {
        for (const g of r.groups) expect(figures(g).filter(small1to9)).toEqual([])
        const shown = r.groups.map((g) => g.answered)
        // if every group and the total were shown they must add up; otherwise at least two are hidden (none recoverable)
        const hidden = shown.filter((v) => v == null).length + (r.total.answered == null ? 1 : 0)
        if (hidden === 0) expect(shown.reduce<number>((a, b) => a + b!, 0)).toBe(r.total.answered)
        else expect(hidden).toBeGreaterThanOrEqual(2)
      }
    }
  })

  it('gives a school its own school only, and nothing to an expert', async () => {
    const own = await adminBig.caller.assessment.trend({ instrument: 'phq9', dimension: 'school' })
    expect(new Set(own.rounds.flatMap((r) => r.groups.map((g) => g.key)))).toEqual(new Set([String(big)]))
    const sex = await adminSmall.caller.assessment.trend({ instrument: 'phq9', dimension: 'sex' })
    for (const r of sex.rounds) for (const g of r.groups) expect(figures(g).filter(small1to9)).toEqual([])
    await expectRefusal(expert.caller.assessment.trend({ instrument: 'phq9', dimension: 'school' }), 'FORBIDDEN', 'forbidden')
    expect(JSON.stringify(own)).not.toMatch(/大校|alert|phq9_9/)
  })
})
