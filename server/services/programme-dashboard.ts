import { ITEM_STATUSES, PROGRAMME_ITEMS, type ItemStatus, type ProgrammeItem } from '../../shared/programme'
import type { MatrixExportInput, MatrixInput } from '../../shared/programme-schemas'
import type { SchoolType } from '../../shared/roles'
import { listSchoolYears } from '../repositories/school-year'
import { inReminderWindow } from '../rules/programme'
import { rate } from '../rules/staffing'
import { requireActor, type ServiceContext } from './context'
import { loadProgrammeSettings } from './district-settings'
import { programmeFacts, type SchoolProgramme } from './programme'
import { targetYear, today } from './school-scope'
import { deliverTable, districtFilterCodes, districtFilterNames, translator } from './table-export'

type Counts = Record<ItemStatus, number>

/** Per item: how many schools are complete, in progress, not started, and the completion rate. */
export function itemRates(schools: readonly Pick<SchoolProgramme, 'statuses' | 'completed'>[]) {
  const byItem = Object.fromEntries(
    PROGRAMME_ITEMS.map((i) => [i, Object.fromEntries(ITEM_STATUSES.map((s) => [s, 0])) as Counts]),
  ) as Record<ProgrammeItem, Counts>
  let allSeven = 0
  for (const s of schools) {
    for (const i of PROGRAMME_ITEMS) byItem[i][s.statuses[i]]++
    if (s.completed === PROGRAMME_ITEMS.length) allSeven++
  }
  return {
    schools: schools.length,
    allSeven,
    allSevenRate: rate(allSeven, schools.length),
    items: PROGRAMME_ITEMS.map((item) => ({ item, ...byItem[item], rate: rate(byItem[item].complete, schools.length) })),
  }
}

export function matchesMatrix(
  s: Pick<SchoolProgramme, 'statuses' | 'completed'>,
  input: Pick<MatrixInput, 'item' | 'status' | 'openOnly'>,
): boolean {
  if (input.openOnly && s.completed === PROGRAMME_ITEMS.length) return false
  if (input.item && input.status) return s.statuses[input.item] === input.status
  if (input.status) return PROGRAMME_ITEMS.some((i) => s.statuses[i] === input.status)
  return true
}

/** The bureau's schools × seven items matrix for a year, with completion rates and the year-end reminder list. */
export async function programmeMatrix(ctx: ServiceContext, input: MatrixInput) {
  requireActor(ctx)
  const year = await targetYear(ctx, input.schoolYearId)
  const { rules } = await loadProgrammeSettings(ctx.db)
  const facts = await programmeFacts(ctx, { streetId: input.streetId, type: input.type }, year, rules)
  const listed = facts.schools.filter((s) => matchesMatrix(s, input))
  const open = facts.schools.filter((s) => s.completed < PROGRAMME_ITEMS.length)
  const now = today(ctx)
  return {
    year,
    refDate: facts.refDate,
    reminders: {
      active: inReminderWindow(year, now, rules.reminderMonths),
      yearOver: now > year.endsOn,
      months: rules.reminderMonths,
      schools: open.length,
      openItems: open.reduce((n, s) => n + PROGRAMME_ITEMS.length - s.completed, 0),
    },
    rates: itemRates(facts.schools),
    total: listed.length,
    rows: listed
      .slice((input.page - 1) * input.pageSize, input.page * input.pageSize)
      .map((s) => ({ school: s.school, statuses: s.statuses, completed: s.completed })),
  }
}

/** Completion per item, for every school year that has begun. */
export async function programmeTrend(ctx: ServiceContext, input: { streetId?: number; type?: SchoolType }) {
  requireActor(ctx)
  const { rules } = await loadProgrammeSettings(ctx.db)
  const now = today(ctx)
  const years = (await listSchoolYears(ctx.db))
    .filter((y) => y.disabled_at == null && y.starts_on <= now)
    .sort((a, b) => a.starts_on.localeCompare(b.starts_on))
  const out = []
  for (const y of years) {
    const year = { id: y.id, label: y.label, startsOn: y.starts_on, endsOn: y.ends_on }
    const facts = await programmeFacts(ctx, input, year, rules)
    out.push({ year, ...itemRates(facts.schools) })
  }
  return { years: out }
}

/** The matrix exactly as listed under its filters, every page, with each status in the reader's language. */
export async function exportMatrix(ctx: ServiceContext, input: MatrixExportInput) {
  requireActor(ctx)
  const t = translator(input.locale)
  const en = input.locale === 'en'
  const year = await targetYear(ctx, input.schoolYearId)
  const { rules } = await loadProgrammeSettings(ctx.db)
  const f = { streetId: input.streetId, type: input.type }
  const facts = await programmeFacts(ctx, f, year, rules)
  const listed = facts.schools.filter((s) => matchesMatrix(s, input))
  const headers = [
    t('staffing.columns.code'),
    t('staffing.columns.school'),
    t('staffing.columns.street'),
    t('staffing.columns.type'),
    ...PROGRAMME_ITEMS.map((i) => t(`itemsShort.${i}`)),
    t('programme.matrix.completed'),
  ]
  const rows = listed.map((s) => [
    s.school.code,
    en ? (s.school.nameEn ?? s.school.name) : s.school.name,
    en ? s.school.streetNameEn : s.school.streetNameZh,
    t(`schoolTypes.${s.school.type}`),
    ...PROGRAMME_ITEMS.map((i) => t(`itemStatus.${s.statuses[i]}`)),
    s.completed,
  ])
  const filters = await districtFilterNames(ctx, t, en, f)
  if (input.item) filters.push({ label: t('programme.matrix.item'), value: t(`itemsShort.${input.item}`) })
  if (input.status) filters.push({ label: t('programme.matrix.status'), value: t(`itemStatus.${input.status}`) })
  if (input.openOnly) filters.push({ label: t('fields.flag'), value: t('programme.matrix.openOnly') })
  return deliverTable(ctx, {
    format: input.format,
    locale: input.locale,
    table: 'programmeMatrix',
    sheet: t('exports.sheet.programmeMatrix'),
    scope: [{ label: t('fields.year'), value: year.label }],
    filters,
    headers,
    rows,
    notes: [t('programme.refDate', { date: facts.refDate })],
    detail:
      `year:${year.id},rows:${rows.length}${districtFilterCodes(f)}` +
      `${input.item ? `,item:${input.item}` : ''}${input.status ? `,status:${input.status}` : ''}${input.openOnly ? ',open_only' : ''}`,
  })
}
