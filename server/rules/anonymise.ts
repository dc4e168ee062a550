/**
 * Record-level anonymisation (GB/T 37964-2019 style): quasi-identifiers are generalised along fixed
 * hierarchies, level by level, until every equivalence class (records with equal generalised
 * quasi-identifiers) holds at least k records and at least ℓ distinct values of the sensitive
 * attribute; what still fails then is dropped and counted. Pure functions, no I/O.
 */

/** The generalised value at `level` (0 = most detailed); the last level is always `*` (suppressed). */
export interface Hierarchy {
  name: string
  /** levels including the top `*`, e.g. 3 for value → group → * */
  levels: number
  generalise: (value: string, level: number) => string
  /** how each level reads in the codebook */
  describe: readonly string[]
}

export const ANY = '*'

/** Age in whole years on `on` for a birth date (both YYYY-MM-DD); null when unknown. */
export function ageOn(birthDate: string | null, on: string): number | null {
  if (!birthDate) return null
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number]
  const [y, m, d] = on.split('-').map(Number) as [number, number, number]
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0)
}

/** Age bands that never straddle 14, the age from which PIPL no longer asks a guardian's consent. */
export function ageBand(age: number | null): string {
  if (age == null) return 'unknown'
  if (age < 6) return 'under6'
  if (age <= 8) return '6-8'
  if (age <= 11) return '9-11'
  if (age <= 13) return '12-13'
  if (age <= 15) return '14-15'
  if (age <= 18) return '16-18'
  return 'over18'
}

export function gradeBand(grade: number): string {
  if (grade <= 3) return 'g1-3'
  if (grade <= 6) return 'g4-6'
  if (grade <= 9) return 'g7-9'
  return 'g10-12'
}

/** The school year and term of a date: 1 Sep – 31 Jan is term 1, 1 Feb – 31 Aug term 2 (`2025-2026/1`). */
export function termOf(date: string): string {
  const y = Number(date.slice(0, 4))
  const m = Number(date.slice(5, 7))
  const start = m >= 9 ? y : y - 1
  return `${start}-${start + 1}/${m >= 9 || m === 1 ? 1 : 2}`
}

export const schoolYearOf = (date: string): string => termOf(date).slice(0, 9)

/** `type|street` → `type|street`, `type`, `*`. */
export const SCHOOL_HIERARCHY: Hierarchy = {
  name: 'school',
  levels: 3,
  generalise: (v, level) => (level === 0 ? v : level === 1 ? v.split('|')[0]! : ANY),
  describe: ['type|street', 'type', '*'],
}

export const GRADE_HIERARCHY: Hierarchy = {
  name: 'grade',
  levels: 3,
  generalise: (v, level) => (level === 0 ? v : level === 1 ? gradeBand(Number(v)) : ANY),
  describe: ['grade', 'grade band', '*'],
}

export const SEX_HIERARCHY: Hierarchy = {
  name: 'sex',
  levels: 2,
  generalise: (v, level) => (level === 0 ? v : ANY),
  describe: ['sex', '*'],
}

/** Whole years (or `unknown`) → band → under 14 / 14 and over → `*`. */
export const AGE_HIERARCHY: Hierarchy = {
  name: 'age',
  levels: 4,
  generalise: (v, level) => {
    if (level >= 3) return ANY
    if (v === 'unknown') return v
    const age = Number(v)
    if (level === 0) return v
    if (level === 1) return ageBand(age)
    return age < 14 ? 'under14' : '14plus'
  },
  describe: ['age in years', 'age band', 'under 14 / 14 and over', '*'],
}

/** A date (YYYY-MM-DD) → month → term → school year → `*`. */
export const DATE_HIERARCHY: Hierarchy = {
  name: 'opened',
  levels: 4,
  generalise: (v, level) => (level === 0 ? v.slice(0, 7) : level === 1 ? termOf(v) : level === 2 ? schoolYearOf(v) : ANY),
  describe: ['month', 'term', 'school year', '*'],
}

