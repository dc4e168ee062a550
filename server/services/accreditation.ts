import { createHash } from 'node:crypto'
import { z } from 'zod'
import {
  canTransition,
  SCHOOL_EDITABLE,
  treePoints,
  treeSchema,
  type SelfSaveInput,
  type Stage,
  type Tree,
} from '../../shared/accreditation'
import { DEFAULT_TREE } from '../../shared/accreditation-tree'
import { ATTACHMENTS_PER_EVENT } from '../../shared/programme'
import type { AppErrorCode } from '../../shared/errors'
import {
  countEvidence,
  deleteEvidence,
  evidenceOf,
  findApplication,
  findEvidence,
  findVersion,
  insertApplication,
  insertEvidence,
  insertVersion,
  latestPublished,
  listApplications,
  listVersions,
  openApplicationOf,
  schoolAdminsOf,
  updateApplication,
  updateDraftVersion,
  type ApplicationAccess,
} from '../repositories/accreditation'
import { attachmentDownloadName, attachmentProblem, safeFileName, sniffType } from '../rules/programme'
import { appendAudit } from './audit'
import { accountRef, nowIso, requireActor, withTransaction, type Actor, type ServiceContext } from './context'
import { decryptBytes, decryptOptional, decryptText, encryptBytes, encryptText } from './crypto'
import { AppError, notFound } from './errors'
import { EXTENSION, newStorageKey } from './file-store'
import { deliver } from './inbox'
import { liveSystemEvidence, storedEvidenceSchema, type StoredEvidence } from './accreditation-evidence'
import { parseStored } from './stored-json'

// ── access ───────────────────────────────────────────────────────────────────────────────────

export function accessOf(actor: Actor): ApplicationAccess {
  if (actor.role === 'expert') return { kind: 'expert', expertId: actor.accountId }
  if (actor.role === 'bureau' || actor.accountId === 0) return { kind: 'scope', scope: { kind: 'all' } }
  if (actor.role === 'school_admin') return { kind: 'scope', scope: actor.scope }
  return { kind: 'scope', scope: { kind: 'none' } }
}

/** An application the actor may see; anything else is NOT_FOUND, exactly as a missing id. */
export async function visibleApplication(ctx: ServiceContext, id: number) {
  const row = await findApplication(ctx.db, accessOf(requireActor(ctx)), id)
  if (!row) throw notFound()
  return row
}
export type ApplicationRow = Awaited<ReturnType<typeof visibleApplication>>

export function transitionOrRefuse(from: Stage, to: Stage): void {
  if (!canTransition(from, to)) throw new AppError('CONFLICT', 'accreditation.transition', { from, to })
}

const scoreMapSchema = z.record(z.string(), z.number().nullable())
const commentMapSchema = z.record(z.string(), z.string())

export function parseScores(stored: string | null | undefined): Record<string, number | null> {
  return parseStored(scoreMapSchema, stored, {}, 'accreditation.scores')
}

export function decryptComments(ctx: ServiceContext, purpose: string, stored: string | null): Record<string, string> {
  const plain = decryptOptional(ctx.keys, purpose, stored)
  return plain == null ? {} : parseStored(commentMapSchema, plain, {}, 'accreditation.comments')
}

export const selfPurpose = (appId: number) => `accreditation.self:${appId}`
export const returnPurpose = (appId: number) => `accreditation.return:${appId}`
export const visitPurpose = (appId: number) => `accreditation.visit:${appId}`
export const decisionPurpose = (appId: number) => `accreditation.decision:${appId}`
const evidencePurpose = (key: string) => `accreditation.evidence:${key}`
const evidenceNamePurpose = (key: string) => `accreditation.evidence.name:${key}`

export async function treeOfVersion(ctx: ServiceContext, versionId: number): Promise<{ versionNo: number; tree: Tree }> {
  const v = await findVersion(ctx.db, versionId)
  if (!v) throw notFound()
  return { versionNo: v.version_no, tree: parseStored(treeSchema, v.tree, DEFAULT_TREE, 'accreditation_version.tree') }
}

