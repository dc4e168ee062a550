import type { Kysely } from 'kysely'
import { Migrator } from 'kysely/migration'
import { beforeAll, describe, expect, it } from 'vitest'
import { migrateToLatest } from '../../db/migrate'
import { migrationProvider } from '../../db/migrations'
import { taskOutcome } from '../../shared/cases'
import { auditedBy } from '../fixtures/audit'
import { callerFor, Clock, expectRefusal, MINUTE, type Caller } from '../fixtures/caller'
import { APP_TABLES, snapshotTables, targets, useTestDatabase } from '../fixtures/db'
import { makeSchool } from '../fixtures/factories'
import { makeCase, makeCounsellor, type Counsellor } from '../fixtures/cases'

/** Monday 2 March 2026, 09:00 in Shanghai. */
const T0 = '2026-03-02T01:00:00.000Z'
const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString()
const CRISIS = { what: '课间在洗手间发现学生有自伤行为', actions: '校医处理伤口，带至心理辅导室' }

describe.each(targets)('crisis notifications and task outcomes on $name', (target) => {
  const t = useTestDatabase(target)
  let me: Counsellor
  let colleague: Counsellor

  const at = (c: Counsellor, iso: string): Caller => callerFor(t.db, c.actor, { now: () => new Date(iso) })
  /** Every table except the audit trail, to prove a refusal changed nothing. */
  async function dataSnapshot() {
    const all = await snapshotTables(t.db)
    return Object.fromEntries(APP_TABLES.filter((x) => x !== 'audit_event' && x !== 'audit_head').map((x) => [x, all[x]]))
  }
  const task = async (caseId: number, kind: string) => (await me.caller.case.byId({ id: caseId })).tasks.find((x) => x.kind === kind)!

  beforeAll(async () => {
    const schoolId = (await makeSchool(t.db)).id
    me = await makeCounsellor(t.db, schoolId, new Clock(T0))
    colleague = await makeCounsellor(t.db, schoolId, new Clock(T0))
  })

  it('records a crisis that claims nobody was notified: the notification tasks stay open, staying with the student is confirmed, not a task', async () => {
    const { caseId } = await makeCase(me, { riskLevel: 'watch' })
    const now = plus(T0, 30 * MINUTE)
    await at(me, now).case.recordCrisis({ caseId, occurredAt: T0, ...CRISIS, accompanied: true, accompaniedBy: '班主任李老师' })
    const file = await at(me, plus(now, MINUTE)).case.byId({ id: caseId })
    expect(file.crises).toEqual([expect.objectContaining({ accompanied: true, accompaniedBy: '班主任李老师', notified: [] })])
    expect(file.notifications).toEqual([])
    const crisisTasks = file.tasks.filter((x) => x.level === 'crisis')
    expect(crisisTasks.map((x) => x.kind)).not.toContain('stay_with_student')
    expect(crisisTasks.filter((x) => x.kind.startsWith('notify_')).map((x) => [x.kind, x.status, x.notification])).toEqual([
      ['notify_principal', 'open', null],
      ['notify_guardian', 'open', null],
    ])
    // Nothing is overdue a minute after the crisis: no task falls due the moment it is created.
    expect(file.tasks.filter((x) => x.overdue)).toEqual([])
    const board = await at(me, plus(now, MINUTE)).case.board({})
    expect(board.items.find((x) => x.id === caseId)).toMatchObject({ overdueTasks: 0 })
  })

  it('a crisis without the confirmation says so: not confirmed, never assumed', async () => {
    const { caseId } = await makeCase(me)
    await at(me, plus(T0, 10 * MINUTE)).case.recordCrisis({
      caseId,
      occurredAt: T0,
      ...CRISIS,
      accompanied: false,
      accompaniedBy: '不应保存',
    })
    const file = await at(me, plus(T0, 11 * MINUTE)).case.byId({ id: caseId })
    expect(file.crises[0]).toMatchObject({ accompanied: false, accompaniedBy: null })
  })

  it('each notification entered completes its matching task, pointing at the same record', async () => {
    const { caseId } = await makeCase(me)
    const now = plus(T0, 60 * MINUTE)
    const rows = await auditedBy(t.db, () =>
      at(me, now).case.recordCrisis({
        caseId,
        occurredAt: T0,
        ...CRISIS,
        accompanied: true,
        notified: [
          { recipient: 'guardian', name: '母亲', at: plus(T0, 40 * MINUTE) },
          { recipient: 'crisis_group', at: plus(T0, 10 * MINUTE) },
          { recipient: 'head_teacher', name: '王老师', at: plus(T0, 5 * MINUTE) },
        ],
      }),
    )
    expect(rows.map((r) => r.action)).toEqual(['case.crisis'])
    const file = await at(me, now).case.byId({ id: caseId })
    expect(file.crises[0]!.notified).toEqual([
      { recipient: 'head_teacher', name: '王老师', at: plus(T0, 5 * MINUTE) },
      { recipient: 'crisis_group', name: null, at: plus(T0, 10 * MINUTE) },
      { recipient: 'guardian', name: '母亲', at: plus(T0, 40 * MINUTE) },
    ])
    const guardian = file.tasks.find((x) => x.kind === 'notify_guardian')!
    const principal = file.tasks.find((x) => x.kind === 'notify_principal')!
    expect(guardian).toMatchObject({ status: 'done', completedAt: now, completedByName: `Test ${me.account.username}` })
    expect(guardian.notification).toMatchObject({ recipient: 'guardian', name: '母亲', at: plus(T0, 40 * MINUTE) })
    expect(principal.notification).toMatchObject({ recipient: 'crisis_group', name: null, at: plus(T0, 10 * MINUTE) })
    expect(taskOutcome(guardian)).toEqual({
      kind: 'notified',
      recipient: 'guardian',
      name: '母亲',
      at: plus(T0, 40 * MINUTE),
      by: `Test ${me.account.username}`,
    })
    // Only the two notification tasks were touched.
    expect(file.tasks.filter((x) => x.status !== 'open').map((x) => x.kind)).toEqual(['notify_principal', 'notify_guardian'])
  })

  it('a notification task cannot be ticked off: completing it asks who was told and when, and only a matching recipient', async () => {
    const { caseId } = await makeCase(me)
    const now = plus(T0, 2 * 60 * MINUTE)
    await at(me, plus(T0, 5 * MINUTE)).case.recordCrisis({ caseId, occurredAt: T0, ...CRISIS, accompanied: true })
    const guardian = await task(caseId, 'notify_guardian')
    const before = await dataSnapshot()
    await expectRefusal(at(me, now).case.completeTask({ taskId: guardian.id, status: 'done' }), 'BAD_REQUEST', 'task.needsNotification')
    await expectRefusal(
      at(me, now).case.notify({ caseId, taskId: guardian.id, recipient: 'principal', at: plus(T0, 60 * MINUTE) }),
      'BAD_REQUEST',
      'notification.wrongRecipient',
    )
    await expectRefusal(
      at(me, now).case.notify({ caseId, taskId: guardian.id, recipient: 'guardian', at: plus(now, 60 * MINUTE) }),
      'BAD_REQUEST',
      'notification.inFuture',
    )
    await expectRefusal(
      at(me, now).case.notify({ caseId, taskId: guardian.id, recipient: 'guardian', at: '2026-02-20T01:00:00.000Z' }),
      'BAD_REQUEST',
      'case.dateBeforeOpened',
    )
    expect(await dataSnapshot()).toEqual(before)

    const rows = await auditedBy(t.db, () =>
      at(colleague, now).case.notify({ caseId, taskId: guardian.id, recipient: 'guardian', name: '父亲', at: plus(T0, 90 * MINUTE) }),
    )
    expect(rows.map((r) => [r.action, r.detail])).toEqual([['case.notify', 'guardian:task']])
    const file = await at(me, now).case.byId({ id: caseId })
    const done = file.tasks.find((x) => x.id === guardian.id)!
    expect(done).toMatchObject({ status: 'done', completedByName: `Test ${colleague.account.username}` })
    // One record, shown in both places: the task's notification is the timeline's.
    expect(file.notifications).toEqual([expect.objectContaining({ id: done.notification!.id, recipient: 'guardian', name: '父亲' })])
    await expectRefusal(
      at(me, now).case.notify({ caseId, taskId: guardian.id, recipient: 'guardian', at: plus(T0, 90 * MINUTE) }),
      'BAD_REQUEST',
      'task.notOpen',
    )
  })

  it('a notification on its own completes the oldest open matching task, and one for nobody in particular completes none', async () => {
    const { caseId } = await makeCase(me)
    const now = plus(T0, 3 * 60 * MINUTE)
    await at(me, plus(T0, 5 * MINUTE)).case.recordCrisis({ caseId, occurredAt: T0, ...CRISIS, accompanied: true })
    await at(me, now).case.notify({ caseId, recipient: 'district_centre', at: plus(T0, 20 * MINUTE) })
    expect((await task(caseId, 'notify_principal')).status).toBe('open')
    await at(me, now).case.notify({ caseId, recipient: 'principal', name: '张校长', at: plus(T0, 30 * MINUTE) })
    const file = await at(me, now).case.byId({ id: caseId })
    expect(file.tasks.find((x) => x.kind === 'notify_principal')!.notification).toMatchObject({ recipient: 'principal', name: '张校长' })
    expect(file.notifications.map((n) => n.recipient)).toEqual(['district_centre', 'principal'])
  })

  it('refuses notifications dated before the crisis or in the future, and changes nothing', async () => {
    const { caseId } = await makeCase(me)
    const now = plus(T0, 60 * MINUTE)
    const before = await dataSnapshot()
    await expectRefusal(
      at(me, now).case.recordCrisis({
        caseId,
        occurredAt: T0,
        ...CRISIS,
        accompanied: true,
        notified: [{ recipient: 'guardian', at: plus(T0, -MINUTE) }],
      }),
      'BAD_REQUEST',
      'notification.beforeCrisis',
    )
    await expectRefusal(
      at(me, now).case.recordCrisis({
        caseId,
        occurredAt: T0,
        ...CRISIS,
        accompanied: true,
        notified: [{ recipient: 'guardian', at: plus(now, 30 * MINUTE) }],
      }),
      'BAD_REQUEST',
      'notification.inFuture',
    )
    // A role that is not on the list is refused at the edge.
    await expectRefusal(
      at(me, now).case.recordCrisis({
        caseId,
        occurredAt: T0,
        ...CRISIS,
        accompanied: true,
        notified: [{ recipient: 'everyone' as 'guardian', at: plus(T0, MINUTE) }],
      }),
      'BAD_REQUEST',
    )
    expect(await dataSnapshot()).toEqual(before)
  })

  it('recording a hospital referral completes the referral tasks; another kind of referral does not; a tick is refused', async () => {
    const { caseId } = await makeCase(me, { riskLevel: 'high' })
    const now = plus(T0, 60 * MINUTE)
    await at(me, plus(T0, 5 * MINUTE)).case.recordCrisis({ caseId, occurredAt: T0, ...CRISIS, accompanied: true })
    const hospital = await task(caseId, 'hospital_referral')
    await expectRefusal(at(me, now).case.completeTask({ taskId: hospital.id, status: 'done' }), 'BAD_REQUEST', 'task.needsReferral')
    await at(me, now).case.addReferral({ caseId, kind: 'community_service', target: '街道社工站', sentOn: '2026-03-02' })
    expect((await task(caseId, 'hospital_referral')).status).toBe('open')
    const { id: referralId } = await at(me, now).case.addReferral({
      caseId,
      kind: 'hospital_clinic',
      target: '市儿童医院心理门诊',
      sentOn: '2026-03-02',
    })
    const file = await at(me, now).case.byId({ id: caseId })
    const done = file.tasks.filter((x) => x.referral != null)
    expect(done.map((x) => [x.kind, x.status, x.referral])).toEqual([
      ['hospital_referral', 'done', { id: referralId, target: '市儿童医院心理门诊', sentOn: '2026-03-02' }],
      ['referral_recommendation', 'done', { id: referralId, target: '市儿童医院心理门诊', sentOn: '2026-03-02' }],
    ])
  })

  it('marks a task not applicable with a reason kept in the history, and refuses it without one', async () => {
    const { caseId } = await makeCase(me, { riskLevel: 'high' })
    const meeting = await task(caseId, 'guardian_meeting')
    const before = await dataSnapshot()
    await expectRefusal(me.caller.case.completeTask({ taskId: meeting.id, status: 'not_applicable', reason: '   ' }), 'BAD_REQUEST')
    await expectRefusal(me.caller.case.completeTask({ taskId: meeting.id, status: 'not_applicable' } as never), 'BAD_REQUEST')
    expect(await dataSnapshot()).toEqual(before)
    const rows = await auditedBy(t.db, () =>
      me.caller.case.completeTask({ taskId: meeting.id, status: 'not_applicable', reason: '学生由福利院监护，已与院方面谈' }),
    )
    expect(rows.map((r) => [r.action, r.detail])).toEqual([['case.task_complete', 'guardian_meeting:not_applicable']])
    const after = await task(caseId, 'guardian_meeting')
    expect(after).toMatchObject({
      status: 'not_applicable',
      naReason: '学生由福利院监护，已与院方面谈',
      completedByName: `Test ${me.account.username}`,
    })
    expect(taskOutcome(after)).toEqual({
      kind: 'notApplicable',
      reason: '学生由福利院监护，已与院方面谈',
      by: `Test ${me.account.username}`,
    })
    // The reason is stored encrypted, never as written.
    const stored = await t.db.selectFrom('case_task').select('na_reason_enc').where('id', '=', meeting.id).executeTakeFirstOrThrow()
    expect(stored.na_reason_enc).not.toContain('福利院')
    await expectRefusal(
      me.caller.case.completeTask({ taskId: meeting.id, status: 'not_applicable', reason: '再次' }),
      'BAD_REQUEST',
      'task.notOpen',
    )
  })

  it("another school cannot notify on, or mark tasks of, this school's case", async () => {
    const { caseId } = await makeCase(me)
    await at(me, plus(T0, 5 * MINUTE)).case.recordCrisis({ caseId, occurredAt: T0, ...CRISIS, accompanied: true })
    const guardian = await task(caseId, 'notify_guardian')
    const stranger = await makeCounsellor(t.db, (await makeSchool(t.db)).id, new Clock(T0))
    const now = plus(T0, 60 * MINUTE)
    const before = await dataSnapshot()
    await expectRefusal(at(stranger, now).case.notify({ caseId, recipient: 'guardian', at: plus(T0, 30 * MINUTE) }), 'NOT_FOUND')
    await expectRefusal(at(stranger, now).case.completeTask({ taskId: guardian.id, status: 'not_applicable', reason: 'x' }), 'NOT_FOUND')
    expect(await dataSnapshot()).toEqual(before)
  })

  it('retires the open "stay with the student" tasks of crises recorded before migration 0008, and says the system did it', async () => {
    const { caseId } = await makeCase(me)
    const migrator = new Migrator({ db: t.db, provider: migrationProvider, migrationTableSchema: t.schema ?? undefined })
    expect((await migrator.migrateTo('0007_report_snapshot')).error).toBeUndefined()
    const old = t.db as unknown as Kysely<{
      case_task: { case_id: number; school_id: number; kind: string; level: string; due_at: string; status: string; created_at: string }
    }>
    const schoolId = me.actor.schoolId!
    await old
      .insertInto('case_task')
      .values(
        ['stay_with_student', 'notify_guardian'].map((kind) => ({
          case_id: caseId,
          school_id: schoolId,
          kind,
          level: 'crisis',
          due_at: T0,
          status: 'open',
          created_at: T0,
        })),
      )
      .execute()
    await migrateToLatest(t.db)
    const file = await me.caller.case.byId({ id: caseId })
    const stay = file.tasks.find((x) => x.kind === 'stay_with_student')!
    expect(stay).toMatchObject({ status: 'not_applicable', completedByName: null, naReason: null, overdue: false })
    expect(taskOutcome(stay)).toEqual({ kind: 'retired' })
    expect(file.tasks.find((x) => x.kind === 'notify_guardian')).toMatchObject({ status: 'open' })
  })
})
