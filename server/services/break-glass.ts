import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema'
import {
  breakGlassSettingsSchema,
  DEFAULT_BREAK_GLASS_SETTINGS,
  type BreakGlassOpenInput,
  type BreakGlassSettings,
} from '../../shared/break-glass'
import { schoolCounsellors } from '../repositories/case'
import { caseSchool, findGrant, grantsForReview, grantsOf, insertBreakGlass, markGrantReviewed } from '../repositories/district-centre'
import { findSetting, upsertSetting } from '../repositories/staffing'
import { appendAudit } from './audit'
import { getCaseFile } from './case'
import { accountRef, nowIso, requireActor, withTransaction, type ServiceContext } from './context'
import { decryptText, encryptText } from './crypto'
import { AppError, notFound } from './errors'
import { deliver } from './inbox'
import { parseStored } from './stored-json'

/**
 * Break-glass: the one way past the rule that a case file is its school's counsellors' alone. An admin
 * or the district centre states a reason (encrypted like a case note) and gets that one file, read-only,
 * for the district's set minutes. Opening and every read are audited with the `break_glass` flag, the
 * school's counsellors are told through the inbox in the same transaction, and the bureau reviews the list.
 */
const REASON = 'break_glass.reason'
const PAGE = 100

export async function loadBreakGlassSettings(db: Kysely<Database>): Promise<BreakGlassSettings> {
  const row = await findSetting(db, 'breakGlass')
  return parseStored(breakGlassSettingsSchema, row?.value, DEFAULT_BREAK_GLASS_SETTINGS, 'district_setting.value[breakGlass]')
}

export async function getBreakGlassSettings(ctx: ServiceContext): Promise<BreakGlassSettings> {
  requireActor(ctx)
  return loadBreakGlassSettings(ctx.db)
}

export async function updateBreakGlassSettings(ctx: ServiceContext, input: BreakGlassSettings): Promise<BreakGlassSettings> {
  const actor = requireActor(ctx)
  await withTransaction(ctx.db, async (trx) => {
    await upsertSetting(trx, { key: 'breakGlass', value: JSON.stringify(input), updated_at: nowIso(ctx), updated_by: accountRef(actor) })
    await appendAudit(trx, ctx, { action: 'district.settings_update', outcome: 'ok', entityType: 'district_setting', detail: 'breakGlass' })
  })
  return loadBreakGlassSettings(ctx.db)
}

/** Opens one case file for a limited time. An unknown case answers NOT_FOUND; nothing of the case is returned here. */
export async function openBreakGlass(ctx: ServiceContext, input: BreakGlassOpenInput) {
  const actor = requireActor(ctx)
  const c = await caseSchool(ctx.db, input.caseId)
  if (!c) {
    await appendAudit(ctx.db, ctx, {
      action: 'case.break_glass_open',
      outcome: 'failed',
      entityType: 'case',
      entityId: input.caseId,
      detail: 'break_glass',
    })
    throw notFound()
  }
  const { minutes } = await loadBreakGlassSettings(ctx.db)
  const now = ctx.now()
  const expiresAt = new Date(now.getTime() + minutes * 60_000).toISOString()
  return withTransaction(ctx.db, async (trx) => {
    const id = await insertBreakGlass(trx, {
      case_id: c.id,
      school_id: c.school_id,
      account_id: actor.accountId,
      reason_enc: encryptText(ctx.keys, REASON, input.reason),
      opened_at: now.toISOString(),
      expires_at: expiresAt,
      reviewed_at: null,
      reviewed_by: null,
    })
    await appendAudit(trx, ctx, {
      action: 'case.break_glass_open',
      outcome: 'ok',
      entityType: 'case',
      entityId: c.id,
      schoolId: c.school_id,
      detail: 'break_glass',
    })
    const counsellors = await schoolCounsellors(trx, c.school_id)
    await deliver(
      ctx,
      trx,
      counsellors.map((x) => x.id),
      { kind: 'case.break_glass', entityType: 'case', entityId: c.id, schoolId: c.school_id },
    )
    return { id, caseId: c.id, expiresAt, minutes }
  })
}

