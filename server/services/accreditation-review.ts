import { z } from 'zod'
import { CONFLICT_KINDS, treePoints, type ConflictKind, type Decision, type ExpertScoreInput, type Tree } from '../../shared/accreditation'
import { shanghaiDate } from '../../shared/shanghai-time'
import {
  activeExperts,
  deletePanelSeat,
  deltasOf,
  discussionsOf,
  employmentOf,
  findDiscussion,
  findExpert,
  findPanelSeat,
  insertDelta,
  insertDiscussion,
  insertMessage,
  insertPanelSeat,
  insertTitle,
  assignmentsOf,
  messagesOf,
  panelOf,
  panelSchoolsOf,
  schoolPlaces,
  updateApplication,
  updatePanelSeat,
} from '../repositories/accreditation'
import { addYears, conflictsOf, panelPoints, recommend, round2, scoreSheet, type ScoreMap, type SchoolPlace } from '../rules/accreditation'
import { appendAudit } from './audit'
import {
  decisionPurpose,
  decryptComments,
  evidenceList,
  parseScores,
  returnPurpose,
  selfPurpose,
  storedEvidence,
  transitionOrRefuse,
  treeOfVersion,
  visibleApplication,
  visitPurpose,
  type ApplicationRow,
} from './accreditation'
import { liveSystemEvidence } from './accreditation-evidence'
import { accountRef, nowIso, requireActor, withTransaction, type ServiceContext } from './context'
import { decryptOptional, decryptText, encryptText } from './crypto'
import { loadAccreditationSettings } from './district-settings'
import { AppError, notFound } from './errors'
import { deliver } from './inbox'
import { parseStored } from './stored-json'

const conflictList = z.array(z.enum(CONFLICT_KINDS))
const panelPurpose = (appId: number, expertId: number) => `accreditation.panel:${appId}:${expertId}`
const overridePurpose = (appId: number, expertId: number) => `accreditation.override:${appId}:${expertId}`
const deltaPurpose = (appId: number) => `accreditation.delta:${appId}`
const messagePurpose = (discussionId: number) => `accreditation.message:${discussionId}`

// ── conflicts of interest ────────────────────────────────────────────────────────────────────

/** Every active expert with the conflicts they would have on this application's school. */
export async function conflictTable(ctx: ServiceContext, schoolId: number, excludeApplicationId: number) {
  const [experts, places, settings] = await Promise.all([activeExperts(ctx.db), schoolPlaces(ctx.db), loadAccreditationSettings(ctx.db)])
  const ids = experts.map((e) => e.id)
  const [jobs, panels] = await Promise.all([employmentOf(ctx.db, ids), panelSchoolsOf(ctx.db, ids)])
  const groupsOf = new Map<number, string[]>()
  for (const g of settings.groups) for (const id of g.schoolIds) groupsOf.set(id, [...(groupsOf.get(id) ?? []), g.name])
  const placeMap = new Map<number, SchoolPlace>(
    places.map((p) => [p.id, { id: p.id, streetId: p.street_id, groups: groupsOf.get(p.id) ?? [] }]),
  )
  const target = placeMap.get(schoolId)
  if (!target) throw notFound()
  const today = shanghaiDate(ctx.now())
  return experts.map((e) => {
    const mine = jobs.filter((j) => j.account_id === e.id)
    const ties = {
      currentSchoolIds: mine.filter((j) => j.from_on <= today && (j.to_on == null || j.to_on >= today)).map((j) => j.school_id),
      pastSchoolIds: mine.map((j) => j.school_id),
      panelSchoolIds: panels.filter((p) => p.expert_id === e.id && p.application_id !== excludeApplicationId).map((p) => p.school_id),
    }
    return { expertId: e.id, username: e.username, displayName: e.display_name, conflicts: conflictsOf(ties, target, placeMap) }
  })
}

export async function candidatesService(ctx: ServiceContext, input: { applicationId: number }) {
  const row = await visibleApplication(ctx, input.applicationId)
  const [table, panel] = await Promise.all([conflictTable(ctx, row.school_id, row.id), panelOf(ctx.db, row.id)])
  return table.map((c) => {
    const seat = panel.find((p) => p.expert_id === c.expertId)
    return { ...c, assigned: !!seat, submitted: seat?.submitted_at != null }
  })
}

