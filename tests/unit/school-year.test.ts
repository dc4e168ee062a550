import { describe, expect, it } from 'vitest'
import { schoolYearDates, shanghaiToday, yearWriteState } from '../../shared/school-year'
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

describe('which school years a school may still write into', () => {
  it.each([
    { label: 'the year in progress', endsOn: '2026-08-31', disabled: false, today: '2026-03-02', state: 'open' },
    { label: 'its last day', endsOn: '2026-08-31', disabled: false, today: '2026-08-31', state: 'open' },
    { label: 'the day after it ends', endsOn: '2026-08-31', disabled: false, today: '2026-09-01', state: 'past' },
    { label: 'a year that has not begun', endsOn: '2027-08-31', disabled: false, today: '2026-03-02', state: 'open' },
    { label: 'a disabled year in progress', endsOn: '2026-08-31', disabled: true, today: '2026-03-02', state: 'disabled' },
    { label: 'a disabled past year', endsOn: '2025-08-31', disabled: true, today: '2026-03-02', state: 'disabled' },
  ] as const)('$label is $state', ({ endsOn, disabled, today, state }) => {
    expect(yearWriteState({ endsOn, disabled }, today)).toBe(state)
  })

  it.each([
    ['2026-08-31T15:59:59.000Z', '2026-08-31'],
    ['2026-08-31T16:00:00.000Z', '2026-09-01'],
    ['2026-01-01T00:00:00.000Z', '2026-01-01'],
  ])('reads %s as %s in Shanghai', (iso, day) => {
    expect(shanghaiToday(new Date(iso))).toBe(day)
  })
})
