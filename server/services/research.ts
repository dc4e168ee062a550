import { createHash, randomBytes } from 'node:crypto'
import type { ResearchExportTable, ResearchProjectTable } from '../../db/schema'
import type { Selectable } from 'kysely'
import type { AppErrorCode } from '../../shared/errors'
import {
  DOWNLOAD_DAYS,
  nextExportState,
  projectState,
  RESEARCH_DATASETS,
  type ExportEvent,
  type ExportFile,
  type ResearchDataset,
} from '../../shared/research'
import type { ExportSpec, ProjectCreateInput, ProjectUpdateInput } from '../../shared/research-schemas'
import { ATTACHMENT_MAX_BYTES } from '../../shared/programme'
import { endOfShanghaiDay } from '../../shared/shanghai-time'
import { fromMilli, toMilli } from '../rules/noise'
import { safeFileName, sniffType } from '../rules/programme'
import {
  accountsWithRole,
  addMember,
  deleteFiles,
  exportIdsOfProject,
  filesOf,
  findExport,
  findProject,
  insertExport,
  insertFile,
  insertNoiseSpend,
  insertProject,
  listExports,
  listProjects,
  membersOf,
  projectsWithKeyEndedBy,
  removeMember,
  setProjectFields,
  spendEpsilon,
  updateExport,
  updateProject,
} from '../repositories/research'
import { appendAudit } from './audit'
import { accountRef, nowIso, requireActor, withTransaction, type ServiceContext } from './context'
import { decryptBytes, decryptText, encryptBytes, encryptText } from './crypto'
import { AppError, conflict, notFound } from './errors'
import { newGeneratedKey, newStorageKey } from './file-store'
import { buildAggregate, buildRecordExtract, exportFiles, type BuiltExport, type DisclosureReport } from './research-export'
import { today } from './school-scope'

type ProjectRow = Selectable<ResearchProjectTable>
type ExportRow = Selectable<ResearchExportTable>

const keyPurpose = (projectId: number) => `research.project_key:${projectId}`
const filePurpose = (storageKey: string) => `research.file:${storageKey}`
const SAMPLE_ROWS = 20
const refuse = (code: 'FORBIDDEN' | 'BAD_REQUEST', appCode: AppErrorCode) => new AppError(code, appCode)

function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T
  } catch {
    return fallback
  }
}

const datasetsOf = (p: ProjectRow) => parseJson<ResearchDataset[]>(p.datasets, [])
const stateOf = (ctx: ServiceContext, p: ProjectRow) =>
  projectState({ startsOn: p.starts_on, endsOn: p.ends_on, closedAt: p.closed_at }, today(ctx))

function projectView(ctx: ServiceContext, p: ProjectRow) {
  return {
    id: p.id,
    title: p.title,
    institution: p.institution,
    purpose: p.purpose,
    datasets: datasetsOf(p),
    startsOn: p.starts_on,
    endsOn: p.ends_on,
    approverId: p.approver_id,
    ethics: p.ethics_storage_key ? { fileName: p.ethics_file_name ?? '', sizeBytes: p.ethics_size_bytes ?? 0 } : null,
    keyDestroyedAt: p.key_destroyed_at,
    closedAt: p.closed_at,
    epsilonBudget: fromMilli(p.epsilon_budget_milli),
    epsilonSpent: fromMilli(p.epsilon_spent_milli),
    state: stateOf(ctx, p),
    version: p.version,
  }
}

/** An export as its screens show it: the researcher sees no values before approval, only the disclosure report. */
function exportView(ctx: ServiceContext, e: ExportRow & { requested_by_name?: string }, files: { export_id: number; name: string }[]) {
  const expired = e.status === 'approved' && e.expires_at != null && e.expires_at < nowIso(ctx)
  return {
    id: e.id,
    projectId: e.project_id,
    dataset: e.dataset as ResearchDataset,
    form: e.form,
    spec: parseJson<ExportSpec | null>(e.spec, null),
    status: e.status,
    report: parseJson<DisclosureReport | null>(e.report, null),
    requestedAt: e.requested_at,
    requestedBy: e.requested_by_name ?? null,
    decidedAt: e.decided_at,
    note: e.note,
    expiresAt: e.expires_at,
    epsilon: e.epsilon_milli == null ? null : fromMilli(e.epsilon_milli),
    expired,
    files: e.status === 'approved' && !expired ? files.filter((f) => f.export_id === e.id).map((f) => f.name as ExportFile) : [],
    version: e.version,
  }
}

