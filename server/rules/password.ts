// The policy is shared with the forms so users see the same rule before they submit.
export { passwordProblems, PASSWORD_MAX, PASSWORD_MIN, type PasswordProblem } from '../../shared/password'
