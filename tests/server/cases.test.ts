import { beforeAll, describe, expect, it } from 'vitest'
import { auditedBy } from '../fixtures/audit'
import { callerFor, Clock, expectRefusal, HOUR, MINUTE, type Caller } from '../fixtures/caller'
import { APP_TABLES, snapshotTables, targets, useTestDatabase } from '../fixtures/db'
import { makeSchool } from '../fixtures/factories'
import { caseInput, makeCase, makeCounsellor, makeSignedIn, makeStudent, type Counsellor } from '../fixtures/cases'

/** Monday 2 March 2026, 09:00 in Shanghai. */
const T0 = '2026-03-02T01:00:00.000Z'
const DAY = 24 * HOUR
const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString()

describe.each(targets)('case files on $name', (target) => {
  const t = useTestDatabase(target)
  let schoolId: number
  let me: Counsellor
  let colleague: Counsellor
  let stranger: Counsellor

  /** The same counsellor acting on another clock. */
  const at = (c: Counsellor, clock: Clock): Caller => callerFor(t.db, c.actor, { now: clock.now })

  /** Every table except the audit trail, to prove a refusal changed nothing. */
  async function dataSnapshot() {
    const all = await snapshotTables(t.db)
    return Object.fromEntries(APP_TABLES.filter((x) => x !== 'audit_event' && x !== 'audit_head').map((x) => [x, all[x]]))
  }

  beforeAll(async () => {
    const clock = new Clock(T0)
    schoolId = (await makeSchool(t.db)).id
    me = await makeCounsellor(t.db, schoolId, clock)
    colleague = await makeCounsellor(t.db, schoolId, clock)
    stranger = await makeCounsellor(t.db, (await makeSchool(t.db)).id, clock)
  })

  describe('opening a case', () => {
    it("opens a case with the level's tasks due from the moment it was opened, and audits it", async () => {
      const studentId = await makeStudent(me.caller)
      let id = 0
      const rows = await auditedBy(t.db, async () => {
        id = (
          await me.caller.case.open(
            caseInput(studentId, [me.account.id, colleague.account.id], {
              riskLevel: 'high',
              categories: ['self_harm', 'emotion', 'emotion'],
              flags: ['left_behind'],
              source: 'screening',
            }),
          )
        ).id
      })
      expect(rows.map((r) => [r.action, r.entity_type, r.entity_id, r.school_id, r.detail])).toEqual([
        ['case.open', 'case', String(id), schoolId, 'level:high'],
      ])
      const file = await me.caller.case.byId({ id })
      expect(file).toMatchObject({
        status: 'open',
        riskLevel: 'high',
        source: 'screening',
        categories: ['self_harm', 'emotion'],
        flags: ['left_behind'],
        concern: '情绪低落，上课走神',
        openedOn: '2026-03-01',
        version: 1,
        closedAt: null,
        outcome: null,
      })
      expect(file.counsellors.map((c) => c.id).sort()).toEqual([me.account.id, colleague.account.id].sort())
      expect(file.student?.id).toBe(studentId)
      expect(file.tasks.map((x) => [x.kind, x.dueAt, x.status, x.overdue])).toEqual([
        ['interview_24h', plus(T0, DAY), 'open', false],
        ['guardian_meeting', plus(T0, 3 * DAY), 'open', false],
        ['referral_recommendation', plus(T0, 7 * DAY), 'open', false],
        ['individual_plan', plus(T0, 7 * DAY), 'open', false],
        ['weekly_follow_up', plus(T0, 7 * DAY), 'open', false],
      ])
      expect(file.risks.map((r) => [r.kind, r.from, r.to, r.reason, r.at])).toEqual([['opened', null, 'high', null, T0]])
    })

    it('opens a crisis at 23:30 Shanghai with the same-day tasks due before midnight Shanghai', async () => {
      const clock = new Clock('2026-03-02T15:30:00.000Z')
      const studentId = await makeStudent(me.caller)
      const { id } = await at(me, clock).case.open(caseInput(studentId, [me.account.id], { riskLevel: 'crisis', openedOn: '2026-03-02' }))
      const file = await at(me, clock).case.byId({ id })
      const due = Object.fromEntries(file.tasks.map((x) => [x.kind, x.dueAt]))
      expect(due).toEqual({
        notify_principal: '2026-03-02T15:59:59.999Z',
        notify_guardian: '2026-03-02T15:59:59.999Z',
        hospital_referral: '2026-03-02T15:59:59.999Z',
        incident_record: '2026-03-03T15:30:00.000Z',
        follow_up_24h: '2026-03-03T15:30:00.000Z',
        return_plan: '2026-03-16T15:30:00.000Z',
      })
    })

    it('opens a routine case without tasks', async () => {
      const { caseId } = await makeCase(me, { riskLevel: 'routine' })
      expect((await me.caller.case.byId({ id: caseId })).tasks).toEqual([])
    })

    it('answers a student of another school exactly as a missing one, writing nothing', async () => {
      const foreign = await makeStudent(stranger.caller)
      const before = await snapshotTables(t.db)
      const a = await expectRefusal(me.caller.case.open(caseInput(foreign, [me.account.id])), 'NOT_FOUND', 'notFound')
      const b = await expectRefusal(me.caller.case.open(caseInput(999_999, [me.account.id])), 'NOT_FOUND', 'notFound')
      expect(a.message).toBe(b.message)
      expect(await snapshotTables(t.db)).toEqual(before)
    })

    it('refuses to assign a counsellor of another school, or a school admin', async () => {
      const studentId = await makeStudent(me.caller)
      const admin = await makeSignedIn(t.db, 'school_admin', schoolId)
      const before = await snapshotTables(t.db)
      await expectRefusal(
        me.caller.case.open(caseInput(studentId, [me.account.id, stranger.account.id])),
        'BAD_REQUEST',
        'case.counsellorNotInSchool',
      )
      await expectRefusal(me.caller.case.open(caseInput(studentId, [admin.account.id])), 'BAD_REQUEST', 'case.counsellorNotInSchool')
      expect(await snapshotTables(t.db)).toEqual(before)
    })

    it('refuses a second open case for the same student', async () => {
      const { studentId } = await makeCase(me)
      const before = await snapshotTables(t.db)
      await expectRefusal(colleague.caller.case.open(caseInput(studentId, [colleague.account.id])), 'CONFLICT', 'case.openCaseExists')
      expect(await snapshotTables(t.db)).toEqual(before)
    })

    it('opens only one case when the same student is opened twice at once (a double click)', async () => {
      const studentId = await makeStudent(me.caller)
      const results = await Promise.allSettled([
        me.caller.case.open(caseInput(studentId, [me.account.id])),
        colleague.caller.case.open(caseInput(studentId, [colleague.account.id])),
      ])
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
      const failure = results.find((r) => r.status === 'rejected') as PromiseRejectedResult
      expect([failure.reason.code, failure.reason.appCode]).toEqual(['CONFLICT', 'case.openCaseExists'])
      const open = await t.db
        .selectFrom('student_case')
        .select('id')
        .where('student_id', '=', studentId)
        .where('status', '=', 'open')
        .execute()
      expect(open).toHaveLength(1)
    })

    it('refuses an opening date in the future', async () => {
      const studentId = await makeStudent(me.caller)
      await expectRefusal(
        me.caller.case.open(caseInput(studentId, [me.account.id], { openedOn: '2026-03-03' })),
        'BAD_REQUEST',
        'validation',
      )
    })

    it.each([
      ['no category', { categories: [] }],
      ['no counsellor', { counsellorIds: [] }],
      ['an empty concern', { concern: '   ' }],
      ['an oversized concern', { concern: '长'.repeat(2001) }],
      ['an unknown level', { riskLevel: 'severe' }],
      ['an unknown category', { categories: ['diagnosis'] }],
    ])('refuses %s at the edge', async (_name, over) => {
      const studentId = await makeStudent(me.caller)
      await expectRefusal(me.caller.case.open({ ...caseInput(studentId, [me.account.id]), ...over } as never), 'BAD_REQUEST')
    })

    it('lists the counsellors of the own school for assignment', async () => {
      const list = await me.caller.case.counsellors()
      const ids = list.map((c) => c.id)
      expect(ids).toContain(me.account.id)
      expect(ids).toContain(colleague.account.id)
      expect(ids).not.toContain(stranger.account.id)
    })

    it('lets a student have a new case after the last one closed, and shows the old one, collapsed after a year', async () => {
      const { caseId: first, studentId } = await makeCase(me, { openedOn: '2025-01-06' })
      await me.caller.case.close({ caseId: first, version: 1, outcome: '好转' })
      const { id: second } = await me.caller.case.open(caseInput(studentId, [me.account.id], { openedOn: '2026-03-02' }))
      const now = await me.caller.case.byId({ id: second })
      expect(now.otherCases).toEqual([expect.objectContaining({ id: first, status: 'closed', collapsed: false })])
      const later = new Clock(plus(T0, 366 * DAY))
      expect((await at(me, later).case.byId({ id: second })).otherCases[0]!.collapsed).toBe(true)
    })
  })

  describe('session notes', () => {
    it('refuses a session date before the case opened, or in the future', async () => {
      const { caseId } = await makeCase(me)
      const note = { caseId, durationMin: 40, type: 'individual' as const, text: '记录' }
      const before = await snapshotTables(t.db)
      const e = await expectRefusal(me.caller.case.addNote({ ...note, sessionDate: '2026-02-28' }), 'BAD_REQUEST', 'case.dateBeforeOpened')
      expect(e.params).toEqual({ openedOn: '2026-03-01' })
      await expectRefusal(me.caller.case.addNote({ ...note, sessionDate: '2026-03-03' }), 'BAD_REQUEST', 'validation')
      await expectRefusal(me.caller.case.addNote({ ...note, sessionDate: '2026-03-02', text: '长'.repeat(20_001) }), 'BAD_REQUEST')
      await expectRefusal(me.caller.case.addNote({ ...note, sessionDate: '2026-03-02', durationMin: 601 }), 'BAD_REQUEST')
      expect(await snapshotTables(t.db)).toEqual(before)
    })

    it('shows a private note to its author, and to colleagues only that it exists', async () => {
      const { caseId } = await makeCase(me)
      const { id } = await me.caller.case.addNote({
        caseId,
        sessionDate: '2026-03-02',
        durationMin: 30,
        type: 'phone',
        text: '只给自己看的工作笔记',
        private: true,
      })
      await me.caller.case.addNote({ caseId, sessionDate: '2026-03-01', durationMin: 45, type: 'individual', text: '共享记录' })
      const mine = (await me.caller.case.byId({ id: caseId })).notes
      expect(mine.map((n) => [n.text, n.private, n.hidden])).toEqual([
        ['共享记录', false, false],
        ['只给自己看的工作笔记', true, false],
      ])
      const theirs = await colleague.caller.case.byId({ id: caseId })
      expect(theirs.notes.find((n) => n.id === id)).toMatchObject({
        id,
        private: true,
        hidden: true,
        text: null,
        durationMin: null,
        type: null,
        editable: false,
      })
      expect(JSON.stringify(theirs)).not.toContain('只给自己看的工作笔记')
      await expectRefusal(colleague.caller.case.noteVersions({ noteId: id }), 'NOT_FOUND', 'notFound')
      await expectRefusal(
        colleague.caller.case.editNote({ noteId: id, version: 1, sessionDate: '2026-03-02', durationMin: 30, type: 'phone', text: '偷改' }),
        'NOT_FOUND',
        'notFound',
      )
    })

    it('lets the author edit within 24 h and keeps the earlier text as a version', async () => {
      const clock = new Clock(T0)
      const { caseId } = await makeCase(me)
      const { id } = await at(me, clock).case.addNote({
        caseId,
        sessionDate: '2026-03-02',
        durationMin: 30,
        type: 'individual',
        text: '第一稿',
      })
      clock.advance(23 * HOUR + 59 * MINUTE)
      const rows = await auditedBy(t.db, () =>
        at(me, clock).case.editNote({
          noteId: id,
          version: 1,
          sessionDate: '2026-03-02',
          durationMin: 50,
          type: 'parent_meeting',
          text: '第二稿',
        }),
      )
      expect(rows.map((r) => [r.action, r.entity_type, r.entity_id])).toEqual([['case.note_edit', 'case_note', String(id)]])
      const note = (await at(me, clock).case.byId({ id: caseId })).notes.find((n) => n.id === id)!
      expect(note).toMatchObject({ text: '第二稿', durationMin: 50, type: 'parent_meeting', version: 2, editedVersions: 1, editable: true })
      const versions = await at(colleague, clock).case.noteVersions({ noteId: id })
      expect(versions).toEqual([
        {
          version: 1,
          sessionDate: '2026-03-02',
          durationMin: 30,
          type: 'individual',
          text: '第一稿',
          replacedAt: clock.now().toISOString(),
        },
      ])
    })

    it('refuses edits by another counsellor and by the author after 24 h', async () => {
      const clock = new Clock(T0)
      const { caseId } = await makeCase(me)
      const { id } = await at(me, clock).case.addNote({
        caseId,
        sessionDate: '2026-03-02',
        durationMin: 30,
        type: 'individual',
        text: '原文',
      })
      const edit = { noteId: id, version: 1, sessionDate: '2026-03-02', durationMin: 30, type: 'individual' as const, text: '改动' }
      const before = await dataSnapshot()
      await expectRefusal(at(colleague, clock).case.editNote(edit), 'FORBIDDEN', 'note.notEditable')
      clock.advance(DAY + MINUTE)
      await expectRefusal(at(me, clock).case.editNote(edit), 'FORBIDDEN', 'note.notEditable')
      expect(await dataSnapshot()).toEqual(before)
      expect((await at(me, clock).case.byId({ id: caseId })).notes[0]).toMatchObject({ text: '原文', editable: false })
    })

    it('answers an edit from a stale version with a conflict and keeps the newer text', async () => {
      const { caseId } = await makeCase(me)
      const { id } = await me.caller.case.addNote({ caseId, sessionDate: '2026-03-02', durationMin: 30, type: 'individual', text: 'v1' })
      const edit = { noteId: id, sessionDate: '2026-03-02', durationMin: 30, type: 'individual' as const }
      await me.caller.case.editNote({ ...edit, version: 1, text: 'v2 from the phone' })
      const before = await snapshotTables(t.db)
      await expectRefusal(me.caller.case.editNote({ ...edit, version: 1, text: 'v2 from the laptop' }), 'CONFLICT', 'conflict')
      expect(await snapshotTables(t.db)).toEqual(before)
      expect((await me.caller.case.byId({ id: caseId })).notes[0]!.text).toBe('v2 from the phone')
    })
  })

  describe('risk level', () => {
    it('requires a reason', async () => {
      const { caseId } = await makeCase(me)
      await expectRefusal(me.caller.case.changeRisk({ caseId, version: 1, level: 'high', reason: '' }), 'BAD_REQUEST')
      await expectRefusal(me.caller.case.changeRisk({ caseId, version: 1, level: 'high', reason: '   ' }), 'BAD_REQUEST')
      await expectRefusal(me.caller.case.changeRisk({ caseId, version: 1, level: 'high' } as never), 'BAD_REQUEST')
    })

    it("keeps the history and creates the new level's tasks due from the change", async () => {
      const clock = new Clock(T0)
      const { caseId } = await makeCase(me, { riskLevel: 'watch' })
      clock.advance(3 * HOUR)
      const changedAt = clock.now().toISOString()
      const rows = await auditedBy(t.db, () =>
        at(me, clock).case.changeRisk({ caseId, version: 1, level: 'high', reason: '自述有自伤想法' }),
      )
      expect(rows.map((r) => [r.action, r.detail])).toEqual([['case.risk_change', 'watch>high']])
      const file = await at(me, clock).case.byId({ id: caseId })
      expect(file).toMatchObject({ riskLevel: 'high', version: 2 })
      expect(file.risks.map((r) => [r.kind, r.from, r.to, r.reason])).toEqual([
        ['opened', null, 'watch', null],
        ['changed', 'watch', 'high', '自述有自伤想法'],
      ])
      expect(file.tasks.filter((x) => x.level === 'high').map((x) => [x.kind, x.dueAt])).toEqual([
        ['interview_24h', plus(changedAt, DAY)],
        ['guardian_meeting', plus(changedAt, 3 * DAY)],
        ['referral_recommendation', plus(changedAt, 7 * DAY)],
        ['individual_plan', plus(changedAt, 7 * DAY)],
        ['weekly_follow_up', plus(changedAt, 7 * DAY)],
      ])
      expect(file.tasks.filter((x) => x.level === 'watch')).toHaveLength(3)
    })

    it('answers a change from a stale version with a conflict and changes nothing', async () => {
      const { caseId } = await makeCase(me)
      await me.caller.case.changeRisk({ caseId, version: 1, level: 'high', reason: '第一位老师' })
      const before = await snapshotTables(t.db)
      await expectRefusal(
        colleague.caller.case.changeRisk({ caseId, version: 1, level: 'routine', reason: '第二位老师' }),
        'CONFLICT',
        'conflict',
      )
      expect(await snapshotTables(t.db)).toEqual(before)
      expect((await me.caller.case.byId({ id: caseId })).riskLevel).toBe('high')
    })
  })

  describe('crisis events', () => {
    it('raises the case to crisis and starts the 24 h clock from now, even when it already was crisis', async () => {
      const clock = new Clock(T0)
      const { caseId } = await makeCase(me, { riskLevel: 'watch' })
      const crisis = {
        caseId,
        what: '课间在走廊割腕',
        actions: '送医务室',
        accompanied: true,
        notified: [{ recipient: 'principal' as const, name: '校长', at: '2026-03-02T09:10:00+08:00' }],
      }
      clock.advance(HOUR)
      const first = clock.now().toISOString()
      const rows = await auditedBy(t.db, () => at(me, clock).case.recordCrisis({ ...crisis, occurredAt: '2026-03-02T09:00:00+08:00' }))
      expect(rows.map((r) => r.action)).toEqual(['case.crisis'])
      clock.advance(5 * HOUR)
      const second = clock.now().toISOString()
      await at(colleague, clock).case.recordCrisis({
        ...crisis,
        occurredAt: '2026-03-02T14:00:00+08:00',
        what: '再次出现自伤',
        notified: [{ recipient: 'principal', name: '校长', at: '2026-03-02T14:10:00+08:00' }],
      })
      const file = await at(me, clock).case.byId({ id: caseId })
      expect(file.riskLevel).toBe('crisis')
      expect(file.tasks.filter((x) => x.kind === 'follow_up_24h').map((x) => x.dueAt)).toEqual([plus(first, DAY), plus(second, DAY)])
      expect(file.risks.map((r) => [r.kind, r.from, r.to, r.reason])).toEqual([
        ['opened', null, 'watch', null],
        ['crisis', 'watch', 'crisis', null],
        ['crisis', 'crisis', 'crisis', null],
      ])
      expect(file.crises.map((c) => [c.occurredAt, c.what, c.actions, c.notified])).toEqual([
        [
          '2026-03-02T01:00:00.000Z',
          '课间在走廊割腕',
          '送医务室',
          [{ recipient: 'principal', name: '校长', at: '2026-03-02T01:10:00.000Z' }],
        ],
        [
          '2026-03-02T06:00:00.000Z',
          '再次出现自伤',
          '送医务室',
          [{ recipient: 'principal', name: '校长', at: '2026-03-02T06:10:00.000Z' }],
        ],
      ])
    })

    it('refuses a crisis dated before the case opened', async () => {
      const { caseId } = await makeCase(me)
      await expectRefusal(
        me.caller.case.recordCrisis({ caseId, occurredAt: '2026-02-28T23:00:00+08:00', what: 'x', actions: 'y', accompanied: true }),
        'BAD_REQUEST',
        'case.dateBeforeOpened',
      )
    })
  })

  describe('tasks and follow-ups', () => {
    it('completes a task once; the second time says it is no longer open', async () => {
      const { caseId } = await makeCase(me, { riskLevel: 'high' })
      const task = (await me.caller.case.byId({ id: caseId })).tasks[0]!
      const rows = await auditedBy(t.db, () => colleague.caller.case.completeTask({ taskId: task.id, status: 'done' }))
      expect(rows.map((r) => [r.action, r.detail])).toEqual([['case.task_complete', `${task.kind}:done`]])
      const done = (await me.caller.case.byId({ id: caseId })).tasks.find((x) => x.id === task.id)
      expect(done).toMatchObject({ status: 'done', completedAt: T0 })
      await expectRefusal(
        me.caller.case.completeTask({ taskId: task.id, status: 'not_applicable', reason: '不适用' }),
        'BAD_REQUEST',
        'task.notOpen',
      )
    })

    it('plans a follow-up, completes it once, and refuses a date before the case opened', async () => {
      const { caseId } = await makeCase(me)
      await expectRefusal(
        me.caller.case.addFollowUp({ caseId, dueOn: '2026-02-20', purpose: '复查' }),
        'BAD_REQUEST',
        'case.dateBeforeOpened',
      )
      const { id } = await me.caller.case.addFollowUp({ caseId, dueOn: '2026-03-09', purpose: '一周后复查' })
      expect((await me.caller.case.byId({ id: caseId })).followUps).toEqual([
        { id, dueOn: '2026-03-09', purpose: '一周后复查', status: 'planned', doneAt: null, overdue: false },
      ])
      await me.caller.case.completeFollowUp({ followUpId: id, status: 'done' })
      await expectRefusal(me.caller.case.completeFollowUp({ followUpId: id, status: 'done' }), 'BAD_REQUEST', 'task.notOpen')
      expect((await me.caller.case.byId({ id: caseId })).followUps[0]).toMatchObject({ status: 'done', doneAt: T0 })
    })

    it('marks tasks and follow-ups overdue in the file once the clock passes their due time', async () => {
      const clock = new Clock(T0)
      const { caseId } = await makeCase(me, { riskLevel: 'high' })
      await at(me, clock).case.addFollowUp({ caseId, dueOn: '2026-03-02' })
      const overdue = async () => {
        const f = await at(me, clock).case.byId({ id: caseId })
        return { tasks: f.tasks.filter((x) => x.overdue).map((x) => x.kind), followUps: f.followUps.filter((x) => x.overdue).length }
      }
      expect(await overdue()).toEqual({ tasks: [], followUps: 0 })
      clock.t = Date.parse(plus(T0, DAY))
      expect(await overdue()).toEqual({ tasks: [], followUps: 1 })
      clock.advance(1)
      expect(await overdue()).toEqual({ tasks: ['interview_24h'], followUps: 1 })
    })
  })

  describe('referrals', () => {
    it('moves a referral sent → accepted → feedback received → returned, recording feedback as received', async () => {
      const { caseId } = await makeCase(me)
      const { id } = await me.caller.case.addReferral({ caseId, kind: 'green_channel', target: '市康宁医院', sentOn: '2026-03-01' })
      await me.caller.case.updateReferral({ referralId: id, version: 1, status: 'accepted', on: '2026-03-02' })
      await me.caller.case.updateReferral({
        referralId: id,
        version: 2,
        status: 'feedback_received',
        on: '2026-03-02',
        feedback: '医院反馈：建议门诊随访',
      })
      const rows = await auditedBy(t.db, () =>
        me.caller.case.updateReferral({ referralId: id, version: 3, status: 'returned', on: '2026-03-02', returnPlan: '返校后每周面谈' }),
      )
      expect(rows.map((r) => [r.action, r.detail])).toEqual([['case.referral_update', 'feedback_received>returned']])
      expect((await me.caller.case.byId({ id: caseId })).referrals).toEqual([
        {
          id,
          kind: 'green_channel',
          target: '市康宁医院',
          status: 'returned',
          sentOn: '2026-03-01',
          // recorded a day after it was sent: the timeline shows it by its date only
          createdAt: '2026-03-02T01:00:00.000Z',
          acceptedOn: '2026-03-02',
          feedbackOn: '2026-03-02',
          feedback: '医院反馈：建议门诊随访',
          returnPlan: '返校后每周面谈',
          version: 4,
        },
      ])
    })

    it.each([
      ['returned', 'accepted'],
      ['returned', 'sent'],
      ['declined', 'accepted'],
      ['accepted', 'sent'],
      ['accepted', 'returned'],
      ['sent', 'returned'],
    ] as const)('refuses a referral going from %s to %s', async (from, to) => {
      const { caseId } = await makeCase(me)
      const { id } = await me.caller.case.addReferral({ caseId, kind: 'hospital_clinic', target: '门诊', sentOn: '2026-03-01' })
      const path: Record<string, string[]> = {
        sent: [],
        accepted: ['accepted'],
        declined: ['declined'],
        returned: ['accepted', 'feedback_received', 'returned'],
      }
      let version = 1
      for (const step of path[from]!)
        await me.caller.case.updateReferral({ referralId: id, version: version++, status: step as never, on: '2026-03-02' })
      const before = await snapshotTables(t.db)
      await expectRefusal(
        me.caller.case.updateReferral({ referralId: id, version, status: to, on: '2026-03-02' }),
        'BAD_REQUEST',
        'referral.transition',
      )
      expect(await snapshotTables(t.db)).toEqual(before)
    })

    it('refuses a stale referral version and dates before the referral was sent', async () => {
      const { caseId } = await makeCase(me)
      const { id } = await me.caller.case.addReferral({ caseId, kind: 'hospital_clinic', target: '门诊', sentOn: '2026-03-02' })
      await expectRefusal(
        me.caller.case.updateReferral({ referralId: id, version: 1, status: 'accepted', on: '2026-03-01' }),
        'BAD_REQUEST',
        'case.dateBeforeOpened',
      )
      await me.caller.case.updateReferral({ referralId: id, version: 1, status: 'accepted', on: '2026-03-02' })
      await expectRefusal(
        colleague.caller.case.updateReferral({ referralId: id, version: 1, status: 'declined', on: '2026-03-02' }),
        'CONFLICT',
        'conflict',
      )
      await expectRefusal(
        me.caller.case.addReferral({ caseId, kind: 'hospital_clinic', target: '门诊', sentOn: '2026-02-01' }),
        'BAD_REQUEST',
        'case.dateBeforeOpened',
      )
    })
  })

  describe('guardian contact and consent', () => {
    it('records a guardian call and a written consent as events', async () => {
      const { caseId } = await makeCase(me)
      const rows = await auditedBy(t.db, async () => {
        await me.caller.case.addContact({
          caseId,
          kind: 'guardian_contact',
          relation: 'mother',
          method: 'phone',
          contactedAt: '2026-03-02T08:30:00+08:00',
          note: '母亲同意面谈',
        })
        await me.caller.case.addContact({
          caseId,
          kind: 'consent',
          relation: 'father',
          method: 'written',
          contactedAt: '2026-03-02T08:45:00+08:00',
          consentGiven: true,
        })
      })
      expect(rows.map((r) => r.action)).toEqual(['case.guardian_contact', 'case.consent'])
      expect(
        (await me.caller.case.byId({ id: caseId })).contacts.map((c) => [
          c.kind,
          c.relation,
          c.method,
          c.contactedAt,
          c.consentGiven,
          c.note,
        ]),
      ).toEqual([
        ['guardian_contact', 'mother', 'phone', '2026-03-02T00:30:00.000Z', null, '母亲同意面谈'],
        ['consent', 'father', 'written', '2026-03-02T00:45:00.000Z', true, null],
      ])
    })

    it('refuses a contact before the case opened', async () => {
      const { caseId } = await makeCase(me)
      await expectRefusal(
        me.caller.case.addContact({
          caseId,
          kind: 'consent',
          relation: 'mother',
          method: 'meeting',
          contactedAt: '2026-02-27T10:00:00+08:00',
          consentGiven: false,
        }),
        'BAD_REQUEST',
        'case.dateBeforeOpened',
      )
    })
  })

  describe('closing and reopening', () => {
    it('closes a case with an outcome, cancelling its open tasks and planned follow-ups', async () => {
      const { caseId } = await makeCase(me, { riskLevel: 'high' })
      const first = (await me.caller.case.byId({ id: caseId })).tasks[0]!
      await me.caller.case.completeTask({ taskId: first.id, status: 'done' })
      await me.caller.case.addFollowUp({ caseId, dueOn: '2026-03-10' })
      const rows = await auditedBy(t.db, () => me.caller.case.close({ caseId, version: 1, outcome: '情绪稳定，结案' }))
      expect(rows.map((r) => r.action)).toEqual(['case.close'])
      const file = await me.caller.case.byId({ id: caseId })
      expect(file).toMatchObject({ status: 'closed', closedAt: T0, outcome: '情绪稳定，结案', version: 2 })
      expect(file.tasks.map((x) => x.status)).toEqual(['done', 'cancelled', 'cancelled', 'cancelled', 'cancelled'])
      expect(file.followUps.map((f) => f.status)).toEqual(['cancelled'])
    })

    it('refuses every write on a closed case, changing nothing', async () => {
      const { caseId } = await makeCase(me, { riskLevel: 'high' })
      const { id: noteId } = await me.caller.case.addNote({
        caseId,
        sessionDate: '2026-03-02',
        durationMin: 20,
        type: 'individual',
        text: '结案前',
      })
      const { id: followUpId } = await me.caller.case.addFollowUp({ caseId, dueOn: '2026-03-10' })
      const { id: referralId } = await me.caller.case.addReferral({ caseId, kind: 'other', target: '社工站', sentOn: '2026-03-02' })
      const taskId = (await me.caller.case.byId({ id: caseId })).tasks[0]!.id
      await me.caller.case.close({ caseId, version: 1, outcome: '结案' })
      const writes: [string, () => Promise<unknown>][] = []
      const before = await snapshotTables(t.db)
      const c = me.caller.case
      writes.push(
        ['addNote', () => c.addNote({ caseId, sessionDate: '2026-03-02', durationMin: 20, type: 'individual', text: '结案后' })],
        [
          'editNote',
          () => c.editNote({ noteId, version: 1, sessionDate: '2026-03-02', durationMin: 20, type: 'individual', text: '结案后' }),
        ],
        ['changeRisk', () => c.changeRisk({ caseId, version: 2, level: 'crisis', reason: '结案后' })],
        ['addFollowUp', () => c.addFollowUp({ caseId, dueOn: '2026-03-11' })],
        ['completeFollowUp', () => c.completeFollowUp({ followUpId, status: 'done' })],
        ['completeTask', () => c.completeTask({ taskId, status: 'done' })],
        ['addReferral', () => c.addReferral({ caseId, kind: 'other', target: '社工站', sentOn: '2026-03-02' })],
        ['updateReferral', () => c.updateReferral({ referralId, version: 1, status: 'accepted', on: '2026-03-02' })],
        [
          'recordCrisis',
          () => c.recordCrisis({ caseId, occurredAt: '2026-03-02T09:00:00+08:00', what: 'x', actions: 'y', accompanied: true }),
        ],
        [
          'addContact',
          () =>
            c.addContact({
              caseId,
              kind: 'guardian_contact',
              relation: 'mother',
              method: 'phone',
              contactedAt: '2026-03-02T09:00:00+08:00',
            }),
        ],
        ['close', () => c.close({ caseId, version: 2, outcome: '再次结案' })],
      )
      for (const [name, write] of writes) {
        const e = await expectRefusal(write(), 'BAD_REQUEST', 'case.closed').catch((error: unknown) => {
          throw new Error(`${name}: ${String(error)}`)
        })
        expect(e.code, name).toBe('BAD_REQUEST')
      }
      expect(await snapshotTables(t.db)).toEqual(before)
    })

    it("reopens a closed case with a reason, restarting its level's tasks", async () => {
      const clock = new Clock(T0)
      const { caseId } = await makeCase(me, { riskLevel: 'watch' })
      await at(me, clock).case.close({ caseId, version: 1, outcome: '好转' })
      await expectRefusal(at(me, clock).case.reopen({ caseId, version: 1, reason: '旧版本' }), 'CONFLICT', 'conflict')
      clock.advance(2 * DAY)
      const rows = await auditedBy(t.db, () => at(me, clock).case.reopen({ caseId, version: 2, reason: '期末压力复发' }))
      expect(rows.map((r) => r.action)).toEqual(['case.reopen'])
      const file = await at(me, clock).case.byId({ id: caseId })
      expect(file).toMatchObject({ status: 'open', closedAt: null, version: 3 })
      expect(file.risks.at(-1)).toMatchObject({ kind: 'reopened', from: 'watch', to: 'watch', reason: '期末压力复发' })
      expect(file.tasks.filter((x) => x.status === 'open').map((x) => x.dueAt)).toEqual([
        plus(clock.now().toISOString(), 7 * DAY),
        plus(clock.now().toISOString(), 14 * DAY),
        plus(clock.now().toISOString(), 30 * DAY),
      ])
      await expectRefusal(at(me, clock).case.reopen({ caseId, version: 3, reason: '已打开' }), 'BAD_REQUEST', 'case.notOpen')
    })

    it('refuses to reopen when the student already has another open case', async () => {
      const { caseId, studentId } = await makeCase(me)
      await me.caller.case.close({ caseId, version: 1, outcome: '结案' })
      await me.caller.case.open(caseInput(studentId, [me.account.id], { openedOn: '2026-03-02' }))
      await expectRefusal(me.caller.case.reopen({ caseId, version: 2, reason: '想重开' }), 'CONFLICT', 'case.openCaseExists')
    })

    it("reopens only one of a student's closed cases when two are reopened at once", async () => {
      const { caseId: first, studentId } = await makeCase(me)
      await me.caller.case.close({ caseId: first, version: 1, outcome: '结案' })
      const { id: second } = await me.caller.case.open(caseInput(studentId, [me.account.id], { openedOn: '2026-03-02' }))
      await me.caller.case.close({ caseId: second, version: 1, outcome: '再结案' })
      const results = await Promise.allSettled([
        me.caller.case.reopen({ caseId: first, version: 2, reason: '复发' }),
        colleague.caller.case.reopen({ caseId: second, version: 2, reason: '复发' }),
      ])
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected'])
      const failure = results.find((r) => r.status === 'rejected') as PromiseRejectedResult
      expect([failure.reason.code, failure.reason.appCode]).toEqual(['CONFLICT', 'case.openCaseExists'])
      const open = await t.db
        .selectFrom('student_case')
        .select('id')
        .where('student_id', '=', studentId)
        .where('status', '=', 'open')
        .execute()
      expect(open).toHaveLength(1)
    })

    it('answers a close from a stale version with a conflict', async () => {
      const { caseId } = await makeCase(me)
      await me.caller.case.changeRisk({ caseId, version: 1, level: 'high', reason: '升级' })
      const before = await snapshotTables(t.db)
      await expectRefusal(colleague.caller.case.close({ caseId, version: 1, outcome: '结案' }), 'CONFLICT', 'conflict')
      expect(await snapshotTables(t.db)).toEqual(before)
    })
  })
})
