import { shanghaiDate } from './shanghai-time'

/**
 * A school year runs 1 September to 31 August: "2027-2028" → 2027-09-01 … 2028-08-31.
 * Null for anything that is not two consecutive years in that form.
 */
export function schoolYearDates(label: string): { startsOn: string; endsOn: string } | null {
  const m = /^(\d{4})-(\d{4})$/.exec(label.trim())
  if (!m || Number(m[2]) !== Number(m[1]) + 1) return null
  return { startsOn: `${m[1]}-09-01`, endsOn: `${m[2]}-08-31` }
}
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

/** Today's date in Asia/Shanghai (YYYY-MM-DD), on the server or in a browser anywhere. */
export function shanghaiToday(now: Date = new Date()): string {
  return shanghaiDate(now)
}