export function storedEvidence(row: { system_evidence: string | null }): StoredEvidence | null {
  if (!row.system_evidence) return null
  return parseStored(storedEvidenceSchema.nullable(), row.system_evidence, null, 'accreditation_application.system_evidence')
}

// ── indicator tree versions (bureau) ─────────────────────────────────────────────────────────

export async function versionsService(ctx: ServiceContext) {
  requireActor(ctx)
  const rows = await listVersions(ctx.db)
  return rows.map((v) => ({
    id: v.id,
    versionNo: v.version_no,
    status: v.status,
    publishedAt: v.published_at,
    createdAt: v.created_at,
    tree: parseStored(treeSchema, v.tree, DEFAULT_TREE, 'accreditation_version.tree'),
  }))
}

/** A new draft copied from the newest version (or the default tree); an existing draft is returned as is. */
export async function createDraftVersion(ctx: ServiceContext, input: { tree?: Tree } = {}) {
  const actor = requireActor(ctx)
  return withTransaction(ctx.db, async (trx) => {
    const all = await listVersions(trx)
    const draft = all.find((v) => v.status === 'draft')
    if (draft) return { id: draft.id, versionNo: draft.version_no }
    const tree = input.tree ?? (all[0] ? parseStored(treeSchema, all[0].tree, DEFAULT_TREE, 'accreditation_version.tree') : DEFAULT_TREE)
    const versionNo = (all[0]?.version_no ?? 0) + 1
    const id = await insertVersion(trx, {
      version_no: versionNo,
      status: 'draft',
      tree: JSON.stringify(treeSchema.parse(tree)),
      created_by: accountRef(actor),
      created_at: nowIso(ctx),
      published_at: null,
    })
    await appendAudit(trx, ctx, {
      action: 'accreditation.version_create',
      outcome: 'ok',
      entityType: 'accreditation_version',
      entityId: id,
    })
    return { id, versionNo }
  })
}

export async function updateDraft(ctx: ServiceContext, input: { versionId: number; tree: Tree }) {
  requireActor(ctx)
  const v = await findVersion(ctx.db, input.versionId)
  if (!v) throw notFound()
  if (v.status !== 'draft') throw new AppError('CONFLICT', 'accreditation.versionFrozen')
  await withTransaction(ctx.db, async (trx) => {
    if (!(await updateDraftVersion(trx, v.id, { tree: JSON.stringify(input.tree) })))
      throw new AppError('CONFLICT', 'accreditation.versionFrozen')
    await appendAudit(trx, ctx, {
      action: 'accreditation.version_update',
      outcome: 'ok',
      entityType: 'accreditation_version',
      entityId: v.id,
    })
  })
  return { id: v.id }
}

/** Publishing freezes the version: applications opened from now on are scored against it. */
export async function publishVersion(ctx: ServiceContext, input: { versionId: number }) {
  requireActor(ctx)
  const v = await findVersion(ctx.db, input.versionId)
  if (!v) throw notFound()
  if (v.status !== 'draft') throw new AppError('CONFLICT', 'accreditation.versionFrozen')
  await withTransaction(ctx.db, async (trx) => {
    if (!(await updateDraftVersion(trx, v.id, { status: 'published', published_at: nowIso(ctx) })))
      throw new AppError('CONFLICT', 'accreditation.versionFrozen')
    await appendAudit(trx, ctx, {
      action: 'accreditation.version_publish',
      outcome: 'ok',
      entityType: 'accreditation_version',
      entityId: v.id,
    })
  })
  return { id: v.id }
}

// ── the school's application ─────────────────────────────────────────────────────────────────

function ownSchool(actor: Actor): number {
  if (actor.scope.kind !== 'school') throw new AppError('FORBIDDEN', 'forbidden')
  return actor.scope.schoolId
}

