import { beforeAll, describe, expect, it } from 'vitest'
import { auditedBy } from '../fixtures/audit'
import { callerFor, Clock, rejection, type Caller } from '../fixtures/caller'
import { snapshotTables, targets, useTestDatabase } from '../fixtures/db'
import { makeSchool } from '../fixtures/factories'
import {
  caseInput,
  dumpTables,
  expectNoMarkers,
  makeCounsellor,
  makeStudent,
  marker,
  studentInput,
  type Counsellor,
} from '../fixtures/cases'
import { AppError } from '../../server/services/errors'

const T0 = '2026-03-02T01:00:00.000Z'
const MISSING = 999_999

/** One marker per kind of sensitive text, so a leak names what leaked. */
const M = {
  name: marker('name'),
  guardian: marker('guardian'),
  phone: `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
  concern: marker('concern'),
  note: marker('note'),
  noteEdit: marker('noteEdit'),
  privateNote: marker('private'),
  reason: marker('reason'),
  purpose: marker('purpose'),
  feedback: marker('feedback'),
  returnPlan: marker('returnPlan'),
  what: marker('what'),
  actions: marker('actions'),
  notified: marker('notified'),
  accompaniedBy: marker('accompaniedBy'),
  contact: marker('contact'),
  outcome: marker('outcome'),
  reopen: marker('reopen'),
  search: marker('search'),
}

describe.each(targets)('isolation between schools and the audit trail on $name', (target) => {
  const t = useTestDatabase(target)
  let me: Counsellor
  let stranger: Counsellor
  let meAt: Caller
  let strangerAt: Caller
  const ids = { student: 0, case: 0, note: 0, privateNote: 0, task: 0, followUp: 0, referral: 0 }

  beforeAll(async () => {
    const clock = new Clock(T0)
    me = await makeCounsellor(t.db, (await makeSchool(t.db)).id, clock)
    stranger = await makeCounsellor(t.db, (await makeSchool(t.db)).id, clock)
    meAt = me.caller
    strangerAt = stranger.caller
    ids.student = await makeStudent(meAt, { name: M.name, guardianName: M.guardian, guardianPhone: M.phone })
    ids.case = (await meAt.case.open(caseInput(ids.student, [me.account.id], { riskLevel: 'high', concern: M.concern }))).id
    ids.note = (
      await meAt.case.addNote({ caseId: ids.case, sessionDate: '2026-03-02', durationMin: 30, type: 'individual', text: M.note })
    ).id
    ids.privateNote = (
      await meAt.case.addNote({
        caseId: ids.case,
        sessionDate: '2026-03-02',
        durationMin: 10,
        type: 'phone',
        text: M.privateNote,
        private: true,
      })
    ).id
    ids.task = (await meAt.case.byId({ id: ids.case })).tasks[0]!.id
    ids.followUp = (await meAt.case.addFollowUp({ caseId: ids.case, dueOn: '2026-03-09', purpose: M.purpose })).id
    ids.referral = (
      await meAt.case.addReferral({ caseId: ids.case, kind: 'hospital_clinic', target: '区人民医院', sentOn: '2026-03-02' })
    ).id
  })

  /** Every procedure that names a record of the case, as the stranger would call it with `id`s. */
  const probes: [string, (c: Caller, id: (k: keyof typeof ids) => number) => Promise<unknown>][] = [
    ['student.byId', (c, id) => c.student.byId({ id: id('student') })],
    ['student.update', (c, id) => c.student.update({ ...studentInput(), id: id('student'), version: 1 })],
    ['case.open', (c, id) => c.case.open(caseInput(id('student'), [stranger.account.id]))],
    ['case.byId', (c, id) => c.case.byId({ id: id('case') })],
    ['case.noteVersions', (c, id) => c.case.noteVersions({ noteId: id('note') })],
    ['case.noteVersions (private)', (c, id) => c.case.noteVersions({ noteId: id('privateNote') })],
    [
      'case.addNote',
      (c, id) => c.case.addNote({ caseId: id('case'), sessionDate: '2026-03-02', durationMin: 5, type: 'individual', text: 'x' }),
    ],
    [
      'case.editNote',
      (c, id) =>
        c.case.editNote({ noteId: id('note'), version: 1, sessionDate: '2026-03-02', durationMin: 5, type: 'individual', text: 'x' }),
    ],
    ['case.changeRisk', (c, id) => c.case.changeRisk({ caseId: id('case'), version: 1, level: 'routine', reason: 'x' })],
    ['case.addFollowUp', (c, id) => c.case.addFollowUp({ caseId: id('case'), dueOn: '2026-03-10' })],
    ['case.completeFollowUp', (c, id) => c.case.completeFollowUp({ followUpId: id('followUp'), status: 'cancelled' })],
    ['case.completeTask', (c, id) => c.case.completeTask({ taskId: id('task'), status: 'not_applicable', reason: 'x' })],
    ['case.addReferral', (c, id) => c.case.addReferral({ caseId: id('case'), kind: 'other', target: 'x', sentOn: '2026-03-02' })],
    [
      'case.updateReferral',
      (c, id) => c.case.updateReferral({ referralId: id('referral'), version: 1, status: 'declined', on: '2026-03-02' }),
    ],
    [
      'case.recordCrisis',
      (c, id) =>
        c.case.recordCrisis({ caseId: id('case'), occurredAt: '2026-03-02T09:00:00+08:00', what: 'x', actions: 'y', accompanied: true }),
    ],
    ['case.notify', (c, id) => c.case.notify({ caseId: id('case'), recipient: 'guardian', at: '2026-03-02T09:00:00+08:00' })],
    [
      'case.addContact',
      (c, id) =>
        c.case.addContact({
          caseId: id('case'),
          kind: 'consent',
          relation: 'mother',
          method: 'written',
          contactedAt: '2026-03-02T09:00:00+08:00',
        }),
    ],
    ['case.close', (c, id) => c.case.close({ caseId: id('case'), version: 1, outcome: 'x' })],
    ['case.reopen', (c, id) => c.case.reopen({ caseId: id('case'), version: 1, reason: 'x' })],
  ]

  it.each(probes)("answers %s for another school's record exactly as for a missing id, changing nothing", async (_name, call) => {
    const before = await snapshotTables(t.db)
    const foreign = await rejection(call(strangerAt, (k) => ids[k]))
    const missing = await rejection(call(strangerAt, () => MISSING))
    const shape = (e: typeof foreign) => ({
      code: e.code,
      message: e.message,
      appCode: e instanceof AppError ? e.appCode : null,
      params: e instanceof AppError ? e.params : null,
    })
    expect(shape(foreign)).toEqual(shape(missing))
    expect(foreign.code).toBe('NOT_FOUND')
    expect(await snapshotTables(t.db)).toEqual(before)
  })

  it("keeps the case off another school's board, counts and search", async () => {
    expect((await strangerAt.case.board({ status: 'all', mine: false })).items).toEqual([])
    expect((await strangerAt.student.list({ search: M.name })).total).toBe(0)
    expect(await strangerAt.case.schoolCounts()).toMatchObject({ open: 0, overdueTasks: 0, overdueFollowUps: 0 })
  })

  it('audits every read and write with the right action, and never the sensitive text', async () => {
    const clock = new Clock(T0)
    const c = callerFor(t.db, me.actor, { now: clock.now })
    const caseId = ids.case
    const steps: [string, () => Promise<unknown>, string[]][] = [
      ['student.list', () => c.student.list({ search: M.search }), ['student.list']],
      ['student.byId', () => c.student.byId({ id: ids.student }), ['student.read']],
      [
        'student.update',
        () =>
          c.student.update({
            ...studentInput({ name: M.name, guardianName: M.guardian, guardianPhone: M.phone }),
            id: ids.student,
            version: 1,
          }),
        ['student.update', 'student.read'],
      ],
      ['case.board', () => c.case.board({ search: M.search }), ['case.list']],
      ['case.byId', () => c.case.byId({ id: caseId }), ['case.read']],
      [
        'case.addNote',
        () => c.case.addNote({ caseId, sessionDate: '2026-03-02', durationMin: 30, type: 'home_visit', text: M.note }),
        ['case.note_add'],
      ],
      [
        'case.editNote',
        () =>
          c.case.editNote({
            noteId: ids.note,
            version: 1,
            sessionDate: '2026-03-02',
            durationMin: 30,
            type: 'individual',
            text: M.noteEdit,
          }),
        ['case.note_edit'],
      ],
      ['case.noteVersions', () => c.case.noteVersions({ noteId: ids.note }), ['case.note_versions_read']],
      ['case.changeRisk', () => c.case.changeRisk({ caseId, version: 1, level: 'watch', reason: M.reason }), ['case.risk_change']],
      ['case.addFollowUp', () => c.case.addFollowUp({ caseId, dueOn: '2026-03-12', purpose: M.purpose }), ['case.follow_up_add']],
      ['case.completeFollowUp', () => c.case.completeFollowUp({ followUpId: ids.followUp, status: 'done' }), ['case.follow_up_complete']],
      ['case.completeTask', () => c.case.completeTask({ taskId: ids.task, status: 'done' }), ['case.task_complete']],
      [
        'case.addReferral',
        () => c.case.addReferral({ caseId, kind: 'green_channel', target: '市医院', sentOn: '2026-03-02' }),
        ['case.referral_add'],
      ],
      [
        'case.updateReferral (feedback)',
        () =>
          c.case.updateReferral({
            referralId: ids.referral,
            version: 1,
            status: 'feedback_received',
            on: '2026-03-02',
            feedback: M.feedback,
          }),
        ['case.referral_update'],
      ],
      [
        'case.updateReferral (return)',
        () =>
          c.case.updateReferral({ referralId: ids.referral, version: 2, status: 'returned', on: '2026-03-02', returnPlan: M.returnPlan }),
        ['case.referral_update'],
      ],
      [
        'case.recordCrisis',
        () =>
          c.case.recordCrisis({
            caseId,
            occurredAt: '2026-03-02T08:00:00+08:00',
            what: M.what,
            actions: M.actions,
            accompanied: true,
            accompaniedBy: M.accompaniedBy,
            notified: [{ recipient: 'guardian', name: M.notified, at: '2026-03-02T08:05:00+08:00' }],
          }),
        ['case.crisis'],
      ],
      [
        'case.addContact',
        () =>
          c.case.addContact({
            caseId,
            kind: 'guardian_contact',
            relation: 'grandparent',
            method: 'meeting',
            contactedAt: '2026-03-02T08:30:00+08:00',
            note: M.contact,
          }),
        ['case.guardian_contact'],
      ],
      [
        'case.addContact (consent)',
        () =>
          c.case.addContact({
            caseId,
            kind: 'consent',
            relation: 'grandparent',
            method: 'written',
            contactedAt: '2026-03-02T08:40:00+08:00',
            consentGiven: true,
          }),
        ['case.consent'],
      ],
      ['case.close', () => c.case.close({ caseId, version: 3, outcome: M.outcome }), ['case.close']],
      ['case.reopen', () => c.case.reopen({ caseId, version: 4, reason: M.reopen }), ['case.reopen']],
      ['student.promote', () => c.student.promote(), ['student.promote']],
    ]
    for (const [name, step, actions] of steps) {
      const rows = await auditedBy(t.db, async () => {
        await step().catch((error: unknown) => {
          throw new Error(`${name} failed: ${String(error)}`)
        })
      })
      expect(
        rows.map((r) => r.action),
        name,
      ).toEqual(actions)
      for (const r of rows) {
        expect(r, name).toMatchObject({
          outcome: 'ok',
          actor_id: me.actor.accountId,
          actor_role: 'counsellor',
          school_id: me.account.schoolId,
        })
        if (r.action.startsWith('case.') && r.action !== 'case.list') expect(r.entity_id, name).not.toBeNull()
      }
    }
    // the steps really wrote the marked text
    const file = await c.case.byId({ id: caseId })
    expect(JSON.stringify(file)).toContain(M.what)
    const audit = await dumpTables(t.db, ['audit_event', 'audit_head'])
    expectNoMarkers(audit, Object.values(M), 'the audit trail')
  })
})