// ── project end: the key goes, and the generated files with it ───────────────────────────────────

/**
 * Destroys the pseudonym key of every project that has ended or was closed, and deletes the stored
 * files of its exports and of expired downloads: after that no extract of the project can be made
 * again, and none can be downloaded. Runs when the bureau opens its list, when a project is
 * closed, and hourly on the server.
 */
export async function settleEndedProjects(ctx: ServiceContext): Promise<number> {
  const ended = await projectsWithKeyEndedBy(ctx.db, today(ctx))
  for (const { id } of ended) {
    const keys = await withTransaction(ctx.db, async (trx) => {
      const exportIds = (await exportIdsOfProject(trx, id)).map((r) => r.id)
      const files = await filesOf(trx, exportIds)
      await deleteFiles(trx, exportIds)
      await setProjectFields(trx, id, { key_enc: null, key_destroyed_at: nowIso(ctx) })
      await appendAudit(trx, ctx, {
        action: 'research.key_destroy',
        outcome: 'ok',
        entityType: 'research_project',
        entityId: id,
        detail: `files:${files.length}`,
      })
      return files.map((f) => f.storage_key)
    })
    for (const key of keys) await ctx.files.remove(key)
  }
  return ended.length
}

// ── the bureau: projects ─────────────────────────────────────────────────────────────────────

export async function researchAccounts(ctx: ServiceContext) {
  const rows = await accountsWithRole(ctx.db, ['bureau', 'researcher'])
  const pick = (role: string) =>
    rows.filter((r) => r.role === role).map((r) => ({ id: r.id, username: r.username, displayName: r.display_name }))
  return { approvers: pick('bureau'), researchers: pick('researcher') }
}

export async function bureauProjects(ctx: ServiceContext) {
  await settleEndedProjects(ctx)
  const rows = await listProjects(ctx.db, null)
  const members = await membersOf(
    ctx.db,
    rows.map((r) => r.id),
  )
  const exports = await listExports(ctx.db, 'all')
  return rows.map((p) => ({
    ...projectView(ctx, p),
    researchers: members.filter((m) => m.project_id === p.id).map((m) => ({ id: m.id, username: m.username, displayName: m.display_name })),
    waiting: exports.filter((e) => e.project_id === p.id && e.status === 'requested').length,
  }))
}

async function checkPeople(ctx: ServiceContext, approverId: number, researcherIds: readonly number[]) {
  const approver = await accountsWithRole(ctx.db, ['bureau'], [approverId])
  if (!approver.length) throw refuse('BAD_REQUEST', 'research.notBureau')
  const unique = [...new Set(researcherIds)]
  if ((await accountsWithRole(ctx.db, ['researcher'], unique)).length !== unique.length)
    throw refuse('BAD_REQUEST', 'research.notResearcher')
  return unique
}

export async function createProject(ctx: ServiceContext, input: ProjectCreateInput) {
  const actor = requireActor(ctx)
  const researchers = await checkPeople(ctx, input.approverId, input.researcherIds)
  const at = nowIso(ctx)
  return withTransaction(ctx.db, async (trx) => {
    const id = await insertProject(trx, {
      title: input.title,
      institution: input.institution,
      purpose: input.purpose,
      datasets: JSON.stringify([...new Set(input.datasets)]),
      starts_on: input.startsOn,
      ends_on: input.endsOn,
      approver_id: input.approverId,
      epsilon_budget_milli: toMilli(input.epsilonBudget ?? 0),
      created_by: accountRef(actor),
      created_at: at,
      updated_at: at,
      version: 1,
    })
    // The key is bound to its project: a key copied onto another project's row fails to decrypt.
    await setProjectFields(trx, id, { key_enc: encryptText(ctx.keys, keyPurpose(id), randomBytes(32).toString('hex')) })
    await appendAudit(trx, ctx, { action: 'research.project_create', outcome: 'ok', entityType: 'research_project', entityId: id })
    for (const accountId of researchers) {
      await addMember(trx, id, accountId, accountRef(actor), at)
      await appendAudit(trx, ctx, {
        action: 'research.member_add',
        outcome: 'ok',
        entityType: 'research_project',
        entityId: id,
        detail: `account:${accountId}`,
      })
    }
    return { id }
  })
}