/**
 * The bureau seats an expert. Conflicts are checked again here (never trusted from the screen); a
 * conflicted seat needs a recorded override reason. The first seat starts the review.
 */
export async function assignExpert(
  ctx: ServiceContext,
  input: { applicationId: number; expertId: number; overrideReason?: string | null },
) {
  const actor = requireActor(ctx)
  const row = await visibleApplication(ctx, input.applicationId)
  if (row.stage !== 'accepted' && row.stage !== 'review')
    throw new AppError('CONFLICT', 'accreditation.transition', { from: row.stage, to: 'review' })
  if (!(await findExpert(ctx.db, input.expertId))) throw new AppError('BAD_REQUEST', 'accreditation.notExpert')
  const conflicts = (await conflictTable(ctx, row.school_id, row.id)).find((c) => c.expertId === input.expertId)?.conflicts ?? []
  const reason = input.overrideReason?.trim() || null
  if (conflicts.length && !reason)
    throw new AppError('BAD_REQUEST', 'accreditation.conflictNeedsReason', { conflicts: conflicts.join(',') })
  await withTransaction(ctx.db, async (trx) => {
    if (await findPanelSeat(trx, row.id, input.expertId)) throw new AppError('CONFLICT', 'conflict')
    await insertPanelSeat(trx, {
      application_id: row.id,
      expert_id: input.expertId,
      conflicts: JSON.stringify(conflicts),
      override_reason_enc: conflicts.length && reason ? encryptText(ctx.keys, overridePurpose(row.id, input.expertId), reason) : null,
      assigned_by: accountRef(actor),
      assigned_at: nowIso(ctx),
      scores: '{}',
      comments_enc: null,
      saved_at: null,
      submitted_at: null,
    })
    if (row.stage === 'accepted') {
      transitionOrRefuse(row.stage, 'review')
      if (!(await updateApplication(trx, row.id, { stages: ['accepted'] }, { stage: 'review', updated_at: nowIso(ctx) })))
        throw new AppError('CONFLICT', 'accreditation.transition', { from: row.stage, to: 'review' })
    }
    await appendAudit(trx, ctx, {
      action: 'accreditation.assign',
      outcome: 'ok',
      entityType: 'accreditation_application',
      entityId: row.id,
      schoolId: row.school_id,
      detail: conflicts.length ? `override,${conflicts.join(',')}` : null,
    })
    await deliver(ctx, trx, [input.expertId], {
      kind: 'accreditation.assigned',
      entityType: 'accreditation_application',
      entityId: row.id,
      schoolId: null,
    })
  })
  return { conflicts }
}

export async function unassignExpert(ctx: ServiceContext, input: { applicationId: number; expertId: number }) {
  const row = await visibleApplication(ctx, input.applicationId)
  if (row.stage !== 'review') throw new AppError('CONFLICT', 'accreditation.transition', { from: row.stage, to: 'review' })
  await withTransaction(ctx.db, async (trx) => {
    if (!(await deletePanelSeat(trx, row.id, input.expertId))) throw new AppError('CONFLICT', 'accreditation.sheetSubmitted')
    await appendAudit(trx, ctx, {
      action: 'accreditation.unassign',
      outcome: 'ok',
      entityType: 'accreditation_application',
      entityId: row.id,
      schoolId: row.school_id,
    })
  })
  return { removed: true }
}

// ── independent scoring ──────────────────────────────────────────────────────────────────────

async function ownSeat(ctx: ServiceContext, applicationId: number) {
  const actor = requireActor(ctx)
  const row = await visibleApplication(ctx, applicationId)
  const seat = await findPanelSeat(ctx.db, row.id, actor.accountId)
  if (!seat) throw notFound()
  return { row, seat, actor }
}

function mergeSheet(
  tree: Tree,
  scores: Record<string, number | null>,
  comments: Record<string, string>,
  input: ExpertScoreInput['points'],
) {
  const points = new Map(treePoints(tree).map((p) => [p.code, p]))
  for (const p of input) {
    const point = points.get(p.code)
    if (!point) throw new AppError('BAD_REQUEST', 'accreditation.unknownPoint', { code: p.code })
    if (p.score != null && p.score > point.maxScore) throw new AppError('BAD_REQUEST', 'validation')
    scores[p.code] = p.score
    comments[p.code] = p.comment
  }
}

