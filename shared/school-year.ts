/**
 * A school year runs 1 September to 31 August: "2027-2028" → 2027-09-01 … 2028-08-31.
 * Null for anything that is not two consecutive years in that form.
 */
export function schoolYearDates(label: string): { startsOn: string; endsOn: string } | null {
  const m = /^(\d{4})-(\d{4})$/.exec(label.trim())
  if (!m || Number(m[2]) !== Number(m[1]) + 1) return null
  return { startsOn: `${m[1]}-09-01`, endsOn: `${m[2]}-08-31` }
}
