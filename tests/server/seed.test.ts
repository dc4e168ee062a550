import type { Kysely } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../db/schema'
import { DEMO_PASSWORD } from '../../db/seed/demo'
import { DEMO_ROOM_TARGETS } from '../../db/seed/demo-staffing'
import { seedIfEmpty } from '../../db/seed'
import { ROLES, SCHOOL_TYPES } from '../../shared/roles'
import { verifyAuditChain } from '../../server/services/audit'
import { testKeys } from '../../server/services/keys'
import { expiringCertificatesService, roomDashboard, staffingDashboard, trend } from '../../server/services/staffing-dashboard'
import { createContextInner } from '../../server/trpc/context'
import { login } from '../fixtures/caller'
import { countRows, openTestDatabase, snapshotTables, targets, useTestDatabase } from '../fixtures/db'

/** The school names one seeding produced on SQLite, to compare every target against. */
let reference: { code: string; name: string }[] = []
/** The district trend that seeding produced on SQLite. */
let referenceTrend: DistrictTrend = []

/** The bureau's view of the district, as its dashboards compute it. */
function bureauContext(db: Kysely<Database>) {
  return createContextInner({
    db, keys: testKeys(), requestId: 'seed-test',
    actor: { accountId: 0, sessionId: 0, username: 'bureau', displayName: 'bureau', role: 'bureau', schoolId: null, mustChangePassword: false, scope: { kind: 'all' } },
  })
}
type DistrictTrend = Awaited<ReturnType<typeof trend>>['years'][number][]
async function districtTrend(db: Kysely<Database>): Promise<DistrictTrend> {
  return (await trend(bureauContext(db), {})).years
}

beforeAll(async () => {
  const ref = await openTestDatabase({ name: 'sqlite', url: ':memory:' })
  try {
    await seedIfEmpty(ref.db, testKeys())
    reference = await ref.db.selectFrom('school').select(['code', 'name']).orderBy('code').execute()
    referenceTrend = await districtTrend(ref.db)
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

  it('leaves a verifiable audit chain', async () => {
    const result = await verifyAuditChain(t.db, testKeys().audit)
    expect(result).toMatchObject({ ok: true, firstBreak: null })
    expect(result.checked).toBe(await countRows(t.db, 'audit_event'))
  })
})
