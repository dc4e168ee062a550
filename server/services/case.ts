import { visitsOfCase } from '../repositories/room-ops'
import { localInstant } from '../rules/room-rota'
import { z } from 'zod'
import type { RiskChangeKind, RiskLevel } from '../../shared/cases'
import { CASE_CATEGORIES, RISK_SEVERITY, taskCompletion, VULNERABLE_FLAGS } from '../../shared/cases'
import { dueWindow, inDueView, nextDue } from '../../shared/due'
import type { CaseListInput, CaseOpenInput, CaseUpdateInput } from '../../shared/case-schemas'
import { canEditNote, isCollapsedHistory, isFollowUpOverdue, isTaskOverdue, shanghaiDate, tasksForLevel } from '../rules/risk'
import {
  caseBoard,
  caseCounsellors,
  caseCounts,
  caseFile,
  casesOfStudent,
  findCase,
  insertCase,
  insertRiskChange,
  insertTasks,
  overdueCounts,
  schoolCounsellors,
  setCounsellors,
  touchCase,
  updateCase,
} from '../repositories/case'
import { findStudent } from '../repositories/student'
import { appendAudit, type AuditEntry } from './audit'
import { deliver } from './inbox'
import { nowIso, requireActor, withTransaction, type ServiceContext } from './context'
import { decryptOptional, decryptText, encryptText } from './crypto'
import { AppError, conflict, notFound, uniqueAs } from './errors'
import { parseStored } from './stored-json'
import { actorSchool, studentSearch, toStudent } from './student'

export const CP = {
  concern: 'case.concern',
  outcome: 'case.outcome',
  reason: 'case.risk_reason',
  note: 'case.note',
  purpose: 'case.follow_up_purpose',
  feedback: 'case.referral_feedback',
  returnPlan: 'case.referral_return_plan',
  what: 'case.crisis_what',
  actions: 'case.crisis_actions',
  notified: 'case.crisis_notified',
  accompaniedBy: 'case.crisis_accompanied_by',
  notifiedName: 'case.notification_name',
  naReason: 'case.task_na_reason',
  contactNote: 'case.contact_note',
} as const

// Stored JSON of a case row; an unreadable value reads as empty rather than failing the whole file.
const storedCategories = z.array(z.enum(CASE_CATEGORIES))
const storedFlags = z.array(z.enum(VULNERABLE_FLAGS))
const storedNotified = z.array(z.object({ who: z.string(), at: z.string() }))
export const parseCategories = (text: string) => parseStored(storedCategories, text, [], 'student_case.categories')
const parseFlags = (text: string) => parseStored(storedFlags, text, [], 'student_case.flags')

/** The case if the actor's school owns it; NOT_FOUND otherwise, exactly as for a missing id. */
export async function loadCase(ctx: ServiceContext, id: number) {
  const actor = requireActor(ctx)
  const row = await findCase(ctx.db, actor.scope, id)
  if (!row) throw notFound()
  return row
}

export function assertOpen(c: { status: string }): void {
  if (c.status !== 'open') throw new AppError('BAD_REQUEST', 'case.closed')
}

export type LoadedCase = Awaited<ReturnType<typeof loadCase>>

/**
 * Every change on an open case goes through here: one transaction that makes the change, marks the
 * case active and writes its audit row. `audit` sees what `write` returned, so the row can name it
 * (`write` comes first so its result types `audit`).
 */
export async function writeOnOpenCase<T>(
  ctx: ServiceContext,
  c: LoadedCase,
  write: (trx: ServiceContext['db'], at: string) => Promise<T>,
  audit: (result: T) => Omit<AuditEntry, 'outcome' | 'schoolId'>,
): Promise<T> {
  assertOpen(c)
  const at = nowIso(ctx)
  return withTransaction(ctx.db, async (trx) => {
    const result = await write(trx, at)
    await touchCase(trx, c.id, at)
    await appendAudit(trx, ctx, { ...audit(result), outcome: 'ok', schoolId: c.school_id })
    return result
  })
}

