import { MEDICAL_REFERRAL_KINDS, NOTIFY_TASK, REFERRAL_TASKS, taskCompletion, type ReferralStatus } from '../../shared/cases'
import { canMoveReferral } from '../../shared/referrals'
import type {
  ContactInput,
  CrisisInput,
  NoteInput,
  NotificationInput,
  NoteUpdateInput,
  ReferralInput,
  ReferralUpdateInput,
  RiskChangeInput,
  TaskCompleteInput,
} from '../../shared/case-schemas'
import { canEditNote, shanghaiDate } from '../rules/risk'
import {
  caseCounsellors,
  findFollowUp,
  findNote,
  findReferral,
  findOpenTaskOfKind,
  findTask,
  insertContact,
  insertCrisis,
  insertNotification,
  insertFollowUp,
  insertNote,
  insertReferral,
  keepNoteVersion,
  noteVersions,
  updateCase,
  updateFollowUp,
  updateNote,
  updateReferral,
  updateTask,
} from '../repositories/case'
import { appendAudit } from './audit'
import { deliver } from './inbox'
import { applyRiskLevel, assertDateInCase, assertOpen, CP, loadCase, writeOnOpenCase, type LoadedCase } from './case'
import { requireActor, type ServiceContext } from './context'
import { decryptText, encryptOptional, encryptText } from './crypto'
import { AppError, conflict, notFound } from './errors'

export async function addNote(ctx: ServiceContext, input: NoteInput) {
  const actor = requireActor(ctx)
  const c = await loadCase(ctx, input.caseId)
  assertOpen(c)
  assertDateInCase(ctx, c, input.sessionDate)
  return writeOnOpenCase(
    ctx,
    c,
    async (trx, at) => ({
      id: await insertNote(trx, {
        case_id: c.id,
        author_id: actor.accountId,
        session_date: input.sessionDate,
        duration_min: input.durationMin,
        type: input.type,
        text_enc: encryptText(ctx.keys, CP.note, input.text),
        private: input.private ? 1 : 0,
        created_at: at,
        updated_at: at,
        version: 1,
      }),
    }),
    ({ id }) => ({ action: 'case.note_add', entityType: 'case_note', entityId: id, detail: `case:${c.id}` }),
  )
}

/** Only the author, within 24 h; the earlier text is kept as a version, never overwritten. */
export async function editNote(ctx: ServiceContext, input: NoteUpdateInput) {
  const actor = requireActor(ctx)
  const note = await findNote(ctx.db, input.noteId)
  if (!note) throw notFound()
  const c = await loadCase(ctx, note.case_id)
  if (note.private === 1 && note.author_id !== actor.accountId) throw notFound()
  assertOpen(c)
  if (!canEditNote({ authorId: note.author_id, createdAt: note.created_at }, actor.accountId, ctx.now()))
    throw new AppError('FORBIDDEN', 'note.notEditable')
  assertDateInCase(ctx, c, input.sessionDate)
  await writeOnOpenCase(
    ctx,
    c,
    async (trx, at) => {
      if (note.version !== input.version) throw conflict()
      await keepNoteVersion(trx, note, at)
      if (
        !(await updateNote(trx, note.id, input.version, {
          session_date: input.sessionDate,
          duration_min: input.durationMin,
          type: input.type,
          text_enc: encryptText(ctx.keys, CP.note, input.text),
          updated_at: at,
        }))
      )
        throw conflict()
    },
    () => ({ action: 'case.note_edit', entityType: 'case_note', entityId: note.id, detail: `case:${c.id}` }),
  )
}

export async function listNoteVersions(ctx: ServiceContext, noteId: number) {
  const actor = requireActor(ctx)
  const note = await findNote(ctx.db, noteId)
  if (!note) throw notFound()
  const c = await loadCase(ctx, note.case_id)
  if (note.private === 1 && note.author_id !== actor.accountId) throw notFound()
  const rows = await noteVersions(ctx.db, noteId)
  await appendAudit(ctx.db, ctx, {
    action: 'case.note_versions_read',
    outcome: 'ok',
    entityType: 'case_note',
    entityId: noteId,
    schoolId: c.school_id,
  })
  return rows.map((v) => ({
    version: v.version,
    sessionDate: v.session_date,
    durationMin: v.duration_min,
    type: v.type,
    text: decryptText(ctx.keys, CP.note, v.text_enc),
    replacedAt: v.replaced_at,
  }))
}

