import { beforeAll, describe, expect, it } from 'vitest'
import type { CaseListInput } from '../../shared/case-schemas'
import { auditedBy } from '../fixtures/audit'
import { callerFor, Clock, expectRefusal, HOUR, type Caller } from '../fixtures/caller'
import { targets, useTestDatabase } from '../fixtures/db'
import { makeSchool } from '../fixtures/factories'
import { caseInput, makeCase, makeCounsellor, makeSignedIn, makeStudent, marker, type Counsellor } from '../fixtures/cases'

const T0 = '2026-03-02T01:00:00.000Z'
/** Midnight in Shanghai at the start of 3 March. */
const NEXT_MIDNIGHT = '2026-03-02T16:00:00.000Z'

describe.each(targets)('caseload board and counts on $name', (target) => {
  const t = useTestDatabase(target)
  let schoolId: number
  let c1: Counsellor
  let c2: Counsellor
  const ids: Record<'A' | 'B' | 'C' | 'D' | 'E', number> = { A: 0, B: 0, C: 0, D: 0, E: 0 }
  const markers = { name: marker('name'), concern: marker('concern'), note: marker('note') }

  const at = (c: Counsellor, iso: string): Caller => callerFor(t.db, c.actor, { now: new Clock(iso).now })
  const board = async (c: Counsellor, iso: string, input: Partial<CaseListInput> = {}) =>
    await at(c, iso).case.board(input as CaseListInput)
  const letters = (items: { id: number }[]) => items.map((i) => Object.entries(ids).find(([, id]) => id === i.id)?.[0] ?? `?${i.id}`)

  beforeAll(async () => {
    const clock = new Clock(T0)
    schoolId = (await makeSchool(t.db, { type: 'twelve_year' })).id
    c1 = await makeCounsellor(t.db, schoolId, clock)
    c2 = await makeCounsellor(t.db, schoolId, clock)
    const open = async (
      c: Counsellor,
      no: string,
      name: string,
      grade: number,
      className: string,
      over: Parameters<typeof caseInput>[2],
      counsellors = [c.account.id],
    ) => {
      const studentId = await makeStudent(c.caller, { studentNo: no, name, grade, className })
      return (await c.caller.case.open(caseInput(studentId, counsellors, over))).id
    }
    ids.A = await open(c1, 'BRD-701', `甲${markers.name}`, 7, '1班', {
      riskLevel: 'crisis',
      categories: ['self_harm'],
      concern: markers.concern,
    })
    ids.B = await open(c2, 'BRD-802', '乙同学', 8, '2班', { riskLevel: 'watch', categories: ['study', 'family'] })
    ids.C = await open(c1, 'BRD-702', '丙同学', 7, '2班', { riskLevel: 'high', categories: ['emotion'] }, [c1.account.id, c2.account.id])
    ids.D = await open(c2, 'BRD-901', '丁同学', 9, '1班', { riskLevel: 'routine', categories: ['study'] })
    ids.E = await open(c1, 'BRD-801', '戊同学', 8, '1班', { riskLevel: 'watch', categories: ['interpersonal'] })
    await c2.caller.case.close({ caseId: ids.D, version: 1, outcome: '结案' })
    await c1.caller.case.addFollowUp({ caseId: ids.E, dueOn: '2026-03-02', purpose: '当天回访' })
    await c1.caller.case.addNote({ caseId: ids.A, sessionDate: '2026-03-02', durationMin: 30, type: 'individual', text: markers.note })
  })

  it('sorts by severity, then by what falls due first, while nothing is overdue', async () => {
    const r = await board(c1, T0)
    expect(letters(r.items)).toEqual(['A', 'C', 'E', 'B'])
    expect(r.overdueCases).toBe(0)
    expect(r.byLevel).toEqual({ crisis: 1, high: 1, watch: 2, routine: 0 })
  })

  it('puts overdue cases on top once the clock passes their due times, then by severity', async () => {
    const r = await board(c2, NEXT_MIDNIGHT)
    expect(letters(r.items)).toEqual(['A', 'E', 'C', 'B'])
    expect(r.overdueCases).toBe(2)
    const a = r.items.find((i) => i.id === ids.A)!
    // The crisis's same-day tasks (principal, guardian, hospital); staying with the student is no task.
    expect(a).toMatchObject({ overdueTasks: 3, overdueFollowUps: 0, overdue: 3, openTasks: 6 })
    expect(r.items.find((i) => i.id === ids.E)).toMatchObject({ overdueTasks: 0, overdueFollowUps: 1, nextFollowUp: '2026-03-02' })
  })

  it('moves the overdue counts exactly when a due time passes', async () => {
    const interview = Date.parse(T0) + 24 * HOUR
    const c = async (ms: number) => (await board(c1, new Date(ms).toISOString())).items.find((i) => i.id === ids.C)!.overdueTasks
    expect(await c(interview)).toBe(0)
    expect(await c(interview + 1)).toBe(1)
    // the guardian meeting at 72 h
    expect(await c(interview + 48 * HOUR + 1)).toBe(2)
  })

  it('counts a completed task as no longer overdue', async () => {
    const late = new Date(Date.parse(T0) + 31 * 24 * HOUR).toISOString()
    const before = (await board(c1, late)).items.find((i) => i.id === ids.B)!
    expect(before.overdueTasks).toBe(3)
    const task = (await at(c2, late).case.byId({ id: ids.B })).tasks.find((x) => x.kind === 'head_teacher_monitoring')!
    await at(c2, late).case.completeTask({ taskId: task.id, status: 'done' })
    expect((await board(c1, late)).items.find((i) => i.id === ids.B)!.overdueTasks).toBe(2)
  })

  it.each([
    { name: 'closed cases', input: { status: 'closed' as const }, found: ['D'] },
    { name: 'all cases', input: { status: 'all' as const }, found: ['A', 'C', 'E', 'B', 'D'] },
    { name: 'one level', input: { riskLevel: 'watch' as const }, found: ['E', 'B'] },
    { name: 'one category', input: { category: 'study' as const }, found: ['B'] },
    { name: 'one category, open or closed', input: { category: 'study' as const, status: 'all' as const }, found: ['B', 'D'] },
    { name: 'one grade', input: { grade: 7 }, found: ['A', 'C'] },
    { name: 'one class', input: { grade: 8, className: '1班' }, found: ['E'] },
    { name: 'a class name across grades', input: { className: '2班' }, found: ['C', 'B'] },
    { name: 'a student number prefix', input: { search: 'BRD-80' }, found: ['E', 'B'] },
    { name: 'a full name', input: { search: '丙同学' }, found: ['C'] },
    { name: 'part of a name', input: { search: '丙' }, found: ['C'] },
    { name: 'a shared part of several names', input: { search: '同学' }, found: ['C', 'E', 'B'] },
    { name: 'my cases', input: { mine: true }, found: ['A', 'C', 'E'] },
  ])('filters by $name', async ({ input, found }) => {
    expect(letters((await board(c1, T0, input)).items)).toEqual(found)
  })

  it('shows each counsellor their own cases under "mine", and the shared caseload otherwise', async () => {
    expect(letters((await board(c2, T0, { mine: true })).items)).toEqual(['C', 'B'])
    expect(letters((await board(c2, T0)).items)).toEqual(['A', 'C', 'E', 'B'])
  })

  it('audits every board read, without names or search text', async () => {
    const rows = await auditedBy(t.db, () => board(c1, T0, { search: '丙同学' }))
    expect(rows.map((r) => [r.action, r.outcome, r.school_id, r.detail])).toEqual([['case.list', 'ok', schoolId, 'rows:1,search:1']])
    expect(JSON.stringify(rows)).not.toContain('丙同学')
  })

  it("shows nothing of this school on another school's board", async () => {
    const other = await makeCounsellor(t.db, (await makeSchool(t.db)).id)
    expect((await other.caller.case.board({ status: 'all', search: 'BRD-' } as CaseListInput)).items).toEqual([])
  })

  describe('counts for the school admin', () => {
    it('gives open cases by level and overdue counts, and nothing that identifies a student', async () => {
      const admin = await makeSignedIn(t.db, 'school_admin', schoolId)
      const counts = await callerFor(t.db, admin.actor, { now: new Clock(NEXT_MIDNIGHT).now }).case.schoolCounts()
      expect(counts).toEqual({ byLevel: { crisis: 1, high: 1, watch: 2, routine: 0 }, open: 4, overdueTasks: 3, overdueFollowUps: 1 })
      const text = JSON.stringify(counts)
      for (const m of Object.values(markers)) expect(text).not.toContain(m)
      for (const s of ['乙同学', '丙同学', 'BRD-']) expect(text).not.toContain(s)
    })

    it('lets counsellors see the same counts', async () => {
      expect((await at(c1, NEXT_MIDNIGHT).case.schoolCounts()).open).toBe(4)
    })

    it('keeps case content and the roster from the school admin', async () => {
      const admin = await makeSignedIn(t.db, 'school_admin', schoolId)
      await expectRefusal(admin.caller.case.byId({ id: ids.A }), 'FORBIDDEN', 'forbidden')
      await expectRefusal(admin.caller.case.board({} as CaseListInput), 'FORBIDDEN', 'forbidden')
      await expectRefusal(admin.caller.case.noteVersions({ noteId: 1 }), 'FORBIDDEN', 'forbidden')
      await expectRefusal(admin.caller.case.districtStats({ dimension: 'risk_level' }), 'FORBIDDEN', 'forbidden')
    })
  })
})

