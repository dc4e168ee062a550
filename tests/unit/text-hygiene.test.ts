import { describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { isInvisibleOnly, normaliseText, optionalText, requiredText, stripUnsafeText, textProblem } from '../../shared/text'
import { studentCreateInput, noteInput, caseOpenInput } from '../../shared/case-schemas'
import { schoolCreateInput, accountCreateInput } from '../../shared/schemas'
import { staffCreateInput } from '../../shared/staffing-schemas'
import { projectCreateInput } from '../../shared/research-schemas'
import { DATASET_NAMES } from '../../shared/research'
import { isBlank } from '../../shared/field-issues'
import { BAD_TEXTS, INVISIBLE_TEXTS } from '../fixtures/bad-text'
import en from '../../i18n/locales/en.json'
import zh from '../../i18n/locales/zh-CN.json'

describe('text hygiene rule', () => {
  it.each(BAD_TEXTS)('$name is refused with its own message', ({ value, message }) => {
    const r = requiredText(100).safeParse(value)
    expect(r.success).toBe(false)
    expect(r.error!.issues.map((i) => i.message)).toContain(message)
  })

  it.each(BAD_TEXTS)('$name is refused in an optional field too', ({ value }) => {
    expect(optionalText(100).safeParse(value).success).toBe(false)
  })

  it.each(INVISIBLE_TEXTS)('invisible-only %j counts as empty: required refuses it, optional stores ""', (value) => {
    expect(isInvisibleOnly(value)).toBe(true)
    expect(isBlank(value)).toBe(true)
    expect(requiredText(100).safeParse(value).success).toBe(false)
    expect(optionalText(100).parse(value)).toBe('')
  })

  it.each([
    { input: 'e\u0301cole', out: 'école', why: 'NFC' },
    { input: '  王丽  ', out: '王丽', why: 'trim' },
    { input: '\u200B王丽\uFEFF', out: '王丽', why: 'invisible edges trimmed' },
    { input: 'line 1\r\nline 2\rline 3', out: 'line 1\nline 2\nline 3', why: 'line breaks unified' },
    { input: 'a\tb\nc', out: 'a\tb\nc', why: 'tab and newline kept' },
    { input: '👩‍👩‍👧 family', out: '👩‍👩‍👧 family', why: 'ZWJ inside an emoji kept' },
    { input: 'ﬁ', out: 'ﬁ', why: 'NFC, not NFKC: compatibility characters kept' },
    { input: 'مرحبا Wang', out: 'مرحبا Wang', why: 'right-to-left text itself is fine' },
  ])('$why', ({ input, out }) => {
    expect(normaliseText(input)).toBe(out)
    expect(textProblem(out)).toBeNull()
    expect(requiredText(100).parse(input)).toBe(out)
  })

  it('a length limit counts the normalised text', () => {
    expect(requiredText(5).safeParse('  abcde  ').success).toBe(true)
    expect(requiredText(5).safeParse('abcdef').success).toBe(false)
  })

  it('stripUnsafeText removes what the rule refuses (for exports of older data)', () => {
    for (const { value } of BAD_TEXTS) expect(textProblem(stripUnsafeText(value))).toBeNull()
  })

  it.each(['textControl', 'textBidi', 'textSurrogate'])('message validation.%s exists in both locales', (key) => {
    expect((en.validation as Record<string, string>)[key]).toBeTruthy()
    expect((zh.validation as Record<string, string>)[key]).toBeTruthy()
  })
})

/** Representative fields of every area: the rule reaches each through the shared schemas. */
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
const FIELDS: { name: string; schema: z.ZodType; base: Record<string, unknown>; field: string }[] = [
  { name: 'student name', schema: studentCreateInput, base: student, field: 'name' },
  { name: 'student class', schema: studentCreateInput, base: student, field: 'className' },
  { name: 'guardian name', schema: studentCreateInput, base: student, field: 'guardianName' },
  {
    name: 'case concern',
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
    field: 'concern',
  },
  {
    name: 'session note',
    schema: noteInput,
    base: { caseId: 1, sessionDate: '2026-01-05', durationMin: 30, type: 'individual', text: 'x' },
    field: 'text',
  },
  {
    name: 'school name',
    schema: schoolCreateInput,
    base: { code: 'S-1', name: '一中', nameEn: null, type: 'junior', streetId: 1, isPublic: true, address: null },
    field: 'name',
  },
  {
    name: 'school address',
    schema: schoolCreateInput,
    base: { code: 'S-1', name: '一中', nameEn: null, type: 'junior', streetId: 1, isPublic: true, address: null },
    field: 'address',
  },
  {
    name: 'account display name',
    schema: accountCreateInput,
    base: { username: 'wang.li', displayName: 'x', role: 'counsellor', schoolId: 1, password: 'Xinqiao-Demo-2026' },
    field: 'displayName',
  },
  {
    name: 'staff name',
    schema: staffCreateInput,
    base: { name: 'x', employment: 'full_time', title: null, startsOn: '2020-09-01', endsOn: null },
    field: 'name',
  },
  {
    name: 'research purpose',
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
    field: 'purpose',
  },
]

describe.each(FIELDS)('$name refuses the probe strings', ({ schema, base, field }) => {
  it('accepts the plain example', () => {
    expect(schema.safeParse({ ...base, [field]: '王丽 Wang' }).success).toBe(true)
  })
  it.each(INVISIBLE_TEXTS)('zero-width/blank %j is not a value', (value) => {
    const r = schema.safeParse({ ...base, [field]: value })
    if (r.success) expect((r.data as Record<string, unknown>)[field]).toBe('')
  })
  it.each(BAD_TEXTS)('$name', ({ value }) => {
    const r = schema.safeParse({ ...base, [field]: value })
    expect(r.success).toBe(false)
    expect(r.error!.issues.some((i) => i.path.join('.') === field)).toBe(true)
  })
})
