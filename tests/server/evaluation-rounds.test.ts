import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { AuditEventRow } from '../../db/schema'
import { DEFAULT_INDICATORS, DEFAULT_PROGRAMME_RULES, PROGRAMME_ITEMS, type Indicator } from '../../shared/programme'
import type { RoundCreateInput } from '../../shared/programme-schemas'
import type { SchoolType } from '../../shared/roles'
import { auditRows, headSeq } from '../fixtures/audit'
import { Clock, expectRefusal, type Caller } from '../fixtures/caller'
import { marker } from '../fixtures/cases'
import { snapshotTables, targets, useTestDatabase } from '../fixtures/db'
import { makeSchool, makeStreet, makeYear } from '../fixtures/factories'
import {
  drillInput,
  eventInput,
  eventWithFiles,
  makeProgrammeUser,
  programmeCaller,
  useUploadDir,
  type ProgrammeUser,
} from '../fixtures/programme'

/** Monday 2 March 2026, 09:00 in Shanghai: inside school year 2025-2026. */
const T0 = '2026-03-02T01:00:00.000Z'

/** A score sheet over `indicators` from scores in their order. */
const sheet = (values: readonly number[], indicators: readonly Indicator[] = DEFAULT_INDICATORS): Record<string, number> =>
  Object.fromEntries(indicators.map((i, n) => [i.code, values[n]!]))
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0)
const avg1 = (xs: readonly number[]) => (xs.length ? Math.round((sum(xs) / xs.length) * 10) / 10 : null)
const pct = (part: number, whole: number) => (whole > 0 ? Math.round((part * 1000) / whole) / 10 : null)
/** ≥ 90 % excellent, ≥ 80 % good, ≥ 60 % pass, else improve (of the round's maximum). */
const band = (total: number, max: number) =>
  total * 100 >= 90 * max ? 'excellent' : total * 100 >= 80 * max ? 'good' : total * 100 >= 60 * max ? 'pass' : 'improve'

const CUSTOM: Indicator[] = [
  { code: 'X1', nameZh: '队伍与制度', nameEn: 'Team and policies', maxScore: 20 },
  { code: 'X2', nameZh: '活动与成效', nameEn: 'Activities and results', maxScore: 30 },
]

interface EvalSchool {
  key: string
  id: number
  streetId: number
  admin: ProgrammeUser
  counsellor: ProgrammeUser
}

