import { createHash } from 'node:crypto'
import {
  ATTACHMENTS_PER_EVENT,
  PROGRAMME_ITEMS,
  type AttachmentType,
  type EventKind,
  type ItemStatus,
  type ProgrammeItem,
  type ProgrammeRules,
} from '../../shared/programme'
import {
  storedAudiences,
  storedDrillRoles,
  storedGrades,
  type ChannelCreateInput,
  type ClinicSaveInput,
  type EventCreateInput,
  type EventUpdateInput,
  type TeamSaveInput,
} from '../../shared/programme-schemas'
import type { AppErrorCode } from '../../shared/errors'
import type { SchoolType } from '../../shared/roles'
import {
  attachmentsOf,
  caseFollowUpFacts,
  channelRows,
  classRows,
  clinicReferrals,
  clinicRows,
  countAttachments,
  deleteAttachments,
  deleteChannel,
  deleteClinic,
  deleteEvent,
  eventRows,
  findAttachment,
  findChannel,
  findEvent,
  insertAttachment,
  insertChannel,
  insertEvent,
  lockEvent,
  programmeSchools,
  replaceClasses,
  rosterClasses,
  storageKeysOfEvent,
  teachersInPost,
  teamFacts,
  updateEvent,
  upsertClinic,
  upsertTeam,
  type SchoolFilter,
} from '../repositories/programme'
import {
  attachmentProblem,
  caseFollowUpStatus,
  clinicStatus,
  completedCount,
  eventsStatus,
  platformStatus,
  attachmentDownloadName,
  safeFileName,
  sniffType,
  teamStatus,
  type ItemResult,
} from '../rules/programme'
import { referenceDate } from '../rules/staffing'
import { discloseSchoolCaseFigures } from './case-stats'
import { appendAudit } from './audit'
import { decryptBytes, decryptText, encryptBytes, encryptText } from './crypto'
import { accountRef, nowIso, requireActor, type ServiceContext, withTransaction } from './context'
import { loadProgrammeSettings } from './district-settings'
import { AppError, conflict, notFound } from './errors'
import { EXTENSION, newStorageKey } from './file-store'
import { ownRecord, ownSchoolId, targetSchool, targetYear, today, writableYear } from './school-scope'
import { parseStored } from './stored-json'

export interface YearRef {
  id: number
  label: string
  startsOn: string
  endsOn: string
}

const num = (v: unknown) => (v == null ? 0 : Number(v))

function groupBy<T extends { school_id: number }>(rows: readonly T[]): Map<number, T[]> {
  const out = new Map<number, T[]>()
  for (const r of rows) {
    const list = out.get(r.school_id)
    if (list) list.push(r)
    else out.set(r.school_id, [r])
  }
  return out
}

type EventRow = Awaited<ReturnType<typeof eventRows>>[number]

function toEvent(r: EventRow) {
  return {
    id: r.id,
    kind: r.kind,
    heldOn: r.held_on,
    title: r.title,
    audiences: parseStored(storedAudiences, r.audiences, [], 'programme_event.audiences'),
    grades: parseStored(storedGrades, r.grades, [], 'programme_event.grades'),
    participants: r.participants,
    organiser: r.organiser,
    summary: r.summary,
    scenario: r.scenario,
    roles: parseStored(storedDrillRoles, r.roles, [], 'programme_event.roles'),
    responseMinutes: r.response_minutes == null ? null : Number(r.response_minutes),
    problemsFound: r.problems_found,
    improvements: r.improvements,
    attachments: num(r.attachments),
    version: r.version,
  }
}

/**
 * Every school's evidence for one year and each item's status under the district's rules, with a
 * fixed number of queries whatever the number of schools (the bureau's matrix and one school's page
 * share this path, so both always agree).
 */