async function bureauProject(ctx: ServiceContext, id: number) {
  const p = await findProject(ctx.db, id, null)
  if (!p) throw notFound()
  return p
}

export async function editProject(ctx: ServiceContext, input: ProjectUpdateInput) {
  const actor = requireActor(ctx)
  const p = await bureauProject(ctx, input.id)
  if (stateOf(ctx, p) === 'ended') throw refuse('FORBIDDEN', 'research.notActive')
  const researchers = await checkPeople(ctx, input.approverId, input.researcherIds)
  const budget = input.epsilonBudget === undefined ? undefined : toMilli(input.epsilonBudget)
  const belowSpent = (spent: number) => new AppError('BAD_REQUEST', 'research.budgetBelowSpent', { spent: fromMilli(spent) })
  if (budget !== undefined && budget < p.epsilon_spent_milli) throw belowSpent(p.epsilon_spent_milli)
  const at = nowIso(ctx)
  await withTransaction(ctx.db, async (trx) => {
    const ok = await updateProject(trx, p.id, input.version, {
      ...(budget === undefined ? {} : { epsilon_budget_milli: budget }),
      title: input.title,
      institution: input.institution,
      purpose: input.purpose,
      datasets: JSON.stringify([...new Set(input.datasets)]),
      starts_on: input.startsOn,
      ends_on: input.endsOn,
      approver_id: input.approverId,
      updated_at: at,
    })
    if (!ok) throw conflict()
    // An approval that spent ε between the check above and this update still cannot leave the budget below the spend.
    const now = await findProject(trx, p.id, null)
    if (now && now.epsilon_budget_milli < now.epsilon_spent_milli) throw belowSpent(now.epsilon_spent_milli)
    await appendAudit(trx, ctx, { action: 'research.project_update', outcome: 'ok', entityType: 'research_project', entityId: p.id })
    const current = (await membersOf(trx, [p.id])).map((m) => m.id)
    for (const accountId of researchers.filter((r) => !current.includes(r))) {
      await addMember(trx, p.id, accountId, accountRef(actor), at)
      await appendAudit(trx, ctx, {
        action: 'research.member_add',
        outcome: 'ok',
        entityType: 'research_project',
        entityId: p.id,
        detail: `account:${accountId}`,
      })
    }
    for (const accountId of current.filter((c) => !researchers.includes(c))) {
      await removeMember(trx, p.id, accountId)
      await appendAudit(trx, ctx, {
        action: 'research.member_remove',
        outcome: 'ok',
        entityType: 'research_project',
        entityId: p.id,
        detail: `account:${accountId}`,
      })
    }
  })
  return { id: p.id }
}

/** Ends a project now: access stops, the key is destroyed, generated files are deleted. */
export async function closeProject(ctx: ServiceContext, input: { id: number; version: number }) {
  const p = await bureauProject(ctx, input.id)
  if (p.closed_at) throw refuse('FORBIDDEN', 'research.notActive')
  await withTransaction(ctx.db, async (trx) => {
    if (!(await updateProject(trx, p.id, input.version, { closed_at: nowIso(ctx), updated_at: nowIso(ctx) }))) throw conflict()
    await appendAudit(trx, ctx, { action: 'research.project_close', outcome: 'ok', entityType: 'research_project', entityId: p.id })
  })
  await settleEndedProjects(ctx)
  return { id: p.id }
}

