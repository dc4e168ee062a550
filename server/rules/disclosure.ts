import { solve, type Constraint, type Model } from 'yalps'
import { DEFAULT_THRESHOLD, MAX_THRESHOLD, MIN_THRESHOLD } from '../../shared/disclosure'

/**
 * The one disclosure-control module (issue 11). Every small-cell decision in the product — the bureau's
 * case statistics, programme figures derived from cases, research tables, and every aggregate a later
 * domain adds — is a *release*: a set of counted entries (cells, row and column totals, the totals of
 * other tables counting the same population) and the linear relations between them that a reader knows
 * (a row sums to its total, an "open" column equals another table's row total, a category count is at
 * most the school's open cases). `discloseRelease` decides which entries are published:
 *
 * - **primary**: every count 0 < n < threshold is hidden;
 * - **zeros**: a zero beside a small group (a school with 0 < n < threshold cases, by level) would tell
 *   that group's attributes, so it is hidden like a small cell; structural zeros (impossible by
 *   definition) and the parts of a zero total are always shown and known to the reader;
 * - **change**: against the values this audience was shown before (the ledger), an entry that moved by
 *   0 < |Δ| < threshold is hidden, so comparing two releases never counts a handful of new cases;
 * - **complementary**: then, for every hidden entry, the interval a reader can prove from everything the
 *   release publishes (a linear programme over all its tables: minimise and maximise the entry subject
 *   to the published values, every relation, non-negative counts) must be at least `threshold` wide;
 *   while one is narrower, one more entry is hidden (the smallest visible non-zero entry next to it).
 *
 * Pure and deterministic: identical inputs give identical decisions. No I/O; the ledger and the district
 * setting live in `server/services/disclosure.ts`.
 */

export { DEFAULT_THRESHOLD, MIN_THRESHOLD, MAX_THRESHOLD }

export interface ReleaseEntry {
  id: string
  value: number
  /** zero by definition (e.g. a grade a school type does not have): shown, and known to every reader */
  structural?: boolean
}

/** Σ parts = total ('eq'), or Σ parts ≤ total ('le', e.g. cases with one category ≤ the school's cases). */
export interface ReleaseConstraint {
  parts: readonly string[]
  total: string
  kind?: 'eq' | 'le'
  /**
   * The total is a group of people and the parts describe them (a school's cases by level): when the
   * group is small, its zeros would tell its members' attributes and are hidden. Not so for a column
   * (the district's high-risk cases by school).
   */
  group?: boolean
}

export interface ReleaseSpec {
  entries: readonly ReleaseEntry[]
  constraints: readonly ReleaseConstraint[]
}

export type HiddenReason = 'primary' | 'zero' | 'change' | 'complementary'

export interface DisclosureOptions {
  threshold?: number
  /** the last value of each entry published to this audience by earlier releases (the ledger) */
  previous?: ReadonlyMap<string, number>
  /**
   * Entries decided by another release of the same audience that this one must respect: hidden there
   * (stay hidden here) or published there (known to the reader, never a candidate to hide).
   */
  fixedHidden?: ReadonlySet<string>
  fixedPublished?: ReadonlySet<string>
}

export interface Interval {
  lo: number
  hi: number
}

export interface ReleaseDecision {
  threshold: number
  hidden: Map<string, HiddenReason>
  published: Map<string, number>
  /** hidden entries still narrower than the threshold when nothing more could be hidden (callers then withhold the release) */
  exposed: string[]
  /**
   * what a reader can prove about each hidden entry, at least (hi = Infinity when unbounded): an entry is
   * audited until its interval is shown to be at least the threshold wide
   */
  intervals: Map<string, Interval>
}

const isSmall = (n: number, t: number) => n > 0 && n < t

export function validThreshold(t: number): number {
  if (!Number.isInteger(t) || t < MIN_THRESHOLD || t > MAX_THRESHOLD) throw new Error(`disclosure threshold ${t} out of range`)
  return t
}