/** An expert saves their own sheet while the review runs and they have not submitted it. */
export async function saveSheet(ctx: ServiceContext, input: ExpertScoreInput, submit = false) {
  const { row, seat, actor } = await ownSeat(ctx, input.applicationId)
  if (seat.submitted_at) throw new AppError('CONFLICT', 'accreditation.sheetSubmitted')
  if (row.stage !== 'review') throw new AppError('CONFLICT', 'accreditation.notEditable')
  const { tree } = await treeOfVersion(ctx, row.version_id)
  const scores = parseScores(seat.scores)
  const purpose = panelPurpose(row.id, actor.accountId)
  const comments = decryptComments(ctx, purpose, seat.comments_enc)
  mergeSheet(tree, scores, comments, input.points)
  if (submit) {
    const missing = treePoints(tree).filter((p) => scores[p.code] == null)
    if (missing.length) throw new AppError('BAD_REQUEST', 'accreditation.sheetIncomplete', { n: missing.length })
  }
  await withTransaction(ctx.db, async (trx) => {
    const at = nowIso(ctx)
    const ok = await updatePanelSeat(trx, row.id, actor.accountId, {
      scores: JSON.stringify(scores),
      comments_enc: encryptText(ctx.keys, purpose, JSON.stringify(comments)),
      saved_at: at,
      ...(submit ? { submitted_at: at } : {}),
    })
    if (!ok) throw new AppError('CONFLICT', 'accreditation.sheetSubmitted')
    await appendAudit(trx, ctx, {
      action: submit ? 'accreditation.score_submit' : 'accreditation.score_save',
      outcome: 'ok',
      entityType: 'accreditation_application',
      entityId: row.id,
      schoolId: row.school_id,
    })
  })
  return { submitted: submit }
}

/** After the visit an expert changes a desk score only by a reasoned delta; the desk score stays as submitted. */
export async function addDelta(ctx: ServiceContext, input: { applicationId: number; code: string; delta: number; reason: string }) {
  const { row, seat, actor } = await ownSeat(ctx, input.applicationId)
  if (row.stage !== 'visited') throw new AppError('CONFLICT', 'accreditation.notAfterVisit')
  if (!seat.submitted_at) throw new AppError('CONFLICT', 'accreditation.notEditable')
  const { tree } = await treeOfVersion(ctx, row.version_id)
  if (!treePoints(tree).some((p) => p.code === input.code))
    throw new AppError('BAD_REQUEST', 'accreditation.unknownPoint', { code: input.code })
  await withTransaction(ctx.db, async (trx) => {
    const id = await insertDelta(trx, {
      application_id: row.id,
      expert_id: actor.accountId,
      point_code: input.code,
      delta: input.delta,
      reason_enc: encryptText(ctx.keys, deltaPurpose(row.id), input.reason),
      created_at: nowIso(ctx),
    })
    await appendAudit(trx, ctx, {
      action: 'accreditation.delta_add',
      outcome: 'ok',
      entityType: 'accreditation_application',
      entityId: row.id,
      schoolId: row.school_id,
    })
    return id
  })
  return { added: true }
}

// ── the panel's view ─────────────────────────────────────────────────────────────────────────

async function panelState(ctx: ServiceContext, row: ApplicationRow, tree: Tree) {
  const [seats, deltas, settings] = await Promise.all([
    panelOf(ctx.db, row.id),
    deltasOf(ctx.db, row.id),
    loadAccreditationSettings(ctx.db),
  ])
  const sheets = seats.map((s) => {
    const mine = deltas.filter((d) => d.expert_id === s.expert_id)
    const deltaSum: Record<string, number> = {}
    for (const d of mine) deltaSum[d.point_code] = round2((deltaSum[d.point_code] ?? 0) + Number(d.delta))
    return {
      expertId: s.expert_id,
      name: s.display_name,
      conflicts: parseStored(conflictList, s.conflicts, [] as ConflictKind[], 'accreditation_panel.conflicts'),
      overrideReason: decryptOptional(ctx.keys, overridePurpose(row.id, s.expert_id), s.override_reason_enc),
      submittedAt: s.submitted_at,
      scores: parseScores(s.scores),
      comments: decryptComments(ctx, panelPurpose(row.id, s.expert_id), s.comments_enc),
      deltas: mine.map((d) => ({
        id: d.id,
        code: d.point_code,
        delta: Number(d.delta),
        reason: decryptText(ctx.keys, deltaPurpose(row.id), d.reason_enc),
        createdAt: d.created_at,
      })),
      deltaSum,
    }
  })
  const submitted = sheets.filter((s) => s.submittedAt)
  const points = panelPoints(
    tree,
    submitted.map((s) => ({ scores: s.scores, deltas: s.deltaSum })),
    settings.spreadPercent,
  )
  const means: ScoreMap = Object.fromEntries(points.map((p) => [p.code, p.mean]))
  const result = scoreSheet(tree, means, settings.starredPassPercent)
  return { sheets, points, result, recommendation: recommend(result, settings.passTotal), settings }
}

