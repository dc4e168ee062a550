import { rotaHoursOfSchools } from './room-rota'
import {
  storedOptionalAreas,
  type CertificateCreateInput,
  type CertificateUpdateInput,
  type RoomSaveInput,
  type StaffCreateInput,
  type StaffUpdateInput,
  type TrainingCreateInput,
} from '../../shared/staffing-schemas'
import type { SchoolType } from '../../shared/roles'
import { findSchool, upsertEnrolment, enrolmentHistory } from '../repositories/school'
import {
  certificatesOfSchool,
  deleteCertificate,
  deleteStaff,
  deleteTraining,
  findCertificate,
  findEffectiveRoom,
  findRoomOfYear,
  findStaff,
  findTraining,
  insertCertificate,
  insertRoom,
  insertStaff,
  insertTraining,
  staffOfSchool,
  trainingOfSchool,
  updateCertificate,
  updateRoom,
  updateStaff,
} from '../repositories/staffing'
import { certificateState, countPosts, inPostOn, referenceDate, roomStandard, schoolStaffing, trainingMet } from '../rules/staffing'
import { appendAudit } from './audit'
import { accountRef, nowIso, requireActor, type ServiceContext, withTransaction } from './context'
import { loadDistrictSettings } from './district-settings'
import { conflict, notFound, uniqueAs } from './errors'
import { ownRecord, ownSchoolId, targetSchool, targetYear, today, writableYear } from './school-scope'
import { parseStored } from './stored-json'

/** The psychology team of one school for one year: members, their certificates and training, and the school's figures. */
export async function teamService(ctx: ServiceContext, input: { schoolId?: number; schoolYearId?: number }) {
  const school = await targetSchool(ctx, input.schoolId)
  const year = await targetYear(ctx, input.schoolYearId)
  const settings = await loadDistrictSettings(ctx.db)
  const now = today(ctx)
  const refDate = referenceDate(year, now)
  const [members, certificates, training, history] = await Promise.all([
    staffOfSchool(ctx.db, school.id),
    certificatesOfSchool(ctx.db, school.id),
    trainingOfSchool(ctx.db, school.id, year.id),
    enrolmentHistory(ctx.db, school.id),
  ])
  const enrolment = history.find((h) => h.school_year_id === year.id) ?? null
  const shaped = members.map((m) => {
    const mine = training.filter((t) => t.staff_id === m.id)
    const hours = mine.reduce((s, t) => s + Number(t.hours), 0)
    const inPost = inPostOn({ startsOn: m.starts_on, endsOn: m.ends_on }, refDate)
    return {
      id: m.id,
      name: m.name,
      employment: m.employment,
      title: m.title,
      startsOn: m.starts_on,
      endsOn: m.ends_on,
      version: m.version,
      inPost,
      certificates: certificates
        .filter((c) => c.staff_id === m.id)
        .map((c) => ({
          id: c.id,
          name: c.name,
          issuer: c.issuer,
          issuedOn: c.issued_on,
          expiresOn: c.expires_on,
          state: certificateState(c.expires_on, now, settings.staffing.certificateWarningDays),
        })),
      training: mine.map((t) => ({ id: t.id, course: t.course, hours: Number(t.hours), level: t.level, completedOn: t.completed_on })),
      trainingHours: hours,
      trainingMet: trainingMet(hours, settings.staffing),
    }
  })
  const posts = countPosts(
    shaped.map((m) => ({ employment: m.employment, startsOn: m.startsOn, endsOn: m.endsOn })),
    refDate,
  )
  return {
    school: { id: school.id, name: school.name, type: school.type as SchoolType },
    year,
    refDate,
    today: now,
    enrolment: enrolment ? { students: enrolment.students, classes: enrolment.classes, updatedAt: enrolment.updated_at } : null,
    settings: settings.staffing,
    posts,
    figures: schoolStaffing(school.type as SchoolType, enrolment?.students ?? null, posts, settings.staffing),
    members: shaped,
  }
}

export async function createStaffMember(ctx: ServiceContext, input: StaffCreateInput) {
  const schoolId = ownSchoolId(ctx)
  const at = nowIso(ctx)
  return withTransaction(ctx.db, async (trx) => {
    const id = await insertStaff(trx, {
      school_id: schoolId,
      name: input.name,
      employment: input.employment,
      title: input.title || null,
      starts_on: input.startsOn,
      ends_on: input.endsOn,
      created_at: at,
      updated_at: at,
      version: 1,
    })
    await appendAudit(trx, ctx, {
      action: 'staff.create',
      outcome: 'ok',
      entityType: 'staff_member',
      entityId: id,
      schoolId,
      detail: input.employment,
    })
    return { id }
  })
}

