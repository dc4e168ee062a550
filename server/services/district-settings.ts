import type { Kysely } from 'kysely'
import type { z } from 'zod'
import type { Database } from '../../db/schema'
import {
  DEFAULT_ROOM_SETTINGS,
  DEFAULT_STAFFING_SETTINGS,
  roomSettingsSchema,
  staffingSettingsSchema,
  type RoomSettings,
  type StaffingSettings,
} from '../../shared/staffing'
import {
  DEFAULT_INDICATORS,
  DEFAULT_PROGRAMME_RULES,
  indicatorListSchema,
  programmeRulesSchema,
  type Indicator,
  type ProgrammeRules,
} from '../../shared/programme'
import { DEFAULT_SECURITY_SETTINGS, securitySettingsSchema, type SecuritySettings } from '../../shared/trust'
import { accreditationSettingsSchema, DEFAULT_ACCREDITATION_SETTINGS, type AccreditationSettings } from '../../shared/accreditation'
import { findSetting, upsertSetting } from '../repositories/staffing'
import { appendAudit } from './audit'
import { accountRef, nowIso, requireActor, type ServiceContext, withTransaction } from './context'
import { parseStored } from './stored-json'

export interface DistrictSettings {
  staffing: StaffingSettings
  rooms: RoomSettings
  updatedAt: string | null
}

/** A stored setting read through its schema: a value that no longer parses falls back to the default, never to a crash. */
async function readSetting<S extends z.ZodType>(
  db: Kysely<Database>,
  key: string,
  schema: S,
  fallback: z.output<S>,
): Promise<{ value: z.output<S>; updatedAt: string | null }> {
  const row = await findSetting(db, key)
  if (!row) return { value: fallback, updatedAt: null }
  return { value: parseStored(schema, row.value, fallback, `district_setting.value[${key}]`), updatedAt: row.updated_at }
}

export async function loadDistrictSettings(db: Kysely<Database>): Promise<DistrictSettings> {
  const [staffing, rooms] = await Promise.all([
    readSetting(db, 'staffing', staffingSettingsSchema, DEFAULT_STAFFING_SETTINGS),
    readSetting(db, 'rooms', roomSettingsSchema, DEFAULT_ROOM_SETTINGS),
  ])
  const stamps = [staffing.updatedAt, rooms.updatedAt].filter((x): x is string => x != null).sort()
  return { staffing: staffing.value, rooms: rooms.value, updatedAt: stamps.at(-1) ?? null }
}

export async function getDistrictSettings(ctx: ServiceContext): Promise<DistrictSettings> {
  requireActor(ctx)
  return loadDistrictSettings(ctx.db)
}

export async function updateDistrictSettings(
  ctx: ServiceContext,
  input: { staffing: StaffingSettings; rooms: RoomSettings },
): Promise<DistrictSettings> {
  const actor = requireActor(ctx)
  const at = nowIso(ctx)
  // One target per year: the last one given wins, kept in year order so the form shows them sorted.
  const byYear = new Map(input.rooms.targets.map((t) => [t.year, t.percent]))
  const rooms = {
    ...input.rooms,
    targets: [...byYear].sort(([a], [b]) => a.localeCompare(b)).map(([year, percent]) => ({ year, percent })),
  }
  await withTransaction(ctx.db, async (trx) => {
    await upsertSetting(trx, { key: 'staffing', value: JSON.stringify(input.staffing), updated_at: at, updated_by: accountRef(actor) })
    await upsertSetting(trx, { key: 'rooms', value: JSON.stringify(rooms), updated_at: at, updated_by: accountRef(actor) })
    await appendAudit(trx, ctx, {
      action: 'district.settings_update',
      outcome: 'ok',
      entityType: 'district_setting',
      detail: 'staffing,rooms',
    })
  })
  return loadDistrictSettings(ctx.db)
}

export interface ProgrammeSettings {
  rules: ProgrammeRules
  indicators: Indicator[]
  updatedAt: string | null
}