export interface AnonymiseInput {
  /** one array per record, in the order of `hierarchies` */
  quasi: readonly (readonly string[])[]
  sensitive: readonly string[]
  hierarchies: readonly Hierarchy[]
  k: number
  l: number
  /** the share of records that may be dropped instead of generalising further */
  maxDroppedShare: number
}

export interface AnonymiseResult {
  /** generalisation level per hierarchy */
  levels: number[]
  /** per record: its generalised quasi-identifiers, or null when dropped */
  rows: (string[] | null)[]
  dropped: number
  classes: number
  /** the smallest class and the least diverse class kept (null when nothing is kept) */
  kAchieved: number | null
  lAchieved: number | null
}

const SEP = '\u0000'

function classesAt(input: AnonymiseInput, levels: readonly number[]) {
  const keys = input.quasi.map((q) => q.map((v, i) => input.hierarchies[i]!.generalise(v, levels[i]!)))
  const classes = new Map<string, { size: number; values: Set<string> }>()
  keys.forEach((k, r) => {
    const key = k.join(SEP)
    const c = classes.get(key) ?? { size: 0, values: new Set<string>() }
    c.size += 1
    c.values.add(input.sensitive[r]!)
    classes.set(key, c)
  })
  return { keys, classes }
}

/**
 * Datafly-style full-domain generalisation: while more records fail than may be dropped, raise the
 * quasi-identifier with the most distinct values by one level (ties: the first listed). Deterministic.
 */
export function anonymise(input: AnonymiseInput): AnonymiseResult {
  const n = input.quasi.length
  const levels = input.hierarchies.map(() => 0)
  const safe = (c: { size: number; values: Set<string> }) => c.size >= input.k && c.values.size >= input.l
  for (;;) {
    const { keys, classes } = classesAt(input, levels)
    let failing = 0
    for (const c of classes.values()) if (!safe(c)) failing += c.size
    const canRaise = levels.some((lv, i) => lv < input.hierarchies[i]!.levels - 1)
    if (failing <= Math.floor(n * input.maxDroppedShare) || !canRaise) {
      const rows = keys.map((k) => (safe(classes.get(k.join(SEP))!) ? k : null))
      const kept = [...classes.values()].filter(safe)
      return {
        levels,
        rows,
        dropped: failing,
        classes: kept.length,
        kAchieved: kept.length ? Math.min(...kept.map((c) => c.size)) : null,
        lAchieved: kept.length ? Math.min(...kept.map((c) => c.values.size)) : null,
      }
    }
    let pick = -1
    let most = -1
    input.hierarchies.forEach((h, i) => {
      if (levels[i]! >= h.levels - 1) return
      const distinct = new Set(keys.map((k) => k[i])).size
      if (distinct > most) {
        most = distinct
        pick = i
      }
    })
    levels[pick]! += 1
  }
}

/** Records that share their raw quasi-identifiers and sensitive value, counted once (a GROUP BY or a streaming count). */
export interface QuasiGroup {
  quasi: readonly string[]
  sensitive: string
  count: number
}

export interface GroupedAnonymiseResult {
  levels: number[]
  /** the generalised key (joined with U+0000) of every class that is kept */
  safeClasses: Set<string>
  dropped: number
  classes: number
  kAchieved: number | null
  lAchieved: number | null
}

/**
 * Records counted by their raw quasi-identifiers and sensitive value, compactly: every distinct raw
 * value is interned to a small code per column, and a group is its codes. Memory grows with the
 * distinct tuples (tens of thousands for a district), never with the records (millions).
 */
