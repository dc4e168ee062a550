import en from '../../i18n/locales/en.json'
import zh from '../../i18n/locales/zh-CN.json'
import type { AuditAction, AuditEntity } from '../../shared/audit'
import type { ExportFormat, ExportLocale } from '../../shared/exports'
import { exportBaseName, exportSheetName } from '../../shared/exports'
import { shanghaiDate } from '../../shared/shanghai-time'
import { listStreets } from '../repositories/school'
import { appendAudit } from './audit'
import { requireActor, type ServiceContext } from './context'
import { writeTable, type Cell, type TableFile } from './table-file'

type Messages = Record<string, unknown>

export type Translate = (key: string, params?: Record<string, string | number>) => string

/**
 * The UI's own message files, so an export reads exactly like the screen it came from. `{name}`
 * placeholders are filled from `params`; a missing key comes back as the key itself.
 */
export function translator(locale: ExportLocale): Translate {
  const messages = (locale === 'en' ? en : zh) as Messages
  return (key, params) => {
    let node: unknown = messages
    for (const part of key.split('.')) node = (node as Messages | undefined)?.[part]
    if (typeof node !== 'string') return key
    return params ? node.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m)) : node
  }
}

/** One filter of an exported table, as the reader names it: "Street" → "Futian". */
export interface ExportFilter {
  label: string
  value: string
}

export interface TableExport {
  format: ExportFormat
  locale: ExportLocale
  /** the audit entity of the table and the stem of its file name (`xinqiao-<table>-…`) */
  table: AuditEntity
  /** the sheet's name before its filters ("Staffing") */
  sheet: string
  /** what the table covers whatever the filters (a school year, a date); leads the file name */
  scope: ExportFilter[]
  /** the filters the reader chose; each named in the file name, the sheet name and the "about" sheet */
  filters: ExportFilter[]
  headers: readonly string[]
  rows: readonly (readonly Cell[])[]
  /** further lines of the workbook's "about" sheet (e.g. how small numbers are hidden) */
  notes?: string[]
  /** the audit row's detail after `<format>,` (key:value codes, never the exported content) */
  detail: string
  action?: AuditAction
}

/**
 * Writes one exported table as CSV or XLSX and audits the export. Every export of the app goes through
 * here, so each file is named the same way: the table, what it covers and every filter the reader set,
 * in the reader's language (`xinqiao-staffing-2025-2026-Futian-Short_of_full-time_staff.csv`); the
 * workbook's sheet carries the same names and a second sheet lists them in full.
 */
export async function deliverTable(ctx: ServiceContext, spec: TableExport): Promise<TableFile> {
  const actor = requireActor(ctx)
  const t = translator(spec.locale)
  const named = [...spec.scope, ...spec.filters]
  const about: [string, string][] = [
    [t('exports.about.table'), spec.sheet],
    ...named.map((f): [string, string] => [f.label, f.value]),
    [t('exports.about.rows'), String(spec.rows.length)],
    [t('exports.about.exportedOn'), shanghaiDate(ctx.now())],
    ...(spec.notes ?? []).map((n): [string, string] => [t('exports.about.note'), n]),
  ]
  const file = await writeTable(
    spec.format,
    exportBaseName(
      spec.table,
      named.map((f) => f.value),
    ),
    exportSheetName(
      spec.sheet,
      spec.filters.map((f) => f.value),
    ),
    spec.headers,
    spec.rows,
    { sheetName: t('exports.about.sheet'), rows: about },
  )
  await appendAudit(ctx.db, ctx, {
    action: spec.action ?? 'export.download',
    outcome: 'ok',
    entityType: spec.table,
    schoolId: actor.schoolId,
    detail: `${spec.format},${spec.detail}`,
  })
  return file
}

/** The district filters an export was made under, named in the reader's language. */
export async function districtFilterNames(
  ctx: ServiceContext,
  t: Translate,
  en: boolean,
  f: { streetId?: number; type?: string },
): Promise<ExportFilter[]> {
  const out: ExportFilter[] = []
  if (f.streetId) {
    const street = (await listStreets(ctx.db)).find((s) => s.id === f.streetId)
    if (street) out.push({ label: t('fields.street'), value: en ? street.name_en : street.name_zh })
  }
  if (f.type) out.push({ label: t('fields.schoolType'), value: t(`schoolTypes.${f.type}`) })
  return out
}

/** The district filters in an audit row's detail (`,street:3,type:primary`). */
export function districtFilterCodes(f: { streetId?: number; type?: string }): string {
  return `${f.streetId ? `,street:${f.streetId}` : ''}${f.type ? `,type:${f.type}` : ''}`
}
