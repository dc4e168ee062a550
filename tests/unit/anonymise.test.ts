import { describe, expect, it } from 'vitest'
import {
  AGE_HIERARCHY,
  ageBand,
  ageOn,
  anonymise,
  anonymiseGroups,
  ANY,
  crossTab,
  DATE_HIERARCHY,
  generaliseRecord,
  GRADE_HIERARCHY,
  type Hierarchy,
  type QuasiGroup,
  requiredK,
  SCHOOL_HIERARCHY,
  SEX_HIERARCHY,
  termOf,
} from '../../server/rules/anonymise'

describe('generalisation hierarchies', () => {
  it.each<[Hierarchy, string, string[]]>([
    [SCHOOL_HIERARCHY, 'primary|ST01', ['primary|ST01', 'primary', ANY]],
    [GRADE_HIERARCHY, '5', ['5', 'g4-6', ANY]],
    [GRADE_HIERARCHY, '10', ['10', 'g10-12', ANY]],
    [SEX_HIERARCHY, 'F', ['F', ANY]],
    [AGE_HIERARCHY, '13', ['13', '12-13', 'under14', ANY]],
    [AGE_HIERARCHY, '14', ['14', '14-15', '14plus', ANY]],
    [AGE_HIERARCHY, 'unknown', ['unknown', 'unknown', 'unknown', ANY]],
    [DATE_HIERARCHY, '2026-01-31', ['2026-01', '2025-2026/1', '2025-2026', ANY]],
    [DATE_HIERARCHY, '2026-02-01', ['2026-02', '2025-2026/2', '2025-2026', ANY]],
    [DATE_HIERARCHY, '2025-09-01', ['2025-09', '2025-2026/1', '2025-2026', ANY]],
    [DATE_HIERARCHY, '2025-08-31', ['2025-08', '2024-2025/2', '2024-2025', ANY]],
  ])('%# %s generalises %s level by level', (h, value, expected) => {
    expect(Array.from({ length: h.levels }, (_, level) => h.generalise(value, level))).toEqual(expected)
    expect(h.describe).toHaveLength(h.levels)
  })

  it.each([
    ['2014-05-06', '2026-05-05', 11],
    ['2014-05-06', '2026-05-06', 12],
    ['2012-02-29', '2026-02-28', 13],
    [null, '2026-05-06', null],
  ])('age of someone born %s on %s is %s', (birth, on, age) => {
    expect(ageOn(birth, on)).toBe(age)
  })

  it.each([
    [null, 'unknown'],
    [5, 'under6'],
    [8, '6-8'],
    [13, '12-13'],
    [14, '14-15'],
    [18, '16-18'],
    [19, 'over18'],
  ])('age %s is in band %s', (age, band) => {
    expect(ageBand(age)).toBe(band)
  })

  it.each([
    ['2025-09-01', '2025-2026/1'],
    ['2026-01-15', '2025-2026/1'],
    ['2026-03-01', '2025-2026/2'],
    ['2026-08-31', '2025-2026/2'],
  ])('%s falls in term %s', (date, term) => expect(termOf(date)).toBe(term))

  it.each([
    [[15, 16, 17], 5],
    [[15, 13, 17], 10],
    [[15, null], 10],
    [[], 5],
  ])('ages %j ask for k = %i', (ages, k) => expect(requiredK(ages, 5, 10)).toBe(k))
})

/** A small deterministic generator (mulberry32), so failures reproduce. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** The second code path: sorts the kept rows and scans runs of equal keys, counting sizes and distinct sensitive values. */
function verify(rows: (string[] | null)[], sensitive: readonly string[]) {
  const kept = rows.map((r, i) => (r ? { key: JSON.stringify(r), s: sensitive[i]! } : null)).filter((x) => x != null)
  kept.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  let minSize = Infinity
  let minDistinct = Infinity
  let start = 0
  for (let i = 1; i <= kept.length; i++) {
    if (i === kept.length || kept[i]!.key !== kept[start]!.key) {
      const run = kept.slice(start, i)
      minSize = Math.min(minSize, run.length)
      minDistinct = Math.min(minDistinct, new Set(run.map((x) => x.s)).size)
      start = i
    }
  }
  return { minSize, minDistinct, kept: kept.length }
}