/** Dates on a case cannot precede its opening, nor lie in the future. */
export function assertDateInCase(ctx: ServiceContext, c: { opened_on: string }, date: string): void {
  const day = date.slice(0, 10)
  if (day < c.opened_on) throw new AppError('BAD_REQUEST', 'case.dateBeforeOpened', { openedOn: c.opened_on })
  if (day > shanghaiDate(ctx.now())) throw new AppError('BAD_REQUEST', 'validation')
}

/**
 * Sets a level (opening, a change, a crisis, a reopening): one history row and the level's required
 * tasks. `reason` is the counsellor's own words only (null for a system event: `kind` says what happened).
 */
export async function applyRiskLevel(
  ctx: ServiceContext,
  trx: ServiceContext['db'],
  c: { id: number; school_id: number },
  from: RiskLevel | null,
  to: RiskLevel,
  kind: RiskChangeKind,
  reason: string | null,
) {
  const actor = requireActor(ctx)
  const now = ctx.now()
  await insertRiskChange(trx, {
    case_id: c.id,
    from_level: from,
    to_level: to,
    kind,
    reason_enc: encryptText(ctx.keys, CP.reason, reason ?? ''),
    changed_by: actor.accountId,
    changed_at: now.toISOString(),
  })
  await insertTasks(
    trx,
    tasksForLevel(to, now).map((t) => ({
      case_id: c.id,
      school_id: c.school_id,
      kind: t.kind,
      level: to,
      due_at: t.dueAt.toISOString(),
      status: 'open' as const,
      created_at: now.toISOString(),
    })),
  )
}

export async function counsellorsOfMySchool(ctx: ServiceContext) {
  const actor = requireActor(ctx)
  return (await schoolCounsellors(ctx.db, actorSchool(actor))).map((a) => ({ id: a.id, name: a.display_name }))
}

export async function openCase(ctx: ServiceContext, input: CaseOpenInput) {
  const actor = requireActor(ctx)
  const schoolId = actorSchool(actor)
  const student = await findStudent(ctx.db, actor.scope, input.studentId)
  if (!student) throw notFound()
  if (input.openedOn > shanghaiDate(ctx.now())) throw new AppError('BAD_REQUEST', 'validation')
  const allowed = new Set((await schoolCounsellors(ctx.db, schoolId)).map((a) => a.id))
  if (input.counsellorIds.some((id) => !allowed.has(id))) throw new AppError('BAD_REQUEST', 'case.counsellorNotInSchool')
  if ((await casesOfStudent(ctx.db, student.id)).some((c) => c.status === 'open')) throw new AppError('CONFLICT', 'case.openCaseExists')
  const at = nowIso(ctx)
  return uniqueAs(
    withTransaction(ctx.db, async (trx) => {
      const id = await insertCase(trx, {
        school_id: schoolId,
        student_id: student.id,
        status: 'open',
        risk_level: input.riskLevel,
        source: input.source,
        categories: JSON.stringify([...new Set(input.categories)]),
        flags: JSON.stringify([...new Set(input.flags)]),
        concern_enc: encryptText(ctx.keys, CP.concern, input.concern),
        opened_on: input.openedOn,
        opened_by: actor.accountId,
        last_activity_at: at,
        created_at: at,
        updated_at: at,
        version: 1,
      })
      await setCounsellors(trx, id, [...new Set(input.counsellorIds)])
      await applyRiskLevel(ctx, trx, { id, school_id: schoolId }, null, input.riskLevel, 'opened', null)
      await deliver(ctx, trx, input.counsellorIds, { kind: 'case.assigned', entityType: 'case', entityId: id, schoolId })
      await appendAudit(trx, ctx, {
        action: 'case.open',
        outcome: 'ok',
        entityType: 'case',
        entityId: id,
        schoolId,
        detail: `level:${input.riskLevel}`,
      })
      return { id }
    }),
    'case.openCaseExists',
  )
}

