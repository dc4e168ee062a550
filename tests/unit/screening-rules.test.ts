import { describe, expect, it } from 'vitest'
import {
  ageOn,
  consentParty,
  DEFAULT_SCREENING_SETTINGS,
  definitionProblems,
  gradeBand,
  hasConsent,
  schoolYearOf,
  type QuestionnaireDefinition,
} from '../../shared/screening'
import {
  awarenessRate,
  campaignOpen,
  customInstrument,
  embeddedInstrument,
  publicInstrument,
  quizPassed,
  scoreScreening,
  screeningAnswerProblems,
} from '../../server/rules/screening'

describe('consent party at the campaign date (PIPL: guardian under 14, the student from 14)', () => {
  it.each([
    ['13 the day before the 14th birthday', '2012-09-02', '2026-09-01', 'guardian'],
    ['14 on the birthday itself', '2012-09-01', '2026-09-01', 'student'],
    ['14 and a day', '2012-08-31', '2026-09-01', 'student'],
    ['13 years and 11 months', '2012-10-01', '2026-09-01', 'guardian'],
    ['a 29 February birthday, 14th turns on 1 March', '2012-02-29', '2026-02-28', 'guardian'],
    ['a 29 February birthday on 1 March', '2012-02-29', '2026-03-01', 'student'],
    ['no birth date on file', null, '2026-09-01', 'guardian'],
    ['16', '2010-01-01', '2026-09-01', 'student'],
  ] as const)('%s → %s', (_, birth, day, party) => {
    expect(consentParty(birth, day)).toBe(party)
  })

  it('counts whole years', () => {
    expect(ageOn('2012-09-01', '2026-08-31')).toBe(13)
    expect(ageOn('2012-09-01', '2026-09-01')).toBe(14)
  })
})

describe('a standing consent of the right party', () => {
  it.each([
    ['guardian consent, guardian required', { party: 'guardian', withdrawnAt: null }, 'guardian', true],
    ['student consent, student required (14+)', { party: 'student', withdrawnAt: null }, 'student', true],
    ['a 13-year-old’s own consent does not count', { party: 'student', withdrawnAt: null }, 'guardian', false],
    ['a guardian consent for a 14-year-old is not theirs', { party: 'guardian', withdrawnAt: null }, 'student', false],
    ['withdrawn', { party: 'guardian', withdrawnAt: '2026-09-02T01:00:00.000Z' }, 'guardian', false],
    ['none recorded', null, 'guardian', false],
  ] as const)('%s → %s', (_, record, required, ok) => {
    expect(hasConsent(record, required)).toBe(ok)
  })
})

describe('calendar helpers', () => {
  it.each([
    ['2026-09-01', '2026-2027'],
    ['2026-08-31', '2025-2026'],
    ['2027-01-15', '2026-2027'],
  ])('%s is in school year %s', (day, year) => expect(schoolYearOf(day)).toBe(year))

  it.each([
    [3, 'other'],
    [4, 'upper_primary'],
    [6, 'upper_primary'],
    [7, 'junior'],
    [9, 'junior'],
    [10, 'senior'],
    [12, 'senior'],
  ] as const)('grade %i is %s', (g, band) => expect(gradeBand(g)).toBe(band))

  it.each([
    ['2026-09-09', 'upcoming'],
    ['2026-09-10', 'open'],
    ['2026-09-20', 'open'],
    ['2026-09-21', 'closed'],
  ] as const)('on %s a campaign 09-10…09-20 is %s', (day, state) => {
    expect(campaignOpen({ campaignDate: '2026-09-10', closesOn: '2026-09-20' }, day)).toBe(state)
  })
})

const opts = (n: number) => Array.from({ length: n }, (_, v) => ({ value: v, labelZh: `选项${v}`, labelEn: `Option ${v}` }))
const quiz = (items: number): QuestionnaireDefinition => ({
  kind: 'quiz',
  nameZh: '心理健康知识',
  nameEn: 'Mental-health knowledge',
  stemZh: '',
  stemEn: '',
  items: Array.from({ length: items }, (_, i) => ({
    key: `k${i + 1}`,
    textZh: `题${i + 1}`,
    textEn: `Q${i + 1}`,
    options: opts(3),
    correct: 1,
    critical: null,
  })),
  bands: [],
})
const scale: QuestionnaireDefinition = {
  kind: 'screening',
  nameZh: '情绪自评',
  nameEn: 'Mood self-check',
  stemZh: '',
  stemEn: '',
  items: [
    { key: 'a', textZh: '甲', textEn: 'A', options: opts(4), correct: null, critical: null },
    { key: 'b', textZh: '乙', textEn: 'B', options: opts(4), correct: null, critical: 2 },
  ],
  bands: [
    { key: 'low', labelZh: '低', labelEn: 'Low', min: 0, max: 2, warn: 'none' },
    { key: 'mid', labelZh: '中', labelEn: 'Mid', min: 3, max: 4, warn: 'watch' },
    { key: 'top', labelZh: '高', labelEn: 'High', min: 5, max: 6, warn: 'high' },
  ],
}

