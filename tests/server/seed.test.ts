import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../db/schema'
import { DEMO_PASSWORD } from '../../server/demo/demo'
import { DEMO_ALL_SEVEN_SHARE } from '../../server/demo/demo-programme'
import { DEMO_ROOM_TARGETS } from '../../server/demo/demo-staffing'
import { seedIfEmpty } from '../../server/demo'
import { ROLES, SCHOOL_TYPES } from '../../shared/roles'
import { sniffType } from '../../server/rules/programme'
import { shanghaiDate } from '../../server/rules/risk'
import { verifyAuditChain } from '../../server/services/audit'
import { evaluationReport, roundsService } from '../../server/services/evaluation'
import { testKeys } from '../../server/services/keys'
import { programmeTrend } from '../../server/services/programme-dashboard'
import { expiringCertificatesService, roomDashboard, staffingDashboard, trend } from '../../server/services/staffing-dashboard'
import { createContextInner } from '../../server/services/context'
import { login } from '../fixtures/caller'
import { countRows, openTestDatabase, snapshotTables, targets, useTestDatabase } from '../fixtures/db'
import { decryptBytes } from '../../server/services/crypto'
import { districtCaseStats } from '../../server/services/case-stats'
import { narrowCells } from '../fixtures/disclosure'

/**
 * The demo stores evidence attachments under the data dir (`<data dir>/uploads`, the app's default);
 * here that is a temporary directory, removed afterwards, never the working copy's ./data.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'xinqiao-seed-'))
const saved = { data: process.env.XINQIAO_DATA_DIR, upload: process.env.XINQIAO_UPLOAD_DIR }
process.env.XINQIAO_DATA_DIR = dataDir
delete process.env.XINQIAO_UPLOAD_DIR
afterAll(() => {
  if (saved.data === undefined) delete process.env.XINQIAO_DATA_DIR
  else process.env.XINQIAO_DATA_DIR = saved.data
  if (saved.upload !== undefined) process.env.XINQIAO_UPLOAD_DIR = saved.upload
  rmSync(dataDir, { recursive: true, force: true })
})

/** The school names one seeding produced on SQLite, to compare every target against. */
let reference: { code: string; name: string }[] = []
/** The district trend that seeding produced on SQLite. */
let referenceTrend: DistrictTrend = []
/** The seven-ones trend that seeding produced on SQLite. */
let referenceProgramme: ProgrammeTrend = []

/** The bureau's view of the district, as its dashboards compute it. */
function bureauContext(db: Kysely<Database>) {
  return createContextInner({
    db,
    keys: testKeys(),
    requestId: 'seed-test',
    actor: {
      accountId: 0,
      sessionId: 0,
      username: 'bureau',
      displayName: 'bureau',
      role: 'bureau',
      schoolId: null,
      mustChangePassword: false,
      scope: { kind: 'all' },
    },
  })
}
type DistrictTrend = Awaited<ReturnType<typeof trend>>['years'][number][]
async function districtTrend(db: Kysely<Database>): Promise<DistrictTrend> {
  return (await trend(bureauContext(db), {})).years
}
type ProgrammeTrend = Awaited<ReturnType<typeof programmeTrend>>['years'][number][]
async function seven(db: Kysely<Database>): Promise<ProgrammeTrend> {
  return (await programmeTrend(bureauContext(db), {})).years
}
const rateOf = (y: ProgrammeTrend[number], item: string) => y.items.find((i) => i.item === item)!.rate!

beforeAll(async () => {
  const ref = await openTestDatabase({ name: 'sqlite', url: ':memory:' })
  try {
    await seedIfEmpty(ref.db, testKeys())
    reference = await ref.db.selectFrom('school').select(['code', 'name']).orderBy('code').execute()
    referenceTrend = await districtTrend(ref.db)
    referenceProgramme = await seven(ref.db)
  } finally {
    await ref.close()
  }
})

