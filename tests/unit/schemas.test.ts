import { describe, expect, it } from 'vitest'
import { accountCreateInput, schoolYearCreateInput, usernameSchema } from '../../shared/schemas'

describe('school year input', () => {
  it.each([
    { label: '2025-2026', startsOn: '2025-09-01', endsOn: '2026-08-31', ok: true },
    { label: '2025-2026', startsOn: '2025-08-25', endsOn: '2026-07-10', ok: true },
    { label: '2025-2027', startsOn: '2025-09-01', endsOn: '2027-08-31', ok: false },
    { label: '2025-2026', startsOn: '2024-09-01', endsOn: '2026-08-31', ok: false },
    { label: '2025-2026', startsOn: '2025-09-01', endsOn: '2025-08-31', ok: false },
    { label: '2025-2026', startsOn: '2026-08-31', endsOn: '2026-09-01', ok: false },
    { label: '2025/2026', startsOn: '2025-09-01', endsOn: '2026-08-31', ok: false },
    { label: '2025-2026', startsOn: '2025-02-30', endsOn: '2026-08-31', ok: false },
  ])('$label from $startsOn to $endsOn is accepted: $ok', ({ ok, ...input }) => {
    expect(schoolYearCreateInput.safeParse(input).success).toBe(ok)
  })
})

describe('account input', () => {
  it.each([
    { username: 'wang.li', ok: true, parsed: 'wang.li' },
    { username: '  Wang.Li ', ok: true, parsed: 'wang.li' },
    { username: 'ab', ok: false },
    { username: '.hidden', ok: false },
    { username: 'wang li', ok: false },
    { username: '王丽', ok: false },
  ])('username "$username" is accepted: $ok', ({ username, ok, parsed }) => {
    const r = usernameSchema.safeParse(username)
    expect(r.success).toBe(ok)
    if (ok) expect(r.data).toBe(parsed)
  })

  it('refuses unknown fields (strict objects)', () => {
    const r = accountCreateInput.safeParse({
      username: 'wang.li',
      displayName: '王丽',
      role: 'admin',
      schoolId: null,
      password: 'Correct-horse-42',
      isRoot: true,
    })
    expect(r.success).toBe(false)
  })
})