/**
 * The caseload board: overdue first, then the most severe level, then what falls due soonest.
 * The level cards and the overdue / due-today cards count the board before their own filters
 * (level, due view) apply, so a card keeps its number while it filters the board.
 */
export async function caseBoardService(ctx: ServiceContext, input: CaseListInput) {
  const actor = requireActor(ctx)
  const now = ctx.now()
  const rows = await caseBoard(
    ctx.db,
    actor.scope,
    {
      status: input.status,
      category: input.category,
      grade: input.grade,
      className: input.className,
      counsellorId: input.mine ? actor.accountId : undefined,
    },
    dueWindow(now),
  )
  // Names are encrypted: a search decrypts the names of this school's cases only, and only when asked.
  const searched = input.search ? rows.filter(studentSearch(ctx, input.search)) : rows
  const all = searched.map((r) => {
    const overdue = Number(r.overdue_tasks ?? 0) + Number(r.overdue_follow_ups ?? 0)
    const dueToday = Number(r.due_today_tasks ?? 0) + Number(r.due_today_follow_ups ?? 0)
    const nextTaskDue = r.next_task_due as string | null
    const nextFollowUp = r.next_follow_up as string | null
    return {
      id: r.id,
      status: r.status,
      riskLevel: r.risk_level,
      categories: parseCategories(r.categories),
      flags: parseFlags(r.flags),
      openedOn: r.opened_on,
      closedAt: r.closed_at,
      lastActivityAt: r.last_activity_at,
      studentRow: { id: r.student_id, studentNo: r.student_no, nameEnc: r.name_enc, grade: r.grade, className: r.class_name },
      openTasks: Number(r.open_tasks ?? 0),
      overdueTasks: Number(r.overdue_tasks ?? 0),
      overdueFollowUps: Number(r.overdue_follow_ups ?? 0),
      overdue,
      dueToday,
      nextTaskDue,
      nextFollowUp,
      nextDue: nextDue(nextTaskDue, nextFollowUp),
    }
  })
  const byLevel = { crisis: 0, high: 0, watch: 0, routine: 0 } as Record<RiskLevel, number>
  for (const i of all) if (i.status === 'open') byLevel[i.riskLevel]++
  const overdueCases = all.filter((i) => i.overdue > 0).length
  const dueTodayCases = all.filter((i) => i.dueToday > 0).length
  const shown = all.filter((i) => (!input.riskLevel || i.riskLevel === input.riskLevel) && (!input.due || inDueView(input.due, i)))
  shown.sort(
    (a, b) =>
      (b.overdue > 0 ? 1 : 0) - (a.overdue > 0 ? 1 : 0) ||
      RISK_SEVERITY[a.riskLevel] - RISK_SEVERITY[b.riskLevel] ||
      (a.nextTaskDue ?? a.nextFollowUp ?? '9').localeCompare(b.nextTaskDue ?? b.nextFollowUp ?? '9') ||
      b.id - a.id,
  )
  // Only the page shown is decrypted for display: the order needs no name, and names are the costly part.
  const items = shown.slice((input.page - 1) * input.pageSize, input.page * input.pageSize).map(({ studentRow, ...i }) => ({
    ...i,
    student: {
      id: studentRow.id,
      studentNo: studentRow.studentNo,
      name: decryptText(ctx.keys, 'student.name', studentRow.nameEnc),
      grade: studentRow.grade,
      className: studentRow.className,
    },
  }))
  await appendAudit(ctx.db, ctx, {
    action: 'case.list',
    outcome: 'ok',
    entityType: 'case',
    schoolId: actor.schoolId,
    // That a search narrowed the board is recorded, never what was searched for.
    detail: `rows:${items.length}${input.search ? ',search:1' : ''}`,
  })
  return { items, total: shown.length, byLevel, overdueCases, dueTodayCases }
}

