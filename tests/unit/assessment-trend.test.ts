import { describe, expect, it } from 'vitest'
import { ageBand, participationRate } from '../../server/rules/assessment-trend'

describe('ageBand (at the round’s opening year, Asia/Shanghai)', () => {
  it.each([
    [null, '2026-03-01T00:00:00.000Z', 'unknown'],
    [1997, '2026-03-01T00:00:00.000Z', 'under30'],
    [1996, '2026-03-01T00:00:00.000Z', '30to39'],
    [1987, '2026-03-01T00:00:00.000Z', '30to39'],
    [1986, '2026-03-01T00:00:00.000Z', '40to49'],
    [1977, '2026-03-01T00:00:00.000Z', '40to49'],
    [1976, '2026-03-01T00:00:00.000Z', '50plus'],
    // 31 Dec 2025 17:00 UTC is already 1 Jan 2026 in Shanghai
    [1996, '2025-12-31T17:00:00.000Z', '30to39'],
    [1996, '2025-12-31T15:59:59.000Z', 'under30'],
  ] as const)('born %s, round opening %s → %s', (birthYear, opensAt, band) => {
    expect(ageBand(birthYear, opensAt)).toBe(band)
  })
})

describe('participationRate', () => {
  it.each([
    [10, 20, 50],
    [0, 12, 0],
    [12, 12, 100],
    [2, 3, 67],
    [null, 20, null],
    [10, null, null],
    [0, 0, null],
  ])('%s of %s → %s %', (answered, invited, rate) => {
    expect(participationRate(answered, invited)).toBe(rate)
  })
})
