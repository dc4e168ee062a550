import { describe, expect, it } from 'vitest'
import { DEFAULT_MIN_CELL, publishable, publishableParts, suppressTable, type SuppressedTable } from '../../server/rules/suppression'
import { recoverable } from '../fixtures/disclosure'

const hiddenCount = (values: (number | null)[]) => values.filter((v) => v == null).length

/** The published-line rule: a line whose total is shown hides none of its entries or at least two. */
function lineViolations(out: SuppressedTable): string[] {
  const bad: string[] = []
  out.cells.forEach((row, i) => {
    if (out.rowTotals[i] != null && hiddenCount(row) === 1) bad.push(`row ${i}`)
  })
  out.colTotals.forEach((total, j) => {
    if (total != null && hiddenCount(out.cells.map((row) => row[j]!)) === 1) bad.push(`column ${j}`)
  })
  if (out.total != null && hiddenCount(out.rowTotals) === 1) bad.push('row totals')
  if (out.total != null && hiddenCount(out.colTotals) === 1) bad.push('column totals')
  return bad
}

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

function randomTable(seed: number): number[][] {
  const rnd = mulberry32(seed)
  const rows = 1 + Math.floor(rnd() * 5)
  const cols = 1 + Math.floor(rnd() * 5)
  // Mostly zeros, small counts and a few large ones: the shapes district tables have.
  const value = () => {
    const r = rnd()
    return r < 0.3 ? 0 : r < 0.6 ? 1 + Math.floor(rnd() * 9) : 10 + Math.floor(rnd() * 40)
  }
  return Array.from({ length: rows }, () => Array.from({ length: cols }, value))
}