async function discussionsView(ctx: ServiceContext, applicationId: number) {
  const list = await discussionsOf(ctx.db, applicationId)
  const messages = await messagesOf(
    ctx.db,
    list.map((d) => d.id),
  )
  return list.map((d) => ({
    id: d.id,
    code: d.point_code,
    openedAt: d.opened_at,
    messages: messages
      .filter((m) => m.discussion_id === d.id)
      .map((m) => ({
        author: m.display_name ?? '',
        role: m.role,
        text: decryptText(ctx.keys, messagePurpose(d.id), m.text_enc),
        at: m.created_at,
      })),
  }))
}

/** Self vs panel per indicator: the sums of its points. */
function byIndicator(tree: Tree, self: ScoreMap, panel: ScoreMap) {
  return tree.flatMap((c) =>
    c.indicators.map((i) => {
      const sum = (m: ScoreMap) => {
        const vals = i.points.map((p) => m[p.code])
        return vals.every((v) => v == null) ? null : round2(vals.reduce<number>((a, v) => a + (v ?? 0), 0))
      }
      return {
        code: i.code,
        nameZh: i.nameZh,
        nameEn: i.nameEn,
        max: i.points.reduce((a, p) => a + p.maxScore, 0),
        self: sum(self),
        panel: sum(panel),
      }
    }),
  )
}

/**
 * One application as its reader may see it. The school sees its own file and the decision; the bureau
 * sees everything; an assigned expert sees the file and their own sheet, and the other experts'
 * sheets, the panel figures and the discussions only once their own sheet is submitted.
 */
export async function applicationDetail(ctx: ServiceContext, input: { applicationId: number }) {
  const actor = requireActor(ctx)
  const row = await visibleApplication(ctx, input.applicationId)
  const { tree, versionNo } = await treeOfVersion(ctx, row.version_id)
  const settings = await loadAccreditationSettings(ctx.db)
  const selfScores = parseScores(row.self_scores)
  const frozen = storedEvidence(row)
  const system = frozen ?? (await liveSystemEvidence(ctx, row.school_id))
  const base = {
    id: row.id,
    stage: row.stage,
    version: row.version,
    school: { id: row.school_id, name: row.school_name, nameEn: row.school_name_en, streetZh: row.street_zh, streetEn: row.street_en },
    tree: { versionId: row.version_id, versionNo, categories: tree },
    settings: { passTotal: settings.passTotal, spreadPercent: settings.spreadPercent, starredPassPercent: settings.starredPassPercent },
    self: {
      scores: selfScores,
      comments: decryptComments(ctx, selfPurpose(row.id), row.self_comments_enc),
      result: scoreSheet(tree, selfScores, settings.starredPassPercent),
    },
    system: { frozen: frozen != null, ...system },
    evidence: await evidenceList(ctx, row),
    submittedAt: row.submitted_at,
    returnedReason: decryptOptional(ctx.keys, returnPurpose(row.id), row.returned_reason_enc),
    acceptedAt: row.accepted_at,
    visit: row.visited_on
      ? { visitedOn: row.visited_on, observations: decryptOptional(ctx.keys, visitPurpose(row.id), row.visit_observations_enc) }
      : null,
    decision: row.decision
      ? {
          decision: row.decision,
          reason: decryptOptional(ctx.keys, decisionPurpose(row.id), row.decision_reason_enc),
          decidedAt: row.decided_at,
        }
      : null,
  }
  await appendAudit(ctx.db, ctx, {
    action: 'accreditation.application_read',
    outcome: 'ok',
    entityType: 'accreditation_application',
    entityId: row.id,
    schoolId: row.school_id,
  })
  if (actor.role === 'school_admin')
    return { ...base, role: 'school' as const, panel: null, mySheet: null, discussions: [], indicators: [] }
  const state = await panelState(ctx, row, tree)
  const panelMeans: ScoreMap = Object.fromEntries(state.points.map((p) => [p.code, p.mean]))
  const full = {
    panel: {
      sheets: state.sheets.map(({ deltaSum: _d, ...s }) => s),
      points: state.points,
      result: state.result,
      recommendation: state.recommendation,
    },
    discussions: await discussionsView(ctx, row.id),
    indicators: byIndicator(tree, selfScores, panelMeans),
  }
  if (actor.role === 'expert') {
    const mine = state.sheets.find((s) => s.expertId === actor.accountId)!
    const { deltaSum: _d, conflicts: _c, overrideReason: _o, ...mySheet } = mine
    if (!mine.submittedAt) return { ...base, role: 'expert' as const, mySheet, panel: null, discussions: [], indicators: [] }
    return {
      ...base,
      role: 'expert' as const,
      mySheet,
      ...full,
      // Other experts' sheets only once submitted; conflicts and override reasons stay with the bureau.
      panel: {
        ...full.panel,
        sheets: full.panel.sheets
          .filter((s) => s.submittedAt)
          .map(({ conflicts: _c2, overrideReason: _o2, ...s }) => ({ ...s, conflicts: [] as ConflictKind[], overrideReason: null })),
      },
    }
  }
  return { ...base, role: 'bureau' as const, mySheet: null, ...full }
}