export class QuasiCounter {
  readonly values: string[][]
  private readonly codes: Map<string, number>[]
  readonly sensitiveValues: string[] = []
  private readonly sensitiveCodes = new Map<string, number>()
  /** `c0,c1,…,s` → records */
  readonly counts = new Map<string, number>()
  total = 0
  constructor(readonly width: number) {
    this.values = Array.from({ length: width }, () => [])
    this.codes = Array.from({ length: width }, () => new Map())
  }
  private code(map: Map<string, number>, list: string[], v: string): number {
    let c = map.get(v)
    if (c === undefined) {
      c = list.length
      list.push(v)
      map.set(v, c)
    }
    return c
  }
  add(quasi: readonly string[], sensitive: string, count = 1) {
    let key = ''
    for (let i = 0; i < this.width; i++) key += `${this.code(this.codes[i]!, this.values[i]!, quasi[i]!)},`
    key += this.code(this.sensitiveCodes, this.sensitiveValues, sensitive)
    this.counts.set(key, (this.counts.get(key) ?? 0) + count)
    this.total += count
  }
}

/**
 * The same Datafly generalisation as `anonymise`, over counted groups instead of one array per
 * record, so an extract of millions of rows decides its levels first and streams its rows afterwards.
 * Every decision `anonymise` takes depends only on class sizes, their distinct sensitive values and
 * the distinct values per quasi-identifier, which counted groups carry unchanged (a unit test holds
 * the two to the same result). Classes are keyed by integer codes, not strings, to keep memory small.
 */
export function anonymiseCounted(input: {
  counter: QuasiCounter
  hierarchies: readonly Hierarchy[]
  k: number
  l: number
  maxDroppedShare: number
}): GroupedAnonymiseResult {
  const { counter, hierarchies } = input
  const w = counter.width
  const g = counter.counts.size
  const codes = new Int32Array(g * w)
  const sens = new Int32Array(g)
  const sizes = new Float64Array(g)
  let r = 0
  for (const [key, count] of counter.counts) {
    const parts = key.split(',')
    for (let i = 0; i < w; i++) codes[r * w + i] = Number(parts[i])
    sens[r] = Number(parts[w])
    sizes[r] = count
    r += 1
  }
  const n = counter.total
  const levels = hierarchies.map(() => 0)
  const useMask = counter.sensitiveValues.length <= 30
  const bits = (m: number) => {
    let c = 0
    for (; m; m &= m - 1) c += 1
    return c
  }
  for (;;) {
    // Per column: raw code → generalised code at its level, and the generalised values.
    const genCode: Int32Array[] = []
    const genValues: string[][] = []
    for (let i = 0; i < w; i++) {
      const seen = new Map<string, number>()
      const list: string[] = []
      const map = new Int32Array(counter.values[i]!.length)
      counter.values[i]!.forEach((raw, c) => {
        const v = hierarchies[i]!.generalise(raw, levels[i]!)
        let gc = seen.get(v)
        if (gc === undefined) {
          gc = list.length
          list.push(v)
          seen.set(v, gc)
        }
        map[c] = gc
      })
      genCode.push(map)
      genValues.push(list)
    }
    const radix = genValues.map((v) => Math.max(1, v.length))
    const numeric = radix.reduce((a, b) => a * b, 1) < Number.MAX_SAFE_INTEGER
    const classes = new Map<number | string, { size: number; mask: number; set: Set<number> | null; first: number }>()
    for (let j = 0; j < g; j++) {
      let key: number | string = numeric ? 0 : ''
      for (let i = 0; i < w; i++) {
        const gc = genCode[i]![codes[j * w + i]!]!
        if (numeric) key = (key as number) * radix[i]! + gc
        else key = `${key as string}${gc},`
      }
      let c = classes.get(key)
      if (!c) {
        c = { size: 0, mask: 0, set: useMask ? null : new Set<number>(), first: j }
        classes.set(key, c)
      }
      c.size += sizes[j]!
      if (useMask) c.mask |= 1 << sens[j]!
      else c.set!.add(sens[j]!)
    }
    const diversity = (c: { mask: number; set: Set<number> | null }) => (c.set ? c.set.size : bits(c.mask))
    const safe = (c: { size: number; mask: number; set: Set<number> | null }) => c.size >= input.k && diversity(c) >= input.l
    let failing = 0
    for (const c of classes.values()) if (!safe(c)) failing += c.size
    const canRaise = levels.some((lv, i) => lv < hierarchies[i]!.levels - 1)
    if (failing <= Math.floor(n * input.maxDroppedShare) || !canRaise) {
      const safeClasses = new Set<string>()
      let kAchieved = Infinity
      let lAchieved = Infinity
      for (const c of classes.values()) {
        if (!safe(c)) continue
        const parts: string[] = []
        for (let i = 0; i < w; i++) parts.push(genValues[i]![genCode[i]![codes[c.first * w + i]!]!]!)
        safeClasses.add(parts.join(SEP))
        kAchieved = Math.min(kAchieved, c.size)
        lAchieved = Math.min(lAchieved, diversity(c))
      }
      return {
        levels,
        safeClasses,
        dropped: failing,
        classes: safeClasses.size,
        kAchieved: safeClasses.size ? kAchieved : null,
        lAchieved: safeClasses.size ? lAchieved : null,
      }
    }
    // Raise the quasi-identifier with the most distinct generalised values (ties: the first listed).
    let pick = -1
    let most = -1
    hierarchies.forEach((h, i) => {
      if (levels[i]! >= h.levels - 1) return
      if (genValues[i]!.length > most) {
        most = genValues[i]!.length
        pick = i
      }
    })
    levels[pick]! += 1
  }
}

