import { STAGES, treePoints, type SystemCheck } from '../../shared/accreditation'
import type { ExportFormat, ExportLocale } from '../../shared/exports'
import { shanghaiDate } from '../../shared/shanghai-time'
import {
  accountsToRemind,
  deleteEmployment,
  employmentOf,
  expertAccounts,
  findEmployment,
  findExpert,
  findTitle,
  insertEmployment,
  listApplications,
  listTitles,
  recordReminder,
  remindersSent,
  withdrawTitleRow,
} from '../repositories/accreditation'
import { findSchool } from '../repositories/school'
import { dueReminders, heldByYear, titleState } from '../rules/accreditation'
import { appendAudit } from './audit'
import { applicationsService, storedEvidence } from './accreditation'
import { liveSystemEvidence } from './accreditation-evidence'
import { applicationDetail } from './accreditation-review'
import { nowIso, requireActor, withTransaction, type ServiceContext } from './context'
import { decryptOptional, encryptText } from './crypto'
import { loadAccreditationSettings } from './district-settings'
import { AppError, notFound } from './errors'
import { deliver } from './inbox'
import { deliverTable, translator } from './table-export'

const withdrawPurpose = (titleId: number) => `accreditation.withdraw:${titleId}`

/** The criteria a title holder must keep meeting; a fall since the award flags the school for re-review. */
const KEPT: readonly SystemCheck[] = ['staffing', 'room', 'sevenOnes']

/**
 * Re-review reminders 180, 90 and 30 days before a title expires (Asia/Shanghai dates), to the bureau
 * and the school's admins. Idempotent: the (title, days) key is recorded in the same transaction as
 * the inbox items, so a second run, a restart or two processes never send one twice. It runs on boot,
 * hourly, and before the bureau's overview is read, so a server that was down on the day catches up.
 */
export async function runReminders(ctx: ServiceContext): Promise<number> {
  const today = shanghaiDate(ctx.now())
  const [titles, sent] = await Promise.all([listTitles(ctx.db, { kind: 'all' }), remindersSent(ctx.db)])
  let delivered = 0
  for (const t of titles) {
    if (titleState({ startsOn: t.starts_on, expiresOn: t.expires_on, withdrawnOn: t.withdrawn_on }, today) !== 'active') continue
    const due = dueReminders(
      t.expires_on,
      today,
      sent.filter((s) => s.title_id === t.id).map((s) => s.days_before),
    )
    if (!due.record.length) continue
    await withTransaction(ctx.db, async (trx) => {
      for (const days of due.record) {
        const fresh = await recordReminder(trx, {
          title_id: t.id,
          days_before: days,
          sent_on: today,
          delivered: days === due.deliver ? 1 : 0,
        })
        if (!fresh || days !== due.deliver) continue
        const people = await accountsToRemind(trx, t.school_id)
        const bureau = people.filter((p) => p.role === 'bureau').map((p) => p.id)
        const school = people.filter((p) => p.role === 'school_admin').map((p) => p.id)
        await deliver(ctx, trx, bureau, {
          kind: 'accreditation.expiry',
          entityType: 'accreditation_title',
          entityId: t.id,
          schoolId: t.school_id,
        })
        await deliver(ctx, trx, school, {
          kind: 'accreditation.expirySchool',
          entityType: 'accreditation_title',
          entityId: t.id,
          schoolId: t.school_id,
        })
        await appendAudit(trx, ctx, {
          action: 'accreditation.reminder_send',
          outcome: 'ok',
          entityType: 'accreditation_title',
          entityId: t.id,
          schoolId: t.school_id,
          detail: `days:${days}`,
        })
        delivered++
      }
    })
  }
  return delivered
}

function titleView(t: Awaited<ReturnType<typeof listTitles>>[number], today: string) {
  return {
    id: t.id,
    schoolId: t.school_id,
    schoolName: t.school_name,
    schoolNameEn: t.school_name_en,
    applicationId: t.application_id,
    startsOn: t.starts_on,
    expiresOn: t.expires_on,
    withdrawnOn: t.withdrawn_on,
    state: titleState({ startsOn: t.starts_on, expiresOn: t.expires_on, withdrawnOn: t.withdrawn_on }, today),
  }
}

/**
 * The bureau's view: the pipeline by stage, titles held against the target by year, and title holders
 * whose platform figures fell below the criteria since the award. Counts here are of schools, not of
 * people, so they are shown as they are.
 */