describe.each(targets)('district statistics on $name', (target) => {
  const t = useTestDatabase(target)
  let big: { id: number; code: string }
  let small: { id: number; code: string }
  let quiet: { id: number }
  const name = marker('stat')

  beforeAll(async () => {
    big = await makeSchool(t.db, { code: 'D-BIG' })
    small = await makeSchool(t.db, { code: 'D-SMALL' })
    quiet = await makeSchool(t.db, { code: 'D-QUIET' })
    const a = await makeCounsellor(t.db, big.id)
    const b = await makeCounsellor(t.db, small.id)
    for (let i = 0; i < 12; i++) {
      await makeCase(
        a,
        { riskLevel: i < 10 ? 'watch' : 'high', categories: i < 10 ? ['study'] : ['study', 'emotion'] },
        { name: `${name}-${i}` },
      )
    }
    for (let i = 0; i < 3; i++) await makeCase(b, { riskLevel: 'watch', categories: ['emotion'] }, { name: `${name}-s${i}` })
  })

  it('suppresses the school with 3 cases so that no total gives it away', async () => {
    const bureau = await makeSignedIn(t.db, 'bureau', null)
    const rows = await auditedBy(t.db, async () => {
      const stats = await bureau.caller.case.districtStats({ dimension: 'risk_level' })
      expect(stats.columns).toEqual(['crisis', 'high', 'watch', 'routine'])
      // every school is a row; one without cases shows published zeros
      expect(stats.rows.find((r) => r.schoolId === quiet.id)!.cells).toEqual([0, 0, 0, 0])
      const smallRow = stats.rows.find((r) => r.schoolId === small.id)!
      const bigRow = stats.rows.find((r) => r.schoolId === big.id)!
      expect(smallRow.cells[2]).toBeNull()
      expect(smallRow.total).toBeNull()
      // Whatever is published, 3 cannot be worked out: not from the grand total, not from the watch column.
      const published = [stats.total, bigRow.total, smallRow.total, stats.columnTotals[2], bigRow.cells[2], smallRow.cells[2]]
      if (stats.total != null) expect(bigRow.total).toBeNull()
      if (stats.columnTotals[2] != null) expect(bigRow.cells[2]).toBeNull()
      expect(published).not.toContain(3)
      // the 2 high-risk cases at the big school are small too
      expect(bigRow.cells[1]).toBeNull()
      expect(JSON.stringify(stats)).not.toContain(name)
    })
    expect(rows.map((r) => [r.action, r.detail])).toEqual([['case.district_stats', 'dimension:risk_level']])
  })

  it('suppresses small category and status cells the same way, with no row totals for categories', async () => {
    const bureau = await makeSignedIn(t.db, 'bureau', null)
    const byCategory = await bureau.caller.case.districtStats({ dimension: 'category' })
    expect(byCategory.columns).toEqual(['emotion', 'study'])
    expect(byCategory.total).toBeNull()
    const big = byCategory.rows.find((r) => r.schoolCode === 'D-BIG')!
    const small = byCategory.rows.find((r) => r.schoolCode === 'D-SMALL')!
    expect(big.total).toBeNull()
    // 12 study cases: published, or hidden to shield the small school's zeros (the attacker tests prove which suffices)
    expect([12, null]).toContain(big.cells[1])
    expect(small.cells[0]).toBeNull()
    expect(byCategory.columnTotals[0] == null || big.cells[0] == null).toBe(true)
    const byStatus = await bureau.caller.case.districtStats({ dimension: 'status' })
    expect(byStatus.columns).toEqual(['open', 'closed'])
    expect(byStatus.rows.find((r) => r.schoolCode === 'D-SMALL')!.cells[0]).toBeNull()
    expect(JSON.stringify([byCategory, byStatus])).not.toContain(name)
  })

  it('is for the bureau only', async () => {
    const counsellor = await makeCounsellor(t.db, big.id)
    await expectRefusal(counsellor.caller.case.districtStats({ dimension: 'risk_level' }), 'FORBIDDEN', 'forbidden')
    const admin = await makeSignedIn(t.db, 'admin', null)
    await expectRefusal(admin.caller.case.districtStats({ dimension: 'risk_level' }), 'FORBIDDEN', 'forbidden')
    await expectRefusal(admin.caller.case.schoolCounts(), 'FORBIDDEN', 'forbidden')
  })
})