export async function loadProgrammeSettings(db: Kysely<Database>): Promise<ProgrammeSettings> {
  const [rules, indicators] = await Promise.all([
    readSetting(db, 'programme', programmeRulesSchema, DEFAULT_PROGRAMME_RULES),
    readSetting(db, 'indicators', indicatorListSchema, DEFAULT_INDICATORS),
  ])
  const stamps = [rules.updatedAt, indicators.updatedAt].filter((x): x is string => x != null).sort()
  return { rules: rules.value, indicators: indicators.value, updatedAt: stamps.at(-1) ?? null }
}

export async function getProgrammeSettings(ctx: ServiceContext): Promise<ProgrammeSettings> {
  requireActor(ctx)
  return loadProgrammeSettings(ctx.db)
}

/** The seven items' completion rules and the evaluation indicator list; a round already opened keeps its own copy. */
export async function updateProgrammeSettings(
  ctx: ServiceContext,
  input: { rules: ProgrammeRules; indicators: Indicator[] },
): Promise<ProgrammeSettings> {
  const actor = requireActor(ctx)
  const at = nowIso(ctx)
  await withTransaction(ctx.db, async (trx) => {
    await upsertSetting(trx, { key: 'programme', value: JSON.stringify(input.rules), updated_at: at, updated_by: accountRef(actor) })
    await upsertSetting(trx, { key: 'indicators', value: JSON.stringify(input.indicators), updated_at: at, updated_by: accountRef(actor) })
    await appendAudit(trx, ctx, {
      action: 'district.settings_update',
      outcome: 'ok',
      entityType: 'district_setting',
      detail: 'programme,indicators',
    })
  })
  return loadProgrammeSettings(ctx.db)
}

/** Second factor per role and retention periods (shared/trust.ts); MFA is off until the bureau turns it on. */
export async function loadSecuritySettings(db: Kysely<Database>): Promise<SecuritySettings & { updatedAt: string | null }> {
  const { value, updatedAt } = await readSetting(db, 'security', securitySettingsSchema, DEFAULT_SECURITY_SETTINGS)
  return { ...value, updatedAt }
}

export async function getSecuritySettings(ctx: ServiceContext) {
  requireActor(ctx)
  return loadSecuritySettings(ctx.db)
}

export async function updateSecuritySettings(ctx: ServiceContext, input: SecuritySettings) {
  const actor = requireActor(ctx)
  const value: SecuritySettings = { ...input, mfaRequiredRoles: [...new Set(input.mfaRequiredRoles)] }
  await withTransaction(ctx.db, async (trx) => {
    await upsertSetting(trx, { key: 'security', value: JSON.stringify(value), updated_at: nowIso(ctx), updated_by: accountRef(actor) })
    await appendAudit(trx, ctx, {
      action: 'district.settings_update',
      outcome: 'ok',
      entityType: 'district_setting',
      detail: 'security',
    })
  })
  return loadSecuritySettings(ctx.db)
}

/** Feature-school accreditation: the target, the title's validity, the pass mark, the disagreement spread and education groups. */
export async function loadAccreditationSettings(db: Kysely<Database>): Promise<AccreditationSettings> {
  return (await readSetting(db, 'accreditation', accreditationSettingsSchema, DEFAULT_ACCREDITATION_SETTINGS)).value
}

export async function updateAccreditationSettings(ctx: ServiceContext, input: AccreditationSettings): Promise<AccreditationSettings> {
  const actor = requireActor(ctx)
  await withTransaction(ctx.db, async (trx) => {
    await upsertSetting(trx, { key: 'accreditation', value: JSON.stringify(input), updated_at: nowIso(ctx), updated_by: accountRef(actor) })
    await appendAudit(trx, ctx, {
      action: 'district.settings_update',
      outcome: 'ok',
      entityType: 'district_setting',
      detail: 'accreditation',
    })
  })
  return loadAccreditationSettings(ctx.db)
}
