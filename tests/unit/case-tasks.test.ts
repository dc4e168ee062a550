import { describe, expect, it } from 'vitest'
import {
  NOTIFY_RECIPIENTS,
  NOTIFY_TASK,
  recipientsForTask,
  TASK_KINDS,
  taskCompletion,
  taskOutcome,
  type TaskRecord,
} from '../../shared/cases'
import { REQUIRED_ACTIONS } from '../../server/rules/risk'
import { notifiedLabel } from '../../shared/timeline'

describe('how a task is finished', () => {
  it.each([
    ['notify_guardian', 'notification', ['guardian']],
    ['notify_principal', 'notification', ['principal', 'crisis_group']],
    ['hospital_referral', 'referral', []],
    ['referral_recommendation', 'tick', []],
    ['incident_record', 'tick', []],
    ['follow_up_24h', 'tick', []],
    ['interview_24h', 'tick', []],
    ['stay_with_student', 'tick', []],
  ])('%s: %s, fulfilled by %j', (kind, how, recipients) => {
    expect(taskCompletion(kind)).toBe(how)
    expect(recipientsForTask(kind)).toEqual(recipients)
  })

  it('every recipient fulfils at most one task kind, and every notification task has a recipient', () => {
    for (const r of NOTIFY_RECIPIENTS) expect(NOTIFY_TASK[r] == null || TASK_KINDS.includes(NOTIFY_TASK[r]!)).toBe(true)
    for (const k of TASK_KINDS) if (taskCompletion(k) === 'notification') expect(recipientsForTask(k).length).toBeGreaterThan(0)
  })

  it('no required action falls due the moment it is created (staying with the student is a confirmed step, not a task)', () => {
    for (const actions of Object.values(REQUIRED_ACTIONS))
      for (const a of actions) {
        expect(a.kind).not.toBe('stay_with_student')
        expect('hours' in a.due ? a.due.hours : 1).toBeGreaterThan(0)
      }
  })
})

describe('what finished a task', () => {
  const base: TaskRecord = {
    kind: 'notify_guardian',
    status: 'open',
    completedByName: null,
    naReason: null,
    notification: null,
    referral: null,
  }
  it.each<[string, Partial<TaskRecord>, ReturnType<typeof taskOutcome>]>([
    ['open', {}, null],
    ['closed with the case', { status: 'cancelled' }, { kind: 'cancelled' }],
    [
      'a notification',
      { status: 'done', completedByName: '林老师', notification: { recipient: 'guardian', name: '母亲', at: '2026-03-02T01:40:00.000Z' } },
      { kind: 'notified', recipient: 'guardian', name: '母亲', at: '2026-03-02T01:40:00.000Z', by: '林老师' },
    ],
    [
      'a referral',
      { kind: 'hospital_referral', status: 'done', completedByName: '林老师', referral: { target: '市医院', sentOn: '2026-03-02' } },
      { kind: 'referred', target: '市医院', on: '2026-03-02', by: '林老师' },
    ],
    [
      'not applicable, with the reason',
      { status: 'not_applicable', completedByName: '林老师', naReason: '无监护人' },
      { kind: 'notApplicable', reason: '无监护人', by: '林老师' },
    ],
    ['retired by the system', { kind: 'stay_with_student', status: 'not_applicable' }, { kind: 'retired' }],
    // A person marking "stay with the student" not applicable is their act, not the system's.
    [
      'stay with the student marked by a person',
      { kind: 'stay_with_student', status: 'not_applicable', completedByName: '林老师', naReason: '已送医' },
      { kind: 'notApplicable', reason: '已送医', by: '林老师' },
    ],
    ['a plain tick', { kind: 'incident_record', status: 'done', completedByName: '林老师' }, { kind: 'done', by: '林老师' }],
  ])('%s', (_, over, expected) => {
    expect(taskOutcome({ ...base, ...over })).toEqual(expected)
  })
})

describe('how a notification reads', () => {
  const t = (key: string) =>
    ({ 'notifyRecipients.guardian': 'Guardian', 'notifyRecipients.crisis_group': 'School crisis group' })[key] ?? key
  it.each([
    [{ recipient: 'guardian', name: 'Mrs Lin' }, 'Guardian Mrs Lin'],
    [{ recipient: 'crisis_group', name: null }, 'School crisis group'],
    // Before the picker, the counsellor typed who: shown as typed.
    [{ recipient: null, name: '校长（示例）' }, '校长（示例）'],
  ])('%j → %s', (n, text) => {
    expect(notifiedLabel(n, t)).toBe(text)
  })
})
