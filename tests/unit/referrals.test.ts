import { describe, expect, it } from 'vitest'
import { REFERRAL_STATUSES, type ReferralStatus } from '../../shared/cases'
import { canMoveReferral, nextReferralStatuses, referralMoveLabel } from '../../shared/referrals'

/** Every move the district's two-way referral allows; anything not listed is refused. */
const ALLOWED: [from: ReferralStatus, to: ReferralStatus][] = [
  ['sent', 'accepted'],
  ['sent', 'feedback_received'],
  ['sent', 'declined'],
  ['accepted', 'feedback_received'],
  ['accepted', 'declined'],
  ['feedback_received', 'returned'],
  ['feedback_received', 'feedback_received'],
]
const allowed = new Set(ALLOWED.map(([a, b]) => `${a}>${b}`))
const ALL_PAIRS = REFERRAL_STATUSES.flatMap((from) => REFERRAL_STATUSES.map((to) => [from, to] as const))

describe('referral transitions', () => {
  it.each(ALL_PAIRS)('%s → %s', (from, to) => {
    expect(canMoveReferral(from, to)).toBe(allowed.has(`${from}>${to}`))
  })

  it('offers on screen exactly the moves the server accepts, a second feedback included', () => {
    for (const from of REFERRAL_STATUSES) {
      expect([...nextReferralStatuses(from)].sort()).toEqual(
        ALLOWED.filter(([a]) => a === from)
          .map(([, b]) => b)
          .sort(),
      )
    }
    expect(nextReferralStatuses('feedback_received')).toContain('feedback_received')
  })

  it('ends a referral once the student has returned or the referral was declined', () => {
    expect(nextReferralStatuses('returned')).toEqual([])
    expect(nextReferralStatuses('declined')).toEqual([])
  })

  it('labels a further feedback differently from the first', () => {
    expect(referralMoveLabel('accepted', 'feedback_received')).toBe('referralNext.feedback_received')
    expect(referralMoveLabel('feedback_received', 'feedback_received')).toBe('referralNext.feedbackAgain')
    expect(referralMoveLabel('feedback_received', 'returned')).toBe('referralNext.returned')
  })
})