export function discloseRelease(spec: ReleaseSpec, options: DisclosureOptions = {}): ReleaseDecision {
  const t = validThreshold(options.threshold ?? DEFAULT_THRESHOLD)
  const value = new Map<string, number>()
  const structural = new Set<string>()
  for (const e of spec.entries) {
    if (value.has(e.id)) throw new Error(`duplicate release entry ${e.id}`)
    if (!Number.isInteger(e.value) || e.value < 0) throw new Error(`release entry ${e.id} is not a count`)
    if (e.structural && e.value !== 0) throw new Error(`structural zero ${e.id} holds ${e.value}`)
    value.set(e.id, e.value)
    if (e.structural) structural.add(e.id)
  }
  for (const c of spec.constraints) {
    for (const id of [...c.parts, c.total]) if (!value.has(id)) throw new Error(`constraint names unknown entry ${id}`)
    const sum = c.parts.reduce((a, id) => a + value.get(id)!, 0)
    const total = value.get(c.total)!
    if ((c.kind ?? 'eq') === 'eq' ? sum !== total : sum > total) throw new Error(`constraint on ${c.total} does not hold`)
  }

  // What the reader already holds: structural zeros, entries published by another release, and entries
  // this audience was shown before with the value they still have. Hiding those protects nothing, so
  // they are never candidates, and the audit treats them as known.
  const known = new Set<string>([...structural, ...(options.fixedPublished ?? [])])
  for (const e of spec.entries) if (options.previous?.get(e.id) === e.value && !isSmall(e.value, t)) known.add(e.id)
  // A total of zero is published (zero is never small) and makes every part of it zero — unless it just
  // fell by a few, which the change rule hides.
  const movedLittle = (id: string) => {
    const before = options.previous?.get(id)
    return before != null && isSmall(Math.abs(value.get(id)! - before), t)
  }
  for (const c of spec.constraints)
    if (value.get(c.total) === 0 && !movedLittle(c.total)) for (const id of [...c.parts, c.total]) if (!movedLittle(id)) known.add(id)

  const hidden = new Map<string, HiddenReason>()
  const hide = (id: string, why: HiddenReason) => {
    if (!hidden.has(id) && !known.has(id)) hidden.set(id, why)
  }
  for (const e of spec.entries) if (isSmall(e.value, t)) hide(e.id, 'primary')
  for (const id of options.fixedHidden ?? []) if (value.has(id)) hide(id, 'complementary')
  for (const c of spec.constraints) {
    if (c.group && isSmall(value.get(c.total)!, t)) for (const id of c.parts) if (value.get(id) === 0) hide(id, 'zero')
  }
  if (options.previous) {
    for (const e of spec.entries) {
      const before = options.previous.get(e.id)
      if (before != null && isSmall(Math.abs(e.value - before), t)) hide(e.id, 'change')
    }
  }

  // Which constraints each entry takes part in, and its neighbours through them.
  const membersOf = spec.constraints.map((c) => [...c.parts, c.total])
  const constraintsOf = new Map<string, number[]>()
  membersOf.forEach((members, k) => {
    for (const id of members) constraintsOf.set(id, [...(constraintsOf.get(id) ?? []), k])
  })
  const order = spec.entries.map((e) => e.id)
  const rank = new Map(order.map((id, i) => [id, i]))

  /**
   * Which of two visible entries to hide first: non-zero before zero (a hidden zero protects little),
   * then the one in fewer relations (hiding it spreads less into other tables), then the smallest, then
   * the first listed.
   */
  const better = (a: string, b: string) => {
    const va = value.get(a)!,
      vb = value.get(b)!
    const ra = constraintsOf.get(a)?.length ?? 0,
      rb = constraintsOf.get(b)?.length ?? 0
    return ((va === 0 ? 1 : 0) - (vb === 0 ? 1 : 0) || ra - rb || va - vb || rank.get(a)! - rank.get(b)!) < 0
  }
  const cheapestIn = (members: Iterable<string>): string | null => {
    let best: string | null = null
    for (const id of members) if (!hidden.has(id) && !known.has(id) && (best == null || better(id, best))) best = id
    return best
  }
  /** The visible entry to hide next to `ids`: among the members of every relation they take part in. */
  const cheapestNear = (ids: readonly string[]): string | null =>
    cheapestIn(ids.flatMap((id) => (constraintsOf.get(id) ?? []).flatMap((k) => membersOf[k]!)))

  // Hiding more only widens what a reader can prove, so an entry once shown to be protected stays so:
  // each audit looks only at the entries not yet proven.
  const intervals = new Map<string, Interval>()
  for (;;) {
    // A published relation with exactly one hidden member gives it away: hide a second member first
    // (cheap, and what the linear programme would ask for anyway).
    let changed = true
    while (changed) {
      changed = false
      membersOf.forEach((members, k) => {
        if (spec.constraints[k]!.kind === 'le' || value.get(spec.constraints[k]!.total) === 0) return
        const h = members.filter((m) => hidden.has(m))
        if (h.length !== 1) return
        const pick = cheapestIn(members)
        if (pick) {
          hide(pick, 'complementary')
          changed = true
        }
      })
    }
    const proven = (id: string) => {
      const iv = intervals.get(id)
      return iv != null && iv.hi - iv.lo >= t
    }
    const unproven = new Set([...hidden.keys()].filter((id) => !proven(id)))
    for (const [id, iv] of auditIntervals(spec, value, hidden, t, unproven)) intervals.set(id, iv)
    // Every entry found exposed in this audit gets its complement before the next audit.
    const picks = new Set<string>()
    for (const id of order) {
      const iv = intervals.get(id)
      if (iv == null || iv.hi - iv.lo >= t) continue
      const pick = cheapestNear([id]) ?? cheapestNear(componentOf(id))
      if (pick != null) picks.add(pick)
    }
    // Nothing left to hide around an exposed entry means everything around it is hidden already.
    if (!picks.size) break
    for (const id of picks) hide(id, 'complementary')
  }

  /** The hidden entries linked to `id` through relations: the exposed entry first. */
  function componentOf(id: string): string[] {
    const seen = new Set([id])
    const out = [id]
    for (let i = 0; i < out.length; i++) {
      for (const k of constraintsOf.get(out[i]!) ?? [])
        for (const m of membersOf[k]!)
          if (hidden.has(m) && !seen.has(m)) {
            seen.add(m)
            out.push(m)
          }
    }
    return out
  }

  const exposed = order.filter((id) => {
    const iv = intervals.get(id)
    return iv != null && iv.hi - iv.lo < t
  })
  const published = new Map<string, number>()
  for (const id of order) if (!hidden.has(id)) published.set(id, value.get(id)!)
  return { threshold: t, hidden, published, intervals, exposed }
}

