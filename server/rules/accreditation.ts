import { REMINDER_DAYS, treePoints, type ConflictKind, type Tree } from '../../shared/accreditation'

/** Scores by point code; null or absent = not scored. */
export type ScoreMap = Readonly<Record<string, number | null | undefined>>

/** A score held to its point's range: a value above the maximum counts as the maximum, below zero as zero. */
export function capScore(score: number, max: number): number {
  return Math.min(max, Math.max(0, score))
}

export interface SheetResult {
  /** weighted total out of 100, missing points counted as 0 */
  total: number
  byCategory: { code: string; score: number; max: number; weighted: number }[]
  /** points without a score */
  missing: string[]
  /** starred points below the pass mark (missing starred points fail too) */
  vetoed: string[]
}

/**
 * One sheet (a school's self-assessment, an expert's sheet, or the panel mean) against a tree: each
 * category contributes weight × (its capped points / its maximum). A starred point passes at
 * `starredPassPercent` of its maximum.
 */
export function scoreSheet(tree: Tree, scores: ScoreMap, starredPassPercent: number): SheetResult {
  const missing: string[] = []
  const vetoed: string[] = []
  const byCategory = tree.map((c) => {
    let score = 0
    let max = 0
    for (const i of c.indicators) {
      for (const p of i.points) {
        max += p.maxScore
        const raw = scores[p.code]
        const s = raw == null || !Number.isFinite(raw) ? null : capScore(raw, p.maxScore)
        if (s == null) missing.push(p.code)
        else score += s
        if (p.starred && (s == null || s < (p.maxScore * starredPassPercent) / 100 - 1e-9)) vetoed.push(p.code)
      }
    }
    const weighted = max > 0 ? (c.weight * score) / max : 0
    return { code: c.code, score, max, weighted: round2(weighted) }
  })
  return { total: round2(byCategory.reduce((s, c) => s + c.weighted, 0)), byCategory, missing, vetoed }
}

export function round2(n: number): number {
  return Math.round(n * 100) / 100
}

export interface PanelPoint {
  code: string
  /** each submitted expert's score after their reasoned deltas (capped) */
  scores: number[]
  mean: number | null
  spread: number | null
  disagreement: boolean
}

/**
 * The panel per point: the mean of the submitted experts' scores (desk score plus their deltas,
 * capped), the spread (max − min), and a disagreement flag when the spread exceeds `spreadPercent`
 * of the point's maximum. Experts who left a point unscored are left out of its mean.
 */
export function panelPoints(
  tree: Tree,
  sheets: readonly { scores: ScoreMap; deltas?: Readonly<Record<string, number>> }[],
  spreadPercent: number,
): PanelPoint[] {
  return treePoints(tree).map((p) => {
    const scores = sheets
      .map((s) => {
        const raw = s.scores[p.code]
        if (raw == null) return null
        return capScore(raw + (s.deltas?.[p.code] ?? 0), p.maxScore)
      })
      .filter((x): x is number => x != null)
    if (!scores.length) return { code: p.code, scores, mean: null, spread: null, disagreement: false }
    const spread = Math.max(...scores) - Math.min(...scores)
    return {
      code: p.code,
      scores,
      mean: round2(scores.reduce((a, b) => a + b, 0) / scores.length),
      spread: round2(spread),
      disagreement: scores.length > 1 && spread > (p.maxScore * spreadPercent) / 100 + 1e-9,
    }
  })
}

/** What the system recommends from the panel's sheet: a starred failure means "not yet" whatever the total. */
export function recommend(result: SheetResult, passTotal: number): 'accredited' | 'not_yet' {
  if (result.vetoed.length) return 'not_yet'
  if (result.missing.length) return 'not_yet'
  return result.total >= passTotal ? 'accredited' : 'not_yet'
}

// ── conflicts of interest ────────────────────────────────────────────────────────────────────

export interface ExpertTies {
  /** schools the expert works at now (employment without an end date, or ending on/after today) */
  currentSchoolIds: readonly number[]
  /** every school in the expert's employment history */
  pastSchoolIds: readonly number[]
  /** schools whose earlier applications the expert sat on the panel of */
  panelSchoolIds: readonly number[]
}

export interface SchoolPlace {
  id: number
  streetId: number
  groups: readonly string[]
}

/**
 * Why an expert may not be neutral about a school: their own school is the school or in its street or
 * education group, they worked there, or they sat on its previous panel. Each kind once, in a fixed order.
 */
export function conflictsOf(ties: ExpertTies, target: SchoolPlace, places: ReadonlyMap<number, SchoolPlace>): ConflictKind[] {
  const out = new Set<ConflictKind>()
  for (const id of ties.currentSchoolIds) {
    if (id === target.id) {
      out.add('ownSchool')
      continue
    }
    const own = places.get(id)
    if (!own) continue
    if (own.streetId === target.streetId) out.add('sameStreet')
    if (own.groups.some((g) => target.groups.includes(g))) out.add('sameGroup')
  }
  if (ties.pastSchoolIds.includes(target.id)) out.add('employment')
  if (ties.panelSchoolIds.includes(target.id)) out.add('previousPanel')
  const order: ConflictKind[] = ['ownSchool', 'sameStreet', 'sameGroup', 'employment', 'previousPanel']
  return order.filter((k) => out.has(k))
}

// ── titles and reminders ─────────────────────────────────────────────────────────────────────

/** YYYY-MM-DD plus whole years; 29 February falls back to 28 February in a common year. */
export function addYears(day: string, years: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  const ty = y + years
  const last = new Date(Date.UTC(ty, m, 0)).getUTCDate()
  return `${ty}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`
}

export function addDaysTo(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)
}

export type TitleState = 'active' | 'expired' | 'withdrawn'

/** A title counts from its start date up to (not including) its expiry date, unless withdrawn. */
export function titleState(t: { startsOn: string; expiresOn: string; withdrawnOn: string | null }, today: string): TitleState {
  if (t.withdrawnOn != null && t.withdrawnOn <= today) return 'withdrawn'
  if (today >= t.expiresOn) return 'expired'
  return 'active'
}

/** Held on `day`: started, not expired, not withdrawn by then. */
export function heldOn(t: { startsOn: string; expiresOn: string; withdrawnOn: string | null }, day: string): boolean {
  return t.startsOn <= day && titleState(t, day) === 'active'
}

/**
 * The reminders due on `today` that were not sent yet: a reminder is due from `days` before the expiry
 * until the expiry. When several are due at once (a server that was down), all are recorded but only
 * the nearest is delivered, so nobody gets three messages about the same expiry on one morning.
 */
export function dueReminders(expiresOn: string, today: string, sent: readonly number[]): { record: number[]; deliver: number | null } {
  if (today >= expiresOn) return { record: [], deliver: null }
  const due = REMINDER_DAYS.filter((d) => today >= addDaysTo(expiresOn, -d) && !sent.includes(d))
  if (!due.length) return { record: [], deliver: null }
  return { record: [...due], deliver: Math.min(...due) }
}

/** Titles held at the end of each calendar year (Asia/Shanghai dates), for the chart against the target. */
export function heldByYear(
  titles: readonly { startsOn: string; expiresOn: string; withdrawnOn: string | null }[],
  years: readonly number[],
): { year: number; held: number }[] {
  return years.map((year) => ({ year, held: titles.filter((t) => heldOn(t, `${year}-12-31`)).length }))
}
