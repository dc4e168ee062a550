import { describe, expect, it } from 'vitest'
import { canTransition, STAGES, treeSchema, type Stage, type Tree } from '../../shared/accreditation'
import { DEFAULT_TREE } from '../../shared/accreditation-tree'
import {
  addYears,
  capScore,
  conflictsOf,
  dueReminders,
  heldByYear,
  panelPoints,
  recommend,
  scoreSheet,
  titleState,
  type SchoolPlace,
} from '../../server/rules/accreditation'

const point = (code: string, maxScore: number, starred = false) => ({
  code,
  textZh: code,
  textEn: code,
  maxScore,
  evidenceZh: '',
  evidenceEn: '',
  system: null,
  starred,
})

/** Two categories: A (weight 60, points a1 max 10, a2 max 10 starred) and B (weight 40, b1 max 5). */
const TREE: Tree = [
  {
    code: 'A',
    nameZh: 'A',
    nameEn: 'A',
    weight: 60,
    indicators: [{ code: 'A1', nameZh: 'A1', nameEn: 'A1', points: [point('a1', 10), point('a2', 10, true)] }],
  },
  { code: 'B', nameZh: 'B', nameEn: 'B', weight: 40, indicators: [{ code: 'B1', nameZh: 'B1', nameEn: 'B1', points: [point('b1', 5)] }] },
]

describe('scoreSheet', () => {
  it.each([
    ['all full marks', { a1: 10, a2: 10, b1: 5 }, 100, [], []],
    ['weights: half of A, all of B (a starred half fails)', { a1: 5, a2: 5, b1: 5 }, 70, [], ['a2']],
    ['weights: A at 80 %, B at 40 %', { a1: 8, a2: 8, b1: 2 }, 64, [], []],
    ['caps: above the maximum counts as the maximum', { a1: 15, a2: 10, b1: 9 }, 100, [], []],
    ['caps: below zero counts as zero', { a1: -4, a2: 10, b1: 5 }, 70, [], []],
    ['missing scores count as 0 and are listed', { a1: 10, a2: 10 }, 60, ['b1'], []],
    ['a starred point below 60 % vetoes', { a1: 10, a2: 5, b1: 5 }, 85, [], ['a2']],
    ['a starred point at exactly 60 % passes', { a1: 10, a2: 6, b1: 5 }, 88, [], []],
    ['a missing starred point both misses and vetoes', { a1: 10, b1: 5 }, 70, ['a2'], ['a2']],
    ['fractions are kept to two decimals', { a1: 3.3, a2: 6, b1: 1 }, 35.9, [], []],
  ])('%s', (_name, scores, total, missing, vetoed) => {
    const r = scoreSheet(TREE, scores, 60)
    expect(r.total).toBeCloseTo(total, 2)
    expect(r.missing).toEqual(missing)
    expect(r.vetoed).toEqual(vetoed)
  })

  it('the default tree adds up to 100 and validates', () => {
    expect(treeSchema.safeParse(DEFAULT_TREE).success).toBe(true)
    const full = Object.fromEntries(DEFAULT_TREE.flatMap((c) => c.indicators.flatMap((i) => i.points.map((p) => [p.code, p.maxScore]))))
    expect(scoreSheet(DEFAULT_TREE, full, 60).total).toBe(100)
  })

  it('refuses a tree whose weights do not add up to 100 or whose codes repeat', () => {
    expect(treeSchema.safeParse([{ ...TREE[0]!, weight: 50 }, TREE[1]!]).success).toBe(false)
    const dup = structuredClone(TREE)
    dup[1]!.indicators[0]!.points[0]!.code = 'a1'
    expect(treeSchema.safeParse(dup).success).toBe(false)
  })

  it('capScore holds to the range', () => {
    expect([capScore(-1, 5), capScore(3, 5), capScore(7, 5)]).toEqual([0, 3, 5])
  })
})

describe('panelPoints (spread and disagreement)', () => {
  it.each([
    ['agreeing experts', [{ a1: 8 }, { a1: 9 }], 8.5, 1, false],
    ['spread exactly at 30 % is not flagged', [{ a1: 5 }, { a1: 8 }], 6.5, 3, false],
    ['spread above 30 % is flagged', [{ a1: 4 }, { a1: 8 }], 6, 4, true],
    ['a single expert never disagrees', [{ a1: 1 }], 1, 0, false],
    ['an expert who left it unscored is left out', [{ a1: 6 }, { a1: null }, { a1: 7 }], 6.5, 1, false],
  ])('%s', (_name, sheets, mean, spread, flag) => {
    const p = panelPoints(
      TREE,
      sheets.map((s) => ({ scores: s })),
      30,
    ).find((x) => x.code === 'a1')!
    expect([p.mean, p.spread, p.disagreement]).toEqual([mean, spread, flag])
  })

  it('deltas count after the visit, capped at the maximum', () => {
    const p = panelPoints(
      TREE,
      [
        { scores: { a1: 9 }, deltas: { a1: 3 } },
        { scores: { a1: 6 }, deltas: { a1: -1 } },
      ],
      30,
    ).find((x) => x.code === 'a1')!
    expect(p.scores).toEqual([10, 5])
    expect(p.disagreement).toBe(true)
  })

  it('no sheet: no mean', () => {
    expect(panelPoints(TREE, [], 30)[0]).toMatchObject({ mean: null, spread: null, disagreement: false })
  })
})

