import { beforeAll, describe, expect, it } from 'vitest'
import { INBOX_PAGE_SIZE } from '../../shared/inbox'
import { Clock, expectRefusal, MINUTE } from '../fixtures/caller'
import { targets, useTestDatabase } from '../fixtures/db'
import { makeSchool } from '../fixtures/factories'
import { caseInput, makeCounsellor, makeSignedIn, makeStudent, marker, type Counsellor } from '../fixtures/cases'

const T0 = '2026-03-02T01:00:00.000Z'

describe.each(targets)('the notification inbox on $name', (target) => {
  const t = useTestDatabase(target)
  let clock: Clock
  let me: Counsellor
  let colleague: Counsellor
  let third: Counsellor

  beforeAll(async () => {
    clock = new Clock(T0)
    const schoolId = (await makeSchool(t.db)).id
    me = await makeCounsellor(t.db, schoolId, clock)
    colleague = await makeCounsellor(t.db, schoolId, clock)
    third = await makeCounsellor(t.db, schoolId, clock)
  })

  it('tells the colleagues put on a new case, not the one who opened it, and nothing of what the case is about', async () => {
    const concern = marker('concern')
    const name = `学生${marker('name')}`
    const studentId = await makeStudent(me.caller, { name })
    const before = await colleague.caller.inbox.unread()
    const { id } = await me.caller.case.open(caseInput(studentId, [me.account.id, colleague.account.id], { concern }))
    expect(await colleague.caller.inbox.unread()).toBe(before + 1)
    expect(await me.caller.inbox.unread()).toBe(0)
    const inbox = await colleague.caller.inbox.list({})
    expect(inbox.items[0]).toMatchObject({
      kind: 'case.assigned',
      entityType: 'case',
      entityId: id,
      read: false,
      link: `/school/cases/${id}`,
    })
    const text = JSON.stringify(inbox)
    expect(text).not.toContain(concern)
    expect(text).not.toContain(name)
  })

  it('tells only the counsellors newly added when a case changes hands', async () => {
    const studentId = await makeStudent(me.caller)
    const { id } = await me.caller.case.open(caseInput(studentId, [me.account.id, colleague.account.id]))
    const [c0, t0] = [await colleague.caller.inbox.unread(), await third.caller.inbox.unread()]
    await me.caller.case.update({
      caseId: id,
      version: 1,
      source: 'head_teacher',
      categories: ['emotion'],
      flags: [],
      concern: '情绪低落',
      counsellorIds: [me.account.id, colleague.account.id, third.account.id],
    })
    expect(await colleague.caller.inbox.unread()).toBe(c0)
    expect(await third.caller.inbox.unread()).toBe(t0 + 1)
  })

  it("tells the case's other counsellors of a crisis, in the crisis's own transaction", async () => {
    const studentId = await makeStudent(me.caller)
    const { id } = await me.caller.case.open(caseInput(studentId, [me.account.id, colleague.account.id]))
    const before = await colleague.caller.inbox.unread()
    clock.advance(10 * MINUTE)
    await me.caller.case.recordCrisis({ caseId: id, occurredAt: T0, what: '自伤', actions: '陪同', accompanied: true })
    expect(await colleague.caller.inbox.unread()).toBe(before + 1)
    expect((await colleague.caller.inbox.list({ unreadOnly: true })).items[0]).toMatchObject({ kind: 'case.crisis', entityId: id })
    // A refused crisis (dated before the case opened) tells nobody.
    await expectRefusal(
      me.caller.case.recordCrisis({ caseId: id, occurredAt: '2026-02-01T01:00:00.000Z', what: 'x', actions: 'y', accompanied: true }),
      'BAD_REQUEST',
      'case.dateBeforeOpened',
    )
    expect(await colleague.caller.inbox.unread()).toBe(before + 1)
  })

  it("marks read only one's own items: another account's ids change nothing", async () => {
    const mine = await colleague.caller.inbox.list({})
    const someone = mine.items[0]!
    expect(await third.caller.inbox.markRead({ ids: [someone.id] })).toEqual({ marked: 0 })
    expect((await colleague.caller.inbox.list({})).items[0]!.read).toBe(false)
    expect(await colleague.caller.inbox.markRead({ ids: [someone.id] })).toEqual({ marked: 1 })
    expect(await colleague.caller.inbox.markRead({ ids: [someone.id] })).toEqual({ marked: 0 })
    const unread = await colleague.caller.inbox.unread()
    expect(await colleague.caller.inbox.markRead({ all: true })).toEqual({ marked: unread })
    expect(await colleague.caller.inbox.unread()).toBe(0)
    expect((await colleague.caller.inbox.list({ unreadOnly: true })).items).toEqual([])
  })

  it('pages newest first, and every role has its own inbox (empty here)', async () => {
    const studentIds = []
    for (let i = 0; i < INBOX_PAGE_SIZE + 2; i++) studentIds.push(await makeStudent(me.caller))
    for (const s of studentIds) {
      clock.advance(MINUTE)
      await me.caller.case.open(caseInput(s, [me.account.id, third.account.id]))
    }
    const first = await third.caller.inbox.list({ page: 1 })
    const second = await third.caller.inbox.list({ page: 2 })
    expect(first.items).toHaveLength(INBOX_PAGE_SIZE)
    const all = [...first.items, ...second.items]
    expect(all.map((x) => x.createdAt)).toEqual([...all.map((x) => x.createdAt)].sort().reverse())
    expect(new Set(all.map((x) => x.id)).size).toBe(all.length)
    for (const role of ['admin', 'bureau', 'school_admin', 'expert', 'researcher'] as const) {
      const who = await makeSignedIn(t.db, role, role === 'school_admin' ? (await makeSchool(t.db)).id : null)
      expect(await who.caller.inbox.list({})).toEqual({ items: [], total: 0, unread: 0 })
    }
  })

  it('refuses bad input at the edge', async () => {
    await expectRefusal(me.caller.inbox.markRead({ ids: [] }), 'BAD_REQUEST')
    await expectRefusal(me.caller.inbox.markRead({ all: false } as never), 'BAD_REQUEST')
    await expectRefusal(me.caller.inbox.list({ page: 0 }), 'BAD_REQUEST')
  })
})