/**
 * What a reader of the published entries can prove about each hidden one: its minimum and maximum over
 * all non-negative solutions of the release's relations (a linear programme per connected group of
 * hidden entries; `yalps`, a small pure-TypeScript simplex solver, so nothing native or remote is needed).
 */
export function auditIntervals(
  spec: ReleaseSpec,
  value: ReadonlyMap<string, number>,
  hidden: ReadonlyMap<string, unknown> | ReadonlySet<string>,
  threshold: number,
  only?: ReadonlySet<string>,
): Map<string, Interval> {
  const isHidden = (id: string) => hidden.has(id)
  // Group hidden entries that share a relation: each group is one independent programme.
  const parent = new Map<string, string>()
  const find = (x: string): string => {
    let r = x
    while (parent.get(r) !== r) r = parent.get(r)!
    parent.set(x, r)
    return r
  }
  for (const id of hidden.keys()) parent.set(id, id)
  const relevant: { coef: Map<string, number>; rhs: number; le: boolean }[] = []
  for (const c of spec.constraints) {
    const coef = new Map<string, number>()
    let rhs = 0
    // Σ parts − total (= or ≤) 0, published values moved to the right-hand side.
    for (const id of c.parts) {
      if (isHidden(id)) coef.set(id, (coef.get(id) ?? 0) + 1)
      else rhs -= value.get(id)!
    }
    if (isHidden(c.total)) coef.set(c.total, (coef.get(c.total) ?? 0) - 1)
    else rhs += value.get(c.total)!
    for (const [id, k] of [...coef]) if (k === 0) coef.delete(id)
    if (!coef.size) continue
    relevant.push({ coef, rhs, le: c.kind === 'le' })
    const ids = [...coef.keys()]
    for (const id of ids.slice(1)) parent.set(find(id), find(ids[0]!))
  }
  const groups = new Map<string, string[]>()
  for (const id of hidden.keys()) groups.set(find(id), [...(groups.get(find(id)) ?? []), id])
  const byGroup = new Map<string, typeof relevant>()
  for (const r of relevant) {
    const g = find(r.coef.keys().next().value!)
    byGroup.set(g, [...(byGroup.get(g) ?? []), r])
  }

  const out = new Map<string, Interval>()
  for (const [g, ids] of groups) {
    const rows = byGroup.get(g) ?? []
    if (only && !ids.some((id) => only.has(id))) continue
    const constraints = new Map<string, Constraint>()
    rows.forEach((r, k) => constraints.set(`c${k}`, r.le ? { max: r.rhs } : { equal: r.rhs }))
    // Every solution found is a point the reader cannot rule out: an entry already seen at two values
    // at least `threshold` apart needs no programme of its own. The true values are the first point.
    const seenLo = new Map(ids.map((id) => [id, value.get(id)!]))
    const seenHi = new Map(seenLo)
    const bound = (id: string, direction: 'minimize' | 'maximize'): number => {
      const variables = new Map<string, Map<string, number>>()
      for (const v of ids) variables.set(v, new Map(v === id ? [['objective', 1]] : []))
      rows.forEach((r, k) => {
        for (const [v, c] of r.coef) variables.get(v)!.set(`c${k}`, c)
      })
      const model: Model<string, string> = { direction, objective: 'objective', constraints, variables }
      const s = solve(model)
      if (s.status === 'unbounded') return direction === 'maximize' ? Infinity : 0
      if (s.status !== 'optimal') throw new Error(`disclosure audit: ${s.status}`)
      const point = new Map(s.variables)
      for (const v of ids) {
        const x = point.get(v) ?? 0
        if (x < seenLo.get(v)!) seenLo.set(v, x)
        if (x > seenHi.get(v)!) seenHi.set(v, x)
      }
      return s.result
    }
    const result = new Map<string, Interval>()
    for (const id of ids) {
      if (only && !only.has(id)) continue
      if (seenHi.get(id)! - seenLo.get(id)! < threshold) {
        const hi = bound(id, 'maximize')
        if (hi === Infinity) seenHi.set(id, Infinity)
        if (seenHi.get(id)! - seenLo.get(id)! < threshold) bound(id, 'minimize')
      }
      // Counts are integers: round the proven bounds inwards (a tolerance for floating point).
      const lo = seenLo.get(id)!,
        hi = seenHi.get(id)!
      result.set(id, { lo: Math.ceil(lo - 1e-7), hi: hi === Infinity ? Infinity : Math.floor(hi + 1e-7) })
    }
    for (const [id, iv] of result) out.set(id, iv)
  }
  return out
}