/** The ethics approval (PDF or a scan): checked by its bytes, stored encrypted under a random name, replacing an earlier one. */
export async function uploadEthics(ctx: ServiceContext, input: { projectId: number; fileName: string; bytes: Uint8Array }) {
  const p = await bureauProject(ctx, input.projectId)
  if (stateOf(ctx, p) === 'ended') throw refuse('FORBIDDEN', 'research.notActive')
  const type = sniffType(input.bytes.subarray(0, 16))
  if (!(input.bytes.length > 0)) throw refuse('BAD_REQUEST', 'attachment.empty')
  if (input.bytes.length > ATTACHMENT_MAX_BYTES) throw refuse('BAD_REQUEST', 'attachment.tooLarge')
  if (!type) throw refuse('BAD_REQUEST', 'attachment.unsupportedType')
  const key = newStorageKey(type)
  await ctx.files.put(key, encryptBytes(ctx.keys, filePurpose(key), input.bytes))
  try {
    await withTransaction(ctx.db, async (trx) => {
      if (
        !(await updateProject(trx, p.id, p.version, {
          ethics_file_name: safeFileName(input.fileName),
          ethics_mime_type: type,
          ethics_size_bytes: input.bytes.length,
          ethics_sha256: createHash('sha256').update(input.bytes).digest('hex'),
          ethics_storage_key: key,
          updated_at: nowIso(ctx),
        }))
      )
        throw conflict()
      await appendAudit(trx, ctx, {
        action: 'research.ethics_upload',
        outcome: 'ok',
        entityType: 'research_project',
        entityId: p.id,
        detail: `${type},bytes:${input.bytes.length}`,
      })
    })
  } catch (err) {
    await ctx.files.remove(key)
    throw err
  }
  if (p.ethics_storage_key) await ctx.files.remove(p.ethics_storage_key)
  return { id: p.id, mimeType: type, sizeBytes: input.bytes.length }
}

export async function openEthics(ctx: ServiceContext, projectId: number) {
  const p = await bureauProject(ctx, projectId)
  if (!p.ethics_storage_key) throw notFound()
  const stored = await ctx.files.get(p.ethics_storage_key).catch(() => {
    throw notFound()
  })
  const bytes = decryptBytes(ctx.keys, filePurpose(p.ethics_storage_key), stored)
  await appendAudit(ctx.db, ctx, { action: 'research.ethics_read', outcome: 'ok', entityType: 'research_project', entityId: p.id })
  return { fileName: p.ethics_file_name ?? 'ethics', mimeType: p.ethics_mime_type ?? 'application/octet-stream', bytes }
}

// ── the researcher ──────────────────────────────────────────────────────────────────────────

/**
 * A project the acting researcher belongs to, and whose period covers today (the service clock):
 * someone else's project is NOT_FOUND, exactly as a missing one; an ended or not yet started one is refused.
 */
async function researcherProject(ctx: ServiceContext, projectId: number): Promise<ProjectRow> {
  const actor = requireActor(ctx)
  const p = await findProject(ctx.db, projectId, actor.accountId)
  if (!p) throw notFound()
  if (stateOf(ctx, p) !== 'active') throw refuse('FORBIDDEN', 'research.notActive')
  return p
}

export async function myProjects(ctx: ServiceContext) {
  const actor = requireActor(ctx)
  const rows = await listProjects(ctx.db, actor.accountId)
  const exports = await listExports(
    ctx.db,
    rows.map((r) => r.id),
  )
  const files = await filesOf(
    ctx.db,
    exports.map((e) => e.id),
  )
  return rows.map((p) => {
    const view = projectView(ctx, p)
    const active = view.state === 'active'
    return {
      ...view,
      // The ethics file itself stays with the bureau; the researcher sees that it is on file.
      ethics: view.ethics ? { fileName: view.ethics.fileName, sizeBytes: view.ethics.sizeBytes } : null,
      exports: exports
        .filter((e) => e.project_id === p.id)
        .map((e) => {
          const v = exportView(ctx, e, files)
          return active ? v : { ...v, files: [] }
        }),
    }
  })
}