describe('recommend', () => {
  it.each([
    [{ a1: 10, a2: 10, b1: 5 }, 80, 'accredited'],
    [{ a1: 5, a2: 5, b1: 5 }, 80, 'not_yet'],
    [{ a1: 10, a2: 5, b1: 5 }, 80, 'not_yet'], // 85 but starred a2 failed
    [{ a1: 10, a2: 10 }, 50, 'not_yet'], // missing b1
  ])('%o at pass %d → %s', (scores, pass, want) => {
    expect(recommend(scoreSheet(TREE, scores, 60), pass)).toBe(want)
  })
})

describe('conflictsOf', () => {
  const places = new Map<number, SchoolPlace>([
    [1, { id: 1, streetId: 10, groups: ['红岭教育集团'] }],
    [2, { id: 2, streetId: 10, groups: [] }],
    [3, { id: 3, streetId: 20, groups: ['红岭教育集团'] }],
    [4, { id: 4, streetId: 30, groups: [] }],
  ])
  const none = { currentSchoolIds: [], pastSchoolIds: [], panelSchoolIds: [] }
  it.each([
    ['no ties', none, 1, []],
    ['own school is the school', { ...none, currentSchoolIds: [1], pastSchoolIds: [1] }, 1, ['ownSchool', 'employment']],
    ['own school in the same street', { ...none, currentSchoolIds: [2], pastSchoolIds: [2] }, 1, ['sameStreet']],
    ['own school in the same education group', { ...none, currentSchoolIds: [3], pastSchoolIds: [3] }, 1, ['sameGroup']],
    ['worked there before', { ...none, currentSchoolIds: [4], pastSchoolIds: [4, 1] }, 1, ['employment']],
    ['sat on its previous panel', { ...none, panelSchoolIds: [1] }, 1, ['previousPanel']],
    [
      'everything at once',
      { currentSchoolIds: [2, 3], pastSchoolIds: [1], panelSchoolIds: [1] },
      1,
      ['sameStreet', 'sameGroup', 'employment', 'previousPanel'],
    ],
    ['an unrelated school', { ...none, currentSchoolIds: [4], pastSchoolIds: [4] }, 2, []],
  ])('%s', (_name, ties, target, want) => {
    expect(conflictsOf(ties, places.get(target)!, places)).toEqual(want)
  })
})

describe('stage transitions', () => {
  const legal: [Stage, Stage][] = [
    ['draft', 'submitted'],
    ['submitted', 'returned'],
    ['submitted', 'accepted'],
    ['returned', 'submitted'],
    ['accepted', 'review'],
    ['review', 'visited'],
    ['visited', 'decided'],
  ]
  it('allows exactly the listed moves', () => {
    for (const from of STAGES)
      for (const to of STAGES) expect(canTransition(from, to), `${from}→${to}`).toBe(legal.some(([a, b]) => a === from && b === to))
  })
})

describe('titles and reminders', () => {
  it.each([
    ['2024-02-29', 3, '2027-02-28'],
    ['2024-06-15', 3, '2027-06-15'],
    ['2025-12-31', 1, '2026-12-31'],
  ])('addYears(%s, %d) = %s', (day, n, want) => expect(addYears(day, n)).toBe(want))

  const t = { startsOn: '2024-06-15', expiresOn: '2027-06-15', withdrawnOn: null }
  it.each([
    ['2024-06-14', 'active'], // before the start it is not held (heldOn checks), but not expired either
    ['2027-06-14', 'active'],
    ['2027-06-15', 'expired'],
  ])('titleState on %s', (day, want) => expect(titleState(t, day)).toBe(want))
  it('a withdrawn title leaves the count from its withdrawal', () => {
    expect(titleState({ ...t, withdrawnOn: '2025-01-01' }, '2024-12-31')).toBe('active')
    expect(titleState({ ...t, withdrawnOn: '2025-01-01' }, '2025-01-01')).toBe('withdrawn')
    expect(heldByYear([t, { ...t, withdrawnOn: '2025-03-01' }], [2023, 2024, 2025, 2027])).toEqual([
      { year: 2023, held: 0 },
      { year: 2024, held: 2 },
      { year: 2025, held: 1 },
      { year: 2027, held: 0 },
    ])
  })

  it.each([
    ['2026-12-16', [], { record: [], deliver: null }], // 181 days before
    ['2026-12-17', [], { record: [180], deliver: 180 }], // exactly 180 days before 2027-06-15
    ['2026-12-18', [180], { record: [], deliver: null }],
    ['2027-03-17', [180], { record: [90], deliver: 90 }], // exactly 90 days before
    ['2027-05-16', [180, 90], { record: [30], deliver: 30 }], // exactly 30 days before
    ['2027-05-16', [], { record: [180, 90, 30], deliver: 30 }], // catching up after downtime: one message
    ['2027-06-15', [], { record: [], deliver: null }], // expired: nothing
  ])('dueReminders on %s (sent %o)', (today, sent, want) => {
    expect(dueReminders('2027-06-15', today, sent)).toEqual(want)
  })
})
