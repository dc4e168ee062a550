import { afterEach, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest'
import { DEFAULT_INDICATORS, DEFAULT_PROGRAMME_RULES } from '../../shared/programme'
import { DEFAULT_ROOM_SETTINGS, DEFAULT_STAFFING_SETTINGS } from '../../shared/staffing'
import { seedIfEmpty } from '../../server/demo'
import { testKeys } from '../../server/services/keys'
import { Clock } from '../fixtures/caller'
import { targets, useTestDatabase } from '../fixtures/db'
import { makeAccount, makeSchool, makeStreet, makeYear } from '../fixtures/factories'
import { makeProgrammeUser, useUploadDir, type ProgrammeUser } from '../fixtures/programme'

/** Monday 2 March 2026, 09:00 in Shanghai: inside school year 2025-2026. */
const T0 = '2026-03-02T01:00:00.000Z'
/** Text a warning must never repeat: stored JSON may hold sensitive values. */
const SECRET = 'secret-content-7f3a'

const sheet = (value: number) => Object.fromEntries(DEFAULT_INDICATORS.map((i) => [i.code, Math.min(value, i.maxScore)]))

describe.each(targets)('stored JSON that no longer parses, on $name', (target) => {
  const t = useTestDatabase(target)
  const uploads = useUploadDir()
  const clock = new Clock(T0)
  let bureau: ProgrammeUser
  let admin: ProgrammeUser
  let schoolId: number
  let warn: MockInstance<typeof console.warn>

  beforeAll(async () => {
    await makeYear(t.db, 2025, true)
    const school = await makeSchool(t.db, { streetId: await makeStreet(t.db) })
    schoolId = school.id
    bureau = await makeProgrammeUser(t.db, 'bureau', null, clock, uploads.path)
    admin = await makeProgrammeUser(t.db, 'school_admin', school.id, clock, uploads.path)
  })

  const silenceWarnings = () => {
    warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
  }
  afterEach(() => vi.restoreAllMocks())

  /** The warnings logged so far name the column and never repeat the stored content. */
  function expectWarned(column: string) {
    const messages = warn.mock.calls.map((c) => c.map(String).join(' '))
    expect(messages.some((m) => m.includes(column))).toBe(true)
    for (const m of messages) expect(m).not.toContain(SECRET)
  }

  async function storeSetting(key: string, value: string) {
    await t.db.deleteFrom('district_setting').where('key', '=', key).execute()
    await t.db.insertInto('district_setting').values({ key, value, updated_at: T0, updated_by: null }).execute()
  }

  it('reads the district settings as their defaults when the rows are not JSON or no longer fit', async () => {
    silenceWarnings()
    await storeSetting('staffing', `{"studentsPerFullTime": "${SECRET}"`)
    await storeSetting('rooms', JSON.stringify({ minIndividualM2: SECRET }))
    expect(await bureau.caller.staffing.settings()).toEqual({
      staffing: DEFAULT_STAFFING_SETTINGS,
      rooms: DEFAULT_ROOM_SETTINGS,
      updatedAt: T0,
    })
    expectWarned('district_setting.value[staffing]')
    expectWarned('district_setting.value[rooms]')
  })

  it('reads the programme rules and indicators as their defaults when the rows are corrupted', async () => {
    silenceWarnings()
    await storeSetting('programme', SECRET)
    await storeSetting('indicators', JSON.stringify([{ code: SECRET }]))
    expect(await admin.caller.programme.settings()).toEqual({
      rules: DEFAULT_PROGRAMME_RULES,
      indicators: DEFAULT_INDICATORS,
      updatedAt: T0,
    })
    expectWarned('district_setting.value[indicators]')
  })

  it('lists a round whose stored indicators or scores are corrupted instead of failing the whole list', async () => {
    await t.db.deleteFrom('district_setting').execute()
    const years = await t.db.selectFrom('school_year').select('id').execute()
    const good = await bureau.caller.evaluation.createRound({
      title: 'good',
      schoolYearId: years[0]!.id,
      half: '1',
      opensOn: '2026-03-01',
      dueOn: '2026-06-30',
    })
    const bad = await bureau.caller.evaluation.createRound({
      title: 'bad',
      schoolYearId: years[0]!.id,
      half: '2',
      opensOn: '2026-03-01',
      dueOn: '2026-06-30',
    })
    for (const round of [good, bad])
      await admin.caller.evaluation.submitSelf({ roundId: round.id, version: null, scores: sheet(6), summary: null })

    silenceWarnings()
    await t.db
      .updateTable('evaluation_round')
      .set({ indicators: `[{"code":"${SECRET}"` })
      .where('id', '=', bad.id)
      .execute()
    await t.db
      .updateTable('evaluation_submission')
      .set({ self_scores: JSON.stringify({ A1: SECRET }) })
      .where('round_id', '=', bad.id)
      .execute()

    const rounds = await admin.caller.evaluation.rounds()
    const listed = Object.fromEntries(rounds.map((r) => [r.title, r]))
    expect(listed.good!.indicators).toEqual(DEFAULT_INDICATORS)
    expect(listed.good!.own!.selfScores).toEqual(sheet(6))
    expect(listed.bad!.indicators).toEqual([])
    expect(listed.bad!.maxTotal).toBe(0)
    expect(listed.bad!.own!.selfScores).toBeNull()
    expect(listed.bad!.own!.selfTotal).toBe(listed.good!.own!.selfTotal)
    expectWarned('evaluation_round.indicators')
    expectWarned('evaluation_submission.self_scores')

    const detail = await bureau.caller.evaluation.round({ roundId: bad.id })
    expect(detail.round.indicators).toEqual([])
    expect(detail.schools.find((s) => s.school.id === schoolId)?.submission?.selfScores).toBeNull()
  })

  it('announces the demo accounts as none when their stored list is corrupted', async () => {
    silenceWarnings()
    await makeAccount(t.db, 'admin')
    await t.db.deleteFrom('app_meta').where('key', '=', 'demo_accounts').execute()
    await t.db
      .insertInto('app_meta')
      .values({ key: 'demo_accounts', value: JSON.stringify([{ username: SECRET }]) })
      .execute()
    const report = await seedIfEmpty(t.db, testKeys())
    expect(report.seeded).toBe('none')
    expect(report.announce.join('\n')).not.toContain(SECRET)
    expectWarned('app_meta.demo_accounts')
  })
})
