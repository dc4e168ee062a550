import type { SchoolType } from '../../shared/roles'
import type { EnrolmentInput, SchoolCreateInput, SchoolExportInput, SchoolListInput, SchoolUpdateInput } from '../../shared/schemas'
import {
  districtByStreetAndType,
  enrolmentHistory,
  findSchool,
  findSchoolByCode,
  findStreet,
  insertSchool,
  insertStreet,
  listSchools,
  listStreets,
  updateSchool,
  upsertEnrolment,
} from '../repositories/school'
import { findCurrentSchoolYear, findSchoolYear } from '../repositories/school-year'
import { appendAudit } from './audit'
import { nowIso, requireActor, type ServiceContext, withTransaction } from './context'
import { AppError, conflict, notFound, uniqueAs } from './errors'
import { correctionOf } from './school-scope'
import { deliverTable, districtFilterCodes, districtFilterNames, translator } from './table-export'

async function resolveYearId(ctx: ServiceContext, schoolYearId: number | undefined): Promise<number | null> {
  if (schoolYearId) return (await findSchoolYear(ctx.db, schoolYearId))?.id ?? null
  return (await findCurrentSchoolYear(ctx.db))?.id ?? null
}

export async function streets(ctx: ServiceContext) {
  requireActor(ctx)
  const rows = await listStreets(ctx.db)
  return rows.map((r) => ({ id: r.id, code: r.code, nameZh: r.name_zh, nameEn: r.name_en }))
}

export async function createStreet(ctx: ServiceContext, input: { code: string; nameZh: string; nameEn: string; sortOrder: number }) {
  return withTransaction(ctx.db, async (trx) => {
    const id = await insertStreet(trx, { code: input.code, name_zh: input.nameZh, name_en: input.nameEn, sort_order: input.sortOrder })
    await appendAudit(trx, ctx, { action: 'street.create', outcome: 'ok', entityType: 'street', entityId: id })
    return { id }
  })
}

interface SchoolFields {
  id: number
  code: string
  name: string
  name_en: string | null
  type: string
  is_public: number
  address: string | null
  disabled_at: string | null
  version: number
  street_id: number
  street_name_zh: string
  street_name_en: string
}

/** A school as every screen shows it, from a row that carries its street. */
function toSchool(r: SchoolFields) {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    nameEn: r.name_en,
    type: r.type as SchoolType,
    isPublic: !!r.is_public,
    address: r.address,
    disabled: r.disabled_at != null,
    version: r.version,
    streetId: r.street_id,
    streetNameZh: r.street_name_zh,
    streetNameEn: r.street_name_en,
  }
}

export async function listSchoolsService(ctx: ServiceContext, input: SchoolListInput) {
  const actor = requireActor(ctx)
  const yearId = await resolveYearId(ctx, input.schoolYearId)
  const { total, rows } = await listSchools(ctx.db, actor.scope, input, yearId)
  return {
    total,
    schoolYearId: yearId,
    rows: rows.map((r) => ({ ...toSchool(r), students: r.students ?? null, classes: r.classes ?? null })),
  }
}

/** Every school the list shows under its filters and sort (all pages), as the reader sees them. */
export async function exportSchoolList(ctx: ServiceContext, input: SchoolExportInput) {
  const actor = requireActor(ctx)
  const t = translator(input.locale)
  const en = input.locale === 'en'
  const yearId = await resolveYearId(ctx, input.schoolYearId)
  const year = yearId == null ? undefined : await findSchoolYear(ctx.db, yearId)
  const { rows: all } = await listSchools(ctx.db, actor.scope, { ...input, page: 1, pageSize: SCHOOL_EXPORT_MAX }, yearId)
  const headers = [
    t('fields.code'),
    t('fields.schoolName'),
    t('fields.street'),
    t('fields.schoolType'),
    t('fields.students'),
    t('fields.classes'),
    ...(input.status === 'active' ? [] : [t('common.status')]),
  ]
  const rows = all.map((r) => [
    r.code,
    en ? (r.name_en ?? r.name) : r.name,
    en ? r.street_name_en : r.street_name_zh,
    t(`schoolTypes.${r.type}`),
    r.students ?? null,
    r.classes ?? null,
    ...(input.status === 'active' ? [] : [t(r.disabled_at ? 'common.statusDisabled' : 'common.statusActive')]),
  ])
  const f = { streetId: input.streetId, type: input.type }
  const filters = await districtFilterNames(ctx, t, en, f)
  if (input.search) filters.unshift({ label: t('exports.filters.search'), value: input.search })
  if (input.status !== 'active') filters.push({ label: t('common.status'), value: t(`exports.filters.schoolStatus.${input.status}`) })
  return deliverTable(ctx, {
    format: input.format,
    locale: input.locale,
    table: 'schoolList',
    sheet: t('exports.sheet.schoolList'),
    scope: year ? [{ label: t('fields.year'), value: year.label }] : [],
    filters,
    headers,
    rows,
    detail:
      `${yearId ? `year:${yearId},` : ''}rows:${rows.length}${districtFilterCodes(f)}` +
      `${input.search ? ',search' : ''}${input.status !== 'active' ? `,status:${input.status}` : ''}`,
  })
}

/** More schools than a district has: the export lists them all. */
const SCHOOL_EXPORT_MAX = 100_000

export async function getSchool(ctx: ServiceContext, id: number) {
  const actor = requireActor(ctx)
  const r = await findSchool(ctx.db, actor.scope, id)
  if (!r) throw notFound()
  const history = await enrolmentHistory(ctx.db, id)
  return {
    ...toSchool(r),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    enrolment: history.map((h) => ({
      schoolYearId: h.school_year_id,
      label: h.label,
      students: h.students,
      classes: h.classes,
      updatedAt: h.updated_at,
    })),
  }
}