/** A change of risk level needs a reason; it is kept as history and creates that level's tasks. */
export async function changeRiskLevel(ctx: ServiceContext, input: RiskChangeInput) {
  const c = await loadCase(ctx, input.caseId)
  await writeOnOpenCase(
    ctx,
    c,
    async (trx, at) => {
      if (!(await updateCase(trx, c.id, input.version, { risk_level: input.level, updated_at: at }))) throw conflict()
      await applyRiskLevel(ctx, trx, c, c.risk_level, input.level, 'changed', input.reason)
    },
    () => ({ action: 'case.risk_change', entityType: 'case', entityId: c.id, detail: `${c.risk_level}>${input.level}` }),
  )
}

export async function addFollowUp(ctx: ServiceContext, input: { caseId: number; dueOn: string; purpose?: string | null }) {
  const actor = requireActor(ctx)
  const c = await loadCase(ctx, input.caseId)
  assertOpen(c)
  if (input.dueOn < c.opened_on) throw new AppError('BAD_REQUEST', 'case.dateBeforeOpened', { openedOn: c.opened_on })
  return writeOnOpenCase(
    ctx,
    c,
    async (trx, at) => ({
      id: await insertFollowUp(trx, {
        case_id: c.id,
        school_id: c.school_id,
        due_on: input.dueOn,
        purpose_enc: encryptOptional(ctx.keys, CP.purpose, input.purpose),
        status: 'planned',
        created_by: actor.accountId,
        created_at: at,
      }),
    }),
    () => ({ action: 'case.follow_up_add', entityType: 'case', entityId: c.id, detail: `due:${input.dueOn}` }),
  )
}

export async function completeFollowUp(ctx: ServiceContext, input: { followUpId: number; status: 'done' | 'cancelled' }) {
  const f = await findFollowUp(ctx.db, input.followUpId)
  if (!f) throw notFound()
  const c = await loadCase(ctx, f.case_id)
  await writeOnOpenCase(
    ctx,
    c,
    async (trx, at) => {
      if (!(await updateFollowUp(trx, f.id, { status: input.status, done_at: at }))) throw new AppError('BAD_REQUEST', 'task.notOpen')
    },
    () => ({ action: 'case.follow_up_complete', entityType: 'case', entityId: c.id, detail: input.status }),
  )
}

/**
 * Ticks a task off, or marks it not applicable with the counsellor's reason. A notification task is
 * done only by recording the notification, the hospital referral only by recording the referral:
 * a tick alone would claim what nobody recorded.
 */
export async function completeTask(ctx: ServiceContext, input: TaskCompleteInput) {
  const actor = requireActor(ctx)
  const t = await findTask(ctx.db, input.taskId)
  if (!t) throw notFound()
  const c = await loadCase(ctx, t.case_id)
  if (input.status === 'done') {
    const how = taskCompletion(t.kind)
    if (how === 'notification') throw new AppError('BAD_REQUEST', 'task.needsNotification')
    if (how === 'referral') throw new AppError('BAD_REQUEST', 'task.needsReferral')
  }
  await writeOnOpenCase(
    ctx,
    c,
    async (trx, at) => {
      const values =
        input.status === 'done'
          ? { status: 'done' as const, completed_at: at, completed_by: actor.accountId }
          : {
              status: 'not_applicable' as const,
              completed_at: at,
              completed_by: actor.accountId,
              na_reason_enc: encryptText(ctx.keys, CP.naReason, input.reason),
            }
      if (!(await updateTask(trx, t.id, values))) throw new AppError('BAD_REQUEST', 'task.notOpen')
    },
    () => ({ action: 'case.task_complete', entityType: 'case', entityId: c.id, detail: `${t.kind}:${input.status}` }),
  )
}

type Notified = { recipient: NotificationInput['recipient']; name?: string | null; at: string }

