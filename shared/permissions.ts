import type { Role } from './roles'

/**
 * The one role → permission matrix. Server procedures declare one of these in `meta.permission`;
 * the UI reads the same matrix to hide what a role cannot do.
 */
export const PERMISSIONS = [
  'account.self', // own profile, password, sessions, sign-in history
  'account.read',
  'account.manage',
  'school.read', // scoped: school roles see only their own school
  'school.manage',
  'schoolYear.read',
  'schoolYear.manage',
  'district.overview', // district-wide figures (no student identities)
  'audit.read',
  'student.read', // the school's roster (names are sensitive personal information)
  'student.manage',
  'case.read', // case content: the school's counsellors only
  'case.write',
  'case.counts', // the own school's case counts, no identities
  'case.districtStats', // suppressed district aggregates, no identities
  'staffing.read', // a school's psychology team and counselling room (school roles: their own; bureau: any)
  'staffing.manage', // the own school's team, certificates, training, room and enrolment
  'staffing.district', // district staffing and room dashboards, trend and exports
  'district.settings', // the district's local rules (ratio, room targets and standard, programme rules, indicators)
  'programme.read', // a school's seven-ones evidence (school roles: their own; bureau: any)
  'programme.manage', // the own school's seven-ones evidence and attachments
  'programme.district', // the bureau's completion matrix, trend and reminders
  'evaluation.read', // supervision rounds (a school sees its own sheet)
  'evaluation.submit', // the own school's self-evaluation
  'evaluation.manage', // open and close rounds, the bureau's comprehensive score, the report
  'research.manage', // register research projects, give researchers access, approve or return their exports
  'research.use', // the researcher's own projects: build, preview and request exports, download approved ones
  'teacher.read', // the own school's teacher roster (names are personal information)
  'teacher.manage', // add, edit and import teachers; issue assessment codes and print slips
  'assessment.read', // assessment rounds and participation counts (answered / invited, ≥ 10 invited), never an individual
  'assessment.manage', // open rounds (bureau: district-wide; school admin: own school) and create the next one
  'assessment.handle', // the alert handler: alerted teachers' individual results, support and follow-ups (the school's counsellors; the district centre for alerts routed or escalated to it)
  'case.breakGlass', // open one restricted case file for a limited time, only with a stated reason (admin, district centre); flagged, notified, reviewed
  'case.breakGlassReview', // the bureau's review list of break-glass openings
  'screening.read', // student screening campaigns (no individual result)
  'screening.campaign', // create campaigns from the library (counsellor: own school; bureau: the schools it names)
  'screening.manage', // the own school's consent slips, class sessions and personal codes (counsellors)
  'screening.warnings', // the school's screening warnings: individual results, interview, outcome (counsellors only)
  'screening.district', // district questionnaires, awareness dashboard and screening distribution through disclosure control
  'accreditation.apply', // the own school's feature-school application: self-assessment, evidence, submission
  'accreditation.manage', // the bureau: indicator tree, settings, completeness check, panels, visits, decisions, titles
  'accreditation.review', // an expert's own assigned applications and own score sheets
  'room.rota', // the own room's duty rota and closures (view and keep)
  'room.work', // the room's appointments, visit log, groups, calendar and feed (counsellors only: content)
  'room.stats', // the own room's figures (counts through the disclosure rules for the school admin)
  'room.district', // the bureau's room-operations figures per school and street
] as const
export type Permission = (typeof PERMISSIONS)[number]

/** A procedure that needs no session at all (login, logout, session probe). */
export const PUBLIC = 'public' as const
export type ProcedurePermission = Permission | typeof PUBLIC

export const MATRIX: Readonly<Record<Role, readonly Permission[]>> = {
  admin: [
    'account.self',
    'account.read',
    'account.manage',
    'school.read',
    'school.manage',
    'schoolYear.read',
    'schoolYear.manage',
    'district.overview',
    'audit.read',
    'case.breakGlass',
  ],
  bureau: [
    'account.self',
    'school.read',
    'schoolYear.read',
    'district.overview',
    'case.districtStats',
    'staffing.read',
    'staffing.district',
    'district.settings',
    'programme.read',
    'programme.district',
    'evaluation.read',
    'evaluation.manage',
    'research.manage',
    'assessment.read',
    'assessment.manage',
    'case.breakGlassReview',
    'screening.read',
    'screening.campaign',
    'screening.district',
    'accreditation.manage',
    'room.district',
  ],
  school_admin: [
    'account.self',
    'school.read',
    'schoolYear.read',
    'case.counts',
    'staffing.read',
    'staffing.manage',
    'programme.read',
    'programme.manage',
    'evaluation.read',
    'evaluation.submit',
    'teacher.read',
    'teacher.manage',
    'assessment.read',
    'assessment.manage',
    'screening.read',
    'accreditation.apply',
    'room.rota',
    'room.stats',
  ],
  counsellor: [
    'account.self',
    'school.read',
    'schoolYear.read',
    'student.read',
    'student.manage',
    'case.read',
    'case.write',
    'case.counts',
    'staffing.read',
    'programme.read',
    'programme.manage',
    'evaluation.read',
    'teacher.read',
    'teacher.manage',
    'assessment.read',
    'assessment.handle',
    'screening.read',
    'screening.campaign',
    'screening.manage',
    'screening.warnings',
    'room.rota',
    'room.work',
    'room.stats',
  ],
  expert: ['account.self', 'schoolYear.read', 'accreditation.review'],
  researcher: ['account.self', 'schoolYear.read', 'research.use'],
  // The district guidance centre: alerts routed or escalated to it, and break-glass; no school's records otherwise.
  district_centre: ['account.self', 'schoolYear.read', 'assessment.handle', 'case.breakGlass'],
}

export function can(role: Role, permission: ProcedurePermission): boolean {
  if (permission === PUBLIC) return true
  return MATRIX[role].includes(permission)
}

/** The page each role lands on after signing in. */
export const LANDING: Readonly<Record<Role, string>> = {
  admin: '/admin/accounts',
  bureau: '/bureau',
  school_admin: '/school',
  // Counsellors start their day on the caseload board.
  counsellor: '/school/cases',
  expert: '/expert',
  researcher: '/research',
  district_centre: '/school/assessment/alerts',
}