function checkSpec(p: ProjectRow, spec: ExportSpec) {
  if (!datasetsOf(p).includes(spec.dataset)) throw refuse('BAD_REQUEST', 'research.datasetNotAllowed')
  const def = RESEARCH_DATASETS[spec.dataset]
  if (!(def.forms as readonly string[]).includes(spec.form)) throw refuse('BAD_REQUEST', 'research.formNotAvailable')
  if (spec.form === 'aggregate') {
    if (spec.rows === spec.columns) throw refuse('BAD_REQUEST', 'research.sameDimension')
    if (!(def.rows as readonly string[]).includes(spec.rows) || !(def.columns as readonly string[]).includes(spec.columns))
      throw refuse('BAD_REQUEST', 'research.formNotAvailable')
  } else if (spec.attributes.some((a) => !(def.attributes as readonly string[]).includes(a))) {
    throw refuse('BAD_REQUEST', 'research.formNotAvailable')
  }
  if (!p.ethics_storage_key) throw refuse('FORBIDDEN', 'research.ethicsMissing')
  checkBudget(p, spec)
}

/** The ε a spec asks for, in thousandths (0 without noise). */
const epsilonOf = (spec: ExportSpec) => (spec.form === 'aggregate' && spec.epsilon ? toMilli(spec.epsilon) : 0)

function budgetExceeded(p: ProjectRow, milli: number) {
  return new AppError('FORBIDDEN', 'research.budgetExceeded', {
    spent: fromMilli(p.epsilon_spent_milli),
    budget: fromMilli(p.epsilon_budget_milli),
    epsilon: fromMilli(milli),
  })
}

/** A noisy release must fit in what is left of the project's ε budget (checked again, atomically, on approval). */
function checkBudget(p: ProjectRow, spec: ExportSpec) {
  const milli = epsilonOf(spec)
  if (milli > 0 && p.epsilon_spent_milli + milli > p.epsilon_budget_milli) throw budgetExceeded(p, milli)
}

function projectKey(ctx: ServiceContext, p: ProjectRow): Buffer {
  if (!p.key_enc) throw refuse('FORBIDDEN', 'research.keyDestroyed')
  return Buffer.from(decryptText(ctx.keys, keyPurpose(p.id), p.key_enc), 'hex')
}

/**
 * Two aggregate tables of one dataset over overlapping but different periods would give the difference
 * of the periods by subtraction (cases in January–June minus January–May = June's). A project's tables
 * of one dataset cover the same period or periods that do not meet.
 */
async function checkPeriodAgainstEarlier(ctx: ServiceContext, p: ProjectRow, spec: ExportSpec, except: number | null = null) {
  if (spec.form !== 'aggregate') return
  for (const e of await listExports(ctx.db, [p.id])) {
    if (e.id === except || e.status === 'withdrawn' || e.dataset !== spec.dataset || e.form !== 'aggregate') continue
    const earlier = JSON.parse(e.spec) as { periodFrom: string; periodTo: string }
    const same = earlier.periodFrom === spec.periodFrom && earlier.periodTo === spec.periodTo
    const meet = earlier.periodFrom <= spec.periodTo && spec.periodFrom <= earlier.periodTo
    if (meet && !same) throw new AppError('BAD_REQUEST', 'research.periodOverlap', { from: earlier.periodFrom, to: earlier.periodTo })
  }
}

/** `withKey`: the files are generated now (pseudonyms, and the aggregate's release recorded in the ledger). */
async function build(ctx: ServiceContext, p: ProjectRow, spec: ExportSpec, withKey: boolean): Promise<BuiltExport> {
  if (spec.form === 'aggregate') return buildAggregate(ctx, spec, RESEARCH_DATASETS[spec.dataset].nonAdditive, withKey)
  return buildRecordExtract(ctx.db, spec, withKey ? projectKey(ctx, p) : null)
}

const specDetail = (spec: ExportSpec) => `dataset:${spec.dataset},form:${spec.form}`

