import { describe, expect, it } from 'vitest'
import {
  combine,
  discloseRelease,
  publishedTable,
  reasonCounts,
  tableSpec,
  cellId,
  colTotalId,
  rowTotalId,
  totalId,
  type ReleaseSpec,
} from '../../server/rules/disclosure'
import { attackRelease } from '../fixtures/disclosure'

/** A small deterministic PRNG so a failure names a reproducible seed. */
function mulberry32(seed: number) {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Everything the attacker may hold, and what they can prove about every hidden entry. */
async function narrowest(spec: ReleaseSpec, threshold = 10, { integer = true } = {}) {
  const d = discloseRelease(spec, { threshold })
  const proven = await attackRelease(spec, d.published, { integer })
  const narrow = [...proven].filter(([, iv]) => iv.hi - iv.lo < threshold).map(([id, iv]) => `${id} ∈ [${iv.lo}, ${iv.hi}]`)
  return { d, proven, narrow }
}

describe('disclosure: primary suppression and honest publication', () => {
  it.each([
    { threshold: 10, values: [0, 1, 9, 10, 11, 250], hidden: [1, 9] },
    { threshold: 5, values: [0, 1, 4, 5, 9], hidden: [1, 4] },
    { threshold: 20, values: [0, 10, 19, 20], hidden: [10, 19] },
  ])('hides 0 < n < $threshold and publishes zero and larger counts exactly', ({ threshold, values, hidden }) => {
    const spec: ReleaseSpec = { entries: values.map((v, i) => ({ id: `e${i}`, value: v })), constraints: [] }
    const d = discloseRelease(spec, { threshold })
    expect(values.filter((_, i) => d.hidden.has(`e${i}`))).toEqual(hidden)
    for (const [id, v] of d.published) expect(v).toBe(values[Number(id.slice(1))])
  })

  it.each([4, 51, 9.5, Number.NaN])('refuses a threshold outside the district range: %s', (threshold) => {
    expect(() => discloseRelease({ entries: [], constraints: [] }, { threshold })).toThrow(/threshold/)
  })

  it.each([
    { name: 'a negative count', entries: [{ id: 'a', value: -1 }], constraints: [] },
    {
      name: 'a duplicate entry',
      entries: [
        { id: 'a', value: 1 },
        { id: 'a', value: 2 },
      ],
      constraints: [],
    },
    {
      name: 'a relation that does not hold',
      entries: [
        { id: 'a', value: 1 },
        { id: 't', value: 3 },
      ],
      constraints: [{ parts: ['a'], total: 't' }],
    },
    { name: 'a structural zero that is not zero', entries: [{ id: 'a', value: 2, structural: true }], constraints: [] },
  ])('refuses an inconsistent release: $name', ({ entries, constraints }) => {
    expect(() => discloseRelease({ entries, constraints })).toThrow()
  })

  it('publishes a table without small cells unchanged', () => {
    const table = {
      name: 'x',
      cells: [
        [10, 20],
        [0, 40],
      ],
    }
    const d = discloseRelease(tableSpec(table))
    expect(d.hidden.size).toBe(0)
    expect(publishedTable(d, table)).toEqual({
      cells: [
        [10, 20],
        [0, 40],
      ],
      rowTotals: [30, 40],
      colTotals: [10, 60],
      total: 70,
    })
  })
})

describe('disclosure: zeros', () => {
  it('hides the zeros of a small group, so they do not tell its one case’s level', () => {
    // School 0 has one case; the zeros beside it would say which level it is.
    const table = {
      name: 'level',
      cells: [
        [0, 1, 0, 0],
        [12, 30, 15, 11],
        [14, 10, 22, 40],
      ],
    }
    const d = discloseRelease(tableSpec(table))
    for (const j of [0, 2, 3]) expect(d.hidden.get(cellId('level', 0, j))).toBe('zero')
    expect(d.hidden.get(cellId('level', 0, 1))).toBe('primary')
  })

  it('shows structural zeros, which every reader knows anyway', () => {
    const table = {
      name: 'g',
      cells: [
        [0, 3, 12],
        [11, 14, 20],
      ],
      structural: (i: number, j: number) => i === 0 && j === 0,
    }
    const d = discloseRelease(tableSpec(table))
    expect(d.published.get(cellId('g', 0, 0))).toBe(0)
    expect(d.hidden.has(cellId('g', 0, 1))).toBe(true)
  })

  it('shows the zeros of a line whose total is zero or large', () => {
    const table = {
      name: 'z',
      cells: [
        [0, 0, 0],
        [0, 25, 14],
      ],
    }
    const d = discloseRelease(tableSpec(table))
    expect(d.hidden.size).toBe(0)
  })
})

describe('disclosure: the attacks of the probe (regression)', () => {
  it('a closed count is not the difference of a status total and a level total (linked tables of one population)', async () => {
    // Open cases by level per school, and all cases by status: "open" of one is the row total of the other.
    const level = {
      name: 'level',
      cells: [
        [3, 8, 12, 20],
        [2, 15, 11, 30],
        [14, 12, 17, 22],
      ],
    }
    const open = level.cells.map((r) => r.reduce((a, b) => a + b, 0))
    const status = { name: 'status', cells: open.map((o, i) => [o, [4, 25, 13][i]!]) }
    const link = open.map((_, i) => ({ parts: [cellId('status', i, 0)], total: rowTotalId('level', i) }))
    const spec = combine(tableSpec(level), tableSpec(status), { entries: [], constraints: link })
    const { d, narrow } = await narrowest(spec)
    expect(d.hidden.has(cellId('status', 0, 1))).toBe(true)
    expect(narrow).toEqual([])
  })

  it('hidden totals that sum to a small total cannot each be pinned (three schools ≤ 9 summing to 27)', async () => {
    const table = { name: 's', cells: [[9], [9], [9], [40]] }
    const { narrow } = await narrowest(tableSpec(table))
    expect(narrow).toEqual([])
  })

  it('comparing with the previous release does not count one new case', () => {
    // Before: 97 schools without cases and a grand total of 120; after one new case at one school.
    const before = { name: 's', cells: [[0], [60], [60]] }
    const after = { name: 's', cells: [[1], [60], [60]] }
    const first = discloseRelease(tableSpec(before))
    const second = discloseRelease(tableSpec(after), { previous: first.published })
    // The grand total moved by one: it is hidden, and so is the new school, and neither follows from the rest.
    expect(second.hidden.get(totalId('s'))).toBe('change')
    expect(second.hidden.get(cellId('s', 0, 0))).toBe('primary')
    expect(second.published.has(colTotalId('s', 0))).toBe(false)
    expect(reasonCounts(second).change).toBeGreaterThan(0)
  })

  it('publishes a change of at least the threshold', () => {
    const first = discloseRelease(tableSpec({ name: 's', cells: [[40], [60]] }))
    const second = discloseRelease(tableSpec({ name: 's', cells: [[52], [60]] }), { previous: first.published })
    expect(second.hidden.size).toBe(0)
  })
})

describe('disclosure: no hidden entry narrower than the threshold, against an independent integer attacker', () => {
  function randomRelease(seed: number): ReleaseSpec {
    const rnd = mulberry32(seed)
    const rows = 1 + Math.floor(rnd() * 5)
    const cols = 1 + Math.floor(rnd() * 4)
    const value = () => {
      const r = rnd()
      return r < 0.3 ? 0 : r < 0.6 ? 1 + Math.floor(rnd() * 9) : 10 + Math.floor(rnd() * 40)
    }
    const cells = Array.from({ length: rows }, () => Array.from({ length: cols }, value))
    const kind = rnd()
    if (kind < 0.2) return tableSpec({ name: 'a', cells, rowTotals: false })
    if (kind < 0.6) return tableSpec({ name: 'a', cells })
    // A second table of the same population, linked through the row totals.
    const totals = cells.map((r) => r.reduce((a, b) => a + b, 0))
    const second = totals.map((n) => {
      const k = Math.floor(rnd() * (n + 1))
      return [k, n - k]
    })
    return combine(tableSpec({ name: 'a', cells }), tableSpec({ name: 'b', cells: second }), {
      entries: [],
      constraints: totals.map((_, i) => ({ parts: [rowTotalId('b', i)], total: rowTotalId('a', i) })),
    })
  }

  it('holds for 300 random releases of one and two linked tables', async () => {
    const failures: string[] = []
    for (let seed = 1; seed <= 300; seed++) {
      const spec = randomRelease(seed)
      const { d, narrow } = await narrowest(spec)
      for (const e of spec.entries) {
        if (e.value > 0 && e.value < 10 && !d.hidden.has(e.id)) failures.push(`seed ${seed}: ${e.id} = ${e.value} published`)
        if (d.published.has(e.id) && d.published.get(e.id) !== e.value) failures.push(`seed ${seed}: ${e.id} altered`)
      }
      for (const n of narrow) failures.push(`seed ${seed}: ${n}`)
    }
    expect(failures).toEqual([])
  }, 120_000)

  it('holds for a district-sized release (100 schools × 4 levels, with a linked status table), deterministically', async () => {
    const rnd = mulberry32(2026)
    const cells = Array.from({ length: 100 }, () =>
      Array.from({ length: 4 }, () => {
        const x = rnd()
        return x < 0.5 ? 0 : x < 0.8 ? 1 + Math.floor(rnd() * 9) : 10 + Math.floor(rnd() * 30)
      }),
    )
    const totals = cells.map((r) => r.reduce((a, b) => a + b, 0))
    const spec = combine(
      tableSpec({ name: 'level', cells }),
      tableSpec({ name: 'status', cells: totals.map((n, i) => [n, (i * 7) % 13]) }),
      { entries: [], constraints: totals.map((_, i) => ({ parts: [cellId('status', i, 0)], total: rowTotalId('level', i) })) },
    )
    const { d, narrow } = await narrowest(spec, 10, { integer: false })
    expect(narrow).toEqual([])
    const again = discloseRelease(spec)
    expect([...again.hidden]).toEqual([...d.hidden])
  }, 120_000)
})
