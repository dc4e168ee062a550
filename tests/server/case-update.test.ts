import { describe, expect, it } from 'vitest'
import { callerFor, expectRefusal, signIn } from '../fixtures/caller'
import { targets, useTestDatabase } from '../fixtures/db'
import { makeAccount, makeSchool } from '../fixtures/factories'

describe.each(targets)('correcting a case’s details ($name)', (target) => {
  const t = useTestDatabase(target)

  async function world() {
    const school = await makeSchool(t.db)
    const other = await makeSchool(t.db)
    const a = await makeAccount(t.db, 'counsellor', { schoolId: school.id })
    const b = await makeAccount(t.db, 'counsellor', { schoolId: school.id })
    const outsider = await makeAccount(t.db, 'counsellor', { schoolId: other.id })
    const caller = callerFor(t.db, (await signIn(t.db, a.username, a.password)).actor)
    const { id: studentId } = await caller.student.create({
      studentNo: `U${school.id}`,
      name: '更正学生',
      sex: 'F',
      birthDate: null,
      grade: 4,
      className: '1班',
    })
    const { id: caseId } = await caller.case.open({
      studentId,
      source: 'self',
      categories: ['study'],
      concern: '最初的描述',
      riskLevel: 'watch',
      openedOn: '2026-09-01',
      counsellorIds: [a.id],
    })
    return { caller, a, b, outsider, caseId }
  }

  it('hands the case to another counsellor and corrects what it is about', async () => {
    const { caller, b, caseId } = await world()
    const before = await caller.case.byId({ id: caseId })
    await caller.case.update({
      caseId,
      version: before.version,
      source: 'head_teacher',
      categories: ['emotion', 'family'],
      flags: ['single_parent'],
      concern: '更正后的描述',
      counsellorIds: [b.id],
    })
    const after = await caller.case.byId({ id: caseId })
    expect(after.counsellors.map((x) => x.id)).toEqual([b.id])
    expect(after.categories).toEqual(['emotion', 'family'])
    expect(after.flags).toEqual(['single_parent'])
    expect(after.concern).toBe('更正后的描述')
    expect(after.source).toBe('head_teacher')
    const audit = await t.db
      .selectFrom('audit_event')
      .select(['action', 'detail'])
      .where('action', '=', 'case.update')
      .where('entity_id', '=', String(caseId))
      .execute()
    expect(audit).toHaveLength(1)
    expect(JSON.stringify(audit)).not.toContain('更正后的描述')
  })

  it('refuses a save based on an old version and keeps the other person’s change', async () => {
    const { caller, a, caseId } = await world()
    const { version } = await caller.case.byId({ id: caseId })
    await caller.case.update({
      caseId,
      version,
      source: 'self',
      categories: ['emotion'],
      flags: [],
      concern: '第一次保存',
      counsellorIds: [a.id],
    })
    await expectRefusal(
      caller.case.update({
        caseId,
        version,
        source: 'self',
        categories: ['study'],
        flags: [],
        concern: '第二次保存',
        counsellorIds: [a.id],
      }),
      'CONFLICT',
      'conflict',
    )
    expect((await caller.case.byId({ id: caseId })).concern).toBe('第一次保存')
  })

  it('refuses a counsellor of another school', async () => {
    const { caller, outsider, caseId } = await world()
    const { version } = await caller.case.byId({ id: caseId })
    await expectRefusal(
      caller.case.update({ caseId, version, source: 'self', categories: ['study'], flags: [], concern: 'x', counsellorIds: [outsider.id] }),
      'BAD_REQUEST',
      'case.counsellorNotInSchool',
    )
  })

  it('answers another school’s counsellor as if the case did not exist', async () => {
    const { caller, outsider, caseId } = await world()
    const { version } = await caller.case.byId({ id: caseId })
    const stranger = callerFor(t.db, (await signIn(t.db, outsider.username, outsider.password)).actor)
    await expectRefusal(
      stranger.case.update({
        caseId,
        version,
        source: 'self',
        categories: ['study'],
        flags: [],
        concern: 'x',
        counsellorIds: [outsider.id],
      }),
      'NOT_FOUND',
      'notFound',
    )
  })

  it('leaves a closed case as it was closed', async () => {
    const { caller, a, caseId } = await world()
    const { version } = await caller.case.byId({ id: caseId })
    await caller.case.close({ caseId, version, outcome: '结案' })
    const closed = await caller.case.byId({ id: caseId })
    await expectRefusal(
      caller.case.update({
        caseId,
        version: closed.version,
        source: 'self',
        categories: ['study'],
        flags: [],
        concern: 'x',
        counsellorIds: [a.id],
      }),
      'BAD_REQUEST',
      'case.closed',
    )
  })
})