/** What an export would release and how it is protected: the disclosure report, no values. */
export async function previewExport(ctx: ServiceContext, spec: ExportSpec) {
  const p = await researcherProject(ctx, spec.projectId)
  checkSpec(p, spec)
  await checkPeriodAgainstEarlier(ctx, p, spec)
  const built = await build(ctx, p, spec, false)
  await appendAudit(ctx.db, ctx, {
    action: 'research.export_preview',
    outcome: 'ok',
    entityType: 'research_project',
    entityId: p.id,
    detail: specDetail(spec),
  })
  return built.report
}

/** Writes the generated files encrypted under random names; returns their rows (the caller inserts them). */
async function storeGenerated(ctx: ServiceContext, built: BuiltExport) {
  const files = await exportFiles(ctx.db, built)
  const stored: { name: string; mime_type: string; size_bytes: number; sha256: string; storage_key: string }[] = []
  for (const f of files) {
    const key = newGeneratedKey(f.name.endsWith('.xlsx') ? 'xlsx' : 'csv')
    await ctx.files.put(key, encryptBytes(ctx.keys, filePurpose(key), f.bytes))
    stored.push({
      name: f.name,
      mime_type: f.mimeType,
      size_bytes: f.bytes.length,
      sha256: createHash('sha256').update(f.bytes).digest('hex'),
      storage_key: key,
    })
  }
  return stored
}

async function removeAll(ctx: ServiceContext, keys: readonly string[]) {
  for (const key of keys) await ctx.files.remove(key)
}

const sampleOf = (built: BuiltExport) => JSON.stringify({ headers: built.headers, rows: built.rows.slice(0, SAMPLE_ROWS) })

/** A request: the files are generated now, so the bureau approves exactly what will be downloaded. */
export async function requestExport(ctx: ServiceContext, spec: ExportSpec) {
  const actor = requireActor(ctx)
  const p = await researcherProject(ctx, spec.projectId)
  checkSpec(p, spec)
  await checkPeriodAgainstEarlier(ctx, p, spec)
  const built = await build(ctx, p, spec, true)
  const stored = await storeGenerated(ctx, built)
  try {
    return await withTransaction(ctx.db, async (trx) => {
      const id = await insertExport(trx, {
        project_id: p.id,
        dataset: spec.dataset,
        form: spec.form,
        spec: JSON.stringify(spec),
        status: 'requested',
        report: JSON.stringify(built.report),
        sample: sampleOf(built),
        requested_by: actor.accountId,
        requested_at: nowIso(ctx),
        epsilon_milli: epsilonOf(spec) || null,
        version: 1,
      })
      for (const f of stored) await insertFile(trx, { ...f, export_id: id })
      await appendAudit(trx, ctx, {
        action: 'research.export_request',
        outcome: 'ok',
        entityType: 'research_export',
        entityId: id,
        detail: specDetail(spec),
      })
      return { id }
    })
  } catch (err) {
    await removeAll(
      ctx,
      stored.map((s) => s.storage_key),
    )
    throw err
  }
}

async function researcherExport(ctx: ServiceContext, id: number) {
  const e = await findExport(ctx.db, id)
  if (!e) throw notFound()
  const p = await researcherProject(ctx, e.project_id)
  return { e, p }
}

function step(e: ExportRow, event: ExportEvent, by: 'bureau' | 'researcher') {
  const to = nextExportState(e.status, event, by)
  if (!to) throw new AppError('CONFLICT', 'research.transition', { from: e.status, event })
  return to
}

