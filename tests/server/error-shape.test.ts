import { TRPCError } from '@trpc/server'
import { getErrorShape } from '@trpc/server/unstable-core-do-not-import'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Actor } from '../../server/services/context'
import { appRouter } from '../../server/trpc/routers'
import { callerFor, rejection, signIn } from '../fixtures/caller'
import { targets, useTestDatabase } from '../fixtures/db'
import { makeAccount, PASSWORD } from '../fixtures/factories'

/** What the HTTP handler would send to the browser for this error. */
function shapeFor(error: TRPCError, path = 'account.create', input: unknown = undefined) {
  return getErrorShape({ config: appRouter._def._config, error, type: 'mutation', path, input, ctx: undefined })
}

describe.each(targets)('errors as clients see them on $name', (target) => {
  const t = useTestDatabase(target)
  let admin: Actor

  beforeAll(async () => {
    const a = await makeAccount(t.db, 'admin')
    admin = (await signIn(t.db, a.username, a.password)).actor
  })

  it('turns invalid input into field issues a form can show', async () => {
    const error = await rejection(
      callerFor(t.db, admin).account.create({ username: 'a b', displayName: '', role: 'expert', schoolId: null, password: PASSWORD }),
    )
    const shape = shapeFor(error)
    expect(shape.message).toBe('validation')
    expect(shape.data).toMatchObject({ code: 'BAD_REQUEST', httpStatus: 400, appCode: 'validation', params: {} })
    expect(shape.data.fieldIssues.map((i) => i.path).sort()).toEqual(['displayName', 'username'])
    expect(shape.data.fieldIssues.find((i) => i.path === 'username')).toMatchObject({ message: 'validation.usernameChars' })
    expect(shape.data.fieldIssues.find((i) => i.path === 'displayName')).toMatchObject({ code: 'too_small', minimum: 1 })
  })

  it('marks the fields that were sent blank, so the form can ask for them by name', async () => {
    const input = { username: 'a b', displayName: '   ', role: 'expert' as const, schoolId: null, password: PASSWORD }
    const error = await rejection(callerFor(t.db, admin).account.create(input))
    const issues = shapeFor(error, 'account.create', input).data.fieldIssues
    expect(issues.find((i) => i.path === 'displayName')).toMatchObject({ code: 'too_small', blank: true })
    // Filled in but wrong is not blank.
    expect(issues.find((i) => i.path === 'username')?.blank).toBeUndefined()
  })

  it('sends a domain refusal as its code and parameters', async () => {
    const error = await rejection(
      callerFor(t.db, admin).account.create({ username: 'weak.one', displayName: 'X', role: 'expert', schoolId: null, password: 'short' }),
    )
    const shape = shapeFor(error)
    expect(shape).toMatchObject({
      message: 'auth.passwordPolicy',
      data: { code: 'BAD_REQUEST', appCode: 'auth.passwordPolicy', params: { problems: 'tooShort,tooSimple' }, fieldIssues: [] },
    })
  })

  it('sends a permission refusal as forbidden, without naming the permission', async () => {
    const expert = await makeAccount(t.db, 'expert')
    const { actor } = await signIn(t.db, expert.username, expert.password)
    const shape = shapeFor(await rejection(callerFor(t.db, actor).audit.list({})), 'audit.list')
    expect(shape).toMatchObject({ message: 'forbidden', data: { code: 'FORBIDDEN', httpStatus: 403, appCode: 'forbidden' } })
    expect(JSON.stringify(shape)).not.toContain('audit.read')
  })

  it('never sends a stack trace or the text of an internal error (such as SQL)', () => {
    const cause = new Error('UNIQUE constraint failed: account.username; insert into "account" ("username") values ($1)')
    const shape = shapeFor(new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: cause.message, cause }))
    expect(shape.message).toBe('internal')
    expect(shape.data).toEqual({
      code: 'INTERNAL_SERVER_ERROR',
      httpStatus: 500,
      path: 'account.create',
      appCode: 'internal',
      params: {},
      fieldIssues: [],
    })
    const text = JSON.stringify(shape)
    expect(text).not.toMatch(/UNIQUE|insert into|stack|at .*\.ts/)
  })
})