// ── discussion ───────────────────────────────────────────────────────────────────────────────

/** The bureau opens a discussion on a point the panel disagrees about. */
export async function openDiscussion(ctx: ServiceContext, input: { applicationId: number; code: string; note: string }) {
  const actor = requireActor(ctx)
  const row = await visibleApplication(ctx, input.applicationId)
  if (row.stage !== 'review' && row.stage !== 'visited')
    throw new AppError('CONFLICT', 'accreditation.transition', { from: row.stage, to: row.stage })
  const { tree } = await treeOfVersion(ctx, row.version_id)
  const state = await panelState(ctx, row, tree)
  if (!state.points.find((p) => p.code === input.code)?.disagreement) throw new AppError('BAD_REQUEST', 'accreditation.notFlagged')
  return withTransaction(ctx.db, async (trx) => {
    const existing = (await discussionsOf(trx, row.id)).find((d) => d.point_code === input.code)
    const id =
      existing?.id ??
      (await insertDiscussion(trx, {
        application_id: row.id,
        point_code: input.code,
        opened_by: accountRef(actor),
        opened_at: nowIso(ctx),
      }))
    await insertMessage(trx, {
      discussion_id: id,
      author_id: accountRef(actor),
      text_enc: encryptText(ctx.keys, messagePurpose(id), input.note),
      created_at: nowIso(ctx),
    })
    await appendAudit(trx, ctx, {
      action: 'accreditation.discussion_open',
      outcome: 'ok',
      entityType: 'accreditation_application',
      entityId: row.id,
      schoolId: row.school_id,
    })
    const experts = state.sheets.filter((s) => s.submittedAt).map((s) => s.expertId)
    await deliver(ctx, trx, experts, {
      kind: 'accreditation.assigned',
      entityType: 'accreditation_application',
      entityId: row.id,
      schoolId: null,
    })
    return { id }
  })
}

/** The bureau or an expert of the panel who has submitted their sheet adds to a discussion. */
export async function postMessage(ctx: ServiceContext, input: { discussionId: number; text: string }) {
  const actor = requireActor(ctx)
  const d = await findDiscussion(ctx.db, input.discussionId)
  if (!d) throw notFound()
  const row = await visibleApplication(ctx, d.application_id)
  if (actor.role === 'expert') {
    const seat = await findPanelSeat(ctx.db, row.id, actor.accountId)
    if (!seat?.submitted_at) throw notFound()
  }
  await withTransaction(ctx.db, async (trx) => {
    await insertMessage(trx, {
      discussion_id: d.id,
      author_id: accountRef(actor),
      text_enc: encryptText(ctx.keys, messagePurpose(d.id), input.text),
      created_at: nowIso(ctx),
    })
    await appendAudit(trx, ctx, {
      action: 'accreditation.discussion_post',
      outcome: 'ok',
      entityType: 'accreditation_application',
      entityId: row.id,
      schoolId: row.school_id,
    })
  })
  return { posted: true }
}

