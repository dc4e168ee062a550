import type { ReferralStatus } from './cases'

/**
 * Two-way referral (双向转诊): sent → accepted → feedback received → returned, or declined at any
 * point before feedback. A referral that already has feedback may receive further feedback (a later
 * report from the hospital replaces the earlier one). The server enforces these moves; the case file
 * offers exactly these buttons, in this order.
 */
export const REFERRAL_MOVES: Readonly<Record<ReferralStatus, readonly ReferralStatus[]>> = {
  sent: ['accepted', 'feedback_received', 'declined'],
  accepted: ['feedback_received', 'declined'],
  feedback_received: ['returned', 'feedback_received'],
  returned: [],
  declined: [],
}

export function nextReferralStatuses(from: ReferralStatus): readonly ReferralStatus[] {
  return REFERRAL_MOVES[from]
}

export function canMoveReferral(from: ReferralStatus, to: ReferralStatus): boolean {
  return REFERRAL_MOVES[from].includes(to)
}

/** The i18n key of the button for a move: a further feedback reads differently from the first one. */
export function referralMoveLabel(from: ReferralStatus, to: ReferralStatus): string {
  return from === to ? 'referralNext.feedbackAgain' : `referralNext.${to}`
}
