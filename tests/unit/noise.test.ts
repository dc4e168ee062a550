import { describe, expect, it } from 'vitest'
import { cryptoUniform, discreteLaplace, discreteLaplaceMoments, noisyTable, type NoiseDraw } from '../../server/rules/noise'

/**
 * The noise mechanism, tested like a statistical agency would: many draws per ε, their mean, variance
 * and share of zeros against the discrete Laplace distribution's own, each within a tolerance of
 * about five standard errors (a true mechanism fails by chance less than once in a million runs).
 * The same check must REJECT a mechanism that adds no noise: it is run on a zero-noise control too.
 */

const DRAWS = 60_000

interface Verdict {
  ok: boolean
  reasons: string[]
}

function audit(draw: NoiseDraw, epsilon: number, sensitivity = 1): Verdict {
  const { variance, pZero } = discreteLaplaceMoments(epsilon, sensitivity)
  let sum = 0
  let sumSq = 0
  let zeros = 0
  let sum4 = 0
  for (let i = 0; i < DRAWS; i++) {
    const x = draw(epsilon, sensitivity)
    sum += x
    sumSq += x * x
    sum4 += x ** 4
    if (x === 0) zeros += 1
  }
  const mean = sum / DRAWS
  const sampleVar = sumSq / DRAWS - mean * mean
  const reasons: string[] = []
  // Standard errors: mean σ/√n; variance √((μ4 − σ⁴)/n) from the sample's fourth moment (at least the theoretical σ²·√(2/n)); share √(p(1−p)/n).
  const seMean = Math.sqrt(variance / DRAWS)
  const seVar = Math.max(Math.sqrt(Math.max(0, sum4 / DRAWS - sampleVar ** 2) / DRAWS), variance * Math.sqrt(2 / DRAWS))
  const seZero = Math.sqrt((pZero * (1 - pZero)) / DRAWS)
  if (Math.abs(mean) > 5 * seMean) reasons.push(`mean ${mean} not ≈ 0 (±${5 * seMean})`)
  if (Math.abs(sampleVar - variance) > 5 * seVar) reasons.push(`variance ${sampleVar} not ≈ ${variance} (±${5 * seVar})`)
  if (Math.abs(zeros / DRAWS - pZero) > 5 * seZero) reasons.push(`P(X=0) ${zeros / DRAWS} not ≈ ${pZero} (±${5 * seZero})`)
  return { ok: reasons.length === 0, reasons }
}

const zeroNoise: NoiseDraw = () => 0
/** A control that is noisy but from the wrong distribution: ±1 coin flips. */
const coinNoise: NoiseDraw = () => (cryptoUniform() < 0.5 ? -1 : 1)

describe('discrete Laplace mechanism', () => {
  it.each([
    { epsilon: 0.1, sensitivity: 1 },
    { epsilon: 0.5, sensitivity: 1 },
    { epsilon: 1, sensitivity: 1 },
    { epsilon: 2, sensitivity: 1 },
    { epsilon: 1, sensitivity: 4 },
  ])('ε = $epsilon, Δ = $sensitivity: mean ≈ 0, variance ≈ 2α/(1−α)², P(X=0) ≈ (1−α)/(1+α)', ({ epsilon, sensitivity }) => {
    const verdict = audit((e, s) => discreteLaplace(e, s), epsilon, sensitivity)
    expect(verdict.reasons).toEqual([])
  })

  it.each([0.1, 0.5, 1, 2])('the audit rejects a zero-noise control at ε = %s', (epsilon) => {
    const verdict = audit(zeroNoise, epsilon)
    expect(verdict.ok).toBe(false)
    expect(verdict.reasons.some((r) => r.startsWith('variance'))).toBe(true)
    expect(verdict.reasons.some((r) => r.startsWith('P(X=0)'))).toBe(true)
  })

  it.each([0.5, 2])('the audit rejects noise of the wrong shape (±1 coin) at ε = %s', (epsilon) => {
    expect(audit(coinNoise, epsilon).ok).toBe(false)
  })

  it('takes its randomness from the CSPRNG: uniforms in (0, 1], never repeating in a short run', () => {
    const seen = new Set<number>()
    for (let i = 0; i < 10_000; i++) {
      const u = cryptoUniform()
      expect(u > 0 && u <= 1).toBe(true)
      seen.add(u)
    }
    expect(seen.size).toBe(10_000)
  })

  it('refuses a non-positive ε', () => {
    expect(() => discreteLaplace(0)).toThrow(RangeError)
    expect(() => discreteLaplace(-1)).toThrow(RangeError)
  })
})

describe('noisyTable', () => {
  const counts = [
    [12, 3, 0],
    [20, 15, 9],
  ]
  const published = {
    cells: [
      [12, null, 0],
      [20, 15, null],
    ],
    rowTotals: [null, 44],
    colTotals: [32, 18, 9],
    total: 59,
  }

  it('keeps hidden cells and totals hidden, floors at zero, and publishes totals as sums of the noisy cells', () => {
    let i = 0
    const draws = [-20, 2, 1, 3, -1, 4] // one per cell, row by row
    const out = noisyTable(counts, published, 1, 1, () => draws[i++]!)
    expect(out.cells).toEqual([
      [0, null, 1],
      [23, 14, null],
    ])
    // Row 1: 23 + 14 + (9 + 4) = 50; column totals over both rows, hidden noisy cells included.
    expect(out.rowTotals).toEqual([null, 50])
    expect(out.colTotals).toEqual([23, 19, 14])
    expect(out.total).toBe(0 + 5 + 1 + 50)
  })

  it('with a zero-noise draw gives back the true counts (the control the distribution audit rejects)', () => {
    const out = noisyTable(counts, published, 1, 1, zeroNoise)
    expect(out.cells).toEqual(published.cells)
    expect(out.colTotals).toEqual(published.colTotals)
    expect(out.rowTotals).toEqual(published.rowTotals)
    expect(out.total).toBe(59)
  })
})