/** The whole confidential file of one case, as its school's counsellors see it. Every read is audited. */
export async function getCaseFile(ctx: ServiceContext, id: number) {
  const actor = requireActor(ctx)
  const c = await loadCase(ctx, id)
  const now = ctx.now()
  const [student, counsellors, file, history] = await Promise.all([
    findStudent(ctx.db, actor.scope, c.student_id),
    caseCounsellors(ctx.db, c.id),
    caseFile(ctx.db, c.id),
    casesOfStudent(ctx.db, c.student_id),
  ])
  const versionCount = new Map(file.versions.map((v) => [v.note_id, Number(v.n)]))
  const k = ctx.keys
  const notes = file.notes.map((n) => {
    const hidden = n.private === 1 && n.author_id !== actor.accountId
    return {
      id: n.id,
      authorId: n.author_id,
      authorName: n.author_name,
      sessionDate: n.session_date,
      private: n.private === 1,
      hidden,
      durationMin: hidden ? null : n.duration_min,
      type: hidden ? null : n.type,
      text: hidden ? null : decryptText(k, CP.note, n.text_enc),
      createdAt: n.created_at,
      version: n.version,
      editedVersions: versionCount.get(n.id) ?? 0,
      editable: !hidden && c.status === 'open' && canEditNote({ authorId: n.author_id, createdAt: n.created_at }, actor.accountId, now),
    }
  })
  const notifications = file.notifications.map((x) => ({
    id: x.id,
    crisisId: x.crisis_id,
    recipient: x.recipient,
    name: decryptOptional(k, CP.notifiedName, x.name_enc),
    at: x.notified_at,
    recordedAt: x.recorded_at,
    recordedByName: x.recorded_by_name,
  }))
  const notificationById = new Map(notifications.map((x) => [x.id, x]))
  const referralTargets = new Map(file.referrals.map((r) => [r.id, { id: r.id, target: r.target, sentOn: r.sent_on }]))
  const tasks = file.tasks.map((t) => ({
    id: t.id,
    kind: t.kind,
    level: t.level,
    dueAt: t.due_at,
    status: t.status,
    completedAt: t.completed_at,
    /** null when the system did it (closing the case, retiring a task kind) */
    completedByName: t.completed_by_name,
    completion: taskCompletion(t.kind),
    naReason: decryptOptional(k, CP.naReason, t.na_reason_enc),
    notification: t.notification_id != null ? (notificationById.get(t.notification_id) ?? null) : null,
    referral: t.referral_id != null ? (referralTargets.get(t.referral_id) ?? null) : null,
    overdue: isTaskOverdue({ status: t.status, dueAt: t.due_at }, now),
  }))
  const followUps = file.followUps.map((f) => ({
    id: f.id,
    dueOn: f.due_on,
    purpose: decryptOptional(k, CP.purpose, f.purpose_enc),
    status: f.status,
    doneAt: f.done_at,
    overdue: isFollowUpOverdue({ status: f.status, dueOn: f.due_on }, now),
  }))
  const referrals = file.referrals.map((r) => ({
    id: r.id,
    kind: r.kind,
    target: r.target,
    status: r.status,
    sentOn: r.sent_on,
    createdAt: r.created_at,
    acceptedOn: r.accepted_on,
    feedbackOn: r.feedback_on,
    feedback: decryptOptional(k, CP.feedback, r.feedback_enc),
    returnPlan: decryptOptional(k, CP.returnPlan, r.return_plan_enc),
    version: r.version,
  }))
  const risks = file.risks.map((r) => ({
    id: r.id,
    kind: r.kind ?? ('changed' as const),
    from: r.from_level,
    to: r.to_level,
    reason: decryptText(k, CP.reason, r.reason_enc) || null,
    byName: r.by_name,
    at: r.changed_at,
  }))
  const crises = file.crises.map((x) => ({
    id: x.id,
    occurredAt: x.occurred_at,
    what: decryptText(k, CP.what, x.what_enc),
    actions: decryptText(k, CP.actions, x.actions_enc),
    accompanied: x.accompanied == null ? null : x.accompanied === 1,
    accompaniedBy: decryptOptional(k, CP.accompaniedBy, x.accompanied_by_enc),
    // Crises recorded before migration 0008 kept a free-text list; later ones point at notification rows.
    notified: [
      ...parseStored(storedNotified, decryptText(k, CP.notified, x.notified_enc), [], 'case_crisis.notified_enc').map((n) => ({
        recipient: null,
        name: n.who,
        at: n.at,
      })),
      ...notifications.filter((n) => n.crisisId === x.id).map((n) => ({ recipient: n.recipient, name: n.name, at: n.at })),
    ],
  }))
  const contacts = file.contacts.map((x) => ({
    id: x.id,
    kind: x.kind,
    relation: x.relation,
    method: x.method,
    contactedAt: x.contacted_at,
    consentGiven: x.consent_given == null ? null : x.consent_given === 1,
    note: decryptOptional(k, CP.contactNote, x.note_enc),
  }))

  await appendAudit(ctx.db, ctx, {
    action: 'case.read',
    outcome: 'ok',
    entityType: 'case',
    entityId: c.id,
    schoolId: c.school_id,
    detail: `notes:${notes.filter((n) => !n.hidden).length}`,
  })
  return {
    id: c.id,
    status: c.status,
    riskLevel: c.risk_level,
    source: c.source,
    categories: parseCategories(c.categories),
    flags: parseFlags(c.flags),
    concern: decryptText(k, CP.concern, c.concern_enc),
    openedOn: c.opened_on,
    closedAt: c.closed_at,
    outcome: decryptOptional(k, CP.outcome, c.outcome_enc),
    version: c.version,
    student: student ? toStudent(ctx, student) : null,
    counsellors: counsellors.map((a) => ({ id: a.id, name: a.display_name })),
    notes,
    tasks,
    followUps,
    referrals,
    risks,
    crises,
    contacts,
    /** notifications recorded outside a crisis record (completing a task, or on their own) */
    notifications: notifications.filter((n) => n.crisisId == null),
    visits: (await visitsOfCase(ctx.db, c.id)).map((v) => ({
      id: v.id,
      kind: v.kind,
      topic: v.topic,
      at: localInstant(v.occurred_on, v.start_min),
      durationMin: v.duration_min,
      counsellorName: v.counsellor_name ?? null,
    })),
    otherCases: history
      .filter((h) => h.id !== c.id)
      .map((h) => ({
        id: h.id,
        status: h.status,
        riskLevel: h.risk_level,
        openedOn: h.opened_on,
        closedAt: h.closed_at,
        categories: parseCategories(h.categories),
        collapsed: isCollapsedHistory({ status: h.status, closedAt: h.closed_at }, now),
      })),
  }
}