async function ownStaff(ctx: ServiceContext, id: number) {
  return ownRecord(ctx, findStaff, id)
}

export async function updateStaffMember(ctx: ServiceContext, input: StaffUpdateInput) {
  const member = await ownStaff(ctx, input.id)
  await withTransaction(ctx.db, async (trx) => {
    const ok = await updateStaff(trx, member.id, input.version, {
      name: input.name,
      employment: input.employment,
      title: input.title || null,
      starts_on: input.startsOn,
      ends_on: input.endsOn,
      updated_at: nowIso(ctx),
    })
    if (!ok) throw conflict()
    await appendAudit(trx, ctx, {
      action: 'staff.update',
      outcome: 'ok',
      entityType: 'staff_member',
      entityId: member.id,
      schoolId: member.school_id,
      detail: input.employment,
    })
  })
  return { id: member.id }
}

/** Removes a member entered by mistake, with their certificates and training. Someone who left gets an end date instead. */
export async function removeStaffMember(ctx: ServiceContext, id: number) {
  const member = await ownStaff(ctx, id)
  await withTransaction(ctx.db, async (trx) => {
    await deleteStaff(trx, member.id)
    await appendAudit(trx, ctx, {
      action: 'staff.remove',
      outcome: 'ok',
      entityType: 'staff_member',
      entityId: member.id,
      schoolId: member.school_id,
    })
  })
  return { id: member.id }
}

export async function addCertificate(ctx: ServiceContext, input: CertificateCreateInput) {
  const member = await ownStaff(ctx, input.staffId)
  return withTransaction(ctx.db, async (trx) => {
    const id = await insertCertificate(trx, {
      staff_id: member.id,
      name: input.name,
      issuer: input.issuer || null,
      issued_on: input.issuedOn,
      expires_on: input.expiresOn,
      created_at: nowIso(ctx),
    })
    await appendAudit(trx, ctx, {
      action: 'staff.certificate_add',
      outcome: 'ok',
      entityType: 'staff_certificate',
      entityId: id,
      schoolId: member.school_id,
    })
    return { id }
  })
}

async function ownCertificate(ctx: ServiceContext, id: number) {
  return ownRecord(ctx, findCertificate, id)
}

export async function editCertificate(ctx: ServiceContext, input: CertificateUpdateInput) {
  const cert = await ownCertificate(ctx, input.id)
  await withTransaction(ctx.db, async (trx) => {
    await updateCertificate(trx, cert.id, {
      name: input.name,
      issuer: input.issuer || null,
      issued_on: input.issuedOn,
      expires_on: input.expiresOn,
    })
    await appendAudit(trx, ctx, {
      action: 'staff.certificate_update',
      outcome: 'ok',
      entityType: 'staff_certificate',
      entityId: cert.id,
      schoolId: cert.school_id,
    })
  })
  return { id: cert.id }
}

export async function removeCertificate(ctx: ServiceContext, id: number) {
  const cert = await ownCertificate(ctx, id)
  await withTransaction(ctx.db, async (trx) => {
    await deleteCertificate(trx, cert.id)
    await appendAudit(trx, ctx, {
      action: 'staff.certificate_remove',
      outcome: 'ok',
      entityType: 'staff_certificate',
      entityId: cert.id,
      schoolId: cert.school_id,
    })
  })
  return { id: cert.id }
}

export async function addTraining(ctx: ServiceContext, input: TrainingCreateInput) {
  const member = await ownStaff(ctx, input.staffId)
  await writableYear(ctx, input.schoolYearId)
  return withTransaction(ctx.db, async (trx) => {
    const id = await insertTraining(trx, {
      staff_id: member.id,
      school_year_id: input.schoolYearId,
      course: input.course,
      hours: input.hours,
      level: input.level,
      completed_on: input.completedOn,
      created_at: nowIso(ctx),
    })
    await appendAudit(trx, ctx, {
      action: 'staff.training_add',
      outcome: 'ok',
      entityType: 'staff_training',
      entityId: id,
      schoolId: member.school_id,
      detail: `hours:${input.hours}`,
    })
    return { id }
  })
}

export async function removeTraining(ctx: ServiceContext, id: number) {
  const row = await ownRecord(ctx, findTraining, id)
  await writableYear(ctx, row.school_year_id)
  const schoolId = row.school_id
  await withTransaction(ctx.db, async (trx) => {
    await deleteTraining(trx, row.id)
    await appendAudit(trx, ctx, {
      action: 'staff.training_remove',
      outcome: 'ok',
      entityType: 'staff_training',
      entityId: row.id,
      schoolId,
    })
  })
  return { id: row.id }
}

type RoomRow = NonNullable<Awaited<ReturnType<typeof findRoomOfYear>>>

