/**
 * Past school years are history. A school writes only into a year that has not ended and is not
 * disabled; the bureau or the admin may correct a closed year's figures, giving a reason that is audited.
 */
export type YearWriteState = 'open' | 'past' | 'disabled'

export function yearWriteState(year: { endsOn: string; disabled: boolean }, today: string): YearWriteState {
  if (year.disabled) return 'disabled'
  return year.endsOn < today ? 'past' : 'open'
}

/** The longest correction reason kept in the audit log. */
export const CORRECTION_REASON_MAX = 200