/** The school opens an application against the newest published tree; one undecided application at a time. */
export async function openApplication(ctx: ServiceContext) {
  const actor = requireActor(ctx)
  const schoolId = ownSchool(actor)
  return withTransaction(ctx.db, async (trx) => {
    if (await openApplicationOf(trx, schoolId)) throw new AppError('CONFLICT', 'accreditation.openExists')
    const version = await latestPublished(trx)
    if (!version) throw new AppError('CONFLICT', 'accreditation.noPublishedVersion')
    const at = nowIso(ctx)
    const id = await insertApplication(trx, {
      school_id: schoolId,
      version_id: version.id,
      stage: 'draft',
      self_scores: '{}',
      self_comments_enc: null,
      system_evidence: null,
      created_by: accountRef(actor),
      created_at: at,
      updated_at: at,
      version: 1,
    })
    await appendAudit(trx, ctx, {
      action: 'accreditation.application_open',
      outcome: 'ok',
      entityType: 'accreditation_application',
      entityId: id,
      schoolId,
    })
    return { id }
  })
}

async function editableOwn(ctx: ServiceContext, applicationId: number) {
  const actor = requireActor(ctx)
  const schoolId = ownSchool(actor)
  const row = await visibleApplication(ctx, applicationId)
  if (row.school_id !== schoolId) throw notFound()
  if (!SCHOOL_EDITABLE.includes(row.stage)) throw new AppError('CONFLICT', 'accreditation.notEditable')
  return row
}

export async function saveSelfAssessment(ctx: ServiceContext, input: SelfSaveInput) {
  const row = await editableOwn(ctx, input.applicationId)
  const { tree } = await treeOfVersion(ctx, row.version_id)
  const points = new Map(treePoints(tree).map((p) => [p.code, p]))
  const scores = parseScores(row.self_scores)
  const comments = decryptComments(ctx, selfPurpose(row.id), row.self_comments_enc)
  for (const p of input.points) {
    const point = points.get(p.code)
    if (!point) throw new AppError('BAD_REQUEST', 'accreditation.unknownPoint', { code: p.code })
    if (p.score != null && p.score > point.maxScore) throw new AppError('BAD_REQUEST', 'validation')
    scores[p.code] = p.score
    comments[p.code] = p.comment
  }
  await withTransaction(ctx.db, async (trx) => {
    const ok = await updateApplication(
      trx,
      row.id,
      { stages: SCHOOL_EDITABLE, version: input.version },
      {
        self_scores: JSON.stringify(scores),
        self_comments_enc: encryptText(ctx.keys, selfPurpose(row.id), JSON.stringify(comments)),
        updated_at: nowIso(ctx),
      },
    )
    if (!ok) throw new AppError('CONFLICT', 'conflict')
    await appendAudit(trx, ctx, {
      action: 'accreditation.self_save',
      outcome: 'ok',
      entityType: 'accreditation_application',
      entityId: row.id,
      schoolId: row.school_id,
    })
  })
  return { version: input.version + 1 }
}

/** Submission locks the file: every point self-scored, and the platform's facts frozen as they stand now. */
export async function submitApplication(ctx: ServiceContext, input: { applicationId: number }) {
  const row = await editableOwn(ctx, input.applicationId)
  transitionOrRefuse(row.stage, 'submitted')
  const { tree } = await treeOfVersion(ctx, row.version_id)
  const scores = parseScores(row.self_scores)
  const missing = treePoints(tree).filter((p) => scores[p.code] == null)
  if (missing.length) throw new AppError('BAD_REQUEST', 'accreditation.incomplete', { n: missing.length })
  const evidence = await liveSystemEvidence(ctx, row.school_id)
  await withTransaction(ctx.db, async (trx) => {
    const ok = await updateApplication(
      trx,
      row.id,
      { stages: [row.stage] },
      { stage: 'submitted', submitted_at: nowIso(ctx), system_evidence: JSON.stringify(evidence), updated_at: nowIso(ctx) },
    )
    if (!ok) throw new AppError('CONFLICT', 'accreditation.transition', { from: row.stage, to: 'submitted' })
    await appendAudit(trx, ctx, {
      action: 'accreditation.submit',
      outcome: 'ok',
      entityType: 'accreditation_application',
      entityId: row.id,
      schoolId: row.school_id,
    })
  })
  return { stage: 'submitted' as const }
}