// ---------------------------------------------------------------------------------------------------
// Tables: the usual shape of a release, and the helpers that turn one into entries and relations.

export interface TableSpec {
  /** a prefix unique within the release, e.g. "level" */
  name: string
  cells: readonly (readonly number[])[]
  /** false when a row's cells do not add up (one case under several categories): no row totals */
  rowTotals?: boolean
  /** cells that are zero by definition */
  structural?: (i: number, j: number) => boolean
  /**
   * What each entry *is*, when it must be recognised across releases (the ledger compares entries by
   * id): null stands for "all" on that axis, so (i, null) is row i's total and (null, null) the grand
   * total. Without it, ids are positional within this release.
   */
  id?: (i: number | null, j: number | null) => string
}

const positional = (name: string) => (i: number | null, j: number | null) =>
  i != null && j != null ? cellId(name, i, j) : i != null ? rowTotalId(name, i) : j != null ? colTotalId(name, j) : totalId(name)

export const cellId = (table: string, i: number, j: number) => `${table}:c${i}.${j}`
export const rowTotalId = (table: string, i: number) => `${table}:r${i}`
export const colTotalId = (table: string, j: number) => `${table}:k${j}`
export const totalId = (table: string) => `${table}:t`

/** A table's entries and relations: each row to its total, each column to its total, the margins to the grand total. */
export function tableSpec(table: TableSpec): ReleaseSpec {
  const { cells } = table
  const id = table.id ?? positional(table.name)
  const additive = table.rowTotals !== false
  const rows = cells.length
  const cols = rows ? cells[0]!.length : 0
  const entries: ReleaseEntry[] = []
  const constraints: ReleaseConstraint[] = []
  cells.forEach((row, i) => row.forEach((v, j) => entries.push({ id: id(i, j), value: v, structural: table.structural?.(i, j) ?? false })))
  const colSums = Array.from({ length: cols }, (_, j) => cells.reduce((a, r) => a + r[j]!, 0))
  colSums.forEach((v, j) => {
    entries.push({ id: id(null, j), value: v })
    constraints.push({ parts: cells.map((_, i) => id(i, j)), total: id(null, j) })
  })
  if (additive) {
    cells.forEach((row, i) => {
      entries.push({ id: id(i, null), value: row.reduce((a, b) => a + b, 0) })
      constraints.push({ parts: row.map((_, j) => id(i, j)), total: id(i, null), group: true })
    })
    entries.push({ id: id(null, null), value: colSums.reduce((a, b) => a + b, 0) })
    constraints.push({ parts: cells.map((_, i) => id(i, null)), total: id(null, null) })
    constraints.push({ parts: colSums.map((_, j) => id(null, j)), total: id(null, null) })
  }
  return { entries, constraints }
}

