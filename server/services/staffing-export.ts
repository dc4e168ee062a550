import en from '../../i18n/locales/en.json'
import zh from '../../i18n/locales/zh-CN.json'
import type { DashboardFlag, RoomFlag } from '../../shared/staffing'
import { DASHBOARD_FLAGS } from '../../shared/staffing'
import type { ExportInput } from '../../shared/staffing-schemas'
import { appendAudit } from './audit'
import { requireActor, type ServiceContext } from './context'
import { loadDistrictSettings } from './district-settings'
import {
  dashboardYear, expiringCertificatesService, filterRooms, filterStaffing, roomRows, staffingRows,
} from './staffing-dashboard'
import { writeTable, type Cell, type TableFile } from './table-file'

type Messages = Record<string, unknown>

/** The UI's own message files, so an export's headers read exactly like the screen it came from. */
function translator(locale: ExportInput['locale']) {
  const messages = (locale === 'en' ? en : zh) as Messages
  return (key: string): string => {
    let node: unknown = messages
    for (const part of key.split('.')) node = (node as Messages | undefined)?.[part]
    return typeof node === 'string' ? node : key
  }
}

const isStaffingFlag = (f: ExportInput['flag']): f is DashboardFlag => f != null && (DASHBOARD_FLAGS as readonly string[]).includes(f)

/** One dashboard table as CSV or XLSX, with the same filters as the screen. Every export is audited. */
export async function exportTable(ctx: ServiceContext, input: ExportInput): Promise<TableFile> {
  const actor = requireActor(ctx)
  const t = translator(input.locale)
  const settings = await loadDistrictSettings(ctx.db)
  const year = await dashboardYear(ctx, input.schoolYearId)
  const f = { streetId: input.streetId, type: input.type }
  const en = input.locale === 'en'
  const yesNo = (v: boolean) => t(v ? 'common.yes' : 'common.no')
  let headers: string[]
  let rows: Cell[][]
  if (input.table === 'staffing') {
    const { rows: all } = await staffingRows(ctx, year, f, settings)
    const listed = filterStaffing(all, { flag: isStaffingFlag(input.flag) ? input.flag : undefined, sort: 'street', order: 'asc' })
    headers = ['code', 'school', 'street', 'type', 'students', 'classes', 'required', 'fullTime', 'purchased', 'counted', 'shortfall', 'partTime', 'noTeacher', 'trainingBelow', 'expiring']
      .map((k) => t(`staffing.columns.${k}`))
    rows = listed.map((r) => [
      r.code, en ? (r.nameEn ?? r.name) : r.name, en ? r.streetNameEn : r.streetNameZh, t(`schoolTypes.${r.type}`), r.students, r.classes,
      r.required, r.fullTime, r.purchased, r.counted, r.shortfall, r.partTime, yesNo(r.noTeacher), r.trainingBelow, r.expiring,
    ])
  } else if (input.table === 'rooms') {
    const all = await roomRows(ctx, year, f, settings)
    const flag = input.flag != null && !isStaffingFlag(input.flag) ? (input.flag as RoomFlag) : undefined
    const listed = filterRooms(all, { flag, sort: 'street', order: 'asc' })
    headers = ['code', 'school', 'street', 'type', 'inTarget', 'setUp', 'setUpOn', 'displayName', 'individualM2', 'groupM2', 'officeM2', 'mailbox', 'hours', 'meets', 'reasons', 'recordYear']
      .map((k) => t(`rooms.columns.${k}`))
    rows = listed.map((r) => [
      r.code, en ? (r.nameEn ?? r.name) : r.name, en ? r.streetNameEn : r.streetNameZh, t(`schoolTypes.${r.type}`), yesNo(r.inTarget),
      yesNo(!!r.room?.isSetUp), r.room?.setUpOn ?? null, r.room?.displayName ?? null, r.room?.individualM2 ?? null, r.room?.groupM2 ?? null,
      r.room?.officeM2 ?? null, r.room ? yesNo(r.room.hasMailbox) : null, r.room?.weeklyOpenHours ?? null, yesNo(r.meets),
      r.reasons.map((x) => t(`room.reasons.${x}`)).join(en ? '; ' : '；'), r.reported ? (r.inheritedFrom ?? year.label) : null,
    ])
  } else {
    const certs = await expiringCertificatesService(ctx, f)
    headers = ['school', 'street', 'staff', 'employment', 'certificate', 'expiresOn', 'state'].map((k) => t(`certificates.columns.${k}`))
    rows = certs.rows.map((c) => [
      c.schoolName, en ? c.streetNameEn : c.streetNameZh, c.staffName, t(`employment.${c.employment}`), c.name, c.expiresOn,
      t(`certificates.state.${c.expired ? 'expired' : 'expiring'}`),
    ])
  }
  const file = await writeTable(input.format, `xinqiao-${input.table}-${year.label}`, t(`exports.sheet.${input.table}`), headers, rows)
  await appendAudit(ctx.db, ctx, {
    action: 'export.download', outcome: 'ok', entityType: input.table, schoolId: actor.schoolId,
    detail: `${input.format},year:${year.id},rows:${rows.length}${input.flag ? `,flag:${input.flag}` : ''}`,
  })
  return file
}