describe('small-cell suppression', () => {
  it('uses the district threshold of 10', () => {
    expect(DEFAULT_MIN_CELL).toBe(10)
  })

  it.each([
    {
      name: 'all cells large',
      cells: [
        [10, 20],
        [30, 40],
      ],
    },
    {
      name: 'large cells and zeros',
      cells: [
        [0, 25, 10],
        [12, 0, 0],
      ],
    },
    { name: 'a single large cell', cells: [[15]] },
    {
      name: 'all zeros',
      cells: [
        [0, 0],
        [0, 0],
      ],
    },
  ])('publishes a table without small cells unchanged: $name', ({ cells }) => {
    const out = suppressTable(cells)
    const rowTotals = cells.map((r) => r.reduce((a, b) => a + b, 0))
    const colTotals = cells[0]!.map((_, j) => cells.reduce((a, r) => a + r[j]!, 0))
    expect(out).toEqual({ cells, rowTotals, colTotals, total: rowTotals.reduce((a, b) => a + b, 0) })
  })

  it('publishes an empty table as empty', () => {
    expect(suppressTable([])).toEqual({ cells: [], rowTotals: [], colTotals: [], total: 0 })
  })

  it.each([
    {
      name: 'one small cell in a 2×3 table',
      cells: [
        [3, 20, 30],
        [25, 40, 50],
      ],
    },
    {
      name: 'one small cell in a 3×3 table',
      cells: [
        [50, 20, 30],
        [25, 4, 50],
        [12, 14, 16],
      ],
    },
    {
      name: 'one small cell, the rest of its row zeros',
      cells: [
        [0, 0, 12, 0],
        [0, 0, 3, 0],
      ],
    },
    { name: 'one small cell among large ones in a single row', cells: [[40, 7, 60]] },
    { name: 'one small cell in a single column', cells: [[40], [7], [60]] },
  ])('hides one small cell and enough others that no total gives it away: $name', ({ cells }) => {
    const out = suppressTable(cells)
    cells.forEach((row, i) =>
      row.forEach((n, j) => {
        if (n > 0 && n < 10) expect(out.cells[i]![j]).toBeNull()
      }),
    )
    expect(lineViolations(out)).toEqual([])
    expect(recoverable(cells, out)).toEqual([])
  })

  it("hides a complementary cell in the small cell's own row and column", () => {
    const cells = [
      [3, 20, 30],
      [25, 40, 50],
    ]
    const out = suppressTable(cells)
    expect(out.cells[0]![0]).toBeNull()
    expect(hiddenCount(out.cells[0]!)).toBeGreaterThanOrEqual(2)
    expect(hiddenCount(out.cells.map((r) => r[0]!))).toBeGreaterThanOrEqual(2)
    // Nothing hidden can be read off as a total less the visible cells of its line.
    out.cells.forEach((row, i) => {
      if (out.rowTotals[i] == null) return
      const visible = row.reduce<number>((a, v) => a + (v ?? 0), 0)
      row.forEach((v, j) => {
        if (v == null) expect(cells[i]![j]).not.toBe(out.rowTotals[i]! - visible)
      })
    })
    expect(out.total).toBe(168)
  })

  it.each([
    {
      name: 'a row whose total is small',
      cells: [
        [4, 3],
        [20, 30],
      ],
      hiddenRows: [0],
      hiddenCols: [],
    },
    {
      name: 'a column whose total is small',
      cells: [
        [2, 20],
        [1, 30],
      ],
      hiddenRows: [],
      hiddenCols: [0],
    },
    {
      name: 'a table whose grand total is small',
      cells: [
        [2, 1],
        [0, 3],
      ],
      hiddenRows: [0, 1],
      hiddenCols: [0, 1],
    },
  ])('hides small totals: $name', ({ cells, hiddenRows, hiddenCols }) => {
    const out = suppressTable(cells)
    for (const i of hiddenRows) expect(out.rowTotals[i]).toBeNull()
    for (const j of hiddenCols) expect(out.colTotals[j]).toBeNull()
    const total = cells.flat().reduce((a, b) => a + b, 0)
    if (total < 10) expect(out.total).toBeNull()
    expect(recoverable(cells, out)).toEqual([])
  })

  it('does not let the grand total give away a suppressed school total', () => {
    // 12 cases at one school, 3 at another: publishing 15 and 12 would reveal the 3.
    const out = suppressTable([
      [0, 0, 12, 0],
      [0, 0, 3, 0],
    ])
    expect(out.rowTotals[1]).toBeNull()
    if (out.total != null) expect(out.rowTotals[0]).toBeNull()
    expect(
      recoverable(
        [
          [0, 0, 12, 0],
          [0, 0, 3, 0],
        ],
        out,
      ),
    ).toEqual([])
  })

  it.each([
    {
      name: 'zeros beside a small cell',
      cells: [
        [0, 3, 0],
        [0, 40, 12],
      ],
    },
    {
      name: 'a zero row',
      cells: [
        [0, 0, 0],
        [5, 30, 12],
      ],
    },
    {
      name: 'a zero column',
      cells: [
        [0, 2, 30],
        [0, 40, 12],
      ],
    },
  ])('never hides a zero as a small cell: $name', ({ cells }) => {
    const out = suppressTable(cells)
    cells.forEach((row, i) =>
      row.forEach((n, j) => {
        if (n === 0) expect(out.cells[i]![j]).toBe(0)
      }),
    )
  })

  it('honours a lower local threshold', () => {
    const out = suppressTable(
      [
        [6, 30],
        [40, 50],
      ],
      5,
    )
    expect(out.cells).toEqual([
      [6, 30],
      [40, 50],
    ])
    expect(
      suppressTable(
        [
          [4, 30],
          [40, 50],
        ],
        5,
      ).cells[0]![0],
    ).toBeNull()
  })

  it('suppresses only through columns when rows add up to nothing published (a case in several categories)', () => {
    // Treating the unpublished row sums as constraints would hide the 12 for no reason.
    expect(
      suppressTable(
        [
          [2, 12],
          [3, 0],
        ],
        DEFAULT_MIN_CELL,
        { rowTotals: false },
      ),
    ).toEqual({
      cells: [
        [null, 12],
        [null, 0],
      ],
      rowTotals: [null, null],
      colTotals: [null, 12],
      total: null,
    })
    expect(
      suppressTable(
        [
          [2, 12],
          [30, 0],
        ],
        DEFAULT_MIN_CELL,
        { rowTotals: false },
      ).cells,
    ).toEqual([
      [null, 12],
      [null, 0],
    ])
  })

  it('keeps every published column safe over 400 random tables without row totals', () => {
    for (let seed = 2001; seed <= 2400; seed++) {
      const cells = randomTable(seed)
      const out = suppressTable(cells, DEFAULT_MIN_CELL, { rowTotals: false })
      const context = `seed ${seed}: ${JSON.stringify(cells)} → ${JSON.stringify(out)}`
      expect(out.rowTotals.every((v) => v == null) && out.total == null, context).toBe(true)
      cells.forEach((row, i) =>
        row.forEach((n, j) => {
          if (n > 0 && n < 10) expect(out.cells[i]![j], context).toBeNull()
        }),
      )
      expect(lineViolations(out), context).toEqual([])
    }
  })

  it('keeps every published line safe over 400 random small tables', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const cells = randomTable(seed)
      const out = suppressTable(cells)
      const context = `seed ${seed}: ${JSON.stringify(cells)} → ${JSON.stringify(out)}`
      cells.forEach((row, i) =>
        row.forEach((n, j) => {
          // every small cell hidden, every shown cell true to the data
          if (n > 0 && n < 10) expect(out.cells[i]![j], context).toBeNull()
          if (out.cells[i]![j] != null) expect(out.cells[i]![j], context).toBe(n)
        }),
      )
      out.rowTotals.forEach((v, i) => {
        const real = cells[i]!.reduce((a, b) => a + b, 0)
        if (real > 0 && real < 10) expect(v, context).toBeNull()
        if (v != null) expect(v, context).toBe(real)
      })
      out.colTotals.forEach((v, j) => {
        const real = cells.reduce((a, r) => a + r[j]!, 0)
        if (real > 0 && real < 10) expect(v, context).toBeNull()
        if (v != null) expect(v, context).toBe(real)
      })
      expect(lineViolations(out), context).toEqual([])
    }
  })

  it('leaves no hidden value recoverable from the published totals in 400 random small tables', () => {
    for (let seed = 1001; seed <= 1400; seed++) {
      const cells = randomTable(seed)
      const out = suppressTable(cells)
      expect(recoverable(cells, out), `seed ${seed}: ${JSON.stringify(cells)} → ${JSON.stringify(out)}`).toEqual([])
    }
  })
})

