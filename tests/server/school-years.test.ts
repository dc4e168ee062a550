import { beforeAll, describe, expect, it } from 'vitest'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema'
import { callerFor, expectRefusal, signIn, type Caller } from '../fixtures/caller'
import { auditRows, headSeq } from '../fixtures/audit'
import { snapshotTables, targets, useTestDatabase } from '../fixtures/db'
import { makeAccount } from '../fixtures/factories'

async function currentIds(db: Kysely<Database>): Promise<number[]> {
  return (await db.selectFrom('school_year').select('id').where('is_current', '=', 1).execute()).map((r) => r.id)
}

describe.each(targets)('school years on $name', (target) => {
  const t = useTestDatabase(target)
  let asAdmin: Caller
  let asExpert: Caller
  const ids: Record<string, number> = {}

  beforeAll(async () => {
    const admin = await makeAccount(t.db, 'admin')
    asAdmin = callerFor(t.db, (await signIn(t.db, admin.username, admin.password)).actor)
    const expert = await makeAccount(t.db, 'expert')
    asExpert = callerFor(t.db, (await signIn(t.db, expert.username, expert.password)).actor)
  })

  it.each([2023, 2024, 2025])('creates the school year %i and audits it', async (start) => {
    const label = `${start}-${start + 1}`
    const seq = await headSeq(t.db)
    ids[label] = (await asAdmin.schoolYear.create({ label, startsOn: `${start}-09-01`, endsOn: `${start + 1}-08-31` })).id
    expect((await auditRows(t.db, seq)).map((r) => [r.action, r.entity_id])).toEqual([['school_year.create', String(ids[label])]])
  })

  it('lists years newest first, to every signed-in role that may read them', async () => {
    const years = await asExpert.schoolYear.list()
    expect(years.map((y) => y.label)).toEqual(['2025-2026', '2024-2025', '2023-2024'])
    expect(years.every((y) => !y.isCurrent && !y.disabled)).toBe(true)
  })

  it.each([
    { name: 'a label spanning two years', input: { label: '2026-2028', startsOn: '2026-09-01', endsOn: '2028-08-31' } },
    { name: 'a start in the wrong year', input: { label: '2026-2027', startsOn: '2025-09-01', endsOn: '2027-08-31' } },
    { name: 'an end before the start', input: { label: '2026-2027', startsOn: '2026-09-01', endsOn: '2026-08-31' } },
    { name: 'an impossible date', input: { label: '2026-2027', startsOn: '2026-09-31', endsOn: '2027-08-31' } },
  ])('refuses $name with BAD_REQUEST and writes nothing', async ({ input }) => {
    const before = await snapshotTables(t.db)
    const error = await expectRefusal(asAdmin.schoolYear.create(input), 'BAD_REQUEST')
    expect(error.cause?.name).toBe('ZodError')
    expect(await snapshotTables(t.db)).toEqual(before)
  })

  it('refuses a label that is already used, on create and on update', async () => {
    await expectRefusal(
      asAdmin.schoolYear.create({ label: '2024-2025', startsOn: '2024-09-01', endsOn: '2025-08-31' }),
      'CONFLICT',
      'schoolYear.labelTaken',
    )
    await expectRefusal(
      asAdmin.schoolYear.update({ id: ids['2023-2024']!, label: '2024-2025', startsOn: '2024-09-01', endsOn: '2025-08-31' }),
      'CONFLICT',
      'schoolYear.labelTaken',
    )
  })

  it.each(['2024-2025', '2025-2026', '2023-2024', '2025-2026'])('makes %s the one current year', async (label) => {
    const years = await asAdmin.schoolYear.setCurrent({ id: ids[label]! })
    expect(years.filter((y) => y.isCurrent).map((y) => y.label)).toEqual([label])
    expect(await currentIds(t.db)).toEqual([ids[label]])
  })

  it('does not disable the current year', async () => {
    await expectRefusal(asAdmin.schoolYear.disable({ id: ids['2025-2026']! }), 'BAD_REQUEST', 'schoolYear.currentCannotBeDisabled')
    expect(await currentIds(t.db)).toEqual([ids['2025-2026']])
  })

  it('disables a past year, which then cannot become current until enabled again', async () => {
    const years = await asAdmin.schoolYear.disable({ id: ids['2023-2024']! })
    expect(years.find((y) => y.label === '2023-2024')?.disabled).toBe(true)
    await expectRefusal(asAdmin.schoolYear.setCurrent({ id: ids['2023-2024']! }), 'NOT_FOUND', 'notFound')
    expect(await currentIds(t.db)).toEqual([ids['2025-2026']])
    await asAdmin.schoolYear.enable({ id: ids['2023-2024']! })
    await asAdmin.schoolYear.setCurrent({ id: ids['2023-2024']! })
    expect(await currentIds(t.db)).toEqual([ids['2023-2024']])
  })

  it('corrects a year’s dates', async () => {
    const year = await asAdmin.schoolYear.update({
      id: ids['2024-2025']!,
      label: '2024-2025',
      startsOn: '2024-08-26',
      endsOn: '2025-07-11',
    })
    expect(year).toMatchObject({ label: '2024-2025', startsOn: '2024-08-26', endsOn: '2025-07-11' })
  })
})
