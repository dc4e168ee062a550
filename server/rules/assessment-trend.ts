import type { AgeBand } from '../../shared/assessment-trend'
/**
 * Grouping respondents for the year-over-year assessment aggregates: a teacher's age band is taken at the
 * round's opening year (Asia/Shanghai calendar year of `opensAt`); an unknown birth year is its own band.
 */

export function ageBand(birthYear: number | null, roundOpensAt: string): AgeBand {
  if (birthYear == null) return 'unknown'
  const year = new Date(Date.parse(roundOpensAt) + 8 * 3_600_000).getUTCFullYear()
  const age = year - birthYear
  if (age < 30) return 'under30'
  if (age < 40) return '30to39'
  if (age < 50) return '40to49'
  return '50plus'
}

/** A participation rate in whole percent, or null when either figure is hidden or nobody was invited. */
export function participationRate(answered: number | null, invited: number | null): number | null {
  if (answered == null || invited == null || invited === 0) return null
  return Math.round((answered / invited) * 100)
}
