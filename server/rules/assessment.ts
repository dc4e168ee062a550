import {
  alertRank,
  CODE_ALPHABET,
  CODE_LENGTH,
  type AnswerMap,
  type AssessmentSettings,
  type RoundRecurrence,
} from '../../shared/assessment'
import { answerIssues, INSTRUMENTS, scoreInstrument, type InstrumentId, type InstrumentScore } from '../../shared/instruments'

export type RoundState = 'upcoming' | 'open' | 'closed'

/** A round takes answers from `opensAt` (inclusive) to `closesAt` (exclusive). */
export function roundState(round: { opensAt: string; closesAt: string }, now: Date): RoundState {
  const t = now.getTime()
  if (t < Date.parse(round.opensAt)) return 'upcoming'
  return t < Date.parse(round.closesAt) ? 'open' : 'closed'
}

/** A code from alphabet positions (the service draws each uniformly with crypto.randomInt). */
export function codeFromIndexes(indexes: readonly number[]): string {
  if (indexes.length !== CODE_LENGTH) throw new Error('wrong code length')
  return indexes.map((i) => CODE_ALPHABET[i]!).join('')
}

/** How a code is printed: four groups of four, easy to read aloud and type. */
export function formatCode(code: string): string {
  return code.match(/.{1,4}/g)!.join('-')
}

const MONTHS: Record<Exclude<RoundRecurrence, 'none'>, number> = { term: 6, year: 12 }

/** Shanghai has no daylight saving: a fixed +8 h turns UTC instants into local calendar days. */
const SHANGHAI_MS = 8 * 3_600_000

/** The same local (Asia/Shanghai) time `months` later; the 31st becomes the month's last day. */
function addMonths(iso: string, months: number): string {
  const d = new Date(Date.parse(iso) + SHANGHAI_MS)
  const day = d.getUTCDate()
  d.setUTCDate(1)
  d.setUTCMonth(d.getUTCMonth() + months)
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate()
  d.setUTCDate(Math.min(day, last))
  return new Date(d.getTime() - SHANGHAI_MS).toISOString()
}

/** The next round's window: the same window a term (six months) or a year later; null when the round does not recur. */
export function nextWindow(round: {
  opensAt: string
  closesAt: string
  recurrence: RoundRecurrence
}): { opensAt: string; closesAt: string } | null {
  if (round.recurrence === 'none') return null
  const m = MONTHS[round.recurrence]
  return { opensAt: addMonths(round.opensAt, m), closesAt: addMonths(round.closesAt, m) }
}

export type AnswerProblem = {
  instrument: string
  item: string | null
  problem: 'missing' | 'outOfRange' | 'unknownItem' | 'unknownInstrument'
}

/**
 * What is wrong with answers to a round's instruments. A draft (`complete: false`) may leave items
 * out; every value given must still be on the scale, and nothing outside the round may appear.
 */
export function answerProblems(instruments: readonly InstrumentId[], answers: AnswerMap, complete: boolean): AnswerProblem[] {
  const out: AnswerProblem[] = []
  for (const key of Object.keys(answers))
    if (!instruments.includes(key as InstrumentId)) out.push({ instrument: key, item: null, problem: 'unknownInstrument' })
  for (const id of instruments) {
    const given = answers[id] ?? {}
    for (const issue of answerIssues(INSTRUMENTS[id], given)) {
      if (issue.problem === 'missing' && !complete) continue
      out.push({ instrument: id, item: issue.item, problem: issue.problem })
    }
  }
  return out
}

export interface SubmissionOutcome {
  scores: InstrumentScore[]
  /** a confidential alert (true) or only a request to be contacted (false); null: the handler is not told */
  alert: { isAlert: boolean; reasons: string[] } | null
}

/**
 * Scores complete answers and decides what the handler is told: PHQ-9 item 9 ≥ 1 whatever the total,
 * a band at or above the district's setting, or the teacher's own request to be contacted.
 */
export function scoreSubmission(
  instruments: readonly InstrumentId[],
  answers: AnswerMap,
  settings: AssessmentSettings,
  contactMe: boolean,
): SubmissionOutcome {
  const scores = instruments.map((id) => scoreInstrument(INSTRUMENTS[id], answers[id] ?? {}))
  const reasons: string[] = []
  for (const s of scores) {
    if (s.instrument === 'phq9' && s.flags.includes('self_harm_thoughts')) reasons.push('phq9_item9')
    const rank = alertRank(settings, s.instrument)
    if (rank != null && s.rank >= rank) reasons.push(`band:${s.instrument}`)
  }
  const isAlert = reasons.length > 0
  if (contactMe) reasons.push('contact')
  return { scores, alert: reasons.length ? { isAlert, reasons } : null }
}