export async function overviewService(ctx: ServiceContext) {
  requireActor(ctx)
  await runReminders(ctx)
  const today = shanghaiDate(ctx.now())
  const [apps, titles, settings] = await Promise.all([
    applicationsService(ctx),
    listTitles(ctx.db, { kind: 'all' }),
    loadAccreditationSettings(ctx.db),
  ])
  const views = titles.map((t) => titleView(t, today))
  const thisYear = Number(today.slice(0, 4))
  const firstYear = Math.min(settings.targetYear - 2, ...views.map((t) => Number(t.startsOn.slice(0, 4))))
  const years = Array.from({ length: Math.max(1, thisYear + 3 - firstYear + 1) }, (_, i) => firstYear + i)
  const held = heldByYear(
    titles.map((t) => ({ startsOn: t.starts_on, expiresOn: t.expires_on, withdrawnOn: t.withdrawn_on })),
    years,
  )
  const active = views.filter((t) => t.state === 'active')
  const flagged = []
  const appRows = await listApplications(ctx.db, { kind: 'scope', scope: { kind: 'all' } })
  for (const t of active) {
    const app = appRows.find((a) => a.id === t.applicationId)
    const then = app ? storedEvidence(app) : null
    const now = await liveSystemEvidence(ctx, t.schoolId)
    const fell = KEPT.filter((k) => {
      const current = now.facts.find((f) => f.check === k)
      const before = then?.facts.find((f) => f.check === k)
      return current && !current.met && (before?.met ?? true)
    })
    if (fell.length)
      flagged.push({ titleId: t.id, schoolId: t.schoolId, schoolName: t.schoolName, schoolNameEn: t.schoolNameEn, checks: fell })
  }
  return {
    today,
    settings,
    board: STAGES.map((stage) => ({ stage, applications: apps.filter((a) => a.stage === stage) })),
    titles: views,
    held: held.map((h) => ({ ...h, target: settings.target })),
    activeCount: active.length,
    flagged,
  }
}

export async function withdrawTitle(ctx: ServiceContext, input: { titleId: number; reason: string }) {
  requireActor(ctx)
  const t = await findTitle(ctx.db, input.titleId)
  if (!t) throw notFound()
  const today = shanghaiDate(ctx.now())
  await withTransaction(ctx.db, async (trx) => {
    if (!(await withdrawTitleRow(trx, t.id, today, encryptText(ctx.keys, withdrawPurpose(t.id), input.reason))))
      throw new AppError('CONFLICT', 'accreditation.titleWithdrawn')
    await appendAudit(trx, ctx, {
      action: 'accreditation.title_withdraw',
      outcome: 'ok',
      entityType: 'accreditation_title',
      entityId: t.id,
      schoolId: t.school_id,
    })
  })
  return { withdrawnOn: today }
}

/** The school's own titles (its page shows the current one and when it expires). */
export async function myTitles(ctx: ServiceContext) {
  const actor = requireActor(ctx)
  const today = shanghaiDate(ctx.now())
  return (await listTitles(ctx.db, actor.scope)).map((t) => ({
    ...titleView(t, today),
    withdrawnReason: null as string | null,
  }))
}

export async function titleReason(ctx: ServiceContext, titleId: number) {
  const t = await findTitle(ctx.db, titleId)
  return t ? decryptOptional(ctx.keys, withdrawPurpose(t.id), t.withdrawn_reason_enc) : null
}

// ── review sheet export and the decision record ──────────────────────────────────────────────

