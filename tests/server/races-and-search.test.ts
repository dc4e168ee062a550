import { describe, expect, it } from 'vitest'
import { createAccount } from '../../server/services/account'
import { createSchool } from '../../server/services/school'
import { AppError } from '../../server/services/errors'
import { callerFor, signIn } from '../fixtures/caller'
import { targets, useTestDatabase } from '../fixtures/db'
import { enrol, makeAccount, makeSchool, makeStreet, makeYear, systemContext } from '../fixtures/factories'

describe.each(targets)('races and search ($name)', (target) => {
  const t = useTestDatabase(target)

  it('answers a second simultaneous account with the same username as taken, not as a server error', async () => {
    const input = { username: 'race.twin', displayName: 'Twin', role: 'bureau' as const, schoolId: null, password: 'Racing-pass-2026' }
    const results = await Promise.allSettled([createAccount(systemContext(t.db), input), createAccount(systemContext(t.db), input)])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const failure = results.find((r) => r.status === 'rejected') as PromiseRejectedResult
    expect(failure.reason).toBeInstanceOf(AppError)
    expect((failure.reason as AppError).appCode).toBe('account.usernameTaken')
    const rows = await t.db.selectFrom('account').select('id').where('username', '=', 'race.twin').execute()
    expect(rows).toHaveLength(1)
  })

  it('answers a second simultaneous school with the same code as taken', async () => {
    const streetId = await makeStreet(t.db)
    const input = { code: 'RACE-1', name: '竞速学校', nameEn: null, type: 'primary' as const, streetId, isPublic: true, address: null }
    const results = await Promise.allSettled([
      createSchool(systemContext(t.db), input),
      createSchool(systemContext(t.db), { ...input, name: '竞速学校二' }),
    ])
    const failure = results.find((r) => r.status === 'rejected') as PromiseRejectedResult | undefined
    // Either the pre-check or the constraint catches it; both must read as "code taken".
    expect(failure && (failure.reason as AppError).appCode).toBe('school.codeTaken')
  })

  it('treats % and _ typed in a search box as plain characters', async () => {
    const streetId = await makeStreet(t.db)
    await makeSchool(t.db, { streetId, code: 'PCT-1', name: '百分之百学校' })
    await makeSchool(t.db, { streetId, code: 'UND-1', name: 'A_B 学校' })
    const bureau = await makeAccount(t.db, 'bureau')
    const caller = callerFor(t.db, (await signIn(t.db, bureau.username, bureau.password)).actor)
    expect((await caller.school.list({ search: '%', streetId })).total).toBe(0)
    expect((await caller.school.list({ search: '_', streetId })).rows.map((r) => r.code)).toEqual(['UND-1'])
    expect((await caller.school.list({ search: 'a_b', streetId })).rows.map((r) => r.code)).toEqual(['UND-1'])
    expect(await caller.account.list({ search: '%' }).catch(() => null)).toBeNull() // bureau may not list accounts
  })

  it('lists schools without enrolment last whichever way students are sorted', async () => {
    const streetId = await makeStreet(t.db)
    const yearId = await makeYear(t.db, 2030, true)
    const small = await makeSchool(t.db, { streetId, code: 'SORT-S' })
    const big = await makeSchool(t.db, { streetId, code: 'SORT-B' })
    await makeSchool(t.db, { streetId, code: 'SORT-N' })
    await enrol(t.db, small.id, yearId, 100)
    await enrol(t.db, big.id, yearId, 3000)
    const bureau = await makeAccount(t.db, 'bureau')
    const caller = callerFor(t.db, (await signIn(t.db, bureau.username, bureau.password)).actor)
    const asc = await caller.school.list({ streetId, sort: 'students', order: 'asc', schoolYearId: yearId })
    const desc = await caller.school.list({ streetId, sort: 'students', order: 'desc', schoolYearId: yearId })
    expect(asc.rows.map((r) => r.code)).toEqual(['SORT-S', 'SORT-B', 'SORT-N'])
    expect(desc.rows.map((r) => r.code)).toEqual(['SORT-B', 'SORT-S', 'SORT-N'])
  })
})