export function toRoom(r: Omit<RoomRow, 'id' | 'school_id' | 'school_year_id' | 'updated_at' | 'version'>) {
  return {
    isSetUp: !!r.is_set_up,
    setUpOn: r.set_up_on,
    displayName: r.display_name,
    individualM2: r.individual_m2 == null ? null : Number(r.individual_m2),
    groupM2: r.group_m2 == null ? null : Number(r.group_m2),
    officeM2: r.office_m2 == null ? null : Number(r.office_m2),
    optionalAreas: parseStored(storedOptionalAreas, r.optional_areas, [], 'counselling_room.optional_areas'),
    hasMailbox: !!r.has_mailbox,
    weeklyOpenHours: Number(r.weekly_open_hours),
  }
}

/**
 * The counselling room for a year: the year's own record (what a save replaces) and the record in
 * force, which may come from an earlier year, with the standard computed from it.
 */
export async function roomService(ctx: ServiceContext, input: { schoolId?: number; schoolYearId?: number }) {
  const school = await targetSchool(ctx, input.schoolId)
  const year = await targetYear(ctx, input.schoolYearId)
  const settings = await loadDistrictSettings(ctx.db)
  const own = await findRoomOfYear(ctx.db, school.id, year.id)
  const effective = own ? { ...own, year_label: year.label } : await findEffectiveRoom(ctx.db, school.id, year.startsOn)
  const typed = effective ? toRoom(effective) : null
  // Scheduled hours: where the school keeps a duty rota, the standard is judged on it.
  const fromRota = (await rotaHoursOfSchools(ctx.db, [school.id])).get(school.id)
  const room = typed
    ? {
        ...typed,
        weeklyOpenHours: fromRota ?? typed.weeklyOpenHours,
        hoursSource: fromRota != null ? ('rota' as const) : ('typed' as const),
      }
    : null
  return {
    school: { id: school.id, name: school.name, type: school.type as SchoolType },
    year,
    version: own?.version ?? null,
    updatedAt: own?.updated_at ?? null,
    inheritedFrom: own ? null : (effective?.year_label ?? null),
    room,
    standard: roomStandard(room, settings.rooms),
    settings: settings.rooms,
  }
}

export async function saveRoom(ctx: ServiceContext, input: RoomSaveInput) {
  const schoolId = ownSchoolId(ctx)
  const year = await writableYear(ctx, input.schoolYearId)
  const actor = requireActor(ctx)
  const values = {
    is_set_up: input.isSetUp ? 1 : 0,
    set_up_on: input.isSetUp ? input.setUpOn : null,
    display_name: input.displayName || null,
    individual_m2: input.individualM2,
    group_m2: input.groupM2,
    office_m2: input.officeM2,
    optional_areas: JSON.stringify([...new Set(input.optionalAreas)].sort()),
    has_mailbox: input.hasMailbox ? 1 : 0,
    weekly_open_hours: input.weeklyOpenHours,
    updated_at: nowIso(ctx),
    updated_by: accountRef(actor),
  }
  // Two first saves of a year racing each other: the unique (school, year) key turns the loser into a conflict.
  await uniqueAs(
    withTransaction(ctx.db, async (trx) => {
      const own = await findRoomOfYear(trx, schoolId, year.id)
      if (own) {
        if (input.version == null || !(await updateRoom(trx, own.id, input.version, values))) throw conflict()
      } else {
        if (input.version != null) throw conflict()
        await insertRoom(trx, { ...values, school_id: schoolId, school_year_id: year.id, version: 1 })
      }
      await appendAudit(trx, ctx, {
        action: 'room.save',
        outcome: 'ok',
        entityType: 'counselling_room',
        entityId: schoolId,
        schoolId,
        detail: `year:${year.id}`,
      })
    }),
    'conflict',
  )
  return roomService(ctx, { schoolYearId: year.id })
}

/** A school admin reports its own enrolment for a year. */
export async function setOwnEnrolment(ctx: ServiceContext, input: { schoolYearId: number; students: number; classes: number }) {
  const schoolId = ownSchoolId(ctx)
  if (!(await findSchool(ctx.db, requireActor(ctx).scope, schoolId))) throw notFound()
  const year = await writableYear(ctx, input.schoolYearId)
  await withTransaction(ctx.db, async (trx) => {
    await upsertEnrolment(trx, {
      school_id: schoolId,
      school_year_id: year.id,
      students: input.students,
      classes: input.classes,
      updated_at: nowIso(ctx),
    })
    await appendAudit(trx, ctx, {
      action: 'school.enrolment_set',
      outcome: 'ok',
      entityType: 'school',
      entityId: schoolId,
      schoolId,
      detail: `year:${year.id}`,
    })
  })
  return { schoolId, schoolYearId: year.id }
}
