import { INSTRUMENTS, scoreInstrument } from '../../shared/instruments'
import type { InstrumentId, Text } from '../../shared/instruments'
import type { QuestionnaireDefinition, QuestionnaireKind, ScreeningAnswers, ScreeningSettings, WarningLevel } from '../../shared/screening'

/**
 * Screening rules, pure: one shape for embedded instruments and district-defined questionnaires,
 * answer checks, scoring (bands and warnings for scales; correct answers and the pass mark for a
 * knowledge quiz), the warning level of a submission and the answering window.
 */
export interface ScreeningItem {
  key: string
  text: Text
  options: { value: number; label: Text }[]
  correct: number | null
  critical: number | null
}

export interface ScreeningBand {
  key: string
  label: Text
  min: number
  max: number
  rank: number
  warn: 'none' | 'watch' | 'high'
}

export interface ScreeningInstrument {
  ref: string
  version: number
  kind: QuestionnaireKind
  name: Text
  stem: Text
  items: ScreeningItem[]
  bands: ScreeningBand[]
  /** the embedded instrument scored by the library's own rules, or null for a district questionnaire */
  embedded: InstrumentId | null
}

const t = (zh: string, en: string): Text => ({ 'zh-CN': zh, en })

/** An embedded instrument, its bands' warnings from the district setting (a band at or above "high"/"watch"). */
export function embeddedInstrument(id: InstrumentId, settings: ScreeningSettings): ScreeningInstrument {
  const def = INSTRUMENTS[id]
  const warn = settings.warnBands[id as keyof ScreeningSettings['warnBands']]
  const rankOf = (key: string | null | undefined) => (key ? (def.bands.find((b) => b.key === key)?.rank ?? null) : null)
  const high = rankOf(warn?.high)
  const watch = rankOf(warn?.watch)
  const critical = new Map(def.flags.flatMap((f) => (f.kind === 'itemAtLeast' && f.alert ? [[f.item, f.atLeast] as const] : [])))
  return {
    ref: id,
    version: def.version,
    kind: 'screening',
    name: def.name,
    stem: def.stem,
    items: def.items.map((i) => ({
      key: i.key,
      text: i.text,
      options: [...def.options],
      correct: null,
      critical: critical.get(i.key) ?? null,
    })),
    bands: def.bands.map((b) => ({
      key: b.key,
      label: b.label,
      min: b.min,
      max: b.max,
      rank: b.rank,
      warn: high != null && b.rank >= high ? 'high' : watch != null && b.rank >= watch ? 'watch' : 'none',
    })),
    embedded: id,
  }
}

/** A district questionnaire's published version; a quiz has the bands "pass" and "fail". */
export function customInstrument(versionId: number, version: number, def: QuestionnaireDefinition): ScreeningInstrument {
  const bands: ScreeningBand[] =
    def.kind === 'quiz'
      ? [
          { key: 'fail', label: t('未达标', 'Below the pass mark'), min: 0, max: def.items.length, rank: 0, warn: 'none' },
          { key: 'pass', label: t('达标', 'At or above the pass mark'), min: 0, max: def.items.length, rank: 0, warn: 'none' },
        ]
      : [...def.bands]
          .sort((a, b) => a.min - b.min)
          .map((b, i) => ({ key: b.key, label: t(b.labelZh, b.labelEn), min: b.min, max: b.max, rank: i, warn: b.warn }))
  return {
    ref: `q${versionId}`,
    version,
    kind: def.kind,
    name: t(def.nameZh, def.nameEn),
    stem: t(def.stemZh, def.stemEn),
    items: def.items.map((i) => ({
      key: i.key,
      text: t(i.textZh, i.textEn),
      options: i.options.map((o) => ({ value: o.value, label: t(o.labelZh, o.labelEn) })),
      correct: def.kind === 'quiz' ? i.correct : null,
      critical: def.kind === 'screening' ? i.critical : null,
    })),
    bands,
    embedded: null,
  }
}

/** What the student's screen receives: the questions and options, never the correct answers, bands or critical marks. */
export function publicInstrument(i: ScreeningInstrument) {
  return {
    ref: i.ref,
    name: i.name,
    stem: i.stem,
    items: i.items.map((x) => ({ key: x.key, text: x.text, options: x.options })),
  }
}

export type ScreeningAnswerProblem = {
  instrument: string
  item: string | null
  problem: 'missing' | 'outOfRange' | 'unknownItem' | 'unknownInstrument'
}

