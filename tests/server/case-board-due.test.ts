import { beforeAll, describe, expect, it } from 'vitest'
import type { CaseListInput } from '../../shared/case-schemas'
import { dueWindow, followUpDueState, taskDueState } from '../../shared/due'
import { callerFor, Clock, type Caller } from '../fixtures/caller'
import { targets, useTestDatabase } from '../fixtures/db'
import { makeSchool } from '../fixtures/factories'
import { caseInput, makeCounsellor, makeStudent, type Counsellor } from '../fixtures/cases'

/** 09:00 on 2 March in Shanghai. */
const T0 = '2026-03-02T01:00:00.000Z'
/** The last millisecond of 2 March in Shanghai. */
const END_OF_DAY = '2026-03-02T15:59:59.999Z'
/** Midnight at the start of 3 March in Shanghai. */
const MIDNIGHT = '2026-03-02T16:00:00.000Z'
/** 08:00 on 3 March in Shanghai: the high-risk interview (due 24 h after opening, 09:00) is due today. */
const NEXT_MORNING = '2026-03-03T00:00:00.000Z'

describe.each(targets)('the overdue / due-today view of the caseload on $name', (target) => {
  const t = useTestDatabase(target)
  let c: Counsellor
  const ids = { crisis: 0, high: 0, watch: 0, routine: 0 }

  const at = (iso: string): Caller => callerFor(t.db, c.actor, { now: new Clock(iso).now })
  const board = (iso: string, input: Partial<CaseListInput> = {}) => at(iso).case.board(input as CaseListInput)
  const names = (items: { id: number }[]) => items.map((i) => Object.entries(ids).find(([, id]) => id === i.id)?.[0] ?? `?${i.id}`)

  beforeAll(async () => {
    const clock = new Clock(T0)
    c = await makeCounsellor(t.db, (await makeSchool(t.db, { type: 'junior' })).id, clock)
    const open = async (riskLevel: keyof typeof ids, no: string) => {
      const studentId = await makeStudent(c.caller, { studentNo: no, grade: 7 })
      return (await c.caller.case.open(caseInput(studentId, [c.account.id], { riskLevel, openedOn: '2026-03-02' }))).id
    }
    // crisis: three "same day" tasks due at the end of today (staying with the student is no task: nothing falls due at once)
    ids.crisis = await open('crisis', 'DUE-1')
    // high: first task (the interview) 24 h after opening
    ids.high = await open('high', 'DUE-2')
    // watch: tasks a week and more away, plus a follow-up planned for today
    ids.watch = await open('watch', 'DUE-3')
    await c.caller.case.addFollowUp({ caseId: ids.watch, dueOn: '2026-03-02', purpose: '当天回访' })
    // routine: no tasks, a follow-up tomorrow
    ids.routine = await open('routine', 'DUE-4')
    await c.caller.case.addFollowUp({ caseId: ids.routine, dueOn: '2026-03-03' })
  })

  it.each([
    {
      when: 'at the moment the crisis case opened (nothing due that very instant)',
      iso: T0,
      counts: { crisis: [0, 3], high: [0, 0], watch: [0, 1], routine: [0, 0] },
    },
    { when: '1 ms later', iso: '2026-03-02T01:00:00.001Z', counts: { crisis: [0, 3], high: [0, 0], watch: [0, 1], routine: [0, 0] } },
    {
      when: 'at the last millisecond of the day',
      iso: END_OF_DAY,
      counts: { crisis: [0, 3], high: [0, 0], watch: [0, 1], routine: [0, 0] },
    },
    // from midnight, what falls due at 09:00 (the crisis case's incident record and 24 h follow-up, the
    // high case's interview) is due today, and the watch case's follow-up of yesterday overdue
    { when: 'at midnight', iso: MIDNIGHT, counts: { crisis: [3, 2], high: [0, 1], watch: [1, 0], routine: [0, 1] } },
    { when: 'at 08:00 the next morning', iso: NEXT_MORNING, counts: { crisis: [3, 2], high: [0, 1], watch: [1, 0], routine: [0, 1] } },
  ])('counts overdue and due-today items $when', async ({ iso, counts }) => {
    const items = (await board(iso)).items
    const got = Object.fromEntries(
      Object.entries(ids).map(([k, id]) => {
        const i = items.find((x) => x.id === id)!
        return [k, [i.overdue, i.dueToday]]
      }),
    )
    expect(got).toEqual(counts)
  })

  it('agrees, case by case, with the shared rule applied to the tasks and follow-ups of each file', async () => {
    for (const iso of [
      T0,
      '2026-03-02T01:00:00.001Z',
      '2026-03-02T12:00:00.000Z',
      END_OF_DAY,
      MIDNIGHT,
      NEXT_MORNING,
      '2026-03-20T04:00:00.000Z',
    ]) {
      const w = dueWindow(new Date(iso))
      for (const item of (await board(iso)).items) {
        const file = await at(iso).case.byId({ id: item.id })
        const tasks = file.tasks.filter((x) => x.status === 'open').map((x) => taskDueState(x.dueAt, w))
        const followUps = file.followUps.filter((f) => f.status === 'planned').map((f) => followUpDueState(f.dueOn, w))
        const states = [...tasks, ...followUps]
        expect({ at: iso, id: item.id, overdue: item.overdue, dueToday: item.dueToday }).toEqual({
          at: iso,
          id: item.id,
          overdue: states.filter((s) => s === 'overdue').length,
          dueToday: states.filter((s) => s === 'today').length,
        })
        // and the file marks exactly the overdue tasks as overdue
        expect(file.tasks.filter((x) => x.overdue).length).toBe(tasks.filter((s) => s === 'overdue').length)
      }
    }
  })

  it.each([
    { view: 'overdue_or_today' as const, iso: '2026-03-02T03:00:00.000Z', shown: ['crisis', 'watch'] },
    { view: 'overdue' as const, iso: '2026-03-02T03:00:00.000Z', shown: [] },
    { view: 'today' as const, iso: '2026-03-02T03:00:00.000Z', shown: ['crisis', 'watch'] },
    { view: 'today' as const, iso: NEXT_MORNING, shown: ['crisis', 'high', 'routine'] },
    { view: 'overdue' as const, iso: NEXT_MORNING, shown: ['crisis', 'watch'] },
    { view: 'overdue_or_today' as const, iso: NEXT_MORNING, shown: ['crisis', 'watch', 'high', 'routine'] },
  ])('shows $shown in the $view view at $iso', async ({ view, iso, shown }) => {
    const r = await board(iso, { due: view })
    expect(names(r.items)).toEqual(shown)
    expect(r.total).toBe(shown.length)
  })

  it('keeps the numbers on the cards while a card filters the board', async () => {
    const iso = '2026-03-02T03:00:00.000Z'
    const whole = await board(iso)
    expect(whole).toMatchObject({ byLevel: { crisis: 1, high: 1, watch: 1, routine: 1 }, overdueCases: 0, dueTodayCases: 2, total: 4 })
    for (const input of [
      { riskLevel: 'crisis' as const },
      { due: 'overdue' as const },
      { due: 'today' as const, riskLevel: 'watch' as const },
    ]) {
      const filtered = await board(iso, input)
      expect(filtered.byLevel).toEqual(whole.byLevel)
      expect([filtered.overdueCases, filtered.dueTodayCases]).toEqual([whole.overdueCases, whole.dueTodayCases])
    }
    expect(names((await board(iso, { due: 'today', riskLevel: 'watch' })).items)).toEqual(['watch'])
    expect(names((await board(iso, { riskLevel: 'high' })).items)).toEqual(['high'])
  })

  it('says what falls due next on each case', async () => {
    const items = (await board('2026-03-02T03:00:00.000Z')).items
    const next = (id: number) => items.find((i) => i.id === id)!.nextDue
    expect(next(ids.crisis)).toEqual({ kind: 'task', at: END_OF_DAY })
    expect(next(ids.high)).toEqual({ kind: 'task', at: '2026-03-03T01:00:00.000Z' })
    // the follow-up today comes before the first watch task a week away
    expect(next(ids.watch)).toEqual({ kind: 'followUp', on: '2026-03-02' })
    expect(next(ids.routine)).toEqual({ kind: 'followUp', on: '2026-03-03' })
  })

  it('refuses a due view it does not know', async () => {
    await expect(board(T0, { due: 'soon' as never })).rejects.toMatchObject({ code: 'BAD_REQUEST' })
  })
})