export async function closeCase(ctx: ServiceContext, input: { caseId: number; version: number; outcome: string }) {
  const c = await loadCase(ctx, input.caseId)
  assertOpen(c)
  const at = nowIso(ctx)
  await withTransaction(ctx.db, async (trx) => {
    if (
      !(await updateCase(trx, c.id, input.version, {
        status: 'closed',
        closed_at: at,
        outcome_enc: encryptText(ctx.keys, CP.outcome, input.outcome),
        last_activity_at: at,
        updated_at: at,
      }))
    )
      throw conflict()
    // Open tasks and planned follow-ups of a closed case no longer fall due.
    await trx
      .updateTable('case_task')
      .set({ status: 'cancelled', completed_at: at })
      .where('case_id', '=', c.id)
      .where('status', '=', 'open')
      .execute()
    await trx
      .updateTable('case_follow_up')
      .set({ status: 'cancelled', done_at: at })
      .where('case_id', '=', c.id)
      .where('status', '=', 'planned')
      .execute()
    await appendAudit(trx, ctx, { action: 'case.close', outcome: 'ok', entityType: 'case', entityId: c.id, schoolId: c.school_id })
  })
}

export async function reopenCase(ctx: ServiceContext, input: { caseId: number; version: number; reason: string }) {
  const c = await loadCase(ctx, input.caseId)
  if (c.status !== 'closed') throw new AppError('BAD_REQUEST', 'case.notOpen')
  if ((await casesOfStudent(ctx.db, c.student_id)).some((x) => x.status === 'open')) throw new AppError('CONFLICT', 'case.openCaseExists')
  const at = nowIso(ctx)
  await uniqueAs(
    withTransaction(ctx.db, async (trx) => {
      if (!(await updateCase(trx, c.id, input.version, { status: 'open', closed_at: null, last_activity_at: at, updated_at: at })))
        throw conflict()
      await applyRiskLevel(ctx, trx, c, c.risk_level, c.risk_level, 'reopened', input.reason)
      await appendAudit(trx, ctx, { action: 'case.reopen', outcome: 'ok', entityType: 'case', entityId: c.id, schoolId: c.school_id })
    }),
    'case.openCaseExists',
  )
}