/** A draft may leave items out; every given value must be one of its item's options, and nothing outside the campaign may appear. */
export function screeningAnswerProblems(
  instruments: readonly ScreeningInstrument[],
  answers: ScreeningAnswers,
  complete: boolean,
): ScreeningAnswerProblem[] {
  const out: ScreeningAnswerProblem[] = []
  const refs = new Set(instruments.map((i) => i.ref))
  for (const k of Object.keys(answers)) if (!refs.has(k)) out.push({ instrument: k, item: null, problem: 'unknownInstrument' })
  for (const ins of instruments) {
    const given = answers[ins.ref] ?? {}
    const keys = new Set(ins.items.map((i) => i.key))
    for (const k of Object.keys(given)) if (!keys.has(k)) out.push({ instrument: ins.ref, item: k, problem: 'unknownItem' })
    for (const item of ins.items) {
      const v = given[item.key]
      if (v == null) {
        if (complete) out.push({ instrument: ins.ref, item: item.key, problem: 'missing' })
      } else if (!item.options.some((o) => o.value === v)) out.push({ instrument: ins.ref, item: item.key, problem: 'outOfRange' })
    }
  }
  return out
}

export interface ScreeningScore {
  ref: string
  version: number
  kind: QuestionnaireKind
  total: number
  band: string
  rank: number
  flags: string[]
  /** quiz only */
  passed: boolean | null
  warn: 'none' | 'watch' | 'high'
  critical: boolean
}

/** A quiz passes when correct / items ≥ pass mark %, compared in integers so 3 of 5 at 60 % passes exactly. */
export function quizPassed(correct: number, items: number, passMarkPercent: number): boolean {
  return correct * 100 >= passMarkPercent * items
}

export function scoreOne(ins: ScreeningInstrument, answers: Readonly<Record<string, number>>, passMarkPercent: number): ScreeningScore {
  if (ins.kind === 'quiz') {
    const correct = ins.items.filter((i) => answers[i.key] === i.correct).length
    const passed = quizPassed(correct, ins.items.length, passMarkPercent)
    return {
      ref: ins.ref,
      version: ins.version,
      kind: 'quiz',
      total: correct,
      band: passed ? 'pass' : 'fail',
      rank: 0,
      flags: [],
      passed,
      warn: 'none',
      critical: false,
    }
  }
  const criticalItems = ins.items.filter((i) => i.critical != null && answers[i.key]! >= i.critical).map((i) => `critical:${i.key}`)
  let total: number
  let flags: string[]
  if (ins.embedded) {
    const s = scoreInstrument(INSTRUMENTS[ins.embedded], answers)
    total = s.total
    flags = s.flags
  } else {
    total = ins.items.reduce((sum, i) => sum + answers[i.key]!, 0)
    flags = []
  }
  const band = ins.bands.find((b) => total >= b.min && total <= b.max)
  if (!band) throw new Error(`${ins.ref}: no band holds ${total}`)
  return {
    ref: ins.ref,
    version: ins.version,
    kind: 'screening',
    total,
    band: band.key,
    rank: band.rank,
    flags: [...flags, ...criticalItems],
    passed: null,
    warn: band.warn,
    critical: criticalItems.length > 0,
  }
}

export interface ScreeningOutcome {
  scores: ScreeningScore[]
  warning: { level: WarningLevel; reasons: string[] } | null
}

/** Scores complete answers; the warning is critical on any critical item, else the highest band warning. */
export function scoreScreening(
  instruments: readonly ScreeningInstrument[],
  answers: ScreeningAnswers,
  passMarkPercent: number,
): ScreeningOutcome {
  const scores = instruments.map((i) => scoreOne(i, answers[i.ref] ?? {}, passMarkPercent))
  const reasons: string[] = []
  for (const s of scores) {
    if (s.critical) reasons.push(`critical:${s.ref}`)
    if (s.warn !== 'none') reasons.push(`${s.warn}:${s.ref}`)
  }
  const level: WarningLevel | null = scores.some((s) => s.critical)
    ? 'critical'
    : scores.some((s) => s.warn === 'high')
      ? 'high'
      : scores.some((s) => s.warn === 'watch')
        ? 'watch'
        : null
  return { scores, warning: level ? { level, reasons } : null }
}

/** Students answer from the campaign date through its closing day (Asia/Shanghai calendar days). */
export function campaignOpen(campaign: { campaignDate: string; closesOn: string }, today: string): 'upcoming' | 'open' | 'closed' {
  if (today < campaign.campaignDate) return 'upcoming'
  return today <= campaign.closesOn ? 'open' : 'closed'
}

/** An awareness rate in percent with one decimal, or null when a figure is hidden or nobody answered. */
export function awarenessRate(passed: number | null, answered: number | null): number | null {
  if (passed == null || answered == null || answered === 0) return null
  return Math.round((passed * 1000) / answered) / 10
}

/**
 * Failed code look-ups allowed per client address in the throttle window. A whole school answers from
 * behind one address and pupils mistype, so the limit is higher than for teachers; guessing stays
 * hopeless (a personal code has 80 random bits and must match the class code's session). At most 100
 * recent failures are read per address, so the limit stays below that.
 */
export const SCREENING_CODE_THROTTLE = { windowMs: 15 * 60_000, maxPerIp: 80 } as const

/** The cut-off before which submitted answers are purged. */
export function purgeCutoff(now: Date, retentionDays: number): string {
  return new Date(now.getTime() - retentionDays * 86_400_000).toISOString()
}