/** A returned request, changed as the bureau's note asked, goes back to the bureau with fresh files. */
export async function resubmitExport(ctx: ServiceContext, input: { id: number; version: number; spec: ExportSpec }) {
  const { e, p } = await researcherExport(ctx, input.id)
  const to = step(e, 'resubmit', 'researcher')
  if (input.spec.projectId !== p.id) throw notFound()
  checkSpec(p, input.spec)
  await checkPeriodAgainstEarlier(ctx, p, input.spec, e.id)
  const built = await build(ctx, p, input.spec, true)
  const stored = await storeGenerated(ctx, built)
  const old = await filesOf(ctx.db, [e.id])
  try {
    await withTransaction(ctx.db, async (trx) => {
      const ok = await updateExport(trx, e.id, input.version, {
        status: to,
        dataset: input.spec.dataset,
        form: input.spec.form,
        spec: JSON.stringify(input.spec),
        report: JSON.stringify(built.report),
        sample: sampleOf(built),
        epsilon_milli: epsilonOf(input.spec) || null,
        requested_at: nowIso(ctx),
        requested_by: requireActor(ctx).accountId,
      })
      if (!ok) throw conflict()
      await deleteFiles(trx, [e.id])
      for (const f of stored) await insertFile(trx, { ...f, export_id: e.id })
      await appendAudit(trx, ctx, {
        action: 'research.export_resubmit',
        outcome: 'ok',
        entityType: 'research_export',
        entityId: e.id,
        detail: specDetail(input.spec),
      })
    })
  } catch (err) {
    await removeAll(
      ctx,
      stored.map((s) => s.storage_key),
    )
    throw err
  }
  await removeAll(
    ctx,
    old.map((f) => f.storage_key),
  )
  return { id: e.id }
}

export async function withdrawExport(ctx: ServiceContext, input: { id: number; version: number }) {
  const { e } = await researcherExport(ctx, input.id)
  const to = step(e, 'withdraw', 'researcher')
  const old = await filesOf(ctx.db, [e.id])
  await withTransaction(ctx.db, async (trx) => {
    if (!(await updateExport(trx, e.id, input.version, { status: to }))) throw conflict()
    await deleteFiles(trx, [e.id])
    await appendAudit(trx, ctx, { action: 'research.export_withdraw', outcome: 'ok', entityType: 'research_export', entityId: e.id })
  })
  await removeAll(
    ctx,
    old.map((f) => f.storage_key),
  )
  return { id: e.id }
}

/** One file of an approved, unexpired export of the researcher's own, active project. Every download is audited. */
export async function downloadExport(ctx: ServiceContext, input: { id: number; file: ExportFile }) {
  const { e, p } = await researcherExport(ctx, input.id)
  if (e.status !== 'approved') throw new AppError('CONFLICT', 'research.transition', { from: e.status, event: 'download' })
  if (e.expires_at == null || e.expires_at < nowIso(ctx)) throw refuse('FORBIDDEN', 'research.exportExpired')
  const file = (await filesOf(ctx.db, [e.id])).find((f) => f.name === input.file)
  if (!file) throw notFound()
  const stored = await ctx.files.get(file.storage_key).catch(() => {
    throw notFound()
  })
  const bytes = decryptBytes(ctx.keys, filePurpose(file.storage_key), stored)
  await appendAudit(ctx.db, ctx, {
    action: 'research.export_download',
    outcome: 'ok',
    entityType: 'research_export',
    entityId: e.id,
    detail: `file:${file.name},sha256:${file.sha256.slice(0, 16)}`,
  })
  return { fileName: `research-${p.id}-${e.id}-${file.name}`, mimeType: file.mime_type, contentBase64: bytes.toString('base64') }
}

// ── the bureau: review and decide ─────────────────────────────────────────────────────────────

export async function reviewQueue(ctx: ServiceContext) {
  const exports = await listExports(ctx.db, 'all')
  const projects = await listProjects(ctx.db, null)
  const title = new Map(projects.map((p) => [p.id, p]))
  return exports.map((e) => {
    const v = exportView(ctx, e, [])
    const p = title.get(e.project_id)
    return { ...v, projectTitle: p?.title ?? '', approverId: p?.approver_id ?? null }
  })
}

/** The approver's view of one request: the disclosure report and the first rows of exactly what would be released. */
export async function exportReview(ctx: ServiceContext, id: number) {
  const e = await findExport(ctx.db, id)
  if (!e) throw notFound()
  const p = await bureauProject(ctx, e.project_id)
  await appendAudit(ctx.db, ctx, { action: 'research.export_review', outcome: 'ok', entityType: 'research_export', entityId: e.id })
  const requester = (await membersOf(ctx.db, [p.id])).find((m) => m.id === e.requested_by)
  return {
    ...exportView(ctx, { ...e, requested_by_name: requester?.display_name }, []),
    project: projectView(ctx, p),
    sample: parseJson<{ headers: string[]; rows: (string | number)[][] }>(e.sample, { headers: [], rows: [] }),
    canDecide: e.status === 'requested' && p.approver_id === requireActor(ctx).accountId && stateOf(ctx, p) === 'active',
  }
}

