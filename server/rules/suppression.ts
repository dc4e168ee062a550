/**
 * Disclosure control for published counts (DOMAIN.md): hide every cell with 0 < n < threshold, then
 * complementary cells so no hidden cell can be recovered from a published row or column total
 * (each line with a published total then hides none or at least two cells). Totals that are small
 * themselves are hidden too.
 */
export interface SuppressedTable {
  cells: (number | null)[][]
  rowTotals: (number | null)[]
  colTotals: (number | null)[]
  total: number | null
}

export const DEFAULT_MIN_CELL = 10

const small = (n: number, t: number) => n > 0 && n < t

export function suppressTable(cells: readonly (readonly number[])[], threshold = DEFAULT_MIN_CELL): SuppressedTable {
  const rows = cells.length
  const cols = rows ? cells[0]!.length : 0
  const hidden = cells.map((row) => row.map((n) => small(n, threshold)))
  const rowTotals = cells.map((row) => row.reduce((a, b) => a + b, 0))
  const colTotals = Array.from({ length: cols }, (_, j) => cells.reduce((a, row) => a + row[j]!, 0))
  const total = rowTotals.reduce((a, b) => a + b, 0)
  const rowHidden = rowTotals.map((n) => small(n, threshold))
  const colHidden = colTotals.map((n) => small(n, threshold))

  /** Hides one more cell in a line: the smallest visible non-zero one, else the smallest visible. */
  function hideOneMore(line: { i: number; j: number }[]): boolean {
    const visible = line.filter(({ i, j }) => !hidden[i]![j])
    if (!visible.length) return false
    const pick = [...visible].sort((a, b) => {
      const va = cells[a.i]![a.j]!, vb = cells[b.i]![b.j]!
      return (va === 0 ? 1 : 0) - (vb === 0 ? 1 : 0) || va - vb
    })[0]!
    hidden[pick.i]![pick.j] = true
    return true
  }

  let changed = true
  while (changed) {
    changed = false
    for (let i = 0; i < rows; i++) {
      if (rowHidden[i]) continue
      const line = Array.from({ length: cols }, (_, j) => ({ i, j }))
      if (line.filter(({ j }) => hidden[i]![j]).length === 1) {
        if (hideOneMore(line)) changed = true
        else { rowHidden[i] = true; changed = true }
      }
    }
    for (let j = 0; j < cols; j++) {
      if (colHidden[j]) continue
      const line = Array.from({ length: rows }, (_, i) => ({ i, j }))
      if (line.filter(({ i }) => hidden[i]![j]).length === 1) {
        if (hideOneMore(line)) changed = true
        else { colHidden[j] = true; changed = true }
      }
    }
  }
  return {
    cells: cells.map((row, i) => row.map((n, j) => (hidden[i]![j] ? null : n))),
    rowTotals: rowTotals.map((n, i) => (rowHidden[i] ? null : n)),
    colTotals: colTotals.map((n, j) => (colHidden[j] ? null : n)),
    total: small(total, threshold) ? null : total,
  }
}