export async function programmeFacts(ctx: ServiceContext, f: SchoolFilter, year: YearRef, rules: ProgrammeRules) {
  const actor = requireActor(ctx)
  const ref = referenceDate(year, today(ctx))
  const [schools, teams, classes, events, channels, clinics, teachers, cases, referrals] = await Promise.all([
    programmeSchools(ctx.db, actor.scope, f, year.id),
    teamFacts(ctx.db, actor.scope, f, year.id),
    classRows(ctx.db, actor.scope, f, year.id),
    eventRows(ctx.db, actor.scope, f, year.id),
    channelRows(ctx.db, actor.scope, f, year.id),
    clinicRows(ctx.db, actor.scope, f, year.id),
    teachersInPost(ctx.db, actor.scope, f, ref),
    caseFollowUpFacts(ctx.db, actor.scope, f, ref),
    clinicReferrals(ctx.db, actor.scope, f, year.startsOn, year.endsOn),
  ])
  const teamBy = new Map(teams.map((t) => [t.school_id, t]))
  const classesBy = groupBy(classes)
  const eventsBy = groupBy(events)
  const channelsBy = groupBy(channels)
  const clinicBy = new Map(clinics.map((c) => [c.school_id, c]))
  const teachersBy = new Map(teachers.map((t) => [t.school_id, num(t.n)]))
  const casesBy = new Map(cases.map((c) => [c.school_id, c]))
  const referralsBy = new Map(referrals.map((r) => [r.school_id, num(r.n)]))

  return {
    refDate: ref,
    schools: schools.map((s) => {
      const team = teamBy.get(s.id)
      const cls = (classesBy.get(s.id) ?? []).map((c) => ({
        grade: c.grade,
        className: c.class_name,
        headTeacherTrained: !!c.head_teacher_trained,
        peerSupporters: c.peer_supporters,
      }))
      const evs = (eventsBy.get(s.id) ?? []).map(toEvent)
      const byKind = (k: EventKind) => evs.filter((e) => e.kind === k)
      const chans = (channelsBy.get(s.id) ?? []).map((c) => ({
        id: c.id,
        kind: c.kind,
        name: c.name,
        address: c.address,
        launchedOn: c.launched_on,
      }))
      const clinicRow = clinicBy.get(s.id)
      const clinic = clinicRow
        ? {
            hospital: clinicRow.hospital,
            clinicName: clinicRow.clinic_name,
            greenChannel: !!clinicRow.green_channel,
            agreementOn: clinicRow.agreement_on,
            contactName: clinicRow.contact_name,
            contactPhone: clinicRow.contact_phone,
            version: clinicRow.version,
          }
        : null
      const c = casesBy.get(s.id)
      const followUp = { openCases: num(c?.open_cases), onPlan: num(c?.on_plan), overdueItems: num(c?.overdue_items) }
      const teamResult = teamStatus(
        {
          setUpOn: team?.set_up_on ?? null,
          classes: cls,
          enrolmentClasses: s.classes == null ? null : Number(s.classes),
          psychTeachersInPost: teachersBy.get(s.id) ?? 0,
        },
        rules.team,
      )
      const eventRule = (k: EventKind) => (k === 'drill' ? rules.drill : rules[k])
      const evResult = (k: EventKind) =>
        eventsStatus(
          byKind(k).map((e) => ({ participants: e.participants, attachments: e.attachments, problemsFound: e.problemsFound })),
          eventRule(k),
        )
      const results: Record<ProgrammeItem, ItemResult> = {
        team: teamResult,
        activity: evResult('activity'),
        lecture: evResult('lecture'),
        platform: platformStatus(chans, rules.platform),
        caseFollowUp: caseFollowUpStatus(followUp, rules.caseFollowUp),
        clinic: clinicStatus(clinic, rules.clinic),
        drill: evResult('drill'),
      }
      const statuses = Object.fromEntries(PROGRAMME_ITEMS.map((i) => [i, results[i].status])) as Record<ProgrammeItem, ItemStatus>
      return {
        school: {
          id: s.id,
          code: s.code,
          name: s.name,
          nameEn: s.name_en,
          type: s.type as SchoolType,
          streetId: s.street_id,
          streetNameZh: s.street_name_zh,
          streetNameEn: s.street_name_en,
          streetSort: Number(s.street_sort),
        },
        evidence: {
          team: {
            setUpOn: team?.set_up_on ?? null,
            note: team?.note ?? null,
            version: team?.version ?? null,
            classes: cls,
            psychTeachersInPost: teachersBy.get(s.id) ?? 0,
            enrolmentClasses: s.classes == null ? null : Number(s.classes),
            classCount: teamResult.classes,
            peerClasses: teamResult.peerClasses,
            trainedHeadTeachers: teamResult.trainedHeadTeachers,
          },
          activity: byKind('activity'),
          lecture: byKind('lecture'),
          drill: byKind('drill'),
          platform: chans,
          caseFollowUp: followUp,
          clinic: { link: clinic, referrals: referralsBy.get(s.id) ?? 0 },
        },
        results,
        statuses,
        completed: completedCount(statuses),
      }
    }),
  }
}
export type SchoolProgramme = Awaited<ReturnType<typeof programmeFacts>>['schools'][number]