/** The review sheet of one application (self, each expert, panel mean, spread per point) as CSV or XLSX. */
export async function exportReviewSheet(ctx: ServiceContext, input: { applicationId: number; format: ExportFormat; locale: ExportLocale }) {
  const d = await applicationDetail(ctx, { applicationId: input.applicationId })
  if (d.role !== 'bureau' || !d.panel) throw notFound()
  const t = translator(input.locale)
  const en = input.locale === 'en'
  const panel = d.panel
  const headers = [
    t('accreditation.columns.point'),
    t('accreditation.columns.text'),
    t('accreditation.columns.max'),
    t('accreditation.columns.starred'),
    t('accreditation.columns.self'),
    ...panel.sheets.map((s) => s.name),
    t('accreditation.columns.mean'),
    t('accreditation.columns.spread'),
    t('accreditation.columns.flag'),
  ]
  const rows = treePoints(d.tree.categories).map((p) => {
    const agg = panel.points.find((x) => x.code === p.code)
    return [
      p.code,
      en ? p.textEn : p.textZh,
      p.maxScore,
      p.starred ? '★' : '',
      d.self.scores[p.code] ?? '',
      ...panel.sheets.map((s) => {
        const v = s.scores[p.code]
        if (v == null) return ''
        const delta = s.deltas.filter((x) => x.code === p.code).reduce((a, x) => a + x.delta, 0)
        return delta ? `${v}${delta > 0 ? '+' : ''}${delta}` : v
      }),
      agg?.mean ?? '',
      agg?.spread ?? '',
      agg?.disagreement ? t('accreditation.disagreement') : '',
    ]
  })
  return deliverTable(ctx, {
    format: input.format,
    locale: input.locale,
    table: 'accreditation_application',
    sheet: t('accreditation.exportSheet'),
    scope: [{ label: t('fields.school'), value: en ? (d.school.nameEn ?? d.school.name) : d.school.name }],
    filters: [],
    headers,
    rows,
    notes: [t('accreditation.exportNote', { version: d.tree.versionNo, total: panel.result.total })],
    detail: `rows:${rows.length}`,
    action: 'accreditation.export',
  })
}

/** The printable decision record: the detail with the audit of its printing. */
export async function decisionRecord(ctx: ServiceContext, input: { applicationId: number }) {
  const d = await applicationDetail(ctx, input)
  if (d.role !== 'bureau') throw notFound()
  const school = await findSchool(ctx.db, { kind: 'all' }, d.school.id)
  const titles = await listTitles(ctx.db, { kind: 'school', schoolId: d.school.id })
  const today = shanghaiDate(ctx.now())
  await appendAudit(ctx.db, ctx, {
    action: 'accreditation.record_print',
    outcome: 'ok',
    entityType: 'accreditation_application',
    entityId: d.id,
    schoolId: d.school.id,
  })
  return {
    ...d,
    schoolCode: school?.code ?? '',
    title: titles.filter((t) => t.application_id === d.id).map((t) => titleView(t, today))[0] ?? null,
  }
}

// ── employment history (conflicts of interest) ───────────────────────────────────────────────

export async function employmentList(ctx: ServiceContext, input: { accountId?: number }) {
  requireActor(ctx)
  const rows = await expertAccounts(ctx.db)
  const ids = input.accountId ? rows.filter((r) => r.id === input.accountId).map((r) => r.id) : rows.map((r) => r.id)
  const jobs = await employmentOf(ctx.db, ids)
  return rows
    .filter((r) => ids.includes(r.id))
    .map((r) => ({
      accountId: r.id,
      displayName: r.display_name,
      username: r.username,
      jobs: jobs
        .filter((j) => j.account_id === r.id)
        .map((j) => ({
          id: j.id,
          schoolId: j.school_id,
          schoolName: j.school_name,
          schoolNameEn: j.school_name_en,
          fromOn: j.from_on,
          toOn: j.to_on,
        })),
    }))
}

export async function addEmployment(
  ctx: ServiceContext,
  input: { accountId: number; schoolId: number; fromOn: string; toOn: string | null },
) {
  requireActor(ctx)
  if (input.toOn != null && input.toOn < input.fromOn) throw new AppError('BAD_REQUEST', 'accreditation.employmentDates')
  if (!(await findExpert(ctx.db, input.accountId))) throw new AppError('BAD_REQUEST', 'accreditation.notExpert')
  if (!(await findSchool(ctx.db, { kind: 'all' }, input.schoolId))) throw notFound()
  return withTransaction(ctx.db, async (trx) => {
    const id = await insertEmployment(trx, {
      account_id: input.accountId,
      school_id: input.schoolId,
      from_on: input.fromOn,
      to_on: input.toOn,
      created_at: nowIso(ctx),
    })
    await appendAudit(trx, ctx, {
      action: 'accreditation.employment_add',
      outcome: 'ok',
      entityType: 'account_employment',
      entityId: id,
      schoolId: input.schoolId,
    })
    return { id }
  })
}

export async function removeEmployment(ctx: ServiceContext, input: { id: number }) {
  requireActor(ctx)
  const row = await findEmployment(ctx.db, input.id)
  if (!row) throw notFound()
  await withTransaction(ctx.db, async (trx) => {
    await deleteEmployment(trx, row.id)
    await appendAudit(trx, ctx, {
      action: 'accreditation.employment_remove',
      outcome: 'ok',
      entityType: 'account_employment',
      entityId: row.id,
      schoolId: row.school_id,
    })
  })
  return { removed: true }
}