describe.each(targets)('supervision evaluation rounds on $name', (target) => {
  const t = useTestDatabase(target)
  const uploads = useUploadDir()
  const clock = new Clock(T0)
  const years: Record<number, number> = {}
  let s1: number
  let s2: number
  let bureau: ProgrammeUser
  const schools: Record<'P' | 'Q' | 'R' | 'S', EvalSchool> = {} as never

  const at = (user: ProgrammeUser, iso: string): Caller =>
    programmeCaller(t.db, user.actor, { now: () => new Date(iso), uploadDir: uploads.path })

  function round(start: number, half: '1' | '2', over: Partial<RoundCreateInput> = {}): RoundCreateInput {
    return {
      title: `${start}-${start + 1} 第${half}学期督导评估`,
      schoolYearId: years[start]!,
      half,
      opensOn: '2026-03-01',
      dueOn: '2026-06-30',
      ...over,
    }
  }

  async function audited(fn: () => Promise<unknown>): Promise<AuditEventRow[]> {
    const seq = await headSeq(t.db)
    await fn()
    return auditRows(t.db, seq)
  }

  const setIndicators = (indicators: Indicator[]) => bureau.caller.programme.updateSettings({ rules: DEFAULT_PROGRAMME_RULES, indicators })

  beforeAll(async () => {
    for (let y = 2020; y <= 2026; y++) years[y] = await makeYear(t.db, y, y === 2025)
    s1 = await makeStreet(t.db)
    s2 = await makeStreet(t.db)
    bureau = await makeProgrammeUser(t.db, 'bureau', null, clock, uploads.path)
    const specs: [keyof typeof schools, number, SchoolType][] = [
      ['P', s1, 'primary'],
      ['Q', s1, 'junior'],
      ['R', s2, 'primary'],
      ['S', s2, 'senior'],
    ]
    for (const [key, streetId, type] of specs) {
      const s = await makeSchool(t.db, { streetId, type, name: `${key} 学校`, code: `E-${key}-${t.kind}` })
      schools[key] = {
        key,
        id: s.id,
        streetId,
        admin: await makeProgrammeUser(t.db, 'school_admin', s.id, clock, uploads.path),
        counsellor: await makeProgrammeUser(t.db, 'counsellor', s.id, clock, uploads.path),
      }
    }
    // some programme evidence this year, so the report's completion figures are not all alike
    await eventWithFiles(schools.P.counsellor, eventInput(years[2025]!))
    await eventWithFiles(schools.P.counsellor, drillInput(years[2025]!, { problemsFound: '报告不及时' }))
    await eventWithFiles(schools.Q.admin, drillInput(years[2025]!))
    await schools.R.admin.caller.programme.addChannel({
      schoolYearId: years[2025]!,
      kind: 'hotline',
      name: '热线',
      address: '12355',
      launchedOn: null,
    })
  })

  afterEach(async () => {
    await setIndicators(DEFAULT_INDICATORS)
  })

  it('lets the bureau open a round per year and half with the district’s indicators, once', async () => {
    let id = 0
    const rows = await audited(async () => {
      id = (await bureau.caller.evaluation.createRound(round(2024, '1', { opensOn: '2024-09-01', dueOn: '2025-01-31' }))).id
    })
    expect(rows.map((r) => [r.action, r.outcome, r.entity_type, r.entity_id, r.detail])).toEqual([
      ['evaluation.round_create', 'ok', 'evaluation_round', String(id), `year:${years[2024]},half:1`],
    ])
    const detail = await bureau.caller.evaluation.round({ roundId: id })
    expect(detail.round).toMatchObject({
      id,
      schoolYearId: years[2024],
      yearLabel: '2024-2025',
      half: '1',
      opensOn: '2024-09-01',
      dueOn: '2025-01-31',
      status: 'open',
      closedAt: null,
      version: 1,
      indicators: DEFAULT_INDICATORS,
      maxTotal: 100,
    })
    expect(detail.schools.map((s) => [s.school.id, s.submission])).toEqual(Object.values(schools).map((s) => [s.id, null]))

    const before = await snapshotTables(t.db)
    await expectRefusal(
      bureau.caller.evaluation.createRound(round(2024, '1', { title: '重复', opensOn: '2024-10-01', dueOn: '2024-12-31' })),
      'CONFLICT',
      'evaluation.roundExists',
    )
    await expectRefusal(
      bureau.caller.evaluation.createRound(round(2024, '2', { opensOn: '2025-03-01', dueOn: '2025-02-28' })),
      'BAD_REQUEST',
    )
    await expectRefusal(bureau.caller.evaluation.createRound({ ...round(2024, '2'), schoolYearId: 999_999 }), 'NOT_FOUND', 'notFound')
    for (const user of [schools.P.admin, schools.P.counsellor])
      await expectRefusal(user.caller.evaluation.createRound(round(2024, '2')), 'FORBIDDEN', 'forbidden')
    expect(await snapshotTables(t.db).then((s) => ({ ...s, audit_event: null, audit_head: null }))).toEqual({
      ...before,
      audit_event: null,
      audit_head: null,
    })
    // the other half of the same year is a different round
    const { id: second } = await bureau.caller.evaluation.createRound(round(2024, '2', { opensOn: '2025-03-01', dueOn: '2025-06-30' }))
    const listed = (await bureau.caller.evaluation.rounds()).filter((r) => r.schoolYearId === years[2024])
    expect(listed.map((r) => [r.id, r.half, r.submitted, r.scored, r.own])).toEqual([
      [second, '2', 0, 0, null],
      [id, '1', 0, 0, null],
    ])
  })

  it('takes a school admin’s self-evaluation, computing the total and refusing bad sheets, stale versions and counsellors', async () => {
    const { id: roundId } = await bureau.caller.evaluation.createRound(round(2023, '1'))
    const { admin, counsellor } = schools.P
    const summary = marker('summary')
    const good = sheet([9, 14, 13.5, 14, 9, 14, 14, 5])

    const before = await snapshotTables(t.db)
    const bad: [string, Record<string, number>, string][] = [
      ['above the maximum', { ...good, A1: 10.5 }, 'A1'],
      ['a missing indicator', Object.fromEntries(Object.entries(good).filter(([k]) => k !== 'C2')), 'C2'],
      ['an unknown code', { ...good, Z9: 1 }, 'Z9'],
      ['a quarter point', { ...good, D1: 4.25 }, 'D1'],
    ]
    for (const [name, scores, code] of bad) {
      const error = await expectRefusal(
        admin.caller.evaluation.submitSelf({ roundId, version: null, scores, summary }),
        'BAD_REQUEST',
        'evaluation.badScores',
      )
      expect(error.params, name).toEqual({ codes: code })
    }
    await expectRefusal(admin.caller.evaluation.submitSelf({ roundId, version: null, scores: { ...good, A1: -1 }, summary }), 'BAD_REQUEST')
    const denied = await audited(() =>
      expectRefusal(counsellor.caller.evaluation.submitSelf({ roundId, version: null, scores: good, summary }), 'FORBIDDEN', 'forbidden'),
    )
    expect(denied.map((r) => [r.action, r.entity_id])).toEqual([['permission.denied', 'evaluation.submitSelf']])
    await expectRefusal(
      admin.caller.evaluation.submitSelf({ roundId: 999_999, version: null, scores: good, summary }),
      'NOT_FOUND',
      'notFound',
    )
    const after = await snapshotTables(t.db)
    expect(after.evaluation_submission).toEqual(before.evaluation_submission)

    const rows = await audited(async () =>
      expect(await admin.caller.evaluation.submitSelf({ roundId, version: null, scores: good, summary })).toEqual({ roundId, total: 92.5 }),
    )
    expect(rows.map((r) => [r.action, r.outcome, r.entity_type, r.entity_id, r.school_id, r.detail])).toEqual([
      ['evaluation.self_submit', 'ok', 'evaluation_round', String(roundId), schools.P.id, 'total:92.5'],
    ])
    let own = (await admin.caller.evaluation.rounds()).find((r) => r.id === roundId)!.own!
    expect(own).toMatchObject({
      version: 1,
      selfScores: good,
      selfTotal: 92.5,
      selfSummary: summary,
      bureauScores: null,
      bureauTotal: null,
    })
    expect(own.submittedAt).toBe(T0)

    // a second save needs the version it read
    await expectRefusal(admin.caller.evaluation.submitSelf({ roundId, version: null, scores: good, summary: null }), 'CONFLICT', 'conflict')
    await expectRefusal(admin.caller.evaluation.submitSelf({ roundId, version: 2, scores: good, summary: null }), 'CONFLICT', 'conflict')
    const lower = sheet([8, 12, 12, 12, 8, 12, 12, 4])
    expect(await admin.caller.evaluation.submitSelf({ roundId, version: 1, scores: lower, summary: null })).toEqual({ roundId, total: 80 })
    await expectRefusal(admin.caller.evaluation.submitSelf({ roundId, version: 1, scores: good, summary: null }), 'CONFLICT', 'conflict')
    own = (await counsellor.caller.evaluation.rounds()).find((r) => r.id === roundId)!.own!
    expect(own).toMatchObject({ version: 2, selfScores: lower, selfTotal: 80, selfSummary: null })
  })

  it('refuses a self-evaluation before the round opens and after it is closed, and takes it once reopened', async () => {
    const good = sheet([9, 14, 13.5, 14, 9, 14, 14, 5])
    const { admin } = schools.Q
    const { id: future } = await bureau.caller.evaluation.createRound(round(2026, '1', { opensOn: '2026-09-15', dueOn: '2026-12-31' }))
    const error = await expectRefusal(
      admin.caller.evaluation.submitSelf({ roundId: future, version: null, scores: good, summary: null }),
      'BAD_REQUEST',
      'evaluation.notOpenYet',
    )
    expect(error.params).toEqual({ date: '2026-09-15' })
    // 14 September 23:59 in Shanghai is still before; the 15th opens it
    await expectRefusal(
      at(admin, '2026-09-14T15:59:00.000Z').evaluation.submitSelf({ roundId: future, version: null, scores: good, summary: null }),
      'BAD_REQUEST',
      'evaluation.notOpenYet',
    )
    expect(
      await at(admin, '2026-09-14T16:00:00.000Z').evaluation.submitSelf({ roundId: future, version: null, scores: good, summary: null }),
    ).toEqual({ roundId: future, total: 92.5 })

    const { id: roundId } = await bureau.caller.evaluation.createRound(round(2023, '2'))
    let rows = await audited(() => bureau.caller.evaluation.closeRound({ roundId, version: 1 }))
    expect(rows.map((r) => [r.action, r.entity_id])).toEqual([['evaluation.round_close', String(roundId)]])
    let detail = await bureau.caller.evaluation.round({ roundId })
    expect(detail.round).toMatchObject({ status: 'closed', closedAt: T0, version: 2 })
    await expectRefusal(
      admin.caller.evaluation.submitSelf({ roundId, version: null, scores: good, summary: null }),
      'BAD_REQUEST',
      'evaluation.roundClosed',
    )
    await expectRefusal(bureau.caller.evaluation.reopenRound({ roundId, version: 1 }), 'CONFLICT', 'conflict')
    await expectRefusal(admin.caller.evaluation.closeRound({ roundId, version: 2 }), 'FORBIDDEN', 'forbidden')
    expect((await bureau.caller.evaluation.round({ roundId })).schools.every((s) => s.submission == null)).toBe(true)

    rows = await audited(() => bureau.caller.evaluation.reopenRound({ roundId, version: 2 }))
    expect(rows.map((r) => [r.action, r.entity_id])).toEqual([['evaluation.round_reopen', String(roundId)]])
    detail = await bureau.caller.evaluation.round({ roundId })
    expect(detail.round).toMatchObject({ status: 'open', closedAt: null, version: 3 })
    expect(await admin.caller.evaluation.submitSelf({ roundId, version: null, scores: good, summary: null })).toEqual({
      roundId,
      total: 92.5,
    })
  })

  it('lets the bureau score schools on the same versioned sheet as the self-evaluation', async () => {
    const { id: roundId } = await bureau.caller.evaluation.createRound(round(2022, '1'))
    const selfP = sheet([9, 14, 13.5, 14, 9, 14, 14, 5])
    const scoreP = sheet([9, 13, 13, 13, 9, 13, 13, 4])
    const comment = marker('comment')
    await schools.P.admin.caller.evaluation.submitSelf({ roundId, version: null, scores: selfP, summary: null })

    await expectRefusal(
      bureau.caller.evaluation.score({ roundId, schoolId: schools.P.id, version: null, scores: scoreP, comment }),
      'CONFLICT',
      'conflict',
    )
    await expectRefusal(
      bureau.caller.evaluation.score({ roundId, schoolId: schools.P.id, version: 1, scores: { ...scoreP, B2: 11 }, comment }),
      'BAD_REQUEST',
      'evaluation.badScores',
    )
    await expectRefusal(
      bureau.caller.evaluation.score({ roundId, schoolId: 999_999, version: null, scores: scoreP, comment }),
      'NOT_FOUND',
      'notFound',
    )
    await expectRefusal(
      schools.P.admin.caller.evaluation.score({ roundId, schoolId: schools.P.id, version: 1, scores: scoreP, comment }),
      'FORBIDDEN',
      'forbidden',
    )
    const rows = await audited(async () =>
      expect(await bureau.caller.evaluation.score({ roundId, schoolId: schools.P.id, version: 1, scores: scoreP, comment })).toEqual({
        roundId,
        schoolId: schools.P.id,
        total: 87,
      }),
    )
    expect(rows.map((r) => [r.action, r.entity_id, r.school_id, r.detail])).toEqual([
      ['evaluation.bureau_score', String(roundId), schools.P.id, 'total:87'],
    ])
    expect(JSON.stringify(rows)).not.toContain(comment)

    // a school that did not submit can still be scored
    expect(
      (
        await bureau.caller.evaluation.score({
          roundId,
          schoolId: schools.S.id,
          version: null,
          scores: sheet([10, 15, 15, 15, 10, 15, 14, 5]),
          comment: null,
        })
      ).total,
    ).toBe(99)

    const detail = await bureau.caller.evaluation.round({ roundId })
    const byId = new Map(detail.schools.map((s) => [s.school.id, s.submission]))
    expect(byId.get(schools.P.id)).toMatchObject({
      version: 2,
      selfScores: selfP,
      selfTotal: 92.5,
      bureauScores: scoreP,
      bureauTotal: 87,
      bureauComment: comment,
      scoredAt: T0,
    })
    expect(byId.get(schools.S.id)).toMatchObject({ version: 1, selfScores: null, selfTotal: null, submittedAt: null, bureauTotal: 99 })
    expect([byId.get(schools.Q.id), byId.get(schools.R.id)]).toEqual([null, null])
    expect((await bureau.caller.evaluation.rounds()).find((r) => r.id === roundId)).toMatchObject({ submitted: 1, scored: 2 })

    // the school's next save must carry the version the bureau's score left
    await expectRefusal(
      schools.P.admin.caller.evaluation.submitSelf({ roundId, version: 1, scores: selfP, summary: null }),
      'CONFLICT',
      'conflict',
    )
    await schools.P.admin.caller.evaluation.submitSelf({ roundId, version: 2, scores: selfP, summary: '修订' })
    // and the bureau's score survives the school's resubmission
    expect((await schools.P.admin.caller.evaluation.round({ roundId })).schools[0]!.submission).toMatchObject({
      version: 3,
      selfSummary: '修订',
      bureauTotal: 87,
    })
  })

  it('keeps a round’s own indicators when the district’s list changes afterwards', async () => {
    const { id: roundId } = await bureau.caller.evaluation.createRound(round(2022, '2'))
    await setIndicators(CUSTOM)
    expect((await bureau.caller.programme.settings()).indicators).toEqual(CUSTOM)
    const detail = await bureau.caller.evaluation.round({ roundId })
    expect([detail.round.indicators, detail.round.maxTotal]).toEqual([DEFAULT_INDICATORS, 100])
    // sheets are checked against the round's list, not the new one
    await expectRefusal(
      schools.R.admin.caller.evaluation.submitSelf({ roundId, version: null, scores: { X1: 10, X2: 10 }, summary: null }),
      'BAD_REQUEST',
      'evaluation.badScores',
    )
    expect(
      (
        await schools.R.admin.caller.evaluation.submitSelf({
          roundId,
          version: null,
          scores: sheet([6, 9, 9, 9, 6, 9, 9, 2.5]),
          summary: null,
        })
      ).total,
    ).toBe(59.5)
    // a round opened now takes the new list
    const { id: later } = await bureau.caller.evaluation.createRound(round(2021, '1'))
    expect((await bureau.caller.evaluation.round({ roundId: later })).round).toMatchObject({ indicators: CUSTOM, maxTotal: 50 })
    await setIndicators(DEFAULT_INDICATORS)
    expect((await bureau.caller.evaluation.round({ roundId: later })).round.indicators).toEqual(CUSTOM)
    expect((await bureau.caller.evaluation.round({ roundId })).round.indicators).toEqual(DEFAULT_INDICATORS)
  })

  describe('the evaluation report', () => {
    it('computes averages, bands, indicator and street figures and the year’s programme completion as the test does', async () => {
      const year = years[2025]!
      const { id: roundId } = await bureau.caller.evaluation.createRound(round(2025, '1', { opensOn: '2025-12-01', dueOn: '2026-01-31' }))
      const self: Partial<Record<keyof typeof schools, number[]>> = {
        P: [9, 14, 13.5, 14, 9, 14, 14, 5],
        Q: [8, 12, 12, 12, 8, 12, 12, 4],
        R: [6, 9, 9, 9, 6, 9, 9, 2.5],
      }
      const scored: Partial<Record<keyof typeof schools, number[]>> = {
        P: [9, 13, 13, 13, 9, 13, 13, 4],
        Q: [7, 11, 11, 11, 7, 11, 11, 3],
        S: [10, 15, 15, 15, 10, 15, 14, 5],
      }
      for (const [key, values] of Object.entries(self))
        await schools[key as keyof typeof schools].admin.caller.evaluation.submitSelf({
          roundId,
          version: null,
          scores: sheet(values),
          summary: null,
        })
      for (const [key, values] of Object.entries(scored)) {
        const s = schools[key as keyof typeof schools]
        await bureau.caller.evaluation.score({
          roundId,
          schoolId: s.id,
          version: self[key as keyof typeof schools] ? 1 : null,
          scores: sheet(values),
          comment: null,
        })
      }

      let report: Awaited<ReturnType<Caller['evaluation']['report']>> | undefined
      const rows = await audited(async () => {
        report = await bureau.caller.evaluation.report({ roundId })
      })
      expect(rows.map((r) => [r.action, r.entity_type, r.entity_id])).toEqual([
        ['evaluation.report_view', 'evaluation_round', String(roundId)],
      ])
      const r = report!
      expect(r.generatedOn).toBe('2026-03-02')
      expect(r.round.id).toBe(roundId)

      const selfTotals = Object.values(self).map(sum)
      const bureauTotals = Object.values(scored).map(sum)
      expect(selfTotals).toEqual([92.5, 80, 59.5])
      expect(bureauTotals).toEqual([87, 72, 99])
      const bands = { excellent: 0, good: 0, pass: 0, improve: 0 }
      for (const total of bureauTotals) bands[band(total, 100)]++
      expect(bands).toEqual({ excellent: 1, good: 1, pass: 1, improve: 0 })
      expect(r.district).toMatchObject({
        schools: 4,
        submitted: 3,
        scored: 3,
        submittedRate: pct(3, 4),
        averageSelf: avg1(selfTotals),
        averageBureau: avg1(bureauTotals),
        bands,
      })
      expect([r.district.averageSelf, r.district.averageBureau, r.district.submittedRate]).toEqual([77.3, 86, 75])
      expect(r.district.byIndicator).toEqual(
        DEFAULT_INDICATORS.map((ind, n) => ({
          ...ind,
          averageSelf: avg1(Object.values(self).map((v) => v[n]!)),
          averageBureau: avg1(Object.values(scored).map((v) => v[n]!)),
        })),
      )
      expect(r.district.byIndicator.find((i) => i.code === 'A3')).toMatchObject({ averageSelf: 11.5, averageBureau: 13 })

      const streets = await t.db
        .selectFrom('street')
        .select(['id', 'name_zh', 'name_en'])
        .where('id', 'in', [s1, s2])
        .orderBy('sort_order')
        .execute()
      const totalOf = (key: keyof typeof schools) => (scored[key] ? sum(scored[key]) : null)
      expect(r.district.byStreet).toEqual(
        streets.map((st) => {
          const keys = (Object.keys(schools) as (keyof typeof schools)[]).filter((k) => schools[k].streetId === st.id)
          const totals = keys.map(totalOf).filter((x): x is number => x != null)
          return { nameZh: st.name_zh, nameEn: st.name_en, schools: keys.length, scored: totals.length, averageBureau: avg1(totals) }
        }),
      )
      expect(r.district.byStreet.map((s) => s.averageBureau)).toEqual([79.5, 99])

      // the year's completion, as the matrix has it, school by school
      const matrix = await bureau.caller.programme.matrix({ schoolYearId: year })
      expect(r.district.programme).toEqual(matrix.rates)
      expect(r.district.programme.items.find((i) => i.item === 'drill')).toMatchObject({ complete: 1, in_progress: 1, not_started: 2 })
      expect(r.district.programme.items.find((i) => i.item === 'platform')).toMatchObject({ complete: 1, not_started: 3 })
      const rowById = new Map(matrix.rows.map((row) => [row.school.id, row]))
      expect(r.annex.map((a) => a.school.id)).toEqual(['P', 'Q', 'R', 'S'].map((k) => schools[k as keyof typeof schools].id))
      for (const a of r.annex) {
        const key = (Object.keys(schools) as (keyof typeof schools)[]).find((k) => schools[k].id === a.school.id)!
        expect(a.statuses, key).toEqual(rowById.get(a.school.id)!.statuses)
        expect(a.completed, key).toBe(rowById.get(a.school.id)!.completed)
        expect([a.selfTotal, a.bureauTotal], key).toEqual([self[key] ? sum(self[key]) : null, totalOf(key)])
        expect(a.band, key).toBe(totalOf(key) == null ? null : band(totalOf(key)!, 100))
        expect(a.selfScores, key).toEqual(self[key] ? sheet(self[key]) : null)
      }
      expect(PROGRAMME_ITEMS.every((i) => i in r.annex[0]!.statuses)).toBe(true)

      // the report is the bureau's
      for (const user of [schools.P.admin, schools.P.counsellor])
        await expectRefusal(user.caller.evaluation.report({ roundId }), 'FORBIDDEN', 'forbidden')
      await expectRefusal(bureau.caller.evaluation.report({ roundId: 999_999 }), 'NOT_FOUND', 'notFound')
    })

    it('scales the bands to the round’s own maximum', async () => {
      await setIndicators(CUSTOM)
      const { id: roundId } = await bureau.caller.evaluation.createRound(round(2021, '2'))
      await setIndicators(DEFAULT_INDICATORS)
      const totals: Record<keyof typeof schools, [number, number]> = { P: [20, 25], Q: [16, 24], R: [12, 18], S: [12, 17.5] }
      for (const [key, [x1, x2]] of Object.entries(totals)) {
        await bureau.caller.evaluation.score({
          roundId,
          schoolId: schools[key as keyof typeof schools].id,
          version: null,
          scores: { X1: x1, X2: x2 },
          comment: null,
        })
      }
      const r = await bureau.caller.evaluation.report({ roundId })
      expect(r.round.maxTotal).toBe(50)
      // 45/50 = 90 %, 40/50 = 80 %, 30/50 = 60 %, 29.5/50 = 59 %
      expect(r.annex.map((a) => [a.bureauTotal, a.band])).toEqual([
        [45, 'excellent'],
        [40, 'good'],
        [30, 'pass'],
        [29.5, 'improve'],
      ])
      expect(r.district).toMatchObject({
        submitted: 0,
        scored: 4,
        submittedRate: 0,
        averageSelf: null,
        averageBureau: 36.1,
        bands: { excellent: 1, good: 1, pass: 1, improve: 1 },
      })
      expect(r.district.byIndicator).toEqual([
        { ...CUSTOM[0], averageSelf: null, averageBureau: 15 },
        { ...CUSTOM[1], averageSelf: null, averageBureau: 21.1 },
      ])
      // a finished year's completion is that year's
      expect(r.district.programme).toEqual((await bureau.caller.programme.matrix({ schoolYearId: years[2021] })).rates)
    })
  })

  describe('a closed round’s report', () => {
    it('is frozen when the round closes: later live changes never move it; a reopen shows live figures and the next close freezes a new version', async () => {
      const { id: roundId } = await bureau.caller.evaluation.createRound(round(2025, '2', { opensOn: '2026-02-01', dueOn: '2026-07-15' }))
      await bureau.caller.evaluation.score({
        roundId,
        schoolId: schools.P.id,
        version: null,
        scores: sheet([9, 13, 13, 13, 9, 13, 13, 4]),
        comment: null,
      })
      const live = await bureau.caller.evaluation.report({ roundId })
      expect(live.frozen).toBeNull()

      const closing = await audited(() => bureau.caller.evaluation.closeRound({ roundId, version: 1 }))
      expect(closing.map((r) => [r.action, r.detail])).toEqual([['evaluation.round_close', 'snapshot:1']])
      const closed = await bureau.caller.evaluation.report({ roundId })
      expect(closed.frozen).toMatchObject({ version: 1 })
      expect(closed.district).toEqual(live.district)
      expect(closed.annex).toEqual(live.annex)

      // live data changes after the close: a new full-time teacher at P
      await schools.P.admin.caller.staffing.createMember({
        name: '新老师',
        employment: 'full_time',
        title: null,
        startsOn: '2020-09-01',
        endsOn: null,
      })
      const after = await bureau.caller.evaluation.report({ roundId })
      expect(after.district).toEqual(closed.district)
      expect(after.frozen).toEqual(closed.frozen)

      await bureau.caller.evaluation.reopenRound({ roundId, version: 2 })
      const reopened = await bureau.caller.evaluation.report({ roundId })
      expect(reopened.frozen).toBeNull()
      expect(reopened.district.staffing.counted).toBe(closed.district.staffing.counted + 1)

      await bureau.caller.evaluation.closeRound({ roundId, version: 3 })
      const again = await bureau.caller.evaluation.report({ roundId })
      expect(again.frozen).toMatchObject({ version: 2 })
      expect(again.district).toEqual(reopened.district)
      const versions = await t.db
        .selectFrom('evaluation_report_snapshot')
        .select('version')
        .where('round_id', '=', roundId)
        .orderBy('version')
        .execute()
      expect(versions.map((v) => v.version)).toEqual([1, 2])
    })
  })

  it('shows a school only its own sheet, in the round and in the list of rounds', async () => {
    const { id: roundId } = await bureau.caller.evaluation.createRound(round(2020, '1'))
    const secretP = marker('P')
    const secretQ = marker('Q')
    await schools.P.admin.caller.evaluation.submitSelf({
      roundId,
      version: null,
      scores: sheet([9, 14, 13.5, 14, 9, 14, 14, 5]),
      summary: secretP,
    })
    await schools.Q.admin.caller.evaluation.submitSelf({
      roundId,
      version: null,
      scores: sheet([8, 12, 12, 12, 8, 12, 12, 4]),
      summary: secretQ,
    })
    await bureau.caller.evaluation.score({
      roundId,
      schoolId: schools.Q.id,
      version: 1,
      scores: sheet([7, 11, 11, 11, 7, 11, 11, 3]),
      comment: secretQ,
    })

    for (const user of [schools.P.admin, schools.P.counsellor]) {
      const detail = await user.caller.evaluation.round({ roundId })
      expect(detail.schools.map((s) => s.school.id)).toEqual([schools.P.id])
      expect(detail.schools[0]!.submission).toMatchObject({ selfSummary: secretP, selfTotal: 92.5, bureauTotal: null })
      const list = await user.caller.evaluation.rounds()
      const mine = list.find((r) => r.id === roundId)!
      expect([mine.submitted, mine.scored, mine.own?.selfSummary]).toEqual([null, null, secretP])
      // every round in the list carries this school's sheet or none
      for (const r of list) expect(r.submitted).toBeNull()
      const seen = JSON.stringify([detail, list])
      expect(seen).not.toContain(secretQ)
      expect(seen).not.toContain('"code":"E-Q-')
    }
    // a school without a sheet sees none
    const r = await schools.R.admin.caller.evaluation.round({ roundId })
    expect(r.schools.map((s) => [s.school.id, s.submission])).toEqual([[schools.R.id, null]])
    expect((await schools.R.admin.caller.evaluation.rounds()).find((x) => x.id === roundId)!.own).toBeNull()
    await expectRefusal(schools.R.admin.caller.evaluation.round({ roundId: 999_999 }), 'NOT_FOUND', 'notFound')

    // the bureau sees all four, two submitted and one scored
    const all = await bureau.caller.evaluation.round({ roundId })
    expect(all.schools.map((s) => s.school.id)).toEqual(['P', 'Q', 'R', 'S'].map((k) => schools[k as keyof typeof schools].id))
    expect((await bureau.caller.evaluation.rounds()).find((x) => x.id === roundId)).toMatchObject({ submitted: 2, scored: 1, own: null })
  })
})
