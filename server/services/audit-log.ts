import { auditEntityText, describeAuditDetail, type DetailContext } from '../../shared/audit-detail'
import { AUDIT_EXPORT_MAX } from '../../shared/exports'
import type { AuditExportInput, AuditFilters, AuditListInput } from '../../shared/schemas'
import { auditActors, exportAuditEvents, listAuditEvents } from '../repositories/audit'
import { listStreets } from '../repositories/school'
import { listSchoolYears } from '../repositories/school-year'
import { appendAudit, verifyAuditChain } from './audit'
import { auditAnchorFile, verifyAuditAnchors } from './audit-anchor'
import { requireActor, type ServiceContext } from './context'
import { AppError } from './errors'
import { deliverTable, translator, type ExportFilter, type Translate } from './table-export'

type EventRow = Awaited<ReturnType<typeof exportAuditEvents>>[number]

function toEvent(r: EventRow) {
  return {
    seq: r.seq,
    at: r.at,
    actorId: r.actor_id,
    actorRole: r.actor_role,
    actorUsername: r.actor_username ?? null,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    schoolId: r.school_id,
    outcome: r.outcome,
    detail: r.detail,
    requestId: r.request_id,
  }
}

/** What a detail's ids point at (`year:3`, `street:2`), so the reader sees names, not numbers. */
async function detailLookups(ctx: ServiceContext) {
  const [years, streets] = await Promise.all([listSchoolYears(ctx.db), listStreets(ctx.db)])
  return {
    years: Object.fromEntries(years.map((y) => [y.id, y.label])) as Record<number, string>,
    streets: Object.fromEntries(streets.map((s) => [s.id, { nameZh: s.name_zh, nameEn: s.name_en }])) as Record<
      number,
      { nameZh: string; nameEn: string }
    >,
  }
}

export async function listAudit(ctx: ServiceContext, input: AuditListInput) {
  requireActor(ctx)
  const [{ total, rows }, lookups] = await Promise.all([listAuditEvents(ctx.db, input), detailLookups(ctx)])
  return { total, rows: rows.map(toEvent), lookups }
}

/** Everyone the log can be filtered by. */
export async function listAuditActors(ctx: ServiceContext) {
  requireActor(ctx)
  return (await auditActors(ctx.db)).map((a) => ({
    id: a.id,
    username: a.username,
    displayName: a.display_name,
    role: a.role,
    disabled: a.disabled_at != null,
  }))
}

/** "2026-11-03 14:05:09" in Asia/Shanghai: a spreadsheet sorts it, a reader reads it. */
function shanghaiTime(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ')
}

/** The filters of an export, in the reader's words, for its file name and its "about" sheet. */
function filterNames(t: Translate, f: AuditFilters, actor: string | null): ExportFilter[] {
  const out: ExportFilter[] = []
  const label = (key: string, fallback: string) => {
    const text = t(key)
    return text === key ? fallback : text
  }
  if (actor) out.push({ label: t('exports.filters.person'), value: actor })
  if (f.action) {
    const group = f.action.endsWith('.') ? f.action.slice(0, -1) : null
    out.push({
      label: t('audit.actionFilter'),
      value: group ? t('audit.allOf', { group: label(`audit.groups.${group}`, group) }) : label(`audit.actions.${f.action}`, f.action),
    })
  }
  if (f.entityType) out.push({ label: t('audit.entityFilter'), value: label(`audit.entities.${f.entityType}`, f.entityType) })
  if (f.outcome) out.push({ label: t('audit.outcome'), value: t(`audit.outcomes.${f.outcome}`) })
  return out
}

/**
 * The log under the reader's filters, newest first, as the screen reads it: actions, entities, outcomes
 * and details in the reader's language. The export is itself an audit event naming its filters.
 */