/** A notification cannot precede what it is about, nor lie in the future (a few minutes of clock skew aside). */
function assertNotifiedAt(ctx: ServiceContext, c: LoadedCase, at: string, notBefore: string | null) {
  const t = Date.parse(at)
  if (t > ctx.now().getTime() + 5 * 60_000) throw new AppError('BAD_REQUEST', 'notification.inFuture')
  if (notBefore && t < Date.parse(notBefore)) throw new AppError('BAD_REQUEST', 'notification.beforeCrisis')
  assertDateInCase(ctx, c, shanghaiDate(new Date(at)))
}

/**
 * Records who was told and when; a guardian or principal notification completes the matching open
 * task (`taskId` when the counsellor completes that task, else the oldest-due one), so the task and
 * the record point at the same row.
 */
async function writeNotification(
  ctx: ServiceContext,
  trx: ServiceContext['db'],
  c: LoadedCase,
  n: Notified,
  crisisId: number | null,
  at: string,
  task: { id: number } | null,
): Promise<{ id: number; taskId: number | null }> {
  const actor = requireActor(ctx)
  const id = await insertNotification(trx, {
    case_id: c.id,
    school_id: c.school_id,
    crisis_id: crisisId,
    recipient: n.recipient,
    name_enc: encryptOptional(ctx.keys, CP.notifiedName, n.name),
    notified_at: new Date(n.at).toISOString(),
    recorded_by: actor.accountId,
    recorded_at: at,
  })
  const kind = NOTIFY_TASK[n.recipient]
  const target = task ?? (kind ? (await findOpenTaskOfKind(trx, c.id, [kind]))[0] : undefined)
  if (!target) return { id, taskId: null }
  if (!(await updateTask(trx, target.id, { status: 'done', completed_at: at, completed_by: actor.accountId, notification_id: id })))
    throw new AppError('BAD_REQUEST', 'task.notOpen')
  return { id, taskId: target.id }
}

/** A notification on its own, or the one that completes a notification task. */
export async function addNotification(ctx: ServiceContext, input: NotificationInput) {
  const c = await loadCase(ctx, input.caseId)
  assertOpen(c)
  let task: { id: number } | null = null
  if (input.taskId != null) {
    const t = await findTask(ctx.db, input.taskId)
    if (!t || t.case_id !== c.id) throw notFound()
    if (t.status !== 'open') throw new AppError('BAD_REQUEST', 'task.notOpen')
    if (NOTIFY_TASK[input.recipient] !== t.kind) throw new AppError('BAD_REQUEST', 'notification.wrongRecipient')
    task = t
  }
  assertNotifiedAt(ctx, c, input.at, null)
  return writeOnOpenCase(
    ctx,
    c,
    (trx, at) => writeNotification(ctx, trx, c, input, null, at, task),
    (r) => ({ action: 'case.notify', entityType: 'case', entityId: c.id, detail: `${input.recipient}${r.taskId ? ':task' : ''}` }),
  )
}

export async function addReferral(ctx: ServiceContext, input: ReferralInput) {
  const actor = requireActor(ctx)
  const c = await loadCase(ctx, input.caseId)
  assertOpen(c)
  assertDateInCase(ctx, c, input.sentOn)
  return writeOnOpenCase(
    ctx,
    c,
    async (trx, at) => {
      const id = await insertReferral(trx, {
        case_id: c.id,
        kind: input.kind,
        target: input.target,
        status: 'sent',
        sent_on: input.sentOn,
        created_by: actor.accountId,
        created_at: at,
        updated_at: at,
        version: 1,
      })
      // A referral to medical care is what the referral tasks ask for: they point at it, done.
      if (MEDICAL_REFERRAL_KINDS.includes(input.kind))
        for (const t of await findOpenTaskOfKind(trx, c.id, REFERRAL_TASKS))
          await updateTask(trx, t.id, { status: 'done', completed_at: at, completed_by: actor.accountId, referral_id: id })
      return { id }
    },
    () => ({ action: 'case.referral_add', entityType: 'case', entityId: c.id, detail: input.kind }),
  )
}

