import type { DashboardFlag, RoomFlag } from '../../shared/staffing'
import { DASHBOARD_FLAGS } from '../../shared/staffing'
import type { ExportInput } from '../../shared/staffing-schemas'
import type { ServiceContext } from './context'
import { loadDistrictSettings } from './district-settings'
import {
  dashboardYear,
  expiringCertificatesService,
  filterRooms,
  filterStaffing,
  roomRows,
  staffingRows,
  summariseRooms,
  summariseStaffing,
  withRoomDetails,
} from './staffing-dashboard'
import { listStreets } from '../repositories/school'
import { roomTargetFor } from '../rules/staffing'
import type { Cell, TableFile } from './table-file'
import { deliverTable, districtFilterCodes, districtFilterNames, translator } from './table-export'

const isStaffingFlag = (f: ExportInput['flag']): f is DashboardFlag => f != null && (DASHBOARD_FLAGS as readonly string[]).includes(f)

/** One dashboard table as CSV or XLSX, with the same filters as the screen. Every export is audited. */
export async function exportTable(ctx: ServiceContext, input: ExportInput): Promise<TableFile> {
  const t = translator(input.locale)
  const settings = await loadDistrictSettings(ctx.db)
  const year = await dashboardYear(ctx, input.schoolYearId)
  const f = { streetId: input.streetId, type: input.type }
  const en = input.locale === 'en'
  const yesNo = (v: boolean) => t(v ? 'common.yes' : 'common.no')
  let headers: string[]
  let rows: Cell[][]
  const staffingFlag = isStaffingFlag(input.flag) ? input.flag : undefined
  const roomFlag = input.flag != null && !isStaffingFlag(input.flag) ? (input.flag as RoomFlag) : undefined
  const streetLabel = (g: { nameZh: string; nameEn: string }) => (en ? g.nameEn : g.nameZh)
  const typeLabel = (g: { type: string }) => t(`schoolTypes.${g.type}`)
  switch (input.table) {
    case 'staffing': {
      const { rows: all } = await staffingRows(ctx, year, f, settings)
      headers = [
        'code',
        'school',
        'street',
        'type',
        'students',
        'classes',
        'required',
        'fullTime',
        'purchased',
        'counted',
        'shortfall',
        'partTime',
        'noTeacher',
        'trainingBelow',
        'expiring',
      ].map((k) => t(`staffing.columns.${k}`))
      rows = filterStaffing(all, { flag: staffingFlag, sort: 'street', order: 'asc' }).map((r) => [
        r.code,
        en ? (r.nameEn ?? r.name) : r.name,
        en ? r.streetNameEn : r.streetNameZh,
        t(`schoolTypes.${r.type}`),
        r.students,
        r.classes,
        r.required,
        r.fullTime,
        r.purchased,
        r.counted,
        r.shortfall,
        r.partTime,
        yesNo(r.noTeacher),
        r.trainingBelow,
        r.expiring,
      ])
      break
    }
    case 'staffingByStreet':
    case 'staffingByType': {
      const summary = summariseStaffing((await staffingRows(ctx, year, f, settings)).rows)
      const byStreet = input.table === 'staffingByStreet'
      headers = [
        t(byStreet ? 'fields.street' : 'fields.schoolType'),
        t('district.schools'),
        t('staffing.columns.students'),
        ...['required', 'fullTime', 'purchased', 'counted', 'shortfall'].map((k) => t(`staffing.columns.${k}`)),
        t('staffing.dashboard.shortSchools'),
        ...['noTeacher', 'partTime', 'trainingBelow', 'expiring'].map((k) => t(`staffing.columns.${k}`)),
      ]
      const groups = byStreet
        ? summary.byStreet.map((g) => ({ label: streetLabel(g), g }))
        : summary.byType.map((g) => ({ label: typeLabel(g), g }))
      rows = groups.map(({ label, g }) => [
        label,
        g.schools,
        g.students,
        g.required,
        g.fullTime,
        g.purchased,
        g.counted,
        g.shortfall,
        g.shortSchools,
        g.noTeacher,
        g.partTime,
        g.trainingBelow,
        g.expiring,
      ])
      break
    }
    case 'rooms': {
      const all = await withRoomDetails(ctx, year, f, await roomRows(ctx, year, f, settings), true)
      headers = [
        'code',
        'school',
        'street',
        'type',
        'inTarget',
        'setUp',
        'setUpOn',
        'displayName',
        'individualM2',
        'groupM2',
        'officeM2',
        'mailbox',
        'hours',
        'meets',
        'reasons',
        'recordYear',
      ].map((k) => t(`rooms.columns.${k}`))
      rows = filterRooms(all, { flag: roomFlag, sort: 'street', order: 'asc' }).map((r) => [
        r.code,
        en ? (r.nameEn ?? r.name) : r.name,
        en ? r.streetNameEn : r.streetNameZh,
        t(`schoolTypes.${r.type}`),
        yesNo(r.inTarget),
        yesNo(!!r.room?.isSetUp),
        r.room?.setUpOn ?? null,
        r.room?.displayName ?? null,
        r.room?.individualM2 ?? null,
        r.room?.groupM2 ?? null,
        r.room?.officeM2 ?? null,
        r.room ? yesNo(r.room.hasMailbox) : null,
        r.room?.weeklyOpenHours ?? null,
        yesNo(r.meets),
        r.reasons.map((x) => t(`room.reasons.${x}`)).join(en ? '; ' : '；'),
        r.reported ? (r.inheritedFrom ?? year.label) : null,
      ])
      break
    }
    case 'roomsByStreet':
    case 'roomsByType': {
      const summary = summariseRooms(
        await roomRows(ctx, year, f, settings),
        roomTargetFor(year.label, settings.rooms.targets),
        await listStreets(ctx.db),
      )
      const byStreet = input.table === 'roomsByStreet'
      headers = [
        t(byStreet ? 'fields.street' : 'fields.schoolType'),
        t('district.schools'),
        t('rooms.columns.inTarget'),
        t('rooms.columns.setUp'),
        t('rooms.setupRate'),
        t('rooms.target'),
        t('rooms.toTarget'),
        t('rooms.meets'),
        t('rooms.standardRate'),
        t('rooms.notReported'),
      ]
      const groups = byStreet
        ? summary.byStreet.map((g) => ({ label: streetLabel(g), g }))
        : summary.byType.map((g) => ({ label: typeLabel(g), g }))
      rows = groups.map(({ label, g }) => [
        label,
        g.schools,
        g.inTarget,
        g.setUp,
        g.rate,
        g.target,
        g.toTarget,
        g.meets,
        g.standardRate,
        g.notReported,
      ])
      break
    }
    case 'certificates': {
      const certs = await expiringCertificatesService(ctx, { ...f, schoolYearId: year.id })
      headers = ['school', 'street', 'staff', 'employment', 'certificate', 'expiresOn', 'state'].map((k) => t(`certificates.columns.${k}`))
      rows = certs.rows.map((c) => [
        en ? (c.schoolNameEn ?? c.schoolName) : c.schoolName,
        en ? c.streetNameEn : c.streetNameZh,
        c.staffName,
        t(`employment.${c.employment}`),
        c.name,
        c.expiresOn,
        t(`certificates.state.${c.expired ? 'expired' : 'expiring'}`),
      ])
      break
    }
  }
  // A flag narrows only the school table it belongs to; the summaries and certificates ignore it.
  const flag = input.table === 'staffing' ? staffingFlag : input.table === 'rooms' ? roomFlag : undefined
  const filters = await districtFilterNames(ctx, t, en, f)
  if (flag) filters.push({ label: t('fields.flag'), value: t(`dashFlags.${input.table === 'staffing' ? 'staffing' : 'rooms'}.${flag}`) })
  return deliverTable(ctx, {
    format: input.format,
    locale: input.locale,
    table: input.table,
    sheet: t(`exports.sheet.${input.table}`),
    scope: [{ label: t('fields.year'), value: year.label }],
    filters,
    headers,
    rows,
    detail: `year:${year.id},rows:${rows.length}${flag ? `,flag:${flag}` : ''}${districtFilterCodes(f)}`,
  })
}