describe('counts published beside each other (a school’s case follow-up on the programme page)', () => {
  it('publishes a single count when it is zero or at least the threshold', () => {
    expect([0, 1, 9, 10, 250].map((n) => publishable(n))).toEqual([true, false, false, true, true])
    expect(publishable(4, 3)).toBe(true)
  })

  it.each([
    ['10 open cases, all off plan', [0, 10], true],
    ['10 open cases, all on plan', [10, 0], true],
    ['12 on plan, 15 off plan', [12, 15], true],
    ['4 off plan, worked out as 10 − 6', [6, 4], false],
    ['4 on plan shown beside 6 off plan', [4, 6], false],
    ['5 open cases, however split', [5, 0], false],
    ['a small part hidden among large ones would follow from the total', [30, 3, 40], false],
    ['no case at all', [0, 0], true],
  ])('%s', (_label, parts, expected) => {
    expect(publishableParts(parts)).toBe(expected)
  })

  it('agrees with the table rule on every split of up to 30 cases', () => {
    for (let total = 0; total <= 30; total++) {
      for (let onPlan = 0; onPlan <= total; onPlan++) {
        const parts = [onPlan, total - onPlan]
        const expected = parts.every((n) => n === 0 || n >= DEFAULT_MIN_CELL) && (total === 0 || total >= DEFAULT_MIN_CELL)
        expect(publishableParts(parts), JSON.stringify(parts)).toBe(expected)
      }
    }
  })
})
