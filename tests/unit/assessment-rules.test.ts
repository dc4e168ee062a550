import { describe, expect, it } from 'vitest'
import { codeSchema, DEFAULT_ASSESSMENT_SETTINGS, DEFAULT_CONSENT, type AssessmentSettings } from '../../shared/assessment'
import { INSTRUMENTS, type InstrumentId } from '../../shared/instruments'
import { answerProblems, formatCode, nextWindow, roundState, scoreSubmission } from '../../server/rules/assessment'
import { parseTeacherRoster } from '../../server/rules/teacher-import'

const fill = (id: InstrumentId, v: number, over: Record<string, number> = {}) => ({
  ...Object.fromEntries(INSTRUMENTS[id].items.map((i) => [i.key, v])),
  ...over,
})

describe('round state', () => {
  const round = { opensAt: '2026-03-01T00:00:00.000Z', closesAt: '2026-03-08T00:00:00.000Z' }
  it.each([
    ['2026-02-28T23:59:59.999Z', 'upcoming'],
    ['2026-03-01T00:00:00.000Z', 'open'],
    ['2026-03-07T23:59:59.999Z', 'open'],
    ['2026-03-08T00:00:00.000Z', 'closed'],
  ])('at %s is %s', (at, state) => {
    expect(roundState(round, new Date(at))).toBe(state)
  })
})

describe('the next round of a recurring one', () => {
  it.each([
    // local (Asia/Shanghai) midnight stays local midnight
    ['term', '2026-02-28T16:00:00.000Z', '2026-03-14T16:00:00.000Z', '2026-08-31T16:00:00.000Z', '2026-09-14T16:00:00.000Z'],
    ['year', '2026-02-28T16:00:00.000Z', '2026-03-14T16:00:00.000Z', '2027-02-28T16:00:00.000Z', '2027-03-14T16:00:00.000Z'],
    // the 31st becomes the last day of a shorter month
    ['term', '2026-08-30T16:00:00.000Z', '2026-09-10T02:00:00.000Z', '2027-02-27T16:00:00.000Z', '2027-03-10T02:00:00.000Z'],
  ] as const)('%s: %s–%s → %s–%s', (recurrence, opensAt, closesAt, nextOpens, nextCloses) => {
    expect(nextWindow({ opensAt, closesAt, recurrence })).toEqual({ opensAt: nextOpens, closesAt: nextCloses })
  })
  it('has none for a round that does not recur', () => {
    expect(nextWindow({ opensAt: '2026-03-01T00:00:00.000Z', closesAt: '2026-03-02T00:00:00.000Z', recurrence: 'none' })).toBeNull()
  })
})

describe('answer problems', () => {
  it.each([
    ['a complete, valid set', ['phq9'], { phq9: fill('phq9', 0) }, true, []],
    ['a partial draft', ['phq9'], { phq9: { phq9_1: 3 } }, false, []],
    [
      'a partial submission',
      ['gad7'],
      { gad7: { gad7_1: 3 } },
      true,
      ['gad7_2:missing', 'gad7_3:missing', 'gad7_4:missing', 'gad7_5:missing', 'gad7_6:missing', 'gad7_7:missing'],
    ],
    ['a value off the scale', ['phq9'], { phq9: { phq9_1: 4 } }, false, ['phq9_1:outOfRange']],
    ['K10 below its scale (1–5)', ['k10'], { k10: { k10_1: 0 } }, false, ['k10_1:outOfRange']],
    ['an item of no instrument', ['who5'], { who5: { who5_9: 1 } }, false, ['who5_9:unknownItem']],
    ['an instrument outside the round', ['who5'], { pss10: {} }, false, ['null:unknownInstrument']],
  ] as const)('%s', (_name, ids, answers, complete, expected) => {
    expect(answerProblems(ids, answers, complete).map((p) => `${p.item}:${p.problem}`)).toEqual(expected)
  })
})