async function checkSchoolFields(ctx: ServiceContext, input: SchoolCreateInput, selfId?: number): Promise<void> {
  if (!(await findStreet(ctx.db, input.streetId))) throw notFound()
  const clash = await findSchoolByCode(ctx.db, input.code)
  if (clash && clash.id !== selfId) throw new AppError('CONFLICT', 'school.codeTaken')
}

export async function createSchool(ctx: ServiceContext, input: SchoolCreateInput) {
  requireActor(ctx)
  await checkSchoolFields(ctx, input)
  const at = nowIso(ctx)
  return uniqueAs(
    withTransaction(ctx.db, async (trx) => {
      const id = await insertSchool(trx, {
        code: input.code,
        name: input.name,
        name_en: input.nameEn || null,
        type: input.type,
        street_id: input.streetId,
        is_public: input.isPublic ? 1 : 0,
        address: input.address || null,
        created_at: at,
        updated_at: at,
        version: 1,
      })
      await appendAudit(trx, ctx, { action: 'school.create', outcome: 'ok', entityType: 'school', entityId: id, schoolId: id })
      return { id }
    }),
    'school.codeTaken',
  )
}

export async function updateSchoolService(ctx: ServiceContext, input: SchoolUpdateInput) {
  const actor = requireActor(ctx)
  if (!(await findSchool(ctx.db, actor.scope, input.id))) throw notFound()
  await checkSchoolFields(ctx, input, input.id)
  const at = nowIso(ctx)
  await uniqueAs(
    withTransaction(ctx.db, async (trx) => {
      const ok = await updateSchool(trx, input.id, input.version, {
        code: input.code,
        name: input.name,
        name_en: input.nameEn || null,
        type: input.type,
        street_id: input.streetId,
        is_public: input.isPublic ? 1 : 0,
        address: input.address || null,
        updated_at: at,
      })
      if (!ok) throw conflict()
      await appendAudit(trx, ctx, { action: 'school.update', outcome: 'ok', entityType: 'school', entityId: input.id, schoolId: input.id })
    }),
    'school.codeTaken',
  )
  return getSchool(ctx, input.id)
}

export async function setSchoolDisabled(ctx: ServiceContext, id: number, disabled: boolean) {
  const actor = requireActor(ctx)
  const current = await findSchool(ctx.db, actor.scope, id)
  if (!current) throw notFound()
  const at = nowIso(ctx)
  await withTransaction(ctx.db, async (trx) => {
    await updateSchool(trx, id, null, { disabled_at: disabled ? (current.disabled_at ?? at) : null, updated_at: at })
    await appendAudit(trx, ctx, {
      action: disabled ? 'school.disable' : 'school.enable',
      outcome: 'ok',
      entityType: 'school',
      entityId: id,
      schoolId: id,
    })
  })
  return getSchool(ctx, id)
}

export async function setEnrolment(ctx: ServiceContext, input: EnrolmentInput) {
  const actor = requireActor(ctx)
  if (!(await findSchool(ctx.db, actor.scope, input.schoolId))) throw notFound()
  const year = await findSchoolYear(ctx.db, input.schoolYearId)
  if (!year) throw notFound()
  const correction = correctionOf(ctx, year, input.correctionReason)
  await withTransaction(ctx.db, async (trx) => {
    await upsertEnrolment(trx, {
      school_id: input.schoolId,
      school_year_id: input.schoolYearId,
      students: input.students,
      classes: input.classes,
      updated_at: nowIso(ctx),
    })
    const detail = `year:${input.schoolYearId}${correction ? `,correction:${correction}` : ''}`
    await appendAudit(trx, ctx, {
      action: 'school.enrolment_set',
      outcome: 'ok',
      entityType: 'school',
      entityId: input.schoolId,
      schoolId: input.schoolId,
      detail,
    })
  })
  return getSchool(ctx, input.schoolId)
}

/** The bureau's district view: schools and enrolment by street, split by school type. */
export async function districtOverview(ctx: ServiceContext, input: { schoolYearId?: number }) {
  const actor = requireActor(ctx)
  const yearId = await resolveYearId(ctx, input.schoolYearId)
  if (yearId == null) return { schoolYearId: null, streets: [], totals: { schools: 0, students: 0, classes: 0, reporting: 0 } }
  const rows = await districtByStreetAndType(ctx.db, actor.scope, yearId)
  const byStreet = new Map<
    number,
    {
      streetId: number
      nameZh: string
      nameEn: string
      schools: number
      students: number
      classes: number
      reporting: number
      byType: Partial<Record<SchoolType, number>>
    }
  >()
  for (const r of rows) {
    let s = byStreet.get(r.street_id)
    if (!s) {
      s = { streetId: r.street_id, nameZh: r.name_zh, nameEn: r.name_en, schools: 0, students: 0, classes: 0, reporting: 0, byType: {} }
      byStreet.set(r.street_id, s)
    }
    s.schools += Number(r.schools)
    s.students += Number(r.students)
    s.classes += Number(r.classes)
    s.reporting += Number(r.reporting)
    s.byType[r.type as SchoolType] = Number(r.schools)
  }
  const streetsOut = [...byStreet.values()]
  const totals = streetsOut.reduce(
    (t, s) => ({
      schools: t.schools + s.schools,
      students: t.students + s.students,
      classes: t.classes + s.classes,
      reporting: t.reporting + s.reporting,
    }),
    { schools: 0, students: 0, classes: 0, reporting: 0 },
  )
  return { schoolYearId: yearId, streets: streetsOut, totals }
}