/** Several specs as one release. */
export function combine(...specs: ReleaseSpec[]): ReleaseSpec {
  return { entries: specs.flatMap((s) => s.entries), constraints: specs.flatMap((s) => s.constraints) }
}

/** The published form of a table: null for hidden entries. */
export interface PublishedTable {
  cells: (number | null)[][]
  rowTotals: (number | null)[] | null
  colTotals: (number | null)[]
  total: number | null
}

export function publishedTable(decision: ReleaseDecision, table: TableSpec): PublishedTable {
  const id = table.id ?? positional(table.name)
  const get = (key: string) => decision.published.get(key) ?? null
  const rows = table.cells.length
  const cols = rows ? table.cells[0]!.length : 0
  const additive = table.rowTotals !== false
  return {
    cells: table.cells.map((row, i) => row.map((_, j) => get(id(i, j)))),
    rowTotals: additive ? table.cells.map((_, i) => get(id(i, null))) : null,
    colTotals: Array.from({ length: cols }, (_, j) => get(id(null, j))),
    total: additive ? get(id(null, null)) : null,
  }
}

/** Counts of each reason, for disclosure reports. */
export function reasonCounts(decision: ReleaseDecision): Record<HiddenReason, number> {
  const out: Record<HiddenReason, number> = { primary: 0, zero: 0, change: 0, complementary: 0 }
  for (const why of decision.hidden.values()) out[why]++
  return out
}
