import { z } from 'zod'
import { SYSTEM_CHECKS, type SystemCheck } from '../../shared/accreditation'
import { latestSupervision } from '../repositories/accreditation-facts'
import { requireActor, type ServiceContext } from './context'
import { loadDistrictSettings, loadProgrammeSettings } from './district-settings'
import { programmeFacts } from './programme'
import { roomRows, staffingRows } from './staffing-dashboard'
import { listSchoolYears } from '../repositories/school-year'
import { targetYear, today } from './school-scope'

/** One platform fact shown as 系统核验 evidence: whether the criterion is met, and the figures behind it. */
export interface SystemFact {
  check: SystemCheck
  met: boolean
  /** short figures for display, e.g. { counted: 2, required: 2 } */
  figures: Record<string, number | string | null>
}

export const systemFactSchema = z.object({
  check: z.enum(SYSTEM_CHECKS),
  met: z.boolean(),
  figures: z.record(z.string(), z.union([z.number(), z.string(), z.null()])),
})
export const storedEvidenceSchema = z.object({ at: z.string(), year: z.string(), facts: z.array(systemFactSchema) })
export type StoredEvidence = z.infer<typeof storedEvidenceSchema>

/**
 * What the platform holds about one school today, read through the same services as the dashboards
 * (so the evidence and the bureau's dashboards always agree): staffing ratio, room standard, the seven
 * ones, the latest supervision score and the year's drills. The caller's scope is narrowed to the
 * school, so nothing else is read.
 */
export async function liveSystemEvidence(ctx: ServiceContext, schoolId: number): Promise<StoredEvidence> {
  const actor = requireActor(ctx)
  const narrowed: ServiceContext = { ...ctx, actor: { ...actor, scope: { kind: 'school', schoolId } } }
  // The school year the facts are taken on: the one containing today (Asia/Shanghai), else the current one.
  const day = today(ctx)
  const containing = (await listSchoolYears(ctx.db)).find((y) => y.starts_on <= day && day <= y.ends_on && y.disabled_at == null)
  const year = await targetYear(ctx, containing?.id)
  const [settings, programme] = await Promise.all([loadDistrictSettings(ctx.db), loadProgrammeSettings(ctx.db)])
  const [staffing, rooms, facts, supervision] = await Promise.all([
    staffingRows(narrowed, year, {}, settings),
    roomRows(narrowed, year, {}, settings),
    programmeFacts(narrowed, { schoolId }, year, programme.rules),
    latestSupervision(ctx.db, schoolId),
  ])
  const s = staffing.rows.find((r) => r.schoolId === schoolId)
  const room = rooms.find((r) => r.schoolId === schoolId)
  const p = facts.schools.find((x) => x.school.id === schoolId)
  const supMax = supervision ? supervisionMax(supervision.indicators) : null
  const supPercent = supervision?.bureau_total != null && supMax ? Math.round((100 * Number(supervision.bureau_total)) / supMax) : null
  const out: SystemFact[] = [
    {
      check: 'staffing',
      met: !!s && !s.noTeacher && (s.shortfall ?? 0) === 0 && s.required != null,
      figures: { required: s?.required ?? null, counted: s?.counted ?? 0, students: s?.students ?? null },
    },
    { check: 'room', met: !!room?.meets, figures: { reasons: room?.reasons.join(',') ?? null } },
    { check: 'sevenOnes', met: (p?.completed ?? 0) === 7, figures: { completed: p?.completed ?? 0, of: 7 } },
    {
      check: 'supervision',
      met: supPercent != null && supPercent >= 80,
      figures: { round: supervision?.title ?? null, score: supervision?.bureau_total ?? null, max: supMax, percent: supPercent },
    },
    {
      check: 'drills',
      met: p?.results.drill.status === 'complete',
      figures: { held: p?.evidence.drill.length ?? 0 },
    },
  ]
  return { at: ctx.now().toISOString(), year: year.label, facts: out }
}

function supervisionMax(indicators: string): number | null {
  try {
    const list = JSON.parse(indicators) as { maxScore?: number }[]
    const max = list.reduce((n, i) => n + (Number(i.maxScore) || 0), 0)
    return max > 0 ? max : null
  } catch {
    return null
  }
}