/** Approve (the files become downloadable until the expiry) or return with a note. Only the project's approver decides. */
export async function decideExport(
  ctx: ServiceContext,
  input: { id: number; version: number; decision: 'approve' | 'return'; note: string },
) {
  const actor = requireActor(ctx)
  const e = await findExport(ctx.db, input.id)
  if (!e) throw notFound()
  const p = await bureauProject(ctx, e.project_id)
  if (p.approver_id !== actor.accountId) throw refuse('FORBIDDEN', 'research.notApprover')
  if (stateOf(ctx, p) !== 'active') throw refuse('FORBIDDEN', 'research.notActive')
  const to = step(e, input.decision, 'bureau')
  const at = nowIso(ctx)
  const lastDay = endOfShanghaiDay(new Date(`${p.ends_on}T12:00:00+08:00`)).toISOString()
  const inDays = new Date(ctx.now().getTime() + DOWNLOAD_DAYS * 86_400_000).toISOString()
  const expiresAt = to === 'approved' ? (inDays < lastDay ? inDays : lastDay) : null
  if (to === 'approved') {
    const files = await filesOf(ctx.db, [e.id])
    const manifest = Buffer.from(
      JSON.stringify(
        {
          project: { id: p.id, title: p.title, institution: p.institution, period: { from: p.starts_on, to: p.ends_on } },
          export: { id: e.id, spec: parseJson(e.spec, null) },
          requestedAt: e.requested_at,
          approvedAt: at,
          approvedBy: actor.displayName,
          expiresAt,
          files: files.map((f) => ({ name: f.name, bytes: f.size_bytes, sha256: f.sha256 })),
        },
        null,
        2,
      ) + '\n',
      'utf8',
    )
    const key = newGeneratedKey('json')
    await ctx.files.put(key, encryptBytes(ctx.keys, filePurpose(key), manifest))
    try {
      await withTransaction(ctx.db, async (trx) => {
        if (
          !(await updateExport(trx, e.id, input.version, {
            status: to,
            decided_by: actor.accountId,
            decided_at: at,
            note: input.note || null,
            expires_at: expiresAt,
          }))
        )
          throw conflict()
        // A noisy release spends its ε now, within the budget or not at all.
        if (e.epsilon_milli) {
          if (!(await spendEpsilon(trx, p.id, e.epsilon_milli))) {
            const current = (await findProject(trx, p.id, null)) ?? p
            throw budgetExceeded(current, e.epsilon_milli)
          }
          await insertNoiseSpend(trx, {
            project_id: p.id,
            export_id: e.id,
            epsilon_milli: e.epsilon_milli,
            spent_by: actor.accountId,
            spent_at: at,
          })
        }
        await insertFile(trx, {
          export_id: e.id,
          name: 'manifest.json',
          mime_type: 'application/json',
          size_bytes: manifest.length,
          sha256: createHash('sha256').update(manifest).digest('hex'),
          storage_key: key,
        })
        await appendAudit(trx, ctx, { action: 'research.export_approve', outcome: 'ok', entityType: 'research_export', entityId: e.id })
      })
    } catch (err) {
      await ctx.files.remove(key)
      throw err
    }
    return { id: e.id, status: to }
  }
  await withTransaction(ctx.db, async (trx) => {
    if (!(await updateExport(trx, e.id, input.version, { status: to, decided_by: actor.accountId, decided_at: at, note: input.note })))
      throw conflict()
    await appendAudit(trx, ctx, { action: 'research.export_return', outcome: 'ok', entityType: 'research_export', entityId: e.id })
  })
  return { id: e.id, status: to }
}
