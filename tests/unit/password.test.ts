import { describe, expect, it } from 'vitest'
import { passwordProblems, PASSWORD_MAX, PASSWORD_MIN } from '../../server/rules/password'

describe('password policy', () => {
  it('asks for 10 to 128 characters', () => {
    expect([PASSWORD_MIN, PASSWORD_MAX]).toEqual([10, 128])
  })

  it.each([
    { password: 'Correct-horse-42', username: 'wang.li', problems: [] },
    { password: 'abcdefgh12', username: 'wang.li', problems: [] },
    { password: 'abcdefg12', username: 'wang.li', problems: ['tooShort'] },
    { password: 'abc!defghij', username: 'wang.li', problems: [] },
    { password: '1234-5678-90', username: 'wang.li', problems: [] },
    { password: '心理健康教育2026', username: 'wang.li', problems: [] },
    { password: 'abcdefghijk', username: 'wang.li', problems: ['tooSimple'] },
    { password: '12345678901', username: 'wang.li', problems: ['tooSimple'] },
    { password: '!!!!!!!!!!!', username: 'wang.li', problems: ['tooSimple'] },
    { password: '', username: 'wang.li', problems: ['tooShort', 'tooSimple'] },
    { password: 'short', username: 'wang.li', problems: ['tooShort', 'tooSimple'] },
    { password: 'wang.li-2026', username: 'wang.li', problems: ['sameAsUsername'] },
    { password: 'WANG.LI-2026', username: 'wang.li', problems: ['sameAsUsername'] },
    { password: 'Wang.li-2026', username: '', problems: [] },
    { password: `a1${'x'.repeat(PASSWORD_MAX - 1)}`, username: 'wang.li', problems: ['tooLong'] },
    { password: `a1${'x'.repeat(PASSWORD_MAX - 2)}`, username: 'wang.li', problems: [] },
  ])('"$password" for $username → $problems', ({ password, username, problems }) => {
    expect(passwordProblems(password, username)).toEqual(problems)
  })
})
