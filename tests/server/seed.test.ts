import { beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../db/seed/demo'
import { seedIfEmpty } from '../../db/seed'
import { ROLES, SCHOOL_TYPES } from '../../shared/roles'
import { verifyAuditChain } from '../../server/services/audit'
import { testKeys } from '../../server/services/keys'
import { login } from '../fixtures/caller'
import { countRows, openTestDatabase, snapshotTables, targets, useTestDatabase } from '../fixtures/db'

/** The school names one seeding produced on SQLite, to compare every target against. */
let reference: { code: string; name: string }[] = []

beforeAll(async () => {
  const ref = await openTestDatabase({ name: 'sqlite', url: ':memory:' })
  try {
    await seedIfEmpty(ref.db, testKeys())
    reference = await ref.db.selectFrom('school').select(['code', 'name']).orderBy('code').execute()
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

  it('leaves a verifiable audit chain', async () => {
    const result = await verifyAuditChain(t.db, testKeys().audit)
    expect(result).toMatchObject({ ok: true, firstBreak: null })
    expect(result.checked).toBe(await countRows(t.db, 'audit_event'))
  })
})
