/**
 * Figures the bureau dashboards derive from what the server returns. The server computes every rate it
 * publishes; these are the few shares a screen shows that have no field of their own.
 */

/** A share as a percentage with one decimal; null when there is nothing to divide by. */
export function percent(part: number, whole: number): number | null {
  if (whole <= 0) return null
  return Math.round((part / whole) * 1000) / 10
}

/**
 * Posts filled toward the requirement. A school's surplus never covers another school's gap, so the
 * district figure is "required minus the sum of the schools' shortfalls", not "counted / required".
 */
export function filledPosts(totals: { required: number; shortfall: number }): number {
  return totals.required - totals.shortfall
}

/** Staffing coverage: filled posts as a share of required posts (null when nothing is required). */
export function staffingCoverage(totals: { required: number; shortfall: number }): number | null {
  return percent(filledPosts(totals), totals.required)
}

/** One street's or school's posts counted toward its own requirement: what exceeds it fills nothing else. */
export function countedTowardRequired(row: { counted: number; required: number }): number {
  return Math.min(row.counted, row.required)
}

/** A sort direction as the dashboard APIs take it. */
export type SortOrder = 'asc' | 'desc'
