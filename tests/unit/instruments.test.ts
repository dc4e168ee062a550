import { describe, expect, it } from 'vitest'
import { answerIssues, INSTRUMENT_IDS, INSTRUMENTS, scoreInstrument, type InstrumentDefinition } from '../../shared/instruments'

/**
 * An independent scorer, written from DOMAIN.md's table alone (not from the definitions): item
 * count, answer range, reversed items, bands and alerts, so a slip in a definition shows up here.
 */
const SPEC = {
  phq9: {
    n: 9,
    lo: 0,
    hi: 3,
    reversed: [],
    bands: [
      [4, 'minimal'],
      [9, 'mild'],
      [14, 'moderate'],
      [19, 'moderately_severe'],
      [27, 'severe'],
    ],
  },
  gad7: {
    n: 7,
    lo: 0,
    hi: 3,
    reversed: [],
    bands: [
      [4, 'minimal'],
      [9, 'mild'],
      [14, 'moderate'],
      [21, 'severe'],
    ],
  },
  who5: {
    n: 5,
    lo: 0,
    hi: 5,
    reversed: [],
    bands: [
      [12, 'poor'],
      [25, 'adequate'],
    ],
  },
  k10: {
    n: 10,
    lo: 1,
    hi: 5,
    reversed: [],
    bands: [
      [15, 'low'],
      [21, 'moderate'],
      [29, 'high'],
      [50, 'very_high'],
    ],
  },
  pss10: {
    n: 10,
    lo: 0,
    hi: 4,
    reversed: [4, 5, 7, 8],
    bands: [
      [13, 'low'],
      [26, 'moderate'],
      [40, 'high'],
    ],
  },
} as const

function reference(id: keyof typeof SPEC, a: number[]) {
  const s = SPEC[id]
  const total = a.reduce((sum, v, i) => sum + ((s.reversed as readonly number[]).includes(i + 1) ? s.hi + s.lo - v : v), 0)
  const band = s.bands.find(([max]) => total <= max)![1]
  const flags: string[] = []
  if (id === 'phq9' && a[8]! >= 1) flags.push('self_harm_thoughts')
  if (id === 'gad7' && total >= 10) flags.push('recommend_evaluation')
  if (id === 'who5' && a.some((v) => v <= 1)) flags.push('item_low')
  return { total, band, flags, alert: flags.includes('self_harm_thoughts'), percent: id === 'who5' ? total * 4 : null }
}

const asAnswers = (def: InstrumentDefinition, a: number[]) => Object.fromEntries(def.items.map((item, i) => [item.key, a[i]!]))

/** Every answer pattern of n items over lo..hi, as a flat odometer (no arrays of arrays in memory). */
function* patterns(n: number, lo: number, hi: number): Generator<number[]> {
  const a = Array<number>(n).fill(lo)
  for (;;) {
    yield a
    let i = n - 1
    while (i >= 0 && a[i] === hi) a[i--] = lo
    if (i < 0) return
    a[i]!++
  }
}

describe('every instrument matches its DOMAIN.md definition', () => {
  it.each(INSTRUMENT_IDS)('%s: items, scale, reversed items, band coverage', (id) => {
    const def = INSTRUMENTS[id]
    const s = SPEC[id]
    expect(def.items).toHaveLength(s.n)
    expect(def.options.map((o) => o.value)).toEqual(Array.from({ length: s.hi - s.lo + 1 }, (_, i) => s.lo + i))
    expect(def.items.flatMap((item, i) => (item.reversed ? [i + 1] : []))).toEqual(s.reversed)
    // The bands tile the whole score range with no gap and no overlap.
    const sorted = [...def.bands].sort((a, b) => a.min - b.min)
    expect(sorted[0]!.min).toBe(s.n * s.lo)
    expect(sorted.at(-1)!.max).toBe(s.n * s.hi)
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.min).toBe(sorted[i - 1]!.max + 1)
    // Both languages for every text a respondent sees.
    for (const text of [
      def.name,
      def.stem,
      ...def.items.map((i) => i.text),
      ...def.options.map((o) => o.label),
      ...def.bands.map((b) => b.label),
    ]) {
      expect(text['zh-CN'].trim()).not.toBe('')
      expect(text.en.trim()).not.toBe('')
    }
  })

  it('never calls a band a diagnosis', () => {
    const words = INSTRUMENT_IDS.flatMap((id) => INSTRUMENTS[id].bands.flatMap((b) => [b.label['zh-CN'], b.label.en]))
    for (const w of words) expect(w).not.toMatch(/诊断|抑郁症|焦虑症|disorder|diagnos/i)
  })
})

