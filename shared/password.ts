export const PASSWORD_MIN = 10
export const PASSWORD_MAX = 128

export type PasswordProblem = 'tooShort' | 'tooLong' | 'sameAsUsername' | 'tooSimple'

/** District policy: at least 10 characters, from at least two of letters, digits and symbols, not the username. */
export function passwordProblems(password: string, username: string): PasswordProblem[] {
  const problems: PasswordProblem[] = []
  if (password.length < PASSWORD_MIN) problems.push('tooShort')
  if (password.length > PASSWORD_MAX) problems.push('tooLong')
  if (username && password.toLowerCase().includes(username.toLowerCase())) problems.push('sameAsUsername')
  const classes = [/[A-Za-z]/, /\d/, /[^A-Za-z\d]/].filter((re) => re.test(password)).length
  if (classes < 2) problems.push('tooSimple')
  return problems
}
