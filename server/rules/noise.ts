import { randomBytes } from 'node:crypto'

/**
 * Noisy counts for research aggregate tables: the discrete Laplace (two-sided geometric) mechanism.
 * For a count whose value one person can change by at most Δ (the sensitivity), adding X with
 * P(X = x) ∝ exp(−ε·|x|/Δ) gives ε-differential privacy for that release. With α = exp(−ε/Δ):
 *   E[X] = 0,  Var[X] = 2α / (1 − α)²,  P(X = 0) = (1 − α) / (1 + α).
 * X is drawn as the difference of two geometric variables, each by inversion of a uniform drawn from
 * the operating system's CSPRNG (`node:crypto`), never from Math.random.
 */

// CSPRNG bytes are taken 8 KB at a time (one system call per 1,024 uniforms), never reused.
const POOL_BYTES = 8192
let pool = Buffer.alloc(0)
let at = POOL_BYTES

/** A uniform number in (0, 1] with 53 random bits, from the CSPRNG. */
export function cryptoUniform(): number {
  if (at + 8 > pool.length) {
    pool = randomBytes(POOL_BYTES)
    at = 0
  }
  const hi = pool.readUInt32BE(at) >>> 5 // 27 bits
  const lo = pool.readUInt32BE(at + 4) >>> 6 // 26 bits
  at += 8
  return (hi * 67_108_864 + lo + 1) / 9_007_199_254_740_992
}

/** A geometric draw on {0, 1, 2, …} with P(G = g) = (1 − α)·α^g. */
function geometric(alpha: number, uniform: () => number): number {
  if (alpha <= 0) return 0
  return Math.floor(Math.log(uniform()) / Math.log(alpha))
}

/** One discrete-Laplace draw for privacy loss ε at sensitivity Δ. */
export function discreteLaplace(epsilon: number, sensitivity = 1, uniform: () => number = cryptoUniform): number {
  if (!(epsilon > 0) || !(sensitivity >= 1)) throw new RangeError('epsilon must be > 0 and sensitivity ≥ 1')
  const alpha = Math.exp(-epsilon / sensitivity)
  return geometric(alpha, uniform) - geometric(alpha, uniform)
}

/** The mechanism's theoretical moments, for the codebook and the tests. */
export function discreteLaplaceMoments(epsilon: number, sensitivity = 1) {
  const alpha = Math.exp(-epsilon / sensitivity)
  return { alpha, mean: 0, variance: (2 * alpha) / (1 - alpha) ** 2, pZero: (1 - alpha) / (1 + alpha) }
}

export type NoiseDraw = (epsilon: number, sensitivity: number) => number

export interface PublishedTable {
  cells: (number | null)[][]
  rowTotals: (number | null)[]
  colTotals: (number | null)[]
  total: number | null
}

/**
 * Adds noise to a table whose hidden cells the disclosure module has already decided: every cell
 * (hidden or not) gets its own draw and is floored at 0, hidden cells stay hidden (null), and the
 * totals that are published are the sums of the noisy cells — post-processing, which spends no
 * further ε and keeps the table additive, so the complementary-suppression pattern still protects
 * the hidden (noisy) cells exactly as it protected the true ones.
 */
export function noisyTable(
  counts: readonly (readonly number[])[],
  published: PublishedTable,
  epsilon: number,
  sensitivity: number,
  draw: NoiseDraw = discreteLaplace,
): PublishedTable {
  const noisy = counts.map((row) => row.map((n) => Math.max(0, n + draw(epsilon, sensitivity))))
  const rowSum = noisy.map((row) => row.reduce((a, b) => a + b, 0))
  const colSum = (noisy[0] ?? published.colTotals.map(() => 0)).map((_, j) => noisy.reduce((a, row) => a + row[j]!, 0))
  return {
    cells: noisy.map((row, i) => row.map((n, j) => (published.cells[i]![j] == null ? null : n))),
    rowTotals: published.rowTotals.map((t, i) => (t == null ? null : rowSum[i]!)),
    colTotals: published.colTotals.map((t, j) => (t == null ? null : colSum[j]!)),
    total: published.total == null ? null : rowSum.reduce((a, b) => a + b, 0),
  }
}

/** ε is stored and summed in thousandths, so budgets add up exactly. */
export const toMilli = (epsilon: number) => Math.round(epsilon * 1000)
export const fromMilli = (milli: number) => milli / 1000
