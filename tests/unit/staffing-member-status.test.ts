import { describe, expect, it } from 'vitest'
import { memberStatus, type MemberStatus } from '../../shared/staffing'

describe('memberStatus: a team member on the reference date', () => {
  it.each<{ inPost: boolean; startsOn: string; refDate: string; status: MemberStatus }>([
    { inPost: true, startsOn: '2026-09-01', refDate: '2026-10-01', status: 'inPost' },
    { inPost: true, startsOn: '2026-10-01', refDate: '2026-10-01', status: 'inPost' },
    { inPost: false, startsOn: '2026-10-02', refDate: '2026-10-01', status: 'notStarted' },
    { inPost: false, startsOn: '2027-02-01', refDate: '2026-10-01', status: 'notStarted' },
    { inPost: false, startsOn: '2026-10-01', refDate: '2026-10-01', status: 'left' },
    { inPost: false, startsOn: '2025-09-01', refDate: '2026-10-01', status: 'left' },
  ])('in post $inPost, starts $startsOn, on $refDate → $status', ({ inPost, startsOn, refDate, status }) => {
    expect(memberStatus({ inPost, startsOn }, refDate)).toBe(status)
  })
})
