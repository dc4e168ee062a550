import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createI18n } from 'vue-i18n'
import { validationMessage } from '../../composables/useApiError'
import en from '../../i18n/locales/en.json'
import zh from '../../i18n/locales/zh-CN.json'
import { caseOpenInput, crisisInput, riskChangeInput } from '../../shared/case-schemas'
import { requiredFields, zodFieldIssues } from '../../shared/field-issues'
import { channelCreateInput, clinicSaveInput, eventCreateInput, roundCreateInput } from '../../shared/programme-schemas'
import type { FieldIssue } from '../../shared/errors'

describe('requiredFields: the fields a form marks with the asterisk', () => {
  it.each([
    ['a drill or activity', eventCreateInput, ['kind', 'heldOn', 'title', 'audiences', 'participants', 'schoolYearId']],
    ['a clinic link (a yes/no and optional texts are not required)', clinicSaveInput, ['schoolYearId', 'hospital']],
    ['a platform channel (a nullable date is not)', channelCreateInput, ['schoolYearId', 'kind', 'name']],
    ['an evaluation round (a refined object)', roundCreateInput, ['title', 'schoolYearId', 'half', 'opensOn', 'dueOn']],
    ['a risk change', riskChangeInput, ['caseId', 'version', 'level', 'reason']],
  ] as const)('%s', (_name, schema, expected) => {
    expect(requiredFields(schema)).toEqual(expected)
  })

  it('includes the lists a case cannot be opened without', () => {
    expect(requiredFields(caseOpenInput)).toEqual(expect.arrayContaining(['studentId', 'categories', 'concern', 'counsellorIds']))
    expect(requiredFields(caseOpenInput)).not.toContain('flags')
  })

  it('walks into nested groups with dotted paths and skips fields with a default', () => {
    const schema = z.strictObject({
      staffing: z.strictObject({ ratio: z.number().min(1), note: z.string().max(10) }),
      tags: z.array(z.string()).default([]),
      agreed: z.boolean(),
    })
    expect(requiredFields(schema)).toEqual(['staffing.ratio'])
  })

  it('is empty for anything that is not an object', () => {
    expect(requiredFields(z.string())).toEqual([])
  })
})

describe('zodFieldIssues: a blank field is told apart from a wrong one', () => {
  const issuesOf = (schema: z.ZodType, input: Record<string, unknown>) => zodFieldIssues(schema.safeParse(input).error?.issues ?? [], input)

  it.each([
    ['an empty list', { audiences: [] }, 'audiences', true],
    ['blank text', { title: '   ' }, 'title', true],
    ['an empty date', { heldOn: '' }, 'heldOn', true],
    ['a cleared number', { participants: null }, 'participants', true],
    ['text too long', { title: 'x'.repeat(101) }, 'title', undefined],
    ['a malformed date', { heldOn: '2026-02-30x' }, 'heldOn', undefined],
  ])('%s', (_name, patch, path, blank) => {
    const input = {
      schoolYearId: 1,
      kind: 'drill',
      heldOn: '2026-11-20',
      title: 'Drill',
      audiences: ['staff'],
      grades: [],
      participants: 10,
      ...patch,
    }
    const issue = issuesOf(eventCreateInput, input).find((i) => i.path === path)
    expect(issue).toBeDefined()
    expect(issue!.blank).toBe(blank)
  })

  it('marks a blank field inside a list by its full path', () => {
    const issues = issuesOf(crisisInput, { caseId: 1, occurredAt: '', what: 'x', actions: 'y', notified: [{ recipient: '', at: '' }] })
    expect(issues.filter((i) => i.blank).map((i) => i.path)).toEqual(
      expect.arrayContaining(['occurredAt', 'notified.0.recipient', 'notified.0.at']),
    )
  })

  it('marks nothing without the input (as before)', () => {
    const issues = zodFieldIssues(eventCreateInput.safeParse({}).error!.issues)
    expect(issues.some((i) => i.blank)).toBe(false)
  })
})

describe('validationMessage: the toast names the field', () => {
  const i18n = (locale: 'en' | 'zh-CN') => createI18n({ legacy: false, locale, messages: { en, 'zh-CN': zh } }).global
  const message = (locale: 'en' | 'zh-CN', issues: FieldIssue[], label?: (p: string) => string | undefined) => {
    const { t, te } = i18n(locale)
    return validationMessage(issues, t, te, label)
  }
  const form = (p: string) => ({ audiences: '参与对象', title: '主题' })[p]

  it.each([
    ['a blank field, by the label the form shows', [{ path: 'audiences', code: 'too_small', minimum: 1 }], form, '请填写：参与对象'],
    ['a blank field the schema calls invalid', [{ path: 'title', code: 'invalid_type', blank: true }], form, '请填写：主题'],
    ['a wrong value, with what is wrong', [{ path: 'title', code: 'too_big', maximum: 100 }], form, '主题：长度或数值过大（最多 100）'],
    ['the shared field names when the form has none', [{ path: 'concern', code: 'too_small', minimum: 1 }], undefined, '请填写：主诉问题'],
    ['the general message for a field without any name', [{ path: 'zzz', code: 'custom' }], undefined, '输入有误，请检查后重试。'],
  ] as const)('%s', (_name, issues, label, expected) => {
    expect(message('zh-CN', [...issues], label)).toBe(expected)
  })

  it('reads naturally in English', () => {
    expect(message('en', [{ path: 'audiences', code: 'too_small', minimum: 1 }], () => 'Audience')).toBe('Please fill in: Audience')
    expect(message('en', [{ path: 'endsOn', code: 'custom', message: 'validation.endsBeforeStart', blank: true }])).toBe(
      `${en.fields.endsOn}: ${en.validation.endsBeforeStart}`,
    )
  })
})
