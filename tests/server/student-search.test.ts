import { beforeAll, describe, expect, it } from 'vitest'
import type { CaseListInput } from '../../shared/case-schemas'
import { auditedBy, auditRows } from '../fixtures/audit'
import { Clock } from '../fixtures/caller'
import { targets, useTestDatabase } from '../fixtures/db'
import { makeSchool, unique } from '../fixtures/factories'
import { caseInput, makeCounsellor, makeStudent, type Counsellor } from '../fixtures/cases'

const T0 = '2026-03-02T01:00:00.000Z'

describe.each(targets)('finding a student by part of the name on $name', (target) => {
  const t = useTestDatabase(target)
  let mine: Counsellor
  let theirs: Counsellor
  let mySchool: number
  const tag = unique('')
  const no = (n: string) => `SR${tag}-${n}`
  /** A student of the own school and one of another school whose names share the searched part. */
  const ids = { demo: 0, jiayi: 0, zhang: 0, ayi: 0, other: 0 }
  const cases = { demo: 0, other: 0 }

  beforeAll(async () => {
    const clock = new Clock(T0)
    mySchool = (await makeSchool(t.db, { type: 'junior' })).id
    mine = await makeCounsellor(t.db, mySchool, clock)
    theirs = await makeCounsellor(t.db, (await makeSchool(t.db, { type: 'junior' })).id, clock)
    ids.demo = await makeStudent(mine.caller, { studentNo: no('1'), name: '黄佳怡（示例）', grade: 7, className: '1班' })
    ids.jiayi = await makeStudent(mine.caller, { studentNo: no('2'), name: '黄嘉怡', grade: 8, className: '1班' })
    ids.zhang = await makeStudent(mine.caller, { studentNo: no('3'), name: 'Zhang Wei', grade: 8, className: '2班' })
    ids.ayi = await makeStudent(mine.caller, { studentNo: no('4'), name: '阿依古丽·买买提', grade: 9, className: '1班' })
    ids.other = await makeStudent(theirs.caller, { studentNo: no('9'), name: '黄佳怡（另一所学校）', grade: 7, className: '1班' })
    cases.demo = (await mine.caller.case.open(caseInput(ids.demo, [mine.account.id]))).id
    cases.other = (await theirs.caller.case.open(caseInput(ids.other, [theirs.account.id]))).id
  })

  const roster = async (c: Counsellor, search: string, more: { grade?: number; page?: number; pageSize?: number } = {}) =>
    (await c.caller.student.list({ search, ...more })).rows.map((s) => s.id)
  const board = async (c: Counsellor, search: string) =>
    (await c.caller.case.board({ search, status: 'all' } as CaseListInput)).items.map((i) => i.student.id)

  it.each([
    { search: '黄佳怡', found: ['demo'] },
    { search: '佳怡', found: ['demo'] },
    { search: '黄', found: ['demo', 'jiayi'] },
    { search: '怡', found: ['demo', 'jiayi'] },
    { search: '黄佳怡(示例)', found: ['demo'] },
    { search: '（示例）', found: ['demo'] },
    { search: '黄 佳 怡', found: ['demo'] },
    { search: 'zhang', found: ['zhang'] },
    { search: 'ＷＥＩ', found: ['zhang'] },
    { search: '阿依古丽买买提', found: ['ayi'] },
    { search: '黄佳怡乐', found: [] },
  ])('finds $found in the own school for "$search"', async ({ search, found }) => {
    expect(await roster(mine, search)).toEqual(found.map((k) => ids[k as keyof typeof ids]))
  })

  it("never finds another school's student, by name or by number", async () => {
    for (const search of ['黄佳怡', '黄', '另一所学校', no('9'), `SR${tag}`]) {
      expect(await roster(mine, search)).not.toContain(ids.other)
      expect(await board(mine, search)).not.toContain(ids.other)
    }
    expect(await roster(theirs, '黄佳怡')).toEqual([ids.other])
    expect(await roster(theirs, '示例')).toEqual([])
    expect(await board(theirs, '示例')).toEqual([])
    expect(await board(theirs, '黄佳怡')).toEqual([ids.other])
  })

  it('finds the case on the board by part of the name', async () => {
    expect(await board(mine, '黄佳怡')).toEqual([ids.demo])
    expect(await board(mine, '佳怡（示')).toEqual([ids.demo])
    expect(await board(mine, '嘉怡')).toEqual([])
  })

  it('still finds by the start of the student number, with the grade and class filters and pages', async () => {
    expect(await roster(mine, `sr${tag}-`)).toEqual([ids.demo, ids.jiayi, ids.zhang, ids.ayi])
    expect(await roster(mine, '黄', { grade: 8 })).toEqual([ids.jiayi])
    const page2 = await mine.caller.student.list({ search: '黄', pageSize: 1, page: 2 })
    expect(page2.total).toBe(2)
    expect(page2.rows.map((s) => s.id)).toEqual([ids.jiayi])
  })

  it('records that a search happened, never the term nor a name', async () => {
    const term = '黄佳怡'
    const rows = await auditedBy(t.db, async () => {
      await mine.caller.student.list({ search: term })
      await mine.caller.case.board({ search: term } as CaseListInput)
      await mine.caller.student.list({})
    })
    expect(rows.map((r) => [r.action, r.detail])).toEqual([
      ['student.list', 'rows:1,search:1'],
      ['case.list', 'rows:1,search:1'],
      ['student.list', 'rows:4'],
    ])
    const all = JSON.stringify(await auditRows(t.db))
    for (const text of [term, '佳怡', '示例', 'Zhang', '阿依古丽']) expect(all).not.toContain(text)
  })

  it('says which students already have an open case, in the list and the single read', async () => {
    const list = await mine.caller.student.list({ search: '黄' })
    expect(list.rows.map((s) => [s.id, s.openCaseId])).toEqual([
      [ids.demo, cases.demo],
      [ids.jiayi, null],
    ])
    expect((await mine.caller.student.byId({ id: ids.demo })).openCaseId).toBe(cases.demo)
    await mine.caller.case.close({ caseId: cases.demo, version: 1, outcome: '结案' })
    expect((await mine.caller.student.byId({ id: ids.demo })).openCaseId).toBeNull()
    expect((await mine.caller.student.list({ search: '黄佳怡' })).rows[0]!.openCaseId).toBeNull()
    // another school's open case never shows through
    expect((await theirs.caller.student.list({ search: '黄佳怡' })).rows[0]!.openCaseId).toBe(cases.other)
  })
})