export async function updateReferralService(ctx: ServiceContext, input: ReferralUpdateInput) {
  const r = await findReferral(ctx.db, input.referralId)
  if (!r) throw notFound()
  const c = await loadCase(ctx, r.case_id)
  assertOpen(c)
  if (!canMoveReferral(r.status as ReferralStatus, input.status)) throw new AppError('BAD_REQUEST', 'referral.transition')
  assertDateInCase(ctx, c, input.on)
  if (input.on < r.sent_on) throw new AppError('BAD_REQUEST', 'case.dateBeforeOpened', { openedOn: r.sent_on })
  await writeOnOpenCase(
    ctx,
    c,
    async (trx, at) => {
      const values = {
        status: input.status,
        updated_at: at,
        ...(input.status === 'accepted' ? { accepted_on: input.on } : {}),
        ...(input.status === 'feedback_received'
          ? { feedback_on: input.on, feedback_enc: encryptOptional(ctx.keys, CP.feedback, input.feedback) }
          : {}),
        ...(input.status === 'returned' ? { return_plan_enc: encryptOptional(ctx.keys, CP.returnPlan, input.returnPlan) } : {}),
      }
      if (!(await updateReferral(trx, r.id, input.version, values))) throw conflict()
    },
    () => ({ action: 'case.referral_update', entityType: 'case', entityId: c.id, detail: `${r.status}>${input.status}` }),
  )
}

/**
 * A crisis always raises the case to 一级 and starts its clocks again, whatever the level was. The
 * record holds the immediate step as confirmed (or not), and only the notifications the counsellor
 * entered, each completing its matching task.
 */
export async function recordCrisis(ctx: ServiceContext, input: CrisisInput) {
  const actor = requireActor(ctx)
  const c = await loadCase(ctx, input.caseId)
  assertOpen(c)
  assertDateInCase(ctx, c, shanghaiDate(new Date(input.occurredAt)))
  for (const n of input.notified) assertNotifiedAt(ctx, c, n.at, input.occurredAt)
  return writeOnOpenCase(
    ctx,
    c,
    async (trx, at) => {
      const id = await insertCrisis(trx, {
        case_id: c.id,
        occurred_at: new Date(input.occurredAt).toISOString(),
        what_enc: encryptText(ctx.keys, CP.what, input.what),
        actions_enc: encryptText(ctx.keys, CP.actions, input.actions),
        notified_enc: encryptText(ctx.keys, CP.notified, '[]'),
        accompanied: input.accompanied ? 1 : 0,
        accompanied_by_enc: input.accompanied ? encryptOptional(ctx.keys, CP.accompaniedBy, input.accompaniedBy) : null,
        created_by: actor.accountId,
        created_at: at,
      })
      await updateCase(trx, c.id, null, { risk_level: 'crisis', updated_at: at })
      await applyRiskLevel(ctx, trx, c, c.risk_level, 'crisis', 'crisis', null)
      for (const n of [...input.notified].sort((a, b) => Date.parse(a.at) - Date.parse(b.at)))
        await writeNotification(ctx, trx, c, n, id, at, null)
      // The case's other counsellors hear of it at once, in the same transaction as the record.
      const team = (await caseCounsellors(trx, c.id)).map((a) => a.id)
      await deliver(ctx, trx, team, { kind: 'case.crisis', entityType: 'case', entityId: c.id, schoolId: c.school_id })
      return { id }
    },
    ({ id }) => ({ action: 'case.crisis', entityType: 'case', entityId: c.id, detail: `crisis:${id}` }),
  )
}

export async function addContact(ctx: ServiceContext, input: ContactInput) {
  const actor = requireActor(ctx)
  const c = await loadCase(ctx, input.caseId)
  assertOpen(c)
  assertDateInCase(ctx, c, shanghaiDate(new Date(input.contactedAt)))
  const action = input.kind === 'consent' ? 'case.consent' : 'case.guardian_contact'
  return writeOnOpenCase(
    ctx,
    c,
    async (trx, at) => ({
      id: await insertContact(trx, {
        case_id: c.id,
        kind: input.kind,
        relation: input.relation,
        method: input.method,
        contacted_at: new Date(input.contactedAt).toISOString(),
        consent_given: input.consentGiven == null ? null : input.consentGiven ? 1 : 0,
        note_enc: encryptOptional(ctx.keys, CP.contactNote, input.note),
        created_by: actor.accountId,
        created_at: at,
      }),
    }),
    () => ({ action, entityType: 'case', entityId: c.id }),
  )
}