// ── the bureau's completeness check ──────────────────────────────────────────────────────────

async function bureauMove(
  ctx: ServiceContext,
  applicationId: number,
  to: Stage,
  extra: Parameters<typeof updateApplication>[3],
  audit: 'accreditation.return' | 'accreditation.accept',
) {
  const row = await visibleApplication(ctx, applicationId)
  transitionOrRefuse(row.stage, to)
  await withTransaction(ctx.db, async (trx) => {
    const ok = await updateApplication(trx, row.id, { stages: [row.stage] }, { ...extra, stage: to, updated_at: nowIso(ctx) })
    if (!ok) throw new AppError('CONFLICT', 'accreditation.transition', { from: row.stage, to })
    await appendAudit(trx, ctx, {
      action: audit,
      outcome: 'ok',
      entityType: 'accreditation_application',
      entityId: row.id,
      schoolId: row.school_id,
    })
    if (to === 'returned') {
      const admins = await schoolAdminsOf(trx, row.school_id)
      await deliver(
        ctx,
        trx,
        admins.map((a) => a.id),
        { kind: 'accreditation.returned', entityType: 'accreditation_application', entityId: row.id, schoolId: row.school_id },
      )
    }
  })
  return { stage: to }
}

/** Returned with reasons: the school edits again (its frozen system facts are dropped and taken afresh at the next submission). */
export function returnApplication(ctx: ServiceContext, input: { applicationId: number; reason: string }) {
  return bureauMove(
    ctx,
    input.applicationId,
    'returned',
    { returned_reason_enc: encryptText(ctx.keys, returnPurpose(input.applicationId), input.reason), system_evidence: null },
    'accreditation.return',
  )
}

export function acceptApplication(ctx: ServiceContext, input: { applicationId: number }) {
  return bureauMove(ctx, input.applicationId, 'accepted', { accepted_at: nowIso(ctx) }, 'accreditation.accept')
}

// ── lists ────────────────────────────────────────────────────────────────────────────────────

export async function applicationsService(ctx: ServiceContext) {
  const actor = requireActor(ctx)
  const rows = await listApplications(ctx.db, accessOf(actor))
  return rows.map((r) => ({
    id: r.id,
    stage: r.stage,
    schoolId: r.school_id,
    schoolName: r.school_name,
    schoolNameEn: r.school_name_en,
    versionId: r.version_id,
    submittedAt: r.submitted_at,
    decision: r.decision,
    decidedAt: r.decided_at,
    createdAt: r.created_at,
  }))
}

/** The school's page: its applications, whether a tree is published, and the platform's facts as they stand today. */
export async function mySchoolAccreditation(ctx: ServiceContext) {
  const actor = requireActor(ctx)
  const schoolId = ownSchool(actor)
  const [list, published, live] = await Promise.all([applicationsService(ctx), latestPublished(ctx.db), liveSystemEvidence(ctx, schoolId)])
  return { applications: list, publishedVersion: published?.version_no ?? null, live }
}

// ── evidence files ───────────────────────────────────────────────────────────────────────────

export async function evidenceList(ctx: ServiceContext, row: ApplicationRow) {
  const rows = await evidenceOf(ctx.db, row.id)
  return rows.map((e) => ({
    id: e.id,
    pointCode: e.point_code,
    fileName: attachmentDownloadName(decryptText(ctx.keys, evidenceNamePurpose(e.storage_key), e.file_name), e.file_ext),
    mimeType: e.mime_type,
    sizeBytes: e.size_bytes,
    createdAt: e.created_at,
  }))
}

