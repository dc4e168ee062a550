/**
 * Error codes the server sends in `error.data.appCode`; the client translates `errors.<code>`.
 * Never a stack trace, never SQL.
 */
export const APP_ERROR_CODES = [
  'unauthenticated',
  'forbidden',
  'notFound',
  'conflict',
  'validation',
  'internal',
  'csrf',
  'contentType',
  'host',
  'auth.invalidCredentials',
  'auth.throttled',
  'auth.wrongCurrentPassword',
  'auth.passwordPolicy',
  'account.usernameTaken',
  'account.schoolRequired',
  'account.schoolNotAllowed',
  'account.cannotDisableSelf',
  'account.cannotChangeOwnRole',
  'school.codeTaken',
  'schoolYear.labelTaken',
  'schoolYear.datesInvalid',
  'schoolYear.currentCannotBeDisabled',
  'schoolYear.closed',
  'schoolYear.correctionReasonRequired',
  'student.numberTaken',
  'import.unreadable',
  'import.unsupportedType',
  'import.tooLarge',
  'import.hasProblems',
  'case.closed',
  'case.notOpen',
  'case.dateBeforeOpened',
  'case.counsellorNotInSchool',
  'case.openCaseExists',
  'note.notEditable',
  'task.notOpen',
  'task.needsNotification',
  'task.needsReferral',
  'notification.inFuture',
  'notification.beforeCrisis',
  'notification.wrongRecipient',
  'referral.transition',
  'programme.dateOutsideYear',
  'programme.dateInFuture',
  'attachment.empty',
  'attachment.tooLarge',
  'attachment.unsupportedType',
  'attachment.tooMany',
  'evaluation.roundExists',
  'evaluation.roundClosed',
  'evaluation.badScores',
  'evaluation.notOpenYet',
  'research.notActive',
  'research.ethicsMissing',
  'research.datasetNotAllowed',
  'research.formNotAvailable',
  'research.keyDestroyed',
  'research.exportExpired',
  'research.transition',
  'research.notResearcher',
  'research.notApprover',
  'research.notBureau',
  'research.periodInvalid',
  'research.sameDimension',
  'research.periodOverlap',
  'research.budgetExceeded',
  'research.budgetBelowSpent',
  'audit.exportTooLarge',
] as const
export type AppErrorCode = (typeof APP_ERROR_CODES)[number]

export interface FieldIssue {
  path: string
  code: string
  minimum?: number
  maximum?: number
  /** an i18n key when the schema gave one */
  message?: string
  /** the field was left blank (nothing, blank text, an empty list): the person has to fill it in */
  blank?: boolean
}