describe('district questionnaire definitions', () => {
  it.each([
    ['a complete quiz', quiz(5), []],
    [
      'a quiz item without a correct answer',
      { ...quiz(2), items: [{ ...quiz(2).items[0]!, correct: null }, quiz(2).items[1]!] },
      ['correctMissing'],
    ],
    ['a correct answer that is not an option', { ...quiz(1), items: [{ ...quiz(1).items[0]!, correct: 7 }] }, ['correctNotAnOption']],
    ['duplicate item keys', { ...quiz(2), items: [quiz(2).items[0]!, quiz(2).items[0]!] }, ['duplicateItem']],
    ['a scale with contiguous bands', scale, []],
    ['a scale with a gap', { ...scale, bands: [scale.bands[0]!, scale.bands[2]!] }, ['bandsGap']],
    ['a scale whose bands stop short', { ...scale, bands: [scale.bands[0]!, scale.bands[1]!] }, ['bandsGap']],
    ['a scale without bands', { ...scale, bands: [] }, ['bandsMissing']],
  ] as const)('%s → %j', (_, def, problems) => {
    expect(definitionProblems(def as QuestionnaireDefinition)).toEqual(problems)
  })
})

describe('scoring a submission', () => {
  const phq9 = embeddedInstrument('phq9', DEFAULT_SCREENING_SETTINGS)
  const gad7 = embeddedInstrument('gad7', DEFAULT_SCREENING_SETTINGS)
  const zeros = (prefix: string, n: number, over: Record<string, number> = {}) => ({
    ...Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}_${i + 1}`, 0])),
    ...over,
  })

  it('makes PHQ-9 item 9 ≥ 1 a critical warning whatever the total', () => {
    const out = scoreScreening([phq9], { phq9: zeros('phq9', 9, { phq9_9: 1 }) }, 60)
    expect(out.scores[0]).toMatchObject({ total: 1, band: 'minimal', critical: true })
    expect(out.warning).toEqual({ level: 'critical', reasons: ['critical:phq9'] })
  })

  it.each([
    ['no warning below the watch band', { phq9_1: 3, phq9_2: 3, phq9_3: 3 }, null],
    ['watch from the moderate band (10)', { phq9_1: 3, phq9_2: 3, phq9_3: 3, phq9_4: 1 }, 'watch'],
    ['high from moderately severe (15)', { phq9_1: 3, phq9_2: 3, phq9_3: 3, phq9_4: 3, phq9_5: 3 }, 'high'],
  ] as const)('%s', (_, over, level) => {
    expect(scoreScreening([phq9, gad7], { phq9: zeros('phq9', 9, over), gad7: zeros('gad7', 7) }, 60).warning?.level ?? null).toBe(level)
  })

  it('scores a district scale by its own bands and critical item', () => {
    const ins = customInstrument(4, 1, scale)
    expect(scoreScreening([ins], { q4: { a: 3, b: 0 } }, 60)).toMatchObject({ warning: { level: 'watch' } })
    expect(scoreScreening([ins], { q4: { a: 0, b: 2 } }, 60)).toMatchObject({ warning: { level: 'critical' } })
    expect(scoreScreening([ins], { q4: { a: 0, b: 1 } }, 60).warning).toBeNull()
  })

  it.each([
    [3, 5, 60, true],
    [2, 5, 60, false],
    [4, 5, 80, true],
    [3, 5, 61, false],
    [0, 5, 1, false],
  ] as const)('%i of %i correct at a %i %% pass mark passes: %s', (correct, items, mark, passed) => {
    expect(quizPassed(correct, items, mark)).toBe(passed)
    const ins = customInstrument(9, 2, quiz(items))
    const given = Object.fromEntries(ins.items.map((item, i) => [item.key, i < correct ? 1 : 0]))
    const s = scoreScreening([ins], { q9: given }, mark)
    expect(s.scores[0]).toMatchObject({ total: correct, passed, band: passed ? 'pass' : 'fail' })
    expect(s.warning).toBeNull()
  })

  it('never sends correct answers, critical marks or bands to the student', () => {
    const shown = JSON.stringify(publicInstrument(customInstrument(9, 1, quiz(3))))
    expect(shown).not.toContain('correct')
    expect(shown).not.toContain('critical')
    expect(shown).not.toContain('bands')
  })

  it('checks answers against each item’s options; a draft may leave items out', () => {
    const ins = customInstrument(9, 1, quiz(2))
    expect(screeningAnswerProblems([ins], { q9: { k1: 1 } }, false)).toEqual([])
    expect(screeningAnswerProblems([ins], { q9: { k1: 1 } }, true)).toEqual([{ instrument: 'q9', item: 'k2', problem: 'missing' }])
    expect(screeningAnswerProblems([ins], { q9: { k1: 5 } }, false)).toEqual([{ instrument: 'q9', item: 'k1', problem: 'outOfRange' }])
    expect(screeningAnswerProblems([ins], { phq9: {} }, false)[0]).toMatchObject({ problem: 'unknownInstrument' })
  })
})

describe('awareness rate', () => {
  it.each([
    [8, 10, 80],
    [2, 3, 66.7],
    [null, 10, null],
    [5, null, null],
    [0, 0, null],
  ] as const)('%s of %s → %s %%', (passed, answered, rate) => expect(awarenessRate(passed, answered)).toBe(rate))
})