/**
 * One school's seven items for a year, with evidence and attachment lists. The bureau sees case
 * follow-up as a status; the counts behind it are withheld below the district's small-cell threshold.
 */
export async function programmeOverview(ctx: ServiceContext, input: { schoolId?: number; schoolYearId?: number }) {
  const actor = requireActor(ctx)
  const school = await targetSchool(ctx, input.schoolId)
  const year = await targetYear(ctx, input.schoolYearId)
  const settings = await loadProgrammeSettings(ctx.db)
  const facts = await programmeFacts(ctx, { schoolId: school.id }, year, settings.rules)
  const one = facts.schools[0]
  if (!one) throw notFound()
  const eventIds = [...one.evidence.activity, ...one.evidence.lecture, ...one.evidence.drill].map((e) => e.id)
  const files = await attachmentsOf(ctx.db, eventIds)
  const withFiles = <T extends { id: number }>(list: T[]) =>
    list.map((e) => ({
      ...e,
      files: files
        .filter((a) => a.event_id === e.id)
        .map((a) => ({
          id: a.id,
          fileName: attachmentName(ctx.keys, a),
          mimeType: a.mime_type,
          sizeBytes: a.size_bytes,
          createdAt: a.created_at,
        })),
    }))
  // The district sees case-derived counts only where the disclosure rule lets every one of them out
  // (no small number shows or can be worked out by subtraction); otherwise the item's status alone.
  // With no open case there is nothing to count, and the screen says so.
  const ownSchool = actor.scope.kind === 'school'
  const fu = one.evidence.caseFollowUp
  const referrals = one.evidence.clinic.referrals
  const figures = ownSchool
    ? { openCases: fu.openCases, onPlan: fu.onPlan, overdueItems: fu.overdueItems, referrals }
    : await discloseSchoolCaseFigures(ctx, {
        schoolId: school.id,
        yearId: year.id,
        refDate: facts.refDate,
        openCases: fu.openCases,
        onPlan: fu.onPlan,
        overdueItems: fu.overdueItems,
        referrals,
      })
  const caseFigures = {
    openCases: figures.openCases,
    onPlan: figures.onPlan,
    overdueItems: figures.overdueItems,
    suppressed: figures.openCases == null || figures.onPlan == null || figures.overdueItems == null,
  }
  const clinic = { ...one.evidence.clinic, referrals: figures.referrals }
  return {
    school: one.school,
    year,
    refDate: facts.refDate,
    rules: settings.rules,
    statuses: one.statuses,
    gaps: Object.fromEntries(PROGRAMME_ITEMS.map((i) => [i, one.results[i].gaps])) as Record<ProgrammeItem, string[]>,
    completed: one.completed,
    evidence: {
      ...one.evidence,
      activity: withFiles(one.evidence.activity),
      lecture: withFiles(one.evidence.lecture),
      drill: withFiles(one.evidence.drill),
      caseFollowUp: caseFigures,
      clinic,
    },
  }
}

/** The classes on the roster, to start the team's class list from (grade and class name only, no students). */
export async function rosterClassList(ctx: ServiceContext) {
  const schoolId = ownSchoolId(ctx)
  return (await rosterClasses(ctx.db, schoolId)).map((r) => ({ grade: r.grade, className: r.class_name }))
}

