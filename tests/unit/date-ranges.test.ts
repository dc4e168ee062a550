import { describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { DATE_KINDS, dateBounds, dateInRange, isoDay } from '../../shared/dates'
import { caseOpenInput, crisisInput, followUpInput, noteInput, referralInput, studentCreateInput } from '../../shared/case-schemas'
import { auditListInput, schoolYearCreateInput } from '../../shared/schemas'
import { certificateCreateInput, staffCreateInput, trainingCreateInput } from '../../shared/staffing-schemas'
import { projectCreateInput } from '../../shared/research-schemas'
import { DATASET_NAMES } from '../../shared/research'
import en from '../../i18n/locales/en.json'
import zh from '../../i18n/locales/zh-CN.json'

const NOW = new Date('2026-12-03T08:00:00Z')

describe('plausible date ranges', () => {
  it.each([
    { kind: 'birth', day: '1899-12-31', ok: false },
    { kind: 'birth', day: '1900-01-01', ok: true },
    { kind: 'birth', day: '2014-05-06', ok: true },
    { kind: 'birth', day: '2026-12-03', ok: true },
    { kind: 'birth', day: '2026-12-04', ok: false },
    { kind: 'birth', day: '0000-01-01', ok: false },
    { kind: 'birth', day: '9999-12-31', ok: false },
    { kind: 'record', day: '1999-12-31', ok: false },
    { kind: 'record', day: '2000-01-01', ok: true },
    { kind: 'record', day: '2099-12-31', ok: true },
    { kind: 'record', day: '2100-01-01', ok: false },
    { kind: 'record', day: '0000-01-01', ok: false },
    { kind: 'record', day: '9999-12-31', ok: false },
    { kind: 'career', day: '1949-12-31', ok: false },
    { kind: 'career', day: '1985-07-01', ok: true },
    { kind: 'career', day: '9999-12-31', ok: false },
  ] as const)('$kind $day is plausible: $ok', ({ kind, day, ok }) => {
    expect(dateInRange(kind, day, NOW)).toBe(ok)
  })

  it('"today" is the calendar day in Asia/Shanghai', () => {
    expect(dateBounds('birth', new Date('2026-12-03T16:30:00Z')).max).toBe('2026-12-04')
  })

  it('the schema refuses with the kind’s localised message', () => {
    const r = isoDay('birth').safeParse('9999-12-31')
    expect(r.success).toBe(false)
    expect(r.error!.issues[0]!.message).toBe('validation.dateBirth')
  })

  it.each(Object.values(DATE_KINDS).map((k) => k.message.replace('validation.', '')))(
    'message validation.%s exists in both locales',
    (key) => {
      expect((en.validation as Record<string, string>)[key]).toBeTruthy()
      expect((zh.validation as Record<string, string>)[key]).toBeTruthy()
    },
  )
})

const tomorrow = new Date(Date.now() + 36 * 3600_000).toISOString().slice(0, 10)
const student = {
  studentNo: 'S1',
  name: '王丽',
  sex: 'F',
  birthDate: '2012-03-04',
  grade: 7,
  className: '1班',
  guardianName: null,
  guardianPhone: null,
}
/** Every kind of date field of the shared schemas, each with a valid example: the same impossible dates are refused in all. */
const FIELDS: { name: string; schema: z.ZodType; base: Record<string, unknown>; field: string; alsoRefused?: string[] }[] = [
  { name: 'student birth date', schema: studentCreateInput, base: student, field: 'birthDate', alsoRefused: [tomorrow, '1850-01-01'] },
  {
    name: 'case opened on',
    schema: caseOpenInput,
    base: {
      studentId: 1,
      source: 'self',
      categories: ['study'],
      concern: 'x',
      riskLevel: 'routine',
      openedOn: '2026-01-05',
      counsellorIds: [1],
    },
    field: 'openedOn',
  },
  {
    name: 'session date',
    schema: noteInput,
    base: { caseId: 1, sessionDate: '2026-01-05', durationMin: 30, type: 'individual', text: 'x' },
    field: 'sessionDate',
  },
  { name: 'follow-up due', schema: followUpInput, base: { caseId: 1, dueOn: '2026-01-05', purpose: null }, field: 'dueOn' },
  {
    name: 'referral sent',
    schema: referralInput,
    base: { caseId: 1, kind: 'hospital_clinic', target: 'x', sentOn: '2026-01-05' },
    field: 'sentOn',
  },
  {
    name: 'school year start',
    schema: schoolYearCreateInput,
    base: { label: '2026-2027', startsOn: '2026-09-01', endsOn: '2027-07-10' },
    field: 'startsOn',
  },
  { name: 'audit filter', schema: auditListInput, base: {}, field: 'from' },
  {
    name: 'staff start',
    schema: staffCreateInput,
    base: { name: 'x', employment: 'full_time', title: null, startsOn: '1990-09-01', endsOn: null },
    field: 'startsOn',
  },
  {
    name: 'certificate issued',
    schema: certificateCreateInput,
    base: { staffId: 1, name: 'x', issuer: null, issuedOn: '1998-01-01', expiresOn: null },
    field: 'issuedOn',
  },
  {
    name: 'training completed',
    schema: trainingCreateInput,
    base: { staffId: 1, schoolYearId: 1, course: 'x', hours: 2, level: 'district', completedOn: '2026-01-05' },
    field: 'completedOn',
  },
  {
    name: 'research start',
    schema: projectCreateInput,
    base: {
      title: 't',
      institution: 'i',
      purpose: 'p',
      datasets: [DATASET_NAMES[0]],
      startsOn: '2026-01-01',
      endsOn: '2026-06-01',
      approverId: 1,
    },
    field: 'startsOn',
  },
  {
    name: 'crisis time',
    schema: crisisInput,
    base: { caseId: 1, occurredAt: '2026-01-05T10:00:00+08:00', what: 'x', actions: 'y', accompanied: true },
    field: 'occurredAt',
  },
]

describe.each(FIELDS)('$name', ({ schema, base, field, alsoRefused = [] }) => {
  it('accepts the example', () => {
    const r = schema.safeParse(base)
    expect(r.error?.issues ?? []).toEqual([])
  })
  it.each(['0000-01-01', '9999-12-31', ...alsoRefused])('refuses %s', (day) => {
    const value = field === 'occurredAt' ? `${day}T10:00:00+08:00` : day
    const r = schema.safeParse({ ...base, [field]: value })
    expect(r.success).toBe(false)
    expect(r.error!.issues.some((i) => i.path.join('.') === field && i.message.startsWith('validation.date'))).toBe(true)
  })
})