describe.each(targets)('demo seed on $name', (target) => {
  const t = useTestDatabase(target)
  let report: Awaited<ReturnType<typeof seedIfEmpty>>

  beforeAll(async () => {
    report = await seedIfEmpty(t.db, testKeys())
  })

  it('seeds an empty database with the demo district and announces the demo accounts', () => {
    expect(report.seeded).toBe('demo')
    expect(report.announce.join('\n')).toContain(DEMO_PASSWORD)
  })

  it('gives the three demo schools a duty rota, a term of appointments and visits, and two groups with attendance', async () => {
    const slots = await t.db.selectFrom('room_slot').select('school_id').execute()
    expect(new Set(slots.map((x) => x.school_id)).size).toBe(3)
    const appts = await t.db.selectFrom('room_appointment').select(['status']).execute()
    expect(appts.length).toBeGreaterThan(60)
    expect(new Set(appts.map((a) => a.status))).toEqual(new Set(['attended', 'no_show', 'confirmed']))
    const visits = await t.db.selectFrom('room_visit').select(['kind', 'anonymous', 'notes_enc']).execute()
    expect(visits.length).toBeGreaterThan(80)
    expect(visits.some((v) => v.anonymous === 1)).toBe(true)
    expect(visits.every((v) => v.notes_enc == null || !v.notes_enc.includes('示例'))).toBe(true)
    const groups = await t.db.selectFrom('room_group').select('theme').execute()
    expect(groups.map((g) => g.theme.startsWith('（示例）'))).toEqual([true, true])
    expect(await t.db.selectFrom('room_group_attendance').select('session_id').execute()).not.toHaveLength(0)
  })

  it('gives the demo schools a synthetic teacher roster, two past district rounds and an open one, with alerts picked up', async () => {
    const teachers = await t.db.selectFrom('teacher').select(['school_id']).execute()
    // the three demo schools, and a fourth without a counsellor whose alert went to the district centre
    expect(new Set(teachers.map((x) => x.school_id)).size).toBe(4)
    expect(teachers.length).toBeGreaterThanOrEqual(60)
    const rounds = await t.db.selectFrom('assessment_round').selectAll().orderBy('opens_at').execute()
    expect(rounds.every((r) => r.name.includes('示例'))).toBe(true)
    const now = Date.now()
    const district = rounds.filter((r) => r.owner_school_id == null)
    expect(district).toHaveLength(3)
    expect(district.filter((r) => Date.parse(r.closes_at) < now)).toHaveLength(2)
    const open = district.at(-1)!
    expect(Date.parse(open.opens_at)).toBeLessThan(now)
    expect(Date.parse(open.closes_at)).toBeGreaterThan(now)
    const answered = await t.db.selectFrom('assessment_respondent').select('id').where('submitted_at', 'is not', null).execute()
    expect(answered.length).toBeGreaterThanOrEqual(10)
    const alerts = await t.db
      .selectFrom('assessment_alert')
      .select(['is_alert', 'round_id', 'routed_to_centre', 'acknowledged_at'])
      .execute()
    const current = alerts.filter((a) => a.round_id === open.id)
    expect(current.map((a) => a.is_alert).sort()).toEqual([0, 1])
    // delivered to the school's counsellors, who have acknowledged it and read their inbox
    const items = await t.db
      .selectFrom('inbox_item')
      .innerJoin('account', 'account.id', 'inbox_item.account_id')
      .select(['inbox_item.read_at', 'account.role'])
      .where('kind', 'in', ['assessment.alert', 'assessment.contact'])
      .execute()
    expect(items.filter((i) => i.role === 'counsellor')).not.toHaveLength(0)
    expect(items.filter((i) => i.role === 'counsellor').every((i) => i.read_at != null)).toBe(true)
    // the one alert of the school without a counsellor waits for the district centre
    const waiting = alerts.filter((a) => a.acknowledged_at == null)
    expect(waiting).toHaveLength(1)
    expect(waiting[0]!.routed_to_centre).toBe(1)
    expect(items.filter((i) => i.role === 'district_centre')).toHaveLength(1)
  })

  it('publishes an accreditation tree, holds titles (one near expiry, reminded) and has files at every pipeline stage', async () => {
    expect(await t.db.selectFrom('accreditation_version').select('status').execute()).toEqual([{ status: 'published' }])
    const stages = (await t.db.selectFrom('accreditation_application').select('stage').execute()).map((a) => a.stage)
    expect(new Set(stages)).toEqual(new Set(['decided', 'review', 'submitted', 'returned', 'draft']))
    expect(await countRows(t.db, 'accreditation_title')).toBe(4)
    expect(await t.db.selectFrom('inbox_item').select('id').where('kind', '=', 'accreditation.expiry').execute()).not.toHaveLength(0)
    const expert1 = await t.db.selectFrom('account').select('id').where('username', '=', 'expert1').executeTakeFirstOrThrow()
    const seats = await t.db.selectFrom('accreditation_panel').select(['submitted_at']).where('expert_id', '=', expert1.id).execute()
    expect(seats.some((s) => s.submitted_at == null)).toBe(true)
  })

  it('creates the ten streets', async () => {
    expect(await countRows(t.db, 'street')).toBe(10)
  })

  it('creates about a hundred schools of all seven types, spread over every street', async () => {
    const schools = await t.db.selectFrom('school').select(['type', 'street_id']).execute()
    expect(schools.length).toBeGreaterThanOrEqual(90)
    expect(schools.length).toBeLessThanOrEqual(110)
    expect(new Set(schools.map((s) => s.type))).toEqual(new Set(SCHOOL_TYPES))
    expect(new Set(schools.map((s) => s.street_id)).size).toBe(10)
  })

  it('creates three school years with exactly one current', async () => {
    const years = await t.db.selectFrom('school_year').select(['label', 'is_current', 'starts_on']).orderBy('starts_on').execute()
    expect(years).toHaveLength(3)
    expect(years.filter((y) => y.is_current === 1)).toHaveLength(1)
    expect(years.at(-1)!.is_current).toBe(1)
  })

  it('gives every school a plausible enrolment (80 to 4,200 students) in every year', async () => {
    const schools = await countRows(t.db, 'school')
    const rows = await t.db.selectFrom('enrolment').select(['students', 'classes']).execute()
    expect(rows).toHaveLength(schools * 3)
    const students = rows.map((r) => r.students)
    expect(Math.min(...students)).toBeGreaterThanOrEqual(80)
    expect(Math.max(...students)).toBeLessThanOrEqual(4200)
    expect(rows.every((r) => r.classes >= 1)).toBe(true)
  })

  it('creates at least one account per role, school roles at a school, and each can sign in', async () => {
    const accounts = await t.db.selectFrom('account').select(['username', 'role', 'school_id', 'must_change_password']).execute()
    expect(new Set(accounts.map((a) => a.role))).toEqual(new Set(ROLES))
    for (const a of accounts) expect(a.school_id != null).toBe(a.role === 'school_admin' || a.role === 'counsellor')
    for (const role of ROLES) {
      const a = accounts.find((x) => x.role === role)!
      const { result } = await login(t.db, a.username, DEMO_PASSWORD)
      expect(result).toMatchObject({ role, mustChangePassword: false })
    }
  })

  it('does nothing when called again', async () => {
    const before = await snapshotTables(t.db)
    const again = await seedIfEmpty(t.db, testKeys())
    expect(again.seeded).toBe('none')
    expect(again.announce).toEqual(report.announce)
    expect(await snapshotTables(t.db)).toEqual(before)
  })

  it('produces the same schools from the same seed', async () => {
    const schools = await t.db.selectFrom('school').select(['code', 'name']).orderBy('code').execute()
    expect(reference.length).toBeGreaterThan(0)
    expect(schools).toEqual(reference)
  })

  it('starts the staffing and room story below target and ends near it, improving every year', async () => {
    const years = await districtTrend(t.db)
    expect(years).toHaveLength(3)
    const [first, middle, latest] = years as [DistrictTrend[number], DistrictTrend[number], DistrictTrend[number]]
    expect(years.map((y) => y.rooms.target)).toEqual([...DEMO_ROOM_TARGETS])
    // Rooms: about half set up against 60 % in the earliest year, almost all against 100 % in the latest.
    expect(first.rooms.rate!).toBeLessThan(first.rooms.target)
    expect(first.rooms.rate!).toBeGreaterThanOrEqual(45)
    expect(middle.rooms.rate!).toBeGreaterThan(first.rooms.rate!)
    expect(latest.rooms.rate!).toBeGreaterThan(middle.rooms.rate!)
    expect(latest.rooms.rate!).toBeGreaterThanOrEqual(90)
    expect(latest.rooms.rate!).toBeLessThan(100)
    expect(latest.rooms.standardRate!).toBeGreaterThan(first.rooms.standardRate!)
    // Staffing: the 1-per-1,000 shortfall and the schools with nobody at all shrink year on year, without vanishing.
    expect(middle.staffing.shortfall).toBeLessThan(first.staffing.shortfall)
    expect(latest.staffing.shortfall).toBeLessThan(middle.staffing.shortfall)
    expect(latest.staffing.shortfall).toBeGreaterThan(0)
    expect(latest.staffing.counted / latest.staffing.required).toBeGreaterThanOrEqual(0.9)
    expect(first.staffing.counted / first.staffing.required).toBeLessThan(0.7)
    expect(first.staffing.noTeacher).toBeGreaterThanOrEqual(8)
    expect(latest.staffing.noTeacher).toBeGreaterThanOrEqual(1)
    expect(latest.staffing.noTeacher).toBeLessThanOrEqual(3)
    expect(latest.staffing.purchased).toBeGreaterThan(first.staffing.purchased)
    expect(latest.staffing.partTime).toBeGreaterThan(0)
  })

  it('gives the teams certificates (a few lapsing), training around the requirement, leavers and rooms below standard', async () => {
    const ctx = bureauContext(t.db)
    const certs = await expiringCertificatesService(ctx, {})
    const expired = certs.rows.filter((c) => c.expired).length
    expect(expired).toBeGreaterThanOrEqual(1)
    expect(expired).toBeLessThanOrEqual(3)
    expect(certs.rows.length - expired).toBeGreaterThanOrEqual(3)
    expect(certs.rows.length - expired).toBeLessThanOrEqual(10)
    const staffing = await staffingDashboard(ctx, { sort: 'shortfall', order: 'desc', page: 1, pageSize: 20 })
    const inPost = staffing.totals.fullTime + staffing.totals.partTime + staffing.totals.purchased
    expect(staffing.totals.trainingBelow).toBeGreaterThan(0)
    expect(staffing.totals.trainingBelow).toBeLessThan(inPost / 3)
    expect(staffing.totals.reporting).toBe(staffing.totals.schools)
    const leavers = await t.db.selectFrom('staff_member').select('id').where('ends_on', 'is not', null).execute()
    expect(leavers.length).toBeGreaterThanOrEqual(3)
    const rooms = await roomDashboard(ctx, { sort: 'street', order: 'asc', page: 1, pageSize: 20 })
    expect(rooms.totals.setUp).toBeGreaterThan(rooms.totals.meets)
    // Every name is visibly synthetic.
    const names = await t.db.selectFrom('staff_member').select('name').execute()
    expect(names.every((m) => m.name.startsWith('示例·'))).toBe(true)
    const courses = await t.db.selectFrom('staff_training').select('course').execute()
    expect(courses.every((c) => c.course.startsWith('（示例）'))).toBe(true)
  })

  it('produces the same staffing and room figures from the same seed', async () => {
    expect(referenceTrend).toHaveLength(3)
    expect(await districtTrend(t.db)).toEqual(referenceTrend)
  })

  it('tells the seven-ones story: completion rises from the earliest to the middle year, and the current year is mid-way', async () => {
    const years = await seven(t.db)
    expect(years).toHaveLength(3)
    const [first, middle, current] = years as [ProgrammeTrend[number], ProgrammeTrend[number], ProgrammeTrend[number]]
    expect(first.allSevenRate!).toBeGreaterThanOrEqual(DEMO_ALL_SEVEN_SHARE[0] * 100 - 8)
    expect(first.allSevenRate!).toBeLessThanOrEqual(30)
    expect(middle.allSevenRate!).toBeGreaterThanOrEqual(50)
    expect(middle.allSevenRate!).toBeLessThanOrEqual(DEMO_ALL_SEVEN_SHARE[1] * 100 + 5)
    expect(middle.allSevenRate!).toBeGreaterThan(first.allSevenRate!)
    for (const item of ['team', 'activity', 'lecture', 'platform', 'clinic', 'drill']) {
      expect(rateOf(middle, item)).toBeGreaterThan(rateOf(first, item))
      // Every item shows all three states somewhere in the earliest year.
      const f = first.items.find((i) => i.item === item)!
      expect(f.in_progress).toBeGreaterThan(0)
      expect(f.not_started).toBeGreaterThan(0)
    }
    // Autumn term of the current year: teams and channels mostly recorded, activities and lectures partly, drills mostly to come.
    expect(rateOf(current, 'team')).toBeGreaterThanOrEqual(70)
    expect(rateOf(current, 'platform')).toBeGreaterThanOrEqual(70)
    for (const item of ['activity', 'lecture']) {
      expect(rateOf(current, item)).toBeGreaterThanOrEqual(25)
      expect(rateOf(current, item)).toBeLessThanOrEqual(75)
    }
    expect(rateOf(current, 'drill')).toBeLessThanOrEqual(30)
    expect(current.allSevenRate!).toBeLessThan(first.allSevenRate!)
  })

  it('keeps every event synthetic, inside its school year and not after today', async () => {
    const today = shanghaiDate(new Date())
    const events = await t.db
      .selectFrom('programme_event')
      .innerJoin('school_year', 'school_year.id', 'programme_event.school_year_id')
      .select(['title', 'organiser', 'held_on', 'kind', 'problems_found', 'school_year.starts_on', 'school_year.ends_on'])
      .execute()
    expect(events.length).toBeGreaterThan(300)
    expect(new Set(events.map((e) => e.kind))).toEqual(new Set(['activity', 'lecture', 'drill']))
    for (const e of events) {
      expect(e.title.startsWith('（示例）')).toBe(true)
      expect(e.organiser?.startsWith('示例·')).toBe(true)
      expect(e.held_on >= e.starts_on && e.held_on <= e.ends_on && e.held_on <= today).toBe(true)
    }
    expect(events.some((e) => e.kind === 'drill' && e.problems_found)).toBe(true)
    const clinics = await t.db.selectFrom('programme_clinic').select('hospital').execute()
    expect(clinics.length).toBeGreaterThan(0)
    expect(clinics.every((c) => c.hospital.startsWith('示例·'))).toBe(true)
  })

  it('stores every attachment encrypted under the data dir, each a small valid image or PDF once opened', async () => {
    const rows = await t.db.selectFrom('programme_attachment').select(['storage_key', 'mime_type', 'size_bytes', 'sha256']).execute()
    expect(rows.length).toBeGreaterThan(100)
    expect(rows.length).toBeLessThan(1500)
    expect(new Set(rows.map((a) => a.mime_type))).toEqual(new Set(['image/png', 'application/pdf']))
    for (const a of rows) {
      const raw = readFileSync(join(dataDir, 'uploads', a.storage_key))
      expect(sniffType(raw.subarray(0, 16))).toBeNull()
      const bytes = decryptBytes(testKeys(), `programme.attachment:${a.storage_key}`, raw)
      expect(bytes.length).toBe(a.size_bytes)
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(a.sha256)
      expect(sniffType(bytes.subarray(0, 16))).toBe(a.mime_type)
    }
  })

  it('closes the past supervision rounds with most schools scored, and keeps the current one open with a third submitted', async () => {
    const ctx = bureauContext(t.db)
    const today = shanghaiDate(new Date())
    const schools = await countRows(t.db, 'school')
    const rounds = await roundsService(ctx)
    // Two rounds a year; how many have begun depends on the day the demo is seeded, but one is always open.
    expect(rounds.length).toBeGreaterThanOrEqual(5)
    const closed = rounds.filter((r) => r.status === 'closed')
    expect(closed.length).toBe(rounds.length - 1)
    for (const r of closed) {
      expect(r.dueOn < today).toBe(true)
      expect(r.closedAt).not.toBeNull()
      expect(r.submitted!).toBeGreaterThanOrEqual(schools * 0.8)
      expect(r.scored!).toBeGreaterThanOrEqual(schools * 0.75)
    }
    const open = rounds.filter((r) => r.status === 'open')
    expect(open).toHaveLength(1)
    const [current] = open as [(typeof rounds)[number]]
    expect(current.opensOn <= today && today <= current.dueOn).toBe(true)
    expect(current.submitted!).toBeGreaterThanOrEqual(schools * 0.25)
    expect(current.submitted!).toBeLessThanOrEqual(schools * 0.4)
    expect(current.scored!).toBeGreaterThanOrEqual(1)
    expect(current.scored!).toBeLessThanOrEqual(10)
    // Self-evaluations were submitted while their round was open, never before it opened or after today.
    const subs = await t.db
      .selectFrom('evaluation_submission')
      .innerJoin('evaluation_round', 'evaluation_round.id', 'evaluation_submission.round_id')
      .select(['evaluation_submission.submitted_at', 'evaluation_round.opens_on'])
      .where('evaluation_submission.submitted_at', 'is not', null)
      .execute()
    for (const s of subs)
      expect(shanghaiDate(new Date(s.submitted_at!)) >= s.opens_on && shanghaiDate(new Date(s.submitted_at!)) <= today).toBe(true)
    // Scores follow completion: in the latest closed round, schools complete on all seven score above the rest.
    const report = await evaluationReport(ctx, { roundId: closed[0]!.id })
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
    const scored = report.annex.filter((a) => a.bureauTotal != null)
    const full = scored.filter((a) => a.completed === 7).map((a) => a.bureauTotal!)
    const rest = scored.filter((a) => a.completed < 7).map((a) => a.bureauTotal!)
    expect(full.length).toBeGreaterThan(0)
    expect(rest.length).toBeGreaterThan(0)
    expect(mean(full)).toBeGreaterThan(mean(rest) + 5)
  })

  it('produces the same seven-ones figures from the same seed', async () => {
    expect(referenceProgramme).toHaveLength(3)
    expect(await seven(t.db)).toEqual(referenceProgramme)
  })

  it('publishes the demo district’s case statistics with no hidden figure an attacker holding all three tables can narrow below the threshold', async () => {
    const ctx = bureauContext(t.db)
    const [level, status, category] = [
      await districtCaseStats(ctx, { dimension: 'risk_level' }),
      await districtCaseStats(ctx, { dimension: 'status' }),
      await districtCaseStats(ctx, { dimension: 'category' }),
    ]
    expect(level.rows.length).toBeGreaterThanOrEqual(100)
    expect([...level.rows.flatMap((r) => r.cells), ...status.rows.flatMap((r) => r.cells)]).toContain(null)
    expect(await narrowCells(level, status, category)).toEqual([])
  }, 120_000)

  it('leaves a verifiable audit chain', async () => {
    const result = await verifyAuditChain(t.db, testKeys().audit)
    expect(result).toMatchObject({ ok: true, firstBreak: null })
    expect(result.checked).toBe(await countRows(t.db, 'audit_event'))
  })
})
