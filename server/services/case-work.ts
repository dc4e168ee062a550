import type { ReferralStatus } from '../../shared/cases'
import { canMoveReferral } from '../../shared/referrals'
import type {
  ContactInput,
  CrisisInput,
  NoteInput,
  NoteUpdateInput,
  ReferralInput,
  ReferralUpdateInput,
  RiskChangeInput,
} from '../../shared/case-schemas'
import { canEditNote, shanghaiDate } from '../rules/risk'
import {
  findFollowUp,
  findNote,
  findReferral,
  findTask,
  insertContact,
  insertCrisis,
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
import { applyRiskLevel, assertDateInCase, assertOpen, CP, loadCase, writeOnOpenCase } from './case'
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

export async function completeTask(ctx: ServiceContext, input: { taskId: number; status: 'done' | 'cancelled' }) {
  const actor = requireActor(ctx)
  const t = await findTask(ctx.db, input.taskId)
  if (!t) throw notFound()
  const c = await loadCase(ctx, t.case_id)
  await writeOnOpenCase(
    ctx,
    c,
    async (trx, at) => {
      if (!(await updateTask(trx, t.id, { status: input.status, completed_at: at, completed_by: actor.accountId })))
        throw new AppError('BAD_REQUEST', 'task.notOpen')
    },
    () => ({ action: 'case.task_complete', entityType: 'case', entityId: c.id, detail: `${t.kind}:${input.status}` }),
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
    async (trx, at) => ({
      id: await insertReferral(trx, {
        case_id: c.id,
        kind: input.kind,
        target: input.target,
        status: 'sent',
        sent_on: input.sentOn,
        created_by: actor.accountId,
        created_at: at,
        updated_at: at,
        version: 1,
      }),
    }),
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

/** A crisis always raises the case to 一级 and starts the 24 h clock again, whatever the level was. */
export async function recordCrisis(ctx: ServiceContext, input: CrisisInput) {
  const actor = requireActor(ctx)
  const c = await loadCase(ctx, input.caseId)
  assertOpen(c)
  assertDateInCase(ctx, c, shanghaiDate(new Date(input.occurredAt)))
  return writeOnOpenCase(
    ctx,
    c,
    async (trx, at) => {
      const id = await insertCrisis(trx, {
        case_id: c.id,
        occurred_at: new Date(input.occurredAt).toISOString(),
        what_enc: encryptText(ctx.keys, CP.what, input.what),
        actions_enc: encryptText(ctx.keys, CP.actions, input.actions),
        notified_enc: encryptText(ctx.keys, CP.notified, JSON.stringify(input.notified)),
        created_by: actor.accountId,
        created_at: at,
      })
      await updateCase(trx, c.id, null, { risk_level: 'crisis', updated_at: at })
      await applyRiskLevel(ctx, trx, c, c.risk_level, 'crisis', 'crisis', null)
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