export async function saveTeam(ctx: ServiceContext, input: TeamSaveInput) {
  const schoolId = ownSchoolId(ctx)
  const year = await writableYear(ctx, input.schoolYearId)
  const actor = requireActor(ctx)
  await withTransaction(ctx.db, async (trx) => {
    await upsertTeam(trx, {
      school_id: schoolId,
      school_year_id: year.id,
      set_up_on: input.setUpOn,
      note: input.note || null,
      updated_at: nowIso(ctx),
      updated_by: accountRef(actor),
    })
    await replaceClasses(
      trx,
      schoolId,
      year.id,
      input.classes.map((c) => ({
        grade: c.grade,
        class_name: c.className,
        head_teacher_trained: c.headTeacherTrained ? 1 : 0,
        peer_supporters: c.peerSupporters,
      })),
    )
    await appendAudit(trx, ctx, {
      action: 'programme.team_save',
      outcome: 'ok',
      entityType: 'programme_team',
      entityId: schoolId,
      schoolId,
      detail: `year:${year.id},classes:${input.classes.length}`,
    })
  })
  return { schoolYearId: year.id }
}

function inYear(date: string, year: YearRef): boolean {
  return date >= year.startsOn && date <= year.endsOn
}

/** Evidence is of something that happened: inside its school year and not after today. */
function checkEventDate(ctx: ServiceContext, heldOn: string, year: YearRef): void {
  if (!inYear(heldOn, year)) throw new AppError('BAD_REQUEST', 'programme.dateOutsideYear', { year: year.label })
  if (heldOn > today(ctx)) throw new AppError('BAD_REQUEST', 'programme.dateInFuture')
}

function eventValues(input: Omit<EventCreateInput, 'schoolYearId'>) {
  const drill = input.kind === 'drill'
  return {
    kind: input.kind,
    held_on: input.heldOn,
    title: input.title,
    audiences: JSON.stringify([...new Set(input.audiences)]),
    grades: JSON.stringify([...new Set(input.grades)].sort((a, b) => a - b)),
    participants: input.participants,
    organiser: input.organiser || null,
    summary: input.summary || null,
    // Drill fields belong to drills only, so an activity never carries a stale scenario.
    scenario: drill ? input.scenario || null : null,
    roles: JSON.stringify(drill ? [...new Set(input.roles)] : []),
    response_minutes: drill ? (input.responseMinutes ?? null) : null,
    problems_found: drill ? input.problemsFound || null : null,
    improvements: drill ? input.improvements || null : null,
  }
}

export async function createEvent(ctx: ServiceContext, input: EventCreateInput) {
  const schoolId = ownSchoolId(ctx)
  const year = await writableYear(ctx, input.schoolYearId)
  checkEventDate(ctx, input.heldOn, year)
  const actor = requireActor(ctx)
  const at = nowIso(ctx)
  return withTransaction(ctx.db, async (trx) => {
    const id = await insertEvent(trx, {
      ...eventValues(input),
      school_id: schoolId,
      school_year_id: year.id,
      created_by: accountRef(actor),
      created_at: at,
      updated_at: at,
      version: 1,
    })
    await appendAudit(trx, ctx, {
      action: 'programme.event_create',
      outcome: 'ok',
      entityType: 'programme_event',
      entityId: id,
      schoolId,
      detail: input.kind,
    })
    return { id }
  })
}

async function ownEvent(ctx: ServiceContext, id: number) {
  return ownRecord(ctx, findEvent, id)
}

export async function editEvent(ctx: ServiceContext, input: EventUpdateInput) {
  const ev = await ownEvent(ctx, input.id)
  const year = await writableYear(ctx, ev.school_year_id)
  checkEventDate(ctx, input.heldOn, year)
  await withTransaction(ctx.db, async (trx) => {
    if (!(await updateEvent(trx, ev.id, input.version, { ...eventValues(input), updated_at: nowIso(ctx) }))) throw conflict()
    await appendAudit(trx, ctx, {
      action: 'programme.event_update',
      outcome: 'ok',
      entityType: 'programme_event',
      entityId: ev.id,
      schoolId: ev.school_id,
      detail: input.kind,
    })
  })
  return { id: ev.id }
}

