import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema'
import { DEFAULT_DISCLOSURE_SETTINGS, disclosureSettingsSchema, type DisclosureSettings } from '../../shared/disclosure'
import { insertRelease, latestOfAudience, latestRelease, recentReleases } from '../repositories/disclosure'
import { findSetting, upsertSetting } from '../repositories/staffing'
import { discloseRelease, type HiddenReason, type ReleaseDecision, type ReleaseSpec } from '../rules/disclosure'
import { appendAudit } from './audit'
import { accountRef, nowIso, requireActor, type ServiceContext, withTransaction } from './context'
import { parseStored } from './stored-json'

/**
 * The disclosure module's state: the district's one threshold (a district setting) and the ledger of
 * releases. Every aggregate shown or exported goes through `release()`: the pure rules decide what is
 * hidden, judged against everything this audience was shown before; the decision is recorded.
 */

export interface DisclosureSettingsView extends DisclosureSettings {
  updatedAt: string | null
}

export async function loadDisclosureSettings(db: Kysely<Database>): Promise<DisclosureSettingsView> {
  const row = await findSetting(db, 'disclosure')
  if (!row) return { ...DEFAULT_DISCLOSURE_SETTINGS, updatedAt: null }
  const value = parseStored(disclosureSettingsSchema, row.value, DEFAULT_DISCLOSURE_SETTINGS, 'district_setting.value[disclosure]')
  return { ...value, updatedAt: row.updated_at }
}

export async function getDisclosureSettings(ctx: ServiceContext): Promise<DisclosureSettingsView> {
  requireActor(ctx)
  return loadDisclosureSettings(ctx.db)
}

export async function updateDisclosureSettings(ctx: ServiceContext, input: DisclosureSettings): Promise<DisclosureSettingsView> {
  const actor = requireActor(ctx)
  const at = nowIso(ctx)
  await withTransaction(ctx.db, async (trx) => {
    await upsertSetting(trx, { key: 'disclosure', value: JSON.stringify(input), updated_at: at, updated_by: accountRef(actor) })
    await appendAudit(trx, ctx, { action: 'district.settings_update', outcome: 'ok', entityType: 'district_setting', detail: 'disclosure' })
  })
  return loadDisclosureSettings(ctx.db)
}

export interface Released {
  decision: ReleaseDecision
  /** the ledger row, null for a decision not recorded (a preview) */
  releaseId: number | null
  releasedAt: string
}

/** What identifies a release's content: the threshold, every entry's value and every relation. */
function fingerprint(spec: ReleaseSpec, threshold: number, fixed: readonly (ReadonlySet<string> | undefined)[]): string {
  const h = createHash('sha256')
  h.update(String(threshold))
  for (const set of fixed) h.update(`|fixed:${[...(set ?? [])].sort().join(',')}`)
  for (const e of spec.entries) h.update(`|${e.id}=${e.value}${e.structural ? 's' : ''}`)
  for (const c of spec.constraints) h.update(`|${c.parts.join('+')}${c.kind === 'le' ? '<=' : '='}${c.total}`)
  return h.digest('hex')
}

/**
 * Publish `spec` to `audience` under `key` (one dashboard or export kind). An unchanged release is served
 * again from the ledger; a changed one is decided against the values this audience already holds (by
 * entry id, across every key), then recorded — unless `record` is false (a preview that shows no values).
 * `db` may be the caller's transaction.
 */
export async function release(
  ctx: ServiceContext,
  db: Kysely<Database>,
  input: {
    audience: string
    key: string
    spec: ReleaseSpec
    record?: boolean
    /** decisions of another release of this audience that this one must respect */
    fixedHidden?: ReadonlySet<string>
    fixedPublished?: ReadonlySet<string>
  },
): Promise<Released> {
  const { threshold } = await loadDisclosureSettings(db)
  const print = fingerprint(input.spec, threshold, [input.fixedHidden, input.fixedPublished])
  const last = await latestRelease(db, input.audience, input.key)
  if (last && last.fingerprint === print) {
    const hidden = new Map(JSON.parse(last.hidden) as [string, HiddenReason][])
    const published = new Map(input.spec.entries.filter((e) => !hidden.has(e.id)).map((e) => [e.id, e.value]))
    return {
      decision: { threshold, hidden, published, intervals: new Map(), exposed: [] },
      releaseId: last.id,
      releasedAt: last.released_at,
    }
  }
  const held = await latestOfAudience(db, input.audience)
  const known = new Map<string, number>(held ? Object.entries(JSON.parse(held.known) as Record<string, number>) : [])
  const decision = discloseRelease(input.spec, {
    threshold,
    previous: known,
    fixedHidden: input.fixedHidden,
    fixedPublished: input.fixedPublished,
  })
  for (const [id, v] of decision.published) known.set(id, v)
  const at = nowIso(ctx)
  if (input.record === false) return { decision, releaseId: null, releasedAt: at }
  const releaseId = await insertRelease(db, {
    audience: input.audience,
    release_key: input.key,
    fingerprint: print,
    threshold,
    entries: input.spec.entries.length,
    hidden: JSON.stringify([...decision.hidden]),
    known: JSON.stringify(Object.fromEntries(known)),
    released_at: at,
    released_by: ctx.actor ? accountRef(ctx.actor) : null,
  })
  return { decision, releaseId, releasedAt: at }
}

export const LEDGER_PAGE = 50

/**
 * The ledger as the bureau reviews it: who was shown what kind of figures, when, with how much hidden
 * and why. Entry values are never returned; the audience's research project is named by its title.
 */
export async function listReleases(ctx: ServiceContext) {
  requireActor(ctx)
  const rows = await recentReleases(ctx.db, LEDGER_PAGE)
  const projectIds = [
    ...new Set(
      rows
        .map((r) => /^research:(\d+)$/.exec(r.audience)?.[1])
        .filter((x): x is string => x != null)
        .map(Number),
    ),
  ]
  const titles = new Map(
    projectIds.length
      ? (await ctx.db.selectFrom('research_project').select(['id', 'title']).where('id', 'in', projectIds).execute()).map((p) => [
          p.id,
          p.title,
        ])
      : [],
  )
  const out = rows.map((r) => {
    const research = /^research:(\d+)$/.exec(r.audience)
    const hidden = { primary: 0, zero: 0, change: 0, complementary: 0 } as Record<HiddenReason, number>
    for (const [, why] of JSON.parse(r.hidden) as [string, HiddenReason][]) hidden[why]++
    return {
      id: r.id,
      audience: research ? ('research' as const) : ('district' as const),
      project: research ? (titles.get(Number(research[1])) ?? null) : null,
      kind: r.release_key.split(':')[0]!,
      releasedAt: r.released_at,
      releasedBy: r.released_by_name ?? null,
      threshold: r.threshold,
      entries: r.entries,
      hidden,
    }
  })
  await appendAudit(ctx.db, ctx, {
    action: 'disclosure.ledger_read',
    outcome: 'ok',
    entityType: 'district_setting',
    detail: `rows:${out.length}`,
  })
  return out
}
