/**
 * Disclosure control for published counts (DOMAIN.md): hide every cell with 0 < n < threshold, then
 * complementary cells so no hidden cell can be recovered from a published row or column total
 * (each line with a published total then hides none or at least two cells). Totals that are small
 * themselves are hidden too, and a hidden total is itself protected: the row totals and the column
 * totals each add up to the grand total.
 */
export interface SuppressedTable {
  cells: (number | null)[][]
  rowTotals: (number | null)[]
  colTotals: (number | null)[]
  total: number | null
}

export const DEFAULT_MIN_CELL = 10

const small = (n: number, t: number) => n > 0 && n < t

export interface SuppressOptions {
  /**
   * false when a row's cells do not add up to anything published (a case counted under several
   * categories): rows are then no constraint, and no row totals or grand total are published.
   */
  rowTotals?: boolean
}

export function suppressTable(
  cells: readonly (readonly number[])[],
  threshold = DEFAULT_MIN_CELL,
  options: SuppressOptions = {},
): SuppressedTable {
  const additive = options.rowTotals !== false
  const rows = cells.length
  const cols = rows ? cells[0]!.length : 0
  const rowTotals = cells.map((row) => row.reduce((a, b) => a + b, 0))
  const colTotals = Array.from({ length: cols }, (_, j) => cells.reduce((a, row) => a + row[j]!, 0))
  const total = rowTotals.reduce((a, b) => a + b, 0)
  // The table with its margins: row i's total at [i][cols], column j's at [rows][j], the grand total in
  // the corner. Every row and column of it is one published sum (the margins sum to the grand total),
  // so a hidden total is protected exactly like a hidden cell.
  const full = [...cells.map((row, i) => [...row, rowTotals[i]!]), [...colTotals, total]]
  const hidden = full.map((row) => row.map((n) => small(n, threshold)))
  const lines = [
    ...(additive ? Array.from({ length: rows + 1 }, (_, i) => Array.from({ length: cols + 1 }, (_, j) => ({ i, j }))) : []),
    ...Array.from({ length: additive ? cols + 1 : cols }, (_, j) => Array.from({ length: rows + 1 }, (_, i) => ({ i, j }))),
  ]

  // The smallest visible entry, non-zero first: a hidden zero protects little, since counts are never negative.
  const cheapest = (candidates: { i: number; j: number }[]) =>
    [...candidates]
      .filter(({ i, j }) => !hidden[i]![j])
      .sort((a, b) => {
        const va = full[a.i]![a.j]!,
          vb = full[b.i]![b.j]!
        return (va === 0 ? 1 : 0) - (vb === 0 ? 1 : 0) || va - vb
      })[0]

  for (;;) {
    let changed = true
    while (changed) {
      changed = false
      for (const line of lines) {
        if (line.filter(({ i, j }) => hidden[i]![j]).length !== 1) continue
        const pick = cheapest(line)
        if (!pick) continue
        hidden[pick.i]![pick.j] = true
        changed = true
      }
    }
    // Two hidden entries per line are not enough when a hidden entry joins two otherwise separate groups
    // of hidden entries (a bridge between row and column lines): the sums then pin it down. Hide one
    // entry that closes a cycle through it.
    // (Without row constraints each hidden cell sits in one equation only, and the rule above suffices.)
    const bridge = additive ? findBridge(hidden) : null
    if (!bridge) break
    const pick = cheapest(bridge.rowsOfColSide.flatMap((i) => bridge.colsOfRowSide.map((j) => ({ i, j }))))
    if (!pick) break
    hidden[pick.i]![pick.j] = true
  }
  return {
    cells: cells.map((row, i) => row.map((n, j) => (hidden[i]![j] ? null : n))),
    rowTotals: rowTotals.map((n, i) => (!additive || hidden[i]![cols] ? null : n)),
    colTotals: colTotals.map((n, j) => (hidden[rows]![j] ? null : n)),
    total: !additive || hidden[rows]![cols] ? null : total,
  }
}

/** Whether one count may be published on its own: zero, or at least the threshold. */
export function publishable(n: number, threshold = DEFAULT_MIN_CELL): boolean {
  return !small(n, threshold)
}

/**
 * Whether the parts of one total may be published together with it (a school's open cases split into
 * on plan and off plan): the table rule applied to a single row, so no small part shows and none
 * follows from the total by subtraction. All or nothing, for figures shown side by side.
 */
export function publishableParts(parts: readonly number[], threshold = DEFAULT_MIN_CELL): boolean {
  const out = suppressTable([parts], threshold)
  return out.total != null && out.cells[0]!.every((n) => n != null)
}

/**
 * A hidden entry that lies on no cycle of the graph whose vertices are the lines (rows, columns) and
 * whose edges are the hidden entries; with the sides it separates. Such an entry follows from the sums.
 */
function findBridge(hidden: boolean[][]): { rowsOfColSide: number[]; colsOfRowSide: number[] } | null {
  const rows = hidden.length
  const cols = rows ? hidden[0]!.length : 0
  const edges: [number, number][] = []
  hidden.forEach((row, i) =>
    row.forEach((h, j) => {
      if (h) edges.push([i, j])
    }),
  )
  // Vertices: rows 0..rows-1, columns rows..rows+cols-1; adjacency holds [vertex, edge index].
  const adjacent: [number, number][][] = Array.from({ length: rows + cols }, () => [])
  edges.forEach(([i, j], k) => {
    adjacent[i]!.push([rows + j, k])
    adjacent[rows + j]!.push([i, k])
  })
  const reach = (start: number, skip: number): Set<number> => {
    const seen = new Set([start])
    const stack = [start]
    while (stack.length) {
      for (const [next, k] of adjacent[stack.pop()!]!) {
        if (k !== skip && !seen.has(next)) {
          seen.add(next)
          stack.push(next)
        }
      }
    }
    return seen
  }
  for (let k = 0; k < edges.length; k++) {
    const [i, j] = edges[k]!
    const rowSide = reach(i, k)
    if (rowSide.has(rows + j)) continue
    const colSide = reach(rows + j, k)
    return {
      rowsOfColSide: [...colSide].filter((v) => v < rows),
      colsOfRowSide: [...rowSide].filter((v) => v >= rows).map((v) => v - rows),
    }
  }
  return null
}
