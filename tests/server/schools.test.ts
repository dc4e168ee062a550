import { sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Role } from '../../shared/roles'
import { AppError } from '../../server/services/errors'
import type { Actor } from '../../server/services/context'
import { callerFor, expectRefusal, rejection, signIn, type Caller } from '../fixtures/caller'
import { auditRows, headSeq } from '../fixtures/audit'
import { snapshotTables, targets, useTestDatabase } from '../fixtures/db'
import { enrol, makeAccount, makeSchool, makeStreet, makeYear, unique } from '../fixtures/factories'

describe.each(targets)('schools on $name', (target) => {
  const t = useTestDatabase(target)
  const actors = {} as Record<Role, Actor>
  const as = (role: Role): Caller => callerFor(t.db, actors[role])
  let mine: { id: number; code: string }
  let other: { id: number; code: string }
  let closed: { id: number }
  let currentYear: number
  let lastYear: number
  let streetA: number
  let streetB: number

  beforeAll(async () => {
    lastYear = await makeYear(t.db, 2024)
    currentYear = await makeYear(t.db, 2025, true)
    streetA = await makeStreet(t.db)
    streetB = await makeStreet(t.db)
    mine = await makeSchool(t.db, { streetId: streetA, type: 'primary' })
    other = await makeSchool(t.db, { streetId: streetB, type: 'junior' })
    const third = await makeSchool(t.db, { streetId: streetB, type: 'preschool' })
    const noEnrolment = await makeSchool(t.db, { streetId: streetA, type: 'special' })
    closed = await makeSchool(t.db, { streetId: streetA, type: 'senior' })
    await enrol(t.db, mine.id, currentYear, 1200, 27)
    await enrol(t.db, other.id, currentYear, 850, 18)
    await enrol(t.db, third.id, currentYear, 240, 8)
    await enrol(t.db, closed.id, currentYear, 3000, 60)
    await enrol(t.db, mine.id, lastYear, 1100, 25)
    void noEnrolment
    for (const role of ['admin', 'bureau', 'school_admin', 'counsellor'] as const) {
      const acc = await makeAccount(t.db, role, { schoolId: role === 'school_admin' || role === 'counsellor' ? mine.id : null })
      actors[role] = (await signIn(t.db, acc.username, acc.password)).actor
    }
    await as('admin').school.disable({ id: closed.id })
  })

  it('shows the bureau every active school, with this year’s enrolment', async () => {
    const list = await as('bureau').school.list({ pageSize: 200 })
    const all = await t.db.selectFrom('school').select('id').where('disabled_at', 'is', null).execute()
    expect(list.total).toBe(all.length)
    expect(list.rows.map((r) => r.id).sort((a, b) => a - b)).toEqual(all.map((r) => r.id).sort((a, b) => a - b))
    expect(list.schoolYearId).toBe(currentYear)
    expect(list.rows.find((r) => r.id === mine.id)).toMatchObject({ students: 1200, classes: 27 })
  })

  it('shows disabled schools only when asked', async () => {
    const disabled = await as('bureau').school.list({ status: 'disabled' })
    expect(disabled.rows.map((r) => r.id)).toEqual([closed.id])
  })

  it.each(['school_admin', 'counsellor'] as const)('shows a %s only their own school, whatever the filter', async (role) => {
    const list = await as(role).school.list({ status: 'all', pageSize: 200 })
    expect(list.rows.map((r) => r.id)).toEqual([mine.id])
    expect(list.total).toBe(1)
    const elsewhere = await as(role).school.list({ streetId: streetB })
    expect(elsewhere).toMatchObject({ total: 0, rows: [] })
  })

  it.each(['school_admin', 'counsellor'] as const)('answers a %s asking for another school exactly as for a missing one', async (role) => {
    await expect(as(role).school.byId({ id: mine.id })).resolves.toMatchObject({ id: mine.id })
    const foreign = await rejection(as(role).school.byId({ id: other.id }))
    const missing = await rejection(as(role).school.byId({ id: 999_999 }))
    expect(foreign).toBeInstanceOf(AppError)
    expect({ code: foreign.code, appCode: foreign.appCode, message: foreign.message }).toEqual({
      code: missing.code,
      appCode: missing.appCode,
      message: missing.message,
    })
    expect(foreign.code).toBe('NOT_FOUND')
  })

  it('shows a school’s enrolment history', async () => {
    const school = await as('bureau').school.byId({ id: mine.id })
    expect(school.enrolment.map((e) => [e.label, e.students])).toEqual([
      ['2024-2025', 1100],
      ['2025-2026', 1200],
    ])
  })

  it('creates a school and audits it', async () => {
    const code = unique('NEW-')
    const seq = await headSeq(t.db)
    const { id } = await as('admin').school.create({
      code,
      name: '新建实验学校',
      nameEn: null,
      type: 'nine_year',
      streetId: streetA,
      isPublic: false,
      address: '示例路 1 号',
    })
    expect((await auditRows(t.db, seq)).map((r) => [r.action, r.entity_id])).toEqual([['school.create', String(id)]])
    await expect(as('bureau').school.byId({ id })).resolves.toMatchObject({ code, type: 'nine_year', isPublic: false, version: 1 })
  })

  it('refuses a school code that is already taken, on create and on update', async () => {
    const before = await snapshotTables(t.db)
    await expectRefusal(
      as('admin').school.create({
        code: other.code,
        name: '重复代码学校',
        nameEn: null,
        type: 'primary',
        streetId: streetA,
        isPublic: true,
        address: null,
      }),
      'CONFLICT',
      'school.codeTaken',
    )
    const current = await as('admin').school.byId({ id: mine.id })
    await expectRefusal(
      as('admin').school.update({
        id: mine.id,
        code: other.code,
        name: current.name,
        nameEn: null,
        type: current.type,
        streetId: current.streetId,
        isPublic: true,
        address: null,
        version: current.version,
      }),
      'CONFLICT',
      'school.codeTaken',
    )
    expect(await snapshotTables(t.db)).toEqual(before)
  })

  it('refuses to save over a newer version of a school', async () => {
    const s = await makeSchool(t.db)
    const v1 = await as('admin').school.byId({ id: s.id })
    const base = { id: s.id, code: v1.code, nameEn: null, type: v1.type, streetId: v1.streetId, isPublic: true, address: null }
    const saved = await as('admin').school.update({ ...base, name: '第一次修改', version: v1.version })
    expect(saved.version).toBe(v1.version + 1)
    await expectRefusal(as('admin').school.update({ ...base, name: '过期的修改', version: v1.version }), 'CONFLICT', 'conflict')
    expect((await as('admin').school.byId({ id: s.id })).name).toBe('第一次修改')
  })

  it('keeps one enrolment per school and year: a second save replaces the first', async () => {
    const s = await makeSchool(t.db)
    // the year may have ended by the time the suite runs: then each save is an audited correction
    const reason = { correctionReason: '核对学籍系统后更正' }
    await as('admin').school.setEnrolment({ schoolId: s.id, schoolYearId: currentYear, students: 500, classes: 12, ...reason })
    const updated = await as('admin').school.setEnrolment({
      schoolId: s.id,
      schoolYearId: currentYear,
      students: 520,
      classes: 13,
      ...reason,
    })
    expect(updated.enrolment.map((e) => [e.schoolYearId, e.students, e.classes])).toEqual([[currentYear, 520, 13]])
    const rows = await t.db.selectFrom('enrolment').select('id').where('school_id', '=', s.id).execute()
    expect(rows).toHaveLength(1)
  })

  it('refuses enrolment for a school year that does not exist', async () => {
    await expectRefusal(
      as('admin').school.setEnrolment({ schoolId: mine.id, schoolYearId: 999_999, students: 1, classes: 1 }),
      'NOT_FOUND',
      'notFound',
    )
  })

  it('finds a school by name, code or English name, whatever the letter case', async () => {
    const code = unique('Case-')
    const { id } = await as('admin').school.create({
      code,
      name: '莲花实验学校',
      nameEn: 'Lotus Experimental School',
      type: 'primary',
      streetId: streetA,
      isPublic: true,
      address: null,
    })
    for (const search of ['莲花实验', code.toLowerCase(), code.toUpperCase(), 'lotus experimental', 'LOTUS']) {
      const found = await as('bureau').school.list({ search })
      expect(
        found.rows.map((r) => r.id),
        search,
      ).toEqual([id])
    }
  })

  it.each(['street', 'name', 'code', 'type', 'students'] as const)('sorts the list by %s both ways', async (sort) => {
    const asc = await as('bureau').school.list({ sort, order: 'asc', pageSize: 200 })
    const desc = await as('bureau').school.list({ sort, order: 'desc', pageSize: 200 })
    expect(asc.total).toBe(desc.total)
    expect(new Set(asc.rows.map((r) => r.id))).toEqual(new Set(desc.rows.map((r) => r.id)))
    if (sort === 'code') {
      const codes = asc.rows.map((r) => r.code)
      expect(codes).toEqual([...codes].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)))
    }
    if (sort === 'students') {
      const figures = asc.rows.map((r) => r.students).filter((n): n is number => n != null)
      expect(figures).toEqual([...figures].sort((a, b) => a - b))
    }
  })

  it('pages through the list without repeating or skipping a school', async () => {
    const all = await as('bureau').school.list({ sort: 'type', pageSize: 200 })
    const seen: number[] = []
    for (let page = 1; page <= Math.ceil(all.total / 2); page++) {
      seen.push(...(await as('bureau').school.list({ sort: 'type', page, pageSize: 2 })).rows.map((r) => r.id))
    }
    expect(seen).toEqual(all.rows.map((r) => r.id))
  })

  it('lists streets in order', async () => {
    const streets = await as('counsellor').school.streets()
    const ids = streets.map((s) => s.id)
    expect(ids.indexOf(streetA)).toBeLessThan(ids.indexOf(streetB))
  })

  it.each([
    { name: 'the current year', year: () => undefined as number | undefined },
    { name: 'last year', year: () => lastYear as number | undefined },
  ])('gives the bureau district totals for $name equal to an independent SQL sum', async ({ year }) => {
    const yearId = year() ?? currentYear
    const overview = await as('bureau').school.overview({ schoolYearId: year() })
    const expected = await sql<{
      schools: number | string
      students: number | string | null
      classes: number | string | null
      reporting: number | string
    }>`
      select count(*) as schools, sum(e.students) as students, sum(e.classes) as classes, count(e.id) as reporting
      from school s left join enrolment e on e.school_id = s.id and e.school_year_id = ${yearId}
      where s.disabled_at is null`.execute(t.db)
    const e = expected.rows[0]!
    expect(overview.schoolYearId).toBe(yearId)
    expect(overview.totals).toEqual({
      schools: Number(e.schools),
      students: Number(e.students ?? 0),
      classes: Number(e.classes ?? 0),
      reporting: Number(e.reporting),
    })
    const perStreet = await sql<{ street_id: number; students: number | string | null }>`
      select s.street_id, sum(e.students) as students
      from school s left join enrolment e on e.school_id = s.id and e.school_year_id = ${yearId}
      where s.disabled_at is null group by s.street_id`.execute(t.db)
    for (const row of perStreet.rows) {
      expect(overview.streets.find((s) => s.streetId === row.street_id)?.students).toBe(Number(row.students ?? 0))
    }
  })

  it('leaves disabled schools out of the district totals', async () => {
    const overview = await as('bureau').school.overview({})
    expect(overview.streets.find((s) => s.streetId === streetA)?.byType.senior).toBeUndefined()
  })
})