/** Removes an event with its attachments; the files go once the rows are gone. */
export async function removeEvent(ctx: ServiceContext, id: number) {
  const ev = await ownEvent(ctx, id)
  await writableYear(ctx, ev.school_year_id)
  const keys = await withTransaction(ctx.db, async (trx) => {
    const stored = await storageKeysOfEvent(trx, ev.id)
    await deleteAttachments(
      trx,
      stored.map((s) => s.id),
    )
    await deleteEvent(trx, ev.id)
    await appendAudit(trx, ctx, {
      action: 'programme.event_remove',
      outcome: 'ok',
      entityType: 'programme_event',
      entityId: ev.id,
      schoolId: ev.school_id,
      detail: `files:${stored.length}`,
    })
    return stored.map((s) => s.storage_key)
  })
  for (const key of keys) await ctx.files.remove(key)
  return { id: ev.id }
}

/** Each file's own associated data: an encrypted file only opens under the name its row gives it. */
const attachmentPurpose = (storageKey: string) => `programme.attachment:${storageKey}`
/** The original file name is encrypted too, bound to the same file. */
export const attachmentNamePurpose = (storageKey: string) => `programme.attachment.name:${storageKey}`

/** The name an attachment is shown and downloaded under: the decrypted original with the detected type's extension. */
function attachmentName(
  keys: ServiceContext['keys'],
  row: { file_name: string; file_ext: string | null; storage_key: string; mime_type: string },
): string {
  if (row.file_ext == null) return attachmentDownloadName(row.file_name, EXTENSION[row.mime_type as AttachmentType] ?? 'bin')
  return attachmentDownloadName(decryptText(keys, attachmentNamePurpose(row.storage_key), row.file_name), row.file_ext)
}

/**
 * Attaches a photo or scanned sheet to the school's own event. The type comes from the file's bytes;
 * size, type and count are checked before anything is written; the file is stored encrypted under a random name.
 */
export async function addAttachment(ctx: ServiceContext, input: { eventId: number; fileName: string; bytes: Uint8Array }) {
  const ev = await ownEvent(ctx, input.eventId)
  await writableYear(ctx, ev.school_year_id)
  const type = sniffType(input.bytes.subarray(0, 16))
  const problem = attachmentProblem(input.bytes.length, type, await countAttachments(ctx.db, ev.id), ATTACHMENTS_PER_EVENT)
  if (problem || !type) throw new AppError('BAD_REQUEST', `attachment.${problem ?? 'unsupportedType'}` as AppErrorCode)
  const key = newStorageKey(type)
  await ctx.files.put(key, encryptBytes(ctx.keys, attachmentPurpose(key), input.bytes))
  try {
    return await withTransaction(ctx.db, async (trx) => {
      // Counted again under the event's lock: uploads racing past the first check cannot exceed the limit.
      await lockEvent(trx, ev.id)
      if ((await countAttachments(trx, ev.id)) >= ATTACHMENTS_PER_EVENT) throw new AppError('BAD_REQUEST', 'attachment.tooMany')
      const id = await insertAttachment(trx, {
        event_id: ev.id,
        school_id: ev.school_id,
        file_name: encryptText(ctx.keys, attachmentNamePurpose(key), safeFileName(input.fileName)),
        file_ext: EXTENSION[type],
        mime_type: type,
        size_bytes: input.bytes.length,
        sha256: createHash('sha256').update(input.bytes).digest('hex'),
        storage_key: key,
        uploaded_by: accountRef(requireActor(ctx)),
        created_at: nowIso(ctx),
      })
      await appendAudit(trx, ctx, {
        action: 'programme.attachment_add',
        outcome: 'ok',
        entityType: 'programme_attachment',
        entityId: id,
        schoolId: ev.school_id,
        detail: `${type},bytes:${input.bytes.length}`,
      })
      return { id, mimeType: type, sizeBytes: input.bytes.length }
    })
  } catch (err) {
    await ctx.files.remove(key)
    throw err
  }
}