/** The own school's counts (school admin and counsellors): by level and overdue, never identities. */
export async function schoolCaseCounts(ctx: ServiceContext) {
  const actor = requireActor(ctx)
  const now = ctx.now()
  const [levels, [tasks, followUps]] = await Promise.all([
    caseCounts(ctx.db, actor.scope, 'risk_level'),
    overdueCounts(ctx.db, actor.scope, dueWindow(now)),
  ])
  const byLevel = { crisis: 0, high: 0, watch: 0, routine: 0 } as Record<RiskLevel, number>
  for (const r of levels) byLevel[r.key as RiskLevel] = Number(r.n)
  return {
    byLevel,
    open: Object.values(byLevel).reduce((a, b) => a + b, 0),
    overdueTasks: tasks.reduce((a, r) => a + Number(r.n), 0),
    overdueFollowUps: followUps.reduce((a, r) => a + Number(r.n), 0),
  }
}

/** Corrects what a case is about and who follows it (counsellors change schools mid-year). */
export async function updateCaseDetails(ctx: ServiceContext, input: CaseUpdateInput) {
  const actor = requireActor(ctx)
  const c = await loadCase(ctx, input.caseId)
  assertOpen(c)
  const allowed = new Set((await schoolCounsellors(ctx.db, actorSchool(actor))).map((a) => a.id))
  if (input.counsellorIds.some((id) => !allowed.has(id))) throw new AppError('BAD_REQUEST', 'case.counsellorNotInSchool')
  const at = nowIso(ctx)
  await withTransaction(ctx.db, async (trx) => {
    const ok = await updateCase(trx, c.id, input.version, {
      categories: JSON.stringify([...new Set(input.categories)]),
      flags: JSON.stringify([...new Set(input.flags)]),
      concern_enc: encryptText(ctx.keys, CP.concern, input.concern),
      source: input.source,
      last_activity_at: at,
      updated_at: at,
    })
    if (!ok) throw conflict()
    const before = new Set((await caseCounsellors(trx, c.id)).map((a) => a.id))
    await setCounsellors(trx, c.id, [...new Set(input.counsellorIds)])
    // Only those newly put on the case are told.
    const added = input.counsellorIds.filter((id) => !before.has(id))
    await deliver(ctx, trx, added, { kind: 'case.assigned', entityType: 'case', entityId: c.id, schoolId: c.school_id })
    await appendAudit(trx, ctx, { action: 'case.update', outcome: 'ok', entityType: 'case', entityId: c.id, schoolId: c.school_id })
  })
}