/**
 * An evidence file for one point, under the programme attachments' rules: type read from the bytes
 * (JPEG, PNG, WebP, PDF), 5 MB, 10 per point; encrypted at rest; only while the school may edit.
 * The multipart owner field carries `<applicationId>`; the point code comes as a separate field.
 */
export async function addEvidence(
  ctx: ServiceContext,
  input: { applicationId: number; pointCode: string; fileName: string; bytes: Uint8Array },
) {
  const row = await editableOwn(ctx, input.applicationId)
  const { tree } = await treeOfVersion(ctx, row.version_id)
  if (!treePoints(tree).some((p) => p.code === input.pointCode))
    throw new AppError('BAD_REQUEST', 'accreditation.unknownPoint', { code: input.pointCode })
  const type = sniffType(input.bytes.subarray(0, 16))
  const problem = attachmentProblem(input.bytes.length, type, await countEvidence(ctx.db, row.id, input.pointCode), ATTACHMENTS_PER_EVENT)
  if (problem || !type) throw new AppError('BAD_REQUEST', `attachment.${problem ?? 'unsupportedType'}` as AppErrorCode)
  const key = newStorageKey(type)
  await ctx.files.put(key, encryptBytes(ctx.keys, evidencePurpose(key), input.bytes))
  try {
    return await withTransaction(ctx.db, async (trx) => {
      if ((await countEvidence(trx, row.id, input.pointCode)) >= ATTACHMENTS_PER_EVENT)
        throw new AppError('BAD_REQUEST', 'attachment.tooMany')
      const id = await insertEvidence(trx, {
        application_id: row.id,
        school_id: row.school_id,
        point_code: input.pointCode,
        file_name: encryptText(ctx.keys, evidenceNamePurpose(key), safeFileName(input.fileName)),
        file_ext: EXTENSION[type],
        mime_type: type,
        size_bytes: input.bytes.length,
        sha256: createHash('sha256').update(input.bytes).digest('hex'),
        storage_key: key,
        uploaded_by: accountRef(requireActor(ctx)),
        created_at: nowIso(ctx),
      })
      await appendAudit(trx, ctx, {
        action: 'accreditation.evidence_add',
        outcome: 'ok',
        entityType: 'accreditation_evidence',
        entityId: id,
        schoolId: row.school_id,
      })
      return { id, mimeType: type, sizeBytes: input.bytes.length }
    })
  } catch (err) {
    await ctx.files.remove(key)
    throw err
  }
}

/** A file of an application the reader may see (school, bureau, an assigned expert); every read is audited. */
export async function openEvidence(ctx: ServiceContext, id: number) {
  const e = await findEvidence(ctx.db, id)
  if (!e) throw notFound()
  await visibleApplication(ctx, e.application_id)
  const stored = await ctx.files.get(e.storage_key).catch(() => {
    throw notFound()
  })
  const bytes = decryptBytes(ctx.keys, evidencePurpose(e.storage_key), stored)
  await appendAudit(ctx.db, ctx, {
    action: 'accreditation.evidence_read',
    outcome: 'ok',
    entityType: 'accreditation_evidence',
    entityId: e.id,
    schoolId: e.school_id,
  })
  return {
    fileName: attachmentDownloadName(decryptText(ctx.keys, evidenceNamePurpose(e.storage_key), e.file_name), e.file_ext),
    mimeType: e.mime_type,
    bytes,
  }
}

export async function removeEvidence(ctx: ServiceContext, input: { id: number }) {
  const e = await findEvidence(ctx.db, input.id)
  if (!e) throw notFound()
  await editableOwn(ctx, e.application_id)
  await withTransaction(ctx.db, async (trx) => {
    await deleteEvidence(trx, e.id)
    await appendAudit(trx, ctx, {
      action: 'accreditation.evidence_remove',
      outcome: 'ok',
      entityType: 'accreditation_evidence',
      entityId: e.id,
      schoolId: e.school_id,
    })
  })
  await ctx.files.remove(e.storage_key)
  return { removed: true }
}
