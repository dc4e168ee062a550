import { describe, expect, it } from 'vitest'
import { backFromSchool, originOf, originOfPath } from '../../composables/useSchoolLink'

describe('the way back from a school’s page', () => {
  it.each([
    [
      { from: 'staffing', street: '2', flag: 'shortfall', page: '3', tab: 'team' },
      '/bureau/staffing',
      { street: '2', flag: 'shortfall', page: '3' },
    ],
    [{ from: 'rooms', flag: 'notSetUp' }, '/bureau/rooms', { flag: 'notSetUp' }],
    [
      { from: 'programme', flag: 'drill', status: 'not_started', open: '1' },
      '/bureau/programme',
      { flag: 'drill', status: 'not_started', open: '1' },
    ],
    [{ from: 'overview', q: '福田', page: '2' }, '/bureau', { q: '福田', page: '2' }],
    // no origin, or one that is not a bureau dashboard: the overview
    [{}, '/bureau', {}],
    [{ from: 'https://evil.example', street: '2' }, '/bureau', { street: '2' }],
    [{ from: '/admin/accounts' }, '/bureau', {}],
  ])('from %j leads to %s with %j', (query, path, rest) => {
    expect(backFromSchool(query)).toMatchObject({ to: { path, query: rest } })
  })

  it('knows the dashboards by their paths only', () => {
    expect(originOfPath('/bureau/staffing')).toBe('staffing')
    expect(originOfPath('/bureau')).toBe('overview')
    expect(originOfPath('/bureau/schools/3')).toBeNull()
    expect(originOf({ from: ['rooms', 'staffing'] })).toBe('rooms')
    expect(originOf({ from: 'toString' })).toBeNull()
  })
})
