import { describe, expect, it } from 'vitest'
import { countedTowardRequired, filledPosts, percent, staffingCoverage } from '../../shared/dashboard'

describe('dashboard shares', () => {
  it.each([
    { part: 0, whole: 0, expected: null },
    { part: 5, whole: -1, expected: null },
    { part: 0, whole: 7, expected: 0 },
    { part: 7, whole: 7, expected: 100 },
    { part: 1, whole: 3, expected: 33.3 },
    { part: 2, whole: 3, expected: 66.7 },
    { part: 1, whole: 8, expected: 12.5 },
  ])('$part of $whole is $expected%', ({ part, whole, expected }) => {
    expect(percent(part, whole)).toBe(expected)
  })
})

describe('staffing coverage: a surplus never covers another school’s gap', () => {
  it.each([
    // Two schools needing 2 posts each; one has 4, the other none: 2 of 4 posts are filled, not 4 of 4.
    { name: 'a surplus next to a gap', required: 4, shortfall: 2, filled: 2, coverage: 50 },
    { name: 'every school staffed', required: 10, shortfall: 0, filled: 10, coverage: 100 },
    { name: 'nobody staffed', required: 3, shortfall: 3, filled: 0, coverage: 0 },
    { name: 'nothing required', required: 0, shortfall: 0, filled: 0, coverage: null },
    { name: 'a third short', required: 3, shortfall: 1, filled: 2, coverage: 66.7 },
  ])('$name', ({ required, shortfall, filled, coverage }) => {
    expect(filledPosts({ required, shortfall })).toBe(filled)
    expect(staffingCoverage({ required, shortfall })).toBe(coverage)
  })

  it.each([
    { counted: 5, required: 2, expected: 2 },
    { counted: 1, required: 2, expected: 1 },
    { counted: 0, required: 0, expected: 0 },
  ])('counts $counted posts of $required required as $expected toward the requirement', ({ counted, required, expected }) => {
    expect(countedTowardRequired({ counted, required })).toBe(expected)
  })
})