/** The caller's own openings, newest first, with whether each still gives access. */
export async function myBreakGlass(ctx: ServiceContext) {
  const actor = requireActor(ctx)
  const now = ctx.now().getTime()
  const rows = await grantsOf(ctx.db, actor.accountId, PAGE)
  return rows.map((r) => ({
    id: r.id,
    caseId: r.case_id,
    schoolName: r.school_name,
    schoolNameEn: r.school_name_en,
    reason: decryptText(ctx.keys, REASON, r.reason_enc),
    openedAt: r.opened_at,
    expiresAt: r.expires_at,
    active: Date.parse(r.expires_at) > now,
  }))
}

/**
 * The case file through a grant of the caller's, while it lasts: the same read the school's counsellors
 * have (private notes of others stay hidden), audited twice — the flagged break-glass read and the case read.
 */
export async function readBreakGlass(ctx: ServiceContext, grantId: number) {
  const actor = requireActor(ctx)
  const g = await findGrant(ctx.db, grantId)
  if (!g || g.account_id !== actor.accountId) throw notFound()
  const flagged = (outcome: 'ok' | 'denied') =>
    appendAudit(ctx.db, ctx, {
      action: 'case.break_glass_read',
      outcome,
      entityType: 'case',
      entityId: g.case_id,
      schoolId: g.school_id,
      detail: 'break_glass',
    })
  if (Date.parse(g.expires_at) <= ctx.now().getTime()) {
    await flagged('denied')
    throw new AppError('FORBIDDEN', 'breakGlass.expired')
  }
  await flagged('ok')
  const file = await getCaseFile({ ...ctx, actor: { ...actor, scope: { kind: 'school', schoolId: g.school_id } } }, g.case_id)
  return { grant: { id: g.id, expiresAt: g.expires_at }, file }
}

/** The bureau's review list: who opened which school's case, why, when, for how long, and whether it was reviewed. */
export async function listBreakGlassForReview(ctx: ServiceContext, input: { filter: 'unreviewed' | 'all' }) {
  const actor = requireActor(ctx)
  const rows = await grantsForReview(ctx.db, actor.scope, input.filter, PAGE)
  await appendAudit(ctx.db, ctx, {
    action: 'case.break_glass_list',
    outcome: 'ok',
    entityType: 'break_glass',
    detail: `rows:${rows.length}`,
  })
  return rows.map((r) => ({
    id: r.id,
    caseId: r.case_id,
    schoolName: r.school_name,
    schoolNameEn: r.school_name_en,
    openedBy: r.opened_by,
    openedByRole: r.opened_by_role,
    reason: decryptText(ctx.keys, REASON, r.reason_enc),
    openedAt: r.opened_at,
    expiresAt: r.expires_at,
    reviewedAt: r.reviewed_at,
    reviewedBy: r.reviewed_by ?? null,
  }))
}

export async function reviewBreakGlass(ctx: ServiceContext, id: number) {
  const actor = requireActor(ctx)
  const g = await findGrant(ctx.db, id)
  if (!g) throw notFound()
  if (g.reviewed_at) return { reviewedAt: g.reviewed_at, already: true }
  const at = nowIso(ctx)
  const done = await withTransaction(ctx.db, async (trx) => {
    if (!(await markGrantReviewed(trx, id, at, accountRef(actor)))) return false
    await appendAudit(trx, ctx, {
      action: 'case.break_glass_review',
      outcome: 'ok',
      entityType: 'break_glass',
      entityId: id,
      schoolId: g.school_id,
    })
    return true
  })
  if (!done) return { reviewedAt: (await findGrant(ctx.db, id))!.reviewed_at!, already: true }
  return { reviewedAt: at, already: false }
}
