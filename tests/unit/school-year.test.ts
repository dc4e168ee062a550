import { describe, expect, it } from 'vitest'
import { schoolYearDates } from '../../shared/school-year'
import { schoolYearCreateInput } from '../../shared/schemas'

describe('schoolYearDates: 1 September to 31 August', () => {
  it.each([
    { label: '2027-2028', dates: { startsOn: '2027-09-01', endsOn: '2028-08-31' } },
    { label: ' 2025-2026 ', dates: { startsOn: '2025-09-01', endsOn: '2026-08-31' } },
    { label: '2027-2029', dates: null },
    { label: '2028-2027', dates: null },
    { label: '2027/2028', dates: null },
    { label: '27-28', dates: null },
    { label: '', dates: null },
  ])('$label → $dates', ({ label, dates }) => {
    expect(schoolYearDates(label)).toEqual(dates)
  })

  it('gives dates the server accepts for that label', () => {
    const label = '2031-2032'
    expect(schoolYearCreateInput.safeParse({ label, ...schoolYearDates(label)! }).success).toBe(true)
  })
})
