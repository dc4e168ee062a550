import { sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { auditedBy } from '../fixtures/audit'
import { expectRefusal } from '../fixtures/caller'
import { makeCase, makeCounsellor, makeSignedIn, marker, type Counsellor } from '../fixtures/cases'
import { targets, useTestDatabase } from '../fixtures/db'
import { narrowCells } from '../fixtures/disclosure'
import { makeSchool } from '../fixtures/factories'

describe.each(targets)('disclosure module on the bureau’s case statistics on $name', (target) => {
  const t = useTestDatabase(target)
  let bureau: Awaited<ReturnType<typeof makeSignedIn>>
  let big: Counsellor
  let small: Counsellor
  let quietId: number
  const name = marker('disc')
  const all = async () => ({
    level: await bureau.caller.case.districtStats({ dimension: 'risk_level' }),
    status: await bureau.caller.case.districtStats({ dimension: 'status' }),
    category: await bureau.caller.case.districtStats({ dimension: 'category' }),
  })

  beforeAll(async () => {
    const a = await makeSchool(t.db, { code: 'Q-BIG' })
    const b = await makeSchool(t.db, { code: 'Q-SMALL' })
    quietId = (await makeSchool(t.db, { code: 'Q-QUIET' })).id
    big = await makeCounsellor(t.db, a.id)
    small = await makeCounsellor(t.db, b.id)
    bureau = await makeSignedIn(t.db, 'bureau', null)
    // The big school: 24 open cases (watch and routine), and 3 closed ones — a small closed count that
    // "status total − level total" recovered before.
    for (let i = 0; i < 27; i++) {
      const { caseId } = await makeCase(
        big,
        { riskLevel: i % 2 ? 'watch' : 'routine', categories: i % 3 ? ['study'] : ['study', 'emotion'] },
        { name: `${name}-b${i}` },
      )
      if (i >= 24) await big.caller.case.close({ caseId, version: 1, outcome: 'done' })
    }
    // The small school: one open case — its zeros would tell its level.
    await makeCase(small, { riskLevel: 'high', categories: ['emotion'] }, { name: `${name}-s0` })
  })

  it('lists every school, shows published zeros, and names the population each table counts', async () => {
    const { level, status, category } = await all()
    expect(level.rows.map((r) => r.schoolCode)).toEqual(['Q-BIG', 'Q-QUIET', 'Q-SMALL'])
    // A school without cases is a row like any other: its figures are zeros, or hidden when they shield another school's.
    const quiet = level.rows.find((r) => r.schoolId === quietId)!
    expect([...quiet.cells, quiet.total].every((v) => v === 0 || v === null)).toBe(true)
    expect([level.population, status.population, category.population]).toEqual(['open', 'all', 'open'])
    expect(level.threshold).toBe(10)
    expect(JSON.stringify([level, status, category])).not.toContain(name)
  })

  it('hides the zeros beside one case, so its level is not told', async () => {
    const { level } = await all()
    const row = level.rows.find((r) => r.schoolCode === 'Q-SMALL')!
    // no crisis case anywhere in the district: that zero is the district's, and shown
    expect(level.columnTotals[0]).toBe(0)
    expect(row.cells).toEqual([0, null, null, null])
    expect(row.total).toBeNull()
  })

  it('leaves no hidden figure narrower than the threshold against an integer attacker holding all three tables', async () => {
    const { level, status, category } = await all()
    // The closed count of the big school (3) is hidden and cannot be had by subtraction.
    expect(status.rows.find((r) => r.schoolCode === 'Q-BIG')!.cells[1]).toBeNull()
    expect(await narrowCells(level, status, category)).toEqual([])
  })

  it('writes hidden figures as “—”, never as “<10”, in the file as on screen', async () => {
    const out = await bureau.caller.case.exportDistrictStats({ dimension: 'risk_level', format: 'csv', locale: 'zh-CN' })
    const text = Buffer.from(out.contentBase64, 'base64').toString('utf8')
    expect(text).toContain('—')
    expect(text).not.toContain('<10')
  })

  it('serves an unchanged page from the ledger and records a changed one', async () => {
    const count = async () =>
      Number(
        (
          await t.db
            .selectFrom('disclosure_release')
            .select((e) => e.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      )
    await all()
    const before = await count()
    await all()
    expect(await count()).toBe(before)
    const { caseId } = await makeCase(big, { riskLevel: 'routine', categories: ['study'] }, { name: `${name}-x` })
    await all()
    expect(await count()).toBe(before + 1)
    await big.caller.case.close({ caseId, version: 1, outcome: 'done' })
  })

  it('does not count one new case by comparing the page before and after it', async () => {
    const first = await all()
    // One new case at the school that had none.
    const quiet = await makeCounsellor(t.db, quietId)
    await makeCase(quiet, { riskLevel: 'watch', categories: ['study'] }, { name: `${name}-q` })
    const second = await all()
    // Every figure published both times moved by 0 or by at least the threshold …
    const moved: string[] = []
    for (const k of ['level', 'status', 'category'] as const) {
      const a = first[k],
        b = second[k]
      const pairs: [string, number | null, number | null][] = [
        ...a.rows.flatMap((r, i) =>
          r.cells.map((v, j): [string, number | null, number | null] => [`${k} ${r.schoolCode} ${a.columns[j]}`, v, b.rows[i]!.cells[j]!]),
        ),
        ...a.rows.map((r, i): [string, number | null, number | null] => [`${k} ${r.schoolCode} total`, r.total, b.rows[i]!.total]),
        ...a.columnTotals.map((v, j): [string, number | null, number | null] => [
          `${k} ${a.columns[j]} total`,
          v,
          b.columnTotals[j] ?? null,
        ]),
        [`${k} total`, a.total, b.total],
      ]
      for (const [what, x, y] of pairs)
        if (x != null && y != null && Math.abs(y - x) > 0 && Math.abs(y - x) < 10) moved.push(`${what}: ${x} → ${y}`)
    }
    expect(moved).toEqual([])
    // … the new school's figures are hidden, and nothing in the new page pins them.
    expect(second.level.rows.find((r) => r.schoolId === quietId)!.total).toBeNull()
    expect(await narrowCells(second.level, second.status, second.category)).toEqual([])
  })

  it('takes the threshold from the district setting (never below 5), refusing bad input with a field message and changing nothing', async () => {
    const settings = await bureau.caller.disclosure.settings()
    expect(settings.threshold).toBe(10)
    await expectRefusal(bureau.caller.disclosure.updateSettings({ threshold: 4 }), 'BAD_REQUEST')
    expect((await bureau.caller.disclosure.settings()).threshold).toBe(10)
    const counsellor = await makeCounsellor(t.db, quietId)
    await expectRefusal(counsellor.caller.disclosure.updateSettings({ threshold: 20 }), 'FORBIDDEN', 'forbidden')
    const rows = await auditedBy(t.db, () => bureau.caller.disclosure.updateSettings({ threshold: 20 }))
    expect(rows.map((r) => [r.action, r.detail])).toEqual([['district.settings_update', 'disclosure']])
    const { level } = await all()
    expect(level.threshold).toBe(20)
    // 24 open cases at the big school: published at 10, below 20 now hidden.
    expect(level.rows.find((r) => r.schoolCode === 'Q-BIG')!.total).toBeNull()
    await bureau.caller.disclosure.updateSettings({ threshold: 10 })
  })

  it('shows the bureau the ledger — what was released to whom, how much hidden and why — never values, audited', async () => {
    const rows = await auditedBy(t.db, async () => {
      const ledger = await bureau.caller.disclosure.releases()
      expect(ledger.length).toBeGreaterThan(0)
      expect(ledger[0]).toMatchObject({ audience: 'district', kind: 'case-stats', threshold: 10 })
      expect(Object.keys(ledger[0]!).sort()).toEqual([
        'audience',
        'entries',
        'hidden',
        'id',
        'kind',
        'project',
        'releasedAt',
        'releasedBy',
        'threshold',
      ])
    })
    expect(rows.map((r) => r.action)).toEqual(['disclosure.ledger_read'])
    const counsellor = await makeCounsellor(t.db, quietId)
    await expectRefusal(counsellor.caller.disclosure.releases(), 'FORBIDDEN', 'forbidden')
  })

  it('keeps the ledger free of names and text', async () => {
    const rows = await t.db.selectFrom('disclosure_release').selectAll().execute()
    expect(rows.length).toBeGreaterThan(0)
    expect(JSON.stringify(rows)).not.toContain(name)
    expect(rows.every((r) => r.audience === 'district')).toBe(true)
    void sql
  })
})