describe('scoring against the independent scorer', () => {
  // Exhaustive where the DOMAIN table asks for it: 4^9, 4^7 and 6^5 answer patterns.
  it.each([
    ['phq9', 262_144],
    ['gad7', 16_384],
    ['who5', 7_776],
  ] as const)('%s: all %i answer patterns', (id, count) => {
    const def = INSTRUMENTS[id]
    const s = SPEC[id]
    let n = 0
    let mismatches = 0
    for (const a of patterns(s.n, s.lo, s.hi)) {
      n++
      const got = scoreInstrument(def, asAnswers(def, a))
      const want = reference(id, a)
      if (
        got.total !== want.total ||
        got.band !== want.band ||
        got.alert !== want.alert ||
        got.percent !== want.percent ||
        got.flags.join() !== want.flags.join()
      )
        if (++mismatches <= 3) expect({ answers: [...a], got }).toEqual({ answers: [...a], got: { ...got, ...want } })
    }
    expect(n).toBe(count)
    expect(mismatches).toBe(0)
  })

  it.each(['k10', 'pss10'] as const)('%s: 20,000 seeded random patterns', (id) => {
    const def = INSTRUMENTS[id]
    const s = SPEC[id]
    let seed = 20261203
    const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31
    for (let k = 0; k < 20_000; k++) {
      const a = Array.from({ length: s.n }, () => s.lo + Math.floor(rand() * (s.hi - s.lo + 1)))
      expect(scoreInstrument(def, asAnswers(def, a))).toMatchObject(reference(id, a))
    }
  })

  // Band edges, reached by raising one item at a time from the lowest pattern.
  it.each(INSTRUMENT_IDS)('%s: the band changes exactly at each edge', (id) => {
    const def = INSTRUMENTS[id]
    const s = SPEC[id]
    const a = Array<number>(s.n).fill(s.lo)
    // Reversed items score high at the bottom of their scale: start them at the top to reach total = minimum.
    for (const r of s.reversed) a[r - 1] = s.hi
    for (let total = s.n * s.lo; ;) {
      const got = scoreInstrument(def, asAnswers(def, a))
      expect(got.total).toBe(total)
      expect(got.band).toBe(s.bands.find(([max]) => total <= max)![1])
      const i = a.findIndex((v, j) => ((s.reversed as readonly number[]).includes(j + 1) ? v > s.lo : v < s.hi))
      if (i < 0) break
      a[i]! += (s.reversed as readonly number[]).includes(i + 1) ? -1 : 1
      total++
    }
    expect(scoreInstrument(def, asAnswers(def, a)).total).toBe(s.n * s.hi)
  })
})

describe('alerts and flags', () => {
  it.each([
    [
      'item 9 = 1 with total 1 alerts',
      [0, 0, 0, 0, 0, 0, 0, 0, 1],
      { total: 1, band: 'minimal', alert: true, flags: ['self_harm_thoughts'] },
    ],
    ['item 9 = 3 alone alerts', [0, 0, 0, 0, 0, 0, 0, 0, 3], { total: 3, alert: true }],
    [
      'a severe total without item 9 is a band, not an alert',
      [3, 3, 3, 3, 3, 3, 3, 2, 0],
      { total: 23, band: 'severe', alert: false, flags: [] },
    ],
  ])('PHQ-9: %s', (_, a, want) => {
    expect(scoreInstrument(INSTRUMENTS.phq9, asAnswers(INSTRUMENTS.phq9, a))).toMatchObject(want)
  })

  it.each([
    [[2, 2, 2, 2, 1, 0, 0], 9, []],
    [[2, 2, 2, 2, 1, 1, 0], 10, ['recommend_evaluation']],
  ])('GAD-7 %j → total %i, flags %j', (a, total, flags) => {
    expect(scoreInstrument(INSTRUMENTS.gad7, asAnswers(INSTRUMENTS.gad7, a))).toMatchObject({ total, flags, alert: false })
  })

  it.each([
    [[3, 3, 3, 2, 2], 13, 52, 'adequate', []],
    [[3, 3, 2, 2, 2], 12, 48, 'poor', []],
    [[5, 5, 5, 5, 1], 21, 84, 'adequate', ['item_low']],
  ])('WHO-5 %j → raw %i, %i %%, %s', (a, total, percent, band, flags) => {
    expect(scoreInstrument(INSTRUMENTS.who5, asAnswers(INSTRUMENTS.who5, a))).toMatchObject({ total, percent, band, flags })
  })

  it('PSS-10 reverses items 4, 5, 7 and 8', () => {
    const allLow = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    expect(scoreInstrument(INSTRUMENTS.pss10, asAnswers(INSTRUMENTS.pss10, allLow)).total).toBe(16)
    const confident = [0, 0, 0, 4, 4, 0, 4, 4, 0, 0]
    expect(scoreInstrument(INSTRUMENTS.pss10, asAnswers(INSTRUMENTS.pss10, confident))).toMatchObject({ total: 0, band: 'low' })
  })
})

describe('bad answers are named, never scored', () => {
  const def = INSTRUMENTS.phq9
  const full = asAnswers(def, [0, 1, 2, 3, 0, 1, 2, 3, 0])
  it.each<[string, Record<string, unknown>, ReturnType<typeof answerIssues>]>([
    ['complete', full, []],
    ['one missing', { ...full, phq9_4: undefined }, [{ item: 'phq9_4', problem: 'missing' }]],
    ['null', { ...full, phq9_4: null }, [{ item: 'phq9_4', problem: 'missing' }]],
    ['above the scale', { ...full, phq9_9: 4 }, [{ item: 'phq9_9', problem: 'outOfRange' }]],
    ['below the scale', { ...full, phq9_1: -1 }, [{ item: 'phq9_1', problem: 'outOfRange' }]],
    ['not an integer', { ...full, phq9_2: 1.5 }, [{ item: 'phq9_2', problem: 'outOfRange' }]],
    ['a string', { ...full, phq9_2: '1' }, [{ item: 'phq9_2', problem: 'outOfRange' }]],
    ['an item of another instrument', { ...full, gad7_1: 1 }, [{ item: 'gad7_1', problem: 'unknownItem' }]],
  ])('%s', (_, answers, issues) => {
    expect(answerIssues(def, answers)).toEqual(issues)
    if (issues.length) expect(() => scoreInstrument(def, answers as Record<string, number>)).toThrow()
  })
})