describe('what a submission tells the handler', () => {
  const s = DEFAULT_ASSESSMENT_SETTINGS
  const noBands: AssessmentSettings = { ...s, alertBands: {} }
  it.each([
    [
      'PHQ-9 item 9 = 1 with a total of 1',
      ['phq9'],
      { phq9: fill('phq9', 0, { phq9_9: 1 }) },
      s,
      false,
      { isAlert: true, reasons: ['phq9_item9'] },
    ],
    [
      'item 9 = 1 even with no band setting',
      ['phq9'],
      { phq9: fill('phq9', 0, { phq9_9: 1 }) },
      noBands,
      false,
      { isAlert: true, reasons: ['phq9_item9'] },
    ],
    [
      'PHQ-9 total 14 (moderate, below the setting)',
      ['phq9'],
      { phq9: fill('phq9', 0, { phq9_1: 3, phq9_2: 3, phq9_3: 3, phq9_4: 3, phq9_5: 2 }) },
      s,
      false,
      null,
    ],
    [
      'PHQ-9 total 15 (moderately severe, at the setting)',
      ['phq9'],
      { phq9: fill('phq9', 0, { phq9_1: 3, phq9_2: 3, phq9_3: 3, phq9_4: 3, phq9_5: 3 }) },
      s,
      false,
      { isAlert: true, reasons: ['band:phq9'] },
    ],
    [
      'the same with no band setting',
      ['phq9'],
      { phq9: fill('phq9', 0, { phq9_1: 3, phq9_2: 3, phq9_3: 3, phq9_4: 3, phq9_5: 3 }) },
      noBands,
      false,
      null,
    ],
    ['GAD-7 total 15 (severe)', ['gad7'], { gad7: fill('gad7', 2, { gad7_1: 3 }) }, s, false, { isAlert: true, reasons: ['band:gad7'] }],
    ['WHO-5 poor well-being never alerts by default', ['who5'], { who5: fill('who5', 0) }, s, false, null],
    ['only the request to be contacted', ['who5'], { who5: fill('who5', 5) }, s, true, { isAlert: false, reasons: ['contact'] }],
    [
      'both',
      ['phq9', 'k10'],
      { phq9: fill('phq9', 0, { phq9_9: 2 }), k10: fill('k10', 3) },
      s,
      true,
      { isAlert: true, reasons: ['phq9_item9', 'band:k10', 'contact'] },
    ],
  ] as const)('%s', (_name, ids, answers, settings, contactMe, expected) => {
    expect(scoreSubmission(ids, answers, settings, contactMe).alert).toEqual(expected)
  })
})

describe('codes', () => {
  it.each([
    ['ABCD-EFGH-JKMN-PQRS', 'ABCDEFGHJKMNPQRS'],
    [' abcd efgh jkmn pqrs ', 'ABCDEFGHJKMNPQRS'],
    ['23456789ABCDEFGH', '23456789ABCDEFGH'],
  ])('reads %j as %s', (typed, code) => {
    expect(codeSchema.parse(typed)).toBe(code)
  })
  it.each(['ABCD-EFGH-JKMN-PQR', 'ABCD-EFGH-JKMN-PQRSX', 'ABCD-EFGH-JKMN-PQR0', 'ABCD-EFGH-JKMN-PQRI', ''])('refuses %j', (typed) => {
    expect(codeSchema.safeParse(typed).success).toBe(false)
  })
  it('prints in four groups', () => {
    expect(formatCode('ABCDEFGHJKMNPQRS')).toBe('ABCD-EFGH-JKMN-PQRS')
  })
})

describe('the default consent', () => {
  it.each(Object.entries(DEFAULT_CONSENT))(
    'in %s says results are never used in appraisal, who sees what and how long answers are kept',
    (locale, text) => {
      expect(text).toContain('不作为考核依据')
      expect(text).toMatch(locale === 'en' ? /aggregate/ : /汇总/)
      expect(text).toMatch(locale === 'en' ? /one year/ : /一年/)
    },
  )
})

describe('teacher roster import', () => {
  it('reads Chinese or English headers, a year or a full date, and reports every problem by row', () => {
    const parsed = parseTeacherRoster(
      [
        ['Staff No', 'Name', 'Sex', 'Birth year', 'Subject', 'Phone'],
        ['T-1', 'Wang Fang', 'female', '1985', 'Maths', ''],
        ['T-2', 'Li Lei', '男', '1979/3/7', '', '13800001111'],
        ['T-1', 'Dup', 'M', '', '', ''],
        ['T-9', 'Old', 'M', '', '', ''],
        ['', '', '', '', '', ''],
        ['T-4', '', 'x', '85', '', ''],
      ],
      new Set(['T-9']),
    )
    expect(parsed.rows.map((r) => [r.row, r.value.staffNo, r.value.sex, r.value.birthYear])).toEqual([
      [2, 'T-1', 'F', 1985],
      [3, 'T-2', 'M', 1979],
    ])
    expect(parsed.problems.map((p) => `${p.row}:${p.field}:${p.code}`)).toEqual([
      '4:staffNo:duplicateInFile',
      '5:staffNo:exists',
      '7:sex:sex',
      '7:birthYear:year',
      '7:name:required',
    ])
  })
  it('names the missing required columns and reads nothing else', () => {
    expect(parseTeacherRoster([['姓名', '学科']], new Set()).missingColumns).toEqual(['staffNo', 'sex'])
  })
})