/** `anonymiseCounted` over a list of counted groups. */
export function anonymiseGroups(input: {
  groups: readonly QuasiGroup[]
  hierarchies: readonly Hierarchy[]
  k: number
  l: number
  maxDroppedShare: number
}): GroupedAnonymiseResult {
  const counter = new QuasiCounter(input.hierarchies.length)
  for (const g of input.groups) counter.add(g.quasi, g.sensitive, g.count)
  return anonymiseCounted({ ...input, counter })
}

/** Generalises one record's raw quasi-identifiers at the chosen levels: its class key. */
export function generaliseRecord(quasi: readonly string[], hierarchies: readonly Hierarchy[], levels: readonly number[]): string[] {
  return quasi.map((v, i) => hierarchies[i]!.generalise(v, levels[i]!))
}
export const CLASS_SEPARATOR = SEP

/** The k an extract must reach: 10 when any subject is (or may be, age unknown) under 14, else 5. */
export function requiredK(ages: readonly (number | null)[], kAdult: number, kChild: number): number {
  return ages.some((a) => a == null || a < 14) ? kChild : kAdult
}

export interface CrossTab {
  rowValues: string[]
  colValues: string[]
  cells: number[][]
}

/**
 * Counts units by a row and a column dimension. A unit may carry several values of one dimension (a
 * case with several categories): it counts once under each. Rows and columns keep the given order;
 * values seen in the data but not listed are appended in sorted order.
 */
export function crossTab(
  units: readonly { row: readonly string[]; col: readonly string[] }[],
  rowOrder: readonly string[],
  colOrder: readonly string[],
): CrossTab {
  const extend = (order: readonly string[], seen: Set<string>) => [...order, ...[...seen].filter((v) => !order.includes(v)).sort()]
  const rowValues = extend(rowOrder, new Set(units.flatMap((u) => u.row)))
  const colValues = extend(colOrder, new Set(units.flatMap((u) => u.col)))
  const ri = new Map(rowValues.map((v, i) => [v, i]))
  const ci = new Map(colValues.map((v, i) => [v, i]))
  const cells = rowValues.map(() => colValues.map(() => 0))
  for (const u of units) for (const r of new Set(u.row)) for (const c of new Set(u.col)) cells[ri.get(r)!]![ci.get(c)!]! += 1
  return { rowValues, colValues, cells }
}