export async function exportAudit(ctx: ServiceContext, input: AuditExportInput) {
  requireActor(ctx)
  const t = translator(input.locale)
  const rows = await exportAuditEvents(ctx.db, input, AUDIT_EXPORT_MAX + 1)
  if (rows.length > AUDIT_EXPORT_MAX) throw new AppError('BAD_REQUEST', 'audit.exportTooLarge', { max: AUDIT_EXPORT_MAX })
  const lookups = await detailLookups(ctx)
  const has = (key: string) => t(key) !== key
  const detailContext: DetailContext = { t, has, locale: input.locale, ...lookups }
  const label = (key: string, fallback: string) => (has(key) ? t(key) : fallback)
  const actorName =
    input.actorId == null
      ? null
      : input.actorId === 0
        ? t('audit.system')
        : ((await auditActors(ctx.db)).find((a) => a.id === input.actorId)?.username ?? `#${input.actorId}`)
  const headers = [
    t('audit.seq'),
    t('audit.at'),
    t('audit.actor'),
    t('audit.role'),
    t('audit.action'),
    t('audit.entity'),
    t('audit.outcome'),
    t('audit.detail'),
  ]
  const body = rows.map((r) => [
    r.seq,
    shanghaiTime(r.at),
    r.actor_id === 0 ? t('audit.system') : (r.actor_username ?? null),
    r.actor_role ? label(`roles.${r.actor_role}`, r.actor_role) : null,
    label(`audit.actions.${r.action}`, r.action),
    auditEntityText(r.entity_type, r.entity_id, label),
    label(`audit.outcomes.${r.outcome}`, r.outcome),
    describeAuditDetail({ action: r.action, entityType: r.entity_type, detail: r.detail }, detailContext),
  ])
  const range: ExportFilter[] = []
  if (input.from) range.push({ label: t('exports.filters.from'), value: input.from })
  if (input.to) range.push({ label: t('exports.filters.to'), value: input.to })
  return deliverTable(ctx, {
    format: input.format,
    locale: input.locale,
    table: 'auditLog',
    action: 'audit.export',
    sheet: t('exports.sheet.auditLog'),
    scope: range,
    filters: filterNames(t, input, actorName),
    headers,
    rows: body,
    detail:
      `rows:${body.length}` +
      `${actorName != null ? `,actor:${input.actorId === 0 ? 'system' : actorName}` : ''}` +
      `${input.from ? `,from:${input.from}` : ''}${input.to ? `,to:${input.to}` : ''}` +
      `${input.action ? `,action:${input.action}` : ''}${input.entityType ? `,entity:${input.entityType}` : ''}` +
      `${input.outcome ? `,outcome:${input.outcome}` : ''}`,
  })
}

/**
 * Walks the HMAC chain, then checks it against the anchors kept outside the database (as
 * `npm run audit:verify` does): a deleted tail with a rewritten head, or a chain rebuilt with the
 * audit key, passes the walk but disagrees with an anchor.
 */
export async function verifyAudit(ctx: ServiceContext) {
  requireActor(ctx)
  const chain = await verifyAuditChain(ctx.db, ctx.keys.audit)
  const anchored = await verifyAuditAnchors(ctx.db, ctx.keys.audit, auditAnchorFile())
  const anchorBreak = anchored.firstBreak
    ? {
        reason: anchored.firstBreak.reason,
        seq: anchored.firstBreak.reason === 'anchor_invalid' ? anchored.firstBreak.line : anchored.firstBreak.seq,
      }
    : null
  const result = {
    ok: chain.ok && anchored.ok,
    checked: chain.checked,
    firstBreak: chain.firstBreak ?? anchorBreak,
    anchors: anchored.anchors,
    latestAnchor: anchored.latest ? { seq: anchored.latest.seq, at: anchored.latest.at } : null,
  }
  await appendAudit(ctx.db, ctx, {
    action: 'audit.verify',
    outcome: result.ok ? 'ok' : 'failed',
    detail: result.firstBreak ? `${result.firstBreak.reason}:${result.firstBreak.seq}` : `checked:${result.checked}`,
  })
  return result
}