// ── site visit and decision ──────────────────────────────────────────────────────────────────

/** The visit is recorded once every seated expert has submitted a desk sheet; later changes are deltas. */
export async function recordVisit(ctx: ServiceContext, input: { applicationId: number; visitedOn: string; observations: string }) {
  const row = await visibleApplication(ctx, input.applicationId)
  transitionOrRefuse(row.stage, 'visited')
  const seats = await panelOf(ctx.db, row.id)
  if (!seats.length) throw new AppError('CONFLICT', 'accreditation.noPanel')
  if (seats.some((s) => !s.submitted_at)) throw new AppError('CONFLICT', 'accreditation.panelNotSubmitted')
  if (input.visitedOn > shanghaiDate(ctx.now())) throw new AppError('BAD_REQUEST', 'accreditation.visitInFuture')
  await withTransaction(ctx.db, async (trx) => {
    const ok = await updateApplication(
      trx,
      row.id,
      { stages: ['review'] },
      {
        stage: 'visited',
        visited_on: input.visitedOn,
        visit_observations_enc: encryptText(ctx.keys, visitPurpose(row.id), input.observations),
        updated_at: nowIso(ctx),
      },
    )
    if (!ok) throw new AppError('CONFLICT', 'accreditation.transition', { from: row.stage, to: 'visited' })
    await appendAudit(trx, ctx, {
      action: 'accreditation.visit',
      outcome: 'ok',
      entityType: 'accreditation_application',
      entityId: row.id,
      schoolId: row.school_id,
    })
  })
  return { stage: 'visited' as const }
}

/**
 * The bureau decides with reasons. A starred item the panel failed (or left unscored) means "not yet":
 * accrediting it is refused. An accreditation creates the title, valid for the district's years.
 */
export async function decide(ctx: ServiceContext, input: { applicationId: number; decision: Decision; reason: string }) {
  const actor = requireActor(ctx)
  const row = await visibleApplication(ctx, input.applicationId)
  transitionOrRefuse(row.stage, 'decided')
  const { tree } = await treeOfVersion(ctx, row.version_id)
  const state = await panelState(ctx, row, tree)
  if (input.decision === 'accredited' && (state.result.vetoed.length || state.result.missing.length))
    throw new AppError('BAD_REQUEST', 'accreditation.starredFailed', { codes: [...state.result.vetoed, ...state.result.missing].join(',') })
  const today = shanghaiDate(ctx.now())
  return withTransaction(ctx.db, async (trx) => {
    const ok = await updateApplication(
      trx,
      row.id,
      { stages: ['visited'] },
      {
        stage: 'decided',
        decision: input.decision,
        decision_reason_enc: encryptText(ctx.keys, decisionPurpose(row.id), input.reason),
        decided_at: nowIso(ctx),
        decided_by: accountRef(actor),
        updated_at: nowIso(ctx),
      },
    )
    if (!ok) throw new AppError('CONFLICT', 'accreditation.transition', { from: row.stage, to: 'decided' })
    let titleId: number | null = null
    if (input.decision === 'accredited') {
      titleId = await insertTitle(trx, {
        school_id: row.school_id,
        application_id: row.id,
        starts_on: today,
        expires_on: addYears(today, state.settings.validityYears),
        withdrawn_on: null,
        withdrawn_reason_enc: null,
        created_at: nowIso(ctx),
      })
    }
    await appendAudit(trx, ctx, {
      action: 'accreditation.decide',
      outcome: 'ok',
      entityType: 'accreditation_application',
      entityId: row.id,
      schoolId: row.school_id,
      detail: input.decision,
    })
    return { decision: input.decision, titleId }
  })
}

/** The expert's own list: assigned applications only, with where their sheet stands. */
export async function myAssignments(ctx: ServiceContext) {
  const actor = requireActor(ctx)
  const rows = await assignmentsOf(ctx.db, actor.accountId)
  return rows.map((r) => ({
    id: r.id,
    stage: r.stage,
    schoolName: r.name,
    schoolNameEn: r.name_en,
    assignedAt: r.assigned_at,
    submittedAt: r.submitted_at,
  }))
}