/** Reads an attachment for download: the school's own, or any school's for the bureau. Every read is audited. */
export async function openAttachment(ctx: ServiceContext, id: number) {
  const actor = requireActor(ctx)
  const row = await findAttachment(ctx.db, actor.scope, id)
  if (!row) throw notFound()
  const stored = await ctx.files.get(row.storage_key).catch(() => {
    throw notFound()
  })
  const bytes = decryptBytes(ctx.keys, attachmentPurpose(row.storage_key), stored)
  await appendAudit(ctx.db, ctx, {
    action: 'programme.attachment_read',
    outcome: 'ok',
    entityType: 'programme_attachment',
    entityId: row.id,
    schoolId: row.school_id,
  })
  return { fileName: attachmentName(ctx.keys, row), mimeType: row.mime_type, bytes }
}

export async function removeAttachment(ctx: ServiceContext, id: number) {
  const row = await ownRecord(ctx, findAttachment, id)
  await writableYear(ctx, (await ownEvent(ctx, row.event_id)).school_year_id)
  const schoolId = row.school_id
  await withTransaction(ctx.db, async (trx) => {
    await deleteAttachments(trx, [row.id])
    await appendAudit(trx, ctx, {
      action: 'programme.attachment_remove',
      outcome: 'ok',
      entityType: 'programme_attachment',
      entityId: row.id,
      schoolId,
    })
  })
  await ctx.files.remove(row.storage_key)
  return { id: row.id }
}

export async function addChannel(ctx: ServiceContext, input: ChannelCreateInput) {
  const schoolId = ownSchoolId(ctx)
  const year = await writableYear(ctx, input.schoolYearId)
  return withTransaction(ctx.db, async (trx) => {
    const id = await insertChannel(trx, {
      school_id: schoolId,
      school_year_id: year.id,
      kind: input.kind,
      name: input.name,
      address: input.address || null,
      launched_on: input.launchedOn,
      created_at: nowIso(ctx),
    })
    await appendAudit(trx, ctx, {
      action: 'programme.channel_add',
      outcome: 'ok',
      entityType: 'programme_channel',
      entityId: id,
      schoolId,
      detail: input.kind,
    })
    return { id }
  })
}

export async function removeChannel(ctx: ServiceContext, id: number) {
  const row = await ownRecord(ctx, findChannel, id)
  await writableYear(ctx, row.school_year_id)
  const schoolId = row.school_id
  await withTransaction(ctx.db, async (trx) => {
    await deleteChannel(trx, row.id)
    await appendAudit(trx, ctx, {
      action: 'programme.channel_remove',
      outcome: 'ok',
      entityType: 'programme_channel',
      entityId: row.id,
      schoolId,
    })
  })
  return { id: row.id }
}

export async function saveClinic(ctx: ServiceContext, input: ClinicSaveInput) {
  const schoolId = ownSchoolId(ctx)
  const year = await writableYear(ctx, input.schoolYearId)
  await withTransaction(ctx.db, async (trx) => {
    await upsertClinic(trx, {
      school_id: schoolId,
      school_year_id: year.id,
      hospital: input.hospital,
      clinic_name: input.clinicName || null,
      green_channel: input.greenChannel ? 1 : 0,
      agreement_on: input.agreementOn,
      contact_name: input.contactName || null,
      contact_phone: input.contactPhone || null,
      updated_at: nowIso(ctx),
    })
    await appendAudit(trx, ctx, {
      action: 'programme.clinic_save',
      outcome: 'ok',
      entityType: 'programme_clinic',
      entityId: schoolId,
      schoolId,
      detail: `year:${year.id}`,
    })
  })
  return { schoolYearId: year.id }
}

export async function removeClinic(ctx: ServiceContext, input: { schoolYearId: number }) {
  const schoolId = ownSchoolId(ctx)
  const year = await writableYear(ctx, input.schoolYearId)
  await withTransaction(ctx.db, async (trx) => {
    await deleteClinic(trx, schoolId, year.id)
    await appendAudit(trx, ctx, {
      action: 'programme.clinic_remove',
      outcome: 'ok',
      entityType: 'programme_clinic',
      entityId: schoolId,
      schoolId,
      detail: `year:${year.id}`,
    })
  })
  return { schoolYearId: year.id }
}