const HIERARCHIES = [SCHOOL_HIERARCHY, GRADE_HIERARCHY, SEX_HIERARCHY, AGE_HIERARCHY, DATE_HIERARCHY]

function population(n: number, seed: number, schools = 12) {
  const r = rng(seed)
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!
  const quasi: string[][] = []
  const sensitive: string[] = []
  for (let i = 0; i < n; i++) {
    const grade = 1 + Math.floor(r() * 12)
    quasi.push([
      `${pick(['primary', 'junior', 'senior'])}|ST${Math.floor(r() * schools)}`,
      String(grade),
      pick(['F', 'M']),
      r() < 0.05 ? 'unknown' : String(5 + grade + Math.floor(r() * 2)),
      `2025-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}-15`,
    ])
    sensitive.push(pick(['crisis', 'high', 'watch', 'watch', 'routine', 'routine', 'routine']))
  }
  return { quasi, sensitive }
}

describe('k-anonymity and ℓ-diversity', () => {
  it.each([
    { n: 40, seed: 1, k: 5, l: 2 },
    { n: 300, seed: 2, k: 5, l: 2 },
    { n: 300, seed: 3, k: 10, l: 2 },
    { n: 2000, seed: 4, k: 10, l: 2 },
    { n: 2000, seed: 5, k: 5, l: 3 },
    { n: 7, seed: 6, k: 10, l: 2 },
  ])('n=$n seed=$seed: every kept class has k ≥ $k and ℓ ≥ $l, checked independently', ({ n, seed, k, l }) => {
    const { quasi, sensitive } = population(n, seed)
    const out = anonymise({ quasi, sensitive, hierarchies: HIERARCHIES, k, l, maxDroppedShare: 0.05 })
    const check = verify(out.rows, sensitive)
    expect(check.kept + out.dropped).toBe(n)
    if (check.kept > 0) {
      expect(check.minSize).toBeGreaterThanOrEqual(k)
      expect(check.minDistinct).toBeGreaterThanOrEqual(l)
      expect(out.kAchieved).toBe(check.minSize)
      expect(out.lAchieved).toBe(check.minDistinct)
    } else {
      expect(out.kAchieved).toBeNull()
    }
    // Generalisation is full-domain: every kept row shows each quasi-identifier at the chosen level.
    out.rows.forEach((row, i) => {
      if (row) expect(row).toEqual(quasi[i]!.map((v, j) => HIERARCHIES[j]!.generalise(v, out.levels[j]!)))
    })
  })

  it('drops no more than the allowed share unless every quasi-identifier is fully generalised', () => {
    const { quasi, sensitive } = population(2000, 9)
    const out = anonymise({ quasi, sensitive, hierarchies: HIERARCHIES, k: 5, l: 2, maxDroppedShare: 0.05 })
    expect(out.dropped).toBeLessThanOrEqual(100)
  })

  it('drops a group that can never be diverse: all subjects share one risk level', () => {
    const quasi = Array.from({ length: 20 }, () => ['primary|ST1', '3', 'F', '9', '2025-10-01'])
    const out = anonymise({ quasi, sensitive: quasi.map(() => 'routine'), hierarchies: HIERARCHIES, k: 5, l: 2, maxDroppedShare: 0.05 })
    expect(out.dropped).toBe(20)
    expect(out.rows.every((r) => r === null)).toBe(true)
    expect(out.levels).toEqual(HIERARCHIES.map((h) => h.levels - 1))
  })

  it('keeps the detail when the data are already safe', () => {
    const quasi = Array.from({ length: 10 }, () => ['primary|ST1', '3', 'F', '9', '2025-10-01'])
    const sensitive = quasi.map((_, i) => (i % 2 ? 'watch' : 'routine'))
    const out = anonymise({ quasi, sensitive, hierarchies: HIERARCHIES, k: 5, l: 2, maxDroppedShare: 0 })
    expect(out).toMatchObject({ levels: [0, 0, 0, 0, 0], dropped: 0, classes: 1, kAchieved: 10, lAchieved: 2 })
  })

  it('is deterministic', () => {
    const { quasi, sensitive } = population(500, 11)
    const a = anonymise({ quasi, sensitive, hierarchies: HIERARCHIES, k: 10, l: 2, maxDroppedShare: 0.05 })
    const b = anonymise({ quasi, sensitive, hierarchies: HIERARCHIES, k: 10, l: 2, maxDroppedShare: 0.05 })
    expect(b).toEqual(a)
  })
})

describe('cross tabulation', () => {
  it('counts a multi-valued unit once per value, keeps the given order and appends unlisted values sorted', () => {
    const out = crossTab(
      [
        { row: ['b'], col: ['x', 'y'] },
        { row: ['a'], col: ['x'] },
        { row: ['c'], col: ['x', 'x'] },
        { row: ['a'], col: ['z'] },
      ],
      ['a', 'b'],
      ['y', 'x'],
    )
    expect(out).toEqual({
      rowValues: ['a', 'b', 'c'],
      colValues: ['y', 'x', 'z'],
      cells: [
        [0, 1, 1],
        [1, 1, 0],
        [0, 1, 0],
      ],
    })
  })
})

describe('anonymiseGroups: the counted (streaming) form of anonymise', () => {
  /** A small deterministic generator, so a failure names its seed. */
  const rng = (seed: number) => () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
    return seed / 2_147_483_648
  }
  const hierarchies = [SCHOOL_HIERARCHY, GRADE_HIERARCHY, SEX_HIERARCHY, AGE_HIERARCHY, DATE_HIERARCHY]

  it.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])('seed %i: same levels, classes, k, ℓ and drops as per-record anonymise', (seed) => {
    const r = rng(seed)
    const n = 20 + Math.floor(r() * 400)
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!
    const quasi = Array.from({ length: n }, () => [
      `${pick(['primary', 'junior'])}|${pick(['ST01', 'ST02', 'ST03'])}`,
      String(1 + Math.floor(r() * 9)),
      pick(['F', 'M']),
      pick(['7', '9', '12', '13', '14', 'unknown']),
      `2026-0${1 + Math.floor(r() * 6)}-1${Math.floor(r() * 9)}`,
    ])
    const sensitive = quasi.map(() => pick(['crisis', 'high', 'watch', 'routine']))
    const k = pick([5, 10])
    const one = anonymise({ quasi, sensitive, hierarchies, k, l: 2, maxDroppedShare: 0.05 })
    const counted = new Map<string, QuasiGroup>()
    quasi.forEach((q, i) => {
      const raw = [...q.slice(0, 4), q[4]!.slice(0, 7)]
      const key = [...raw, sensitive[i]].join('\u0000')
      const g = counted.get(key)
      if (g) g.count += 1
      else counted.set(key, { quasi: raw, sensitive: sensitive[i]!, count: 1 })
    })
    const grouped = anonymiseGroups({ groups: [...counted.values()], hierarchies, k, l: 2, maxDroppedShare: 0.05 })
    expect(grouped.levels).toEqual(one.levels)
    expect(grouped.dropped).toBe(one.dropped)
    expect(grouped.classes).toBe(one.classes)
    expect(grouped.kAchieved).toBe(one.kAchieved)
    expect(grouped.lAchieved).toBe(one.lAchieved)
    // The same records are kept, with the same generalised values.
    quasi.forEach((q, i) => {
      const g = generaliseRecord(q, hierarchies, grouped.levels)
      expect(grouped.safeClasses.has(g.join('\u0000')) ? g : null).toEqual(one.rows[i])
    })
  })
})
