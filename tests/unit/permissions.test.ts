import { describe, expect, it } from 'vitest'
import { can, LANDING, MATRIX, PERMISSIONS, PUBLIC, type Permission } from '../../shared/permissions'
import { ROLES, type Role } from '../../shared/roles'

/**
 * Written from the product's intent, not copied from MATRIX: admin runs accounts, schools, years
 * and the audit trail; the bureau reads every school and the district overview but manages nothing;
 * school roles read (their own) school; experts their own review work (accreditation.review), researchers only
 * their own account and the school-year calendar until their modules arrive; the district centre handles the
 * assessment alerts routed or escalated to it and may break the glass on one case, nothing else.
 */
const EXPECTED: Record<Permission, Record<Role, boolean>> = {
  'account.self': {
    admin: true,
    bureau: true,
    school_admin: true,
    counsellor: true,
    expert: true,
    researcher: true,
    district_centre: true,
  },
  'account.read': {
    admin: true,
    bureau: false,
    school_admin: false,
    counsellor: false,
    expert: false,
    researcher: false,
    district_centre: false,
  },
  'account.manage': {
    admin: true,
    bureau: false,
    school_admin: false,
    counsellor: false,
    expert: false,
    researcher: false,
    district_centre: false,
  },
  'school.read': {
    admin: true,
    bureau: true,
    school_admin: true,
    counsellor: true,
    expert: false,
    researcher: false,
    district_centre: false,
  },
  'school.manage': {
    admin: true,
    bureau: false,
    school_admin: false,
    counsellor: false,
    expert: false,
    researcher: false,
    district_centre: false,
  },
  'schoolYear.read': {
    admin: true,
    bureau: true,
    school_admin: true,
    counsellor: true,
    expert: true,
    researcher: true,
    district_centre: true,
  },
  'schoolYear.manage': {
    admin: true,
    bureau: false,
    school_admin: false,
    counsellor: false,
    expert: false,
    researcher: false,
    district_centre: false,
  },
  'district.overview': {
    admin: true,
    bureau: true,
    school_admin: false,
    counsellor: false,
    expert: false,
    researcher: false,
    district_centre: false,
  },
  'audit.read': {
    admin: true,
    bureau: false,
    school_admin: false,
    counsellor: false,
    expert: false,
    researcher: false,
    district_centre: false,
  },
  // Case content belongs to the school's counsellors alone; the school admin sees counts, the bureau
  // suppressed aggregates, and the admin (operations) nothing of it.
  'student.read': {
    admin: false,
    bureau: false,
    school_admin: false,
    counsellor: true,
    expert: false,
    researcher: false,
    district_centre: false,
  },
  'student.manage': {
    admin: false,
    bureau: false,
    school_admin: false,
    counsellor: true,
    expert: false,
    researcher: false,
    district_centre: false,
  },
  'case.read': {
    admin: false,
    bureau: false,
    school_admin: false,
    counsellor: true,
    expert: false,
    researcher: false,
    district_centre: false,
  },
  'case.write': {
    admin: false,
    bureau: false,
    school_admin: false,
    counsellor: true,
    expert: false,
    researcher: false,
    district_centre: false,
  },
  'case.counts': {
    admin: false,
    bureau: false,
    school_admin: true,
    counsellor: true,
    expert: false,
    researcher: false,
    district_centre: false,
  },
  'case.districtStats': {
    admin: false,
    bureau: true,
    school_admin: false,
    counsellor: false,
    expert: false,
    researcher: false,
    district_centre: false,
  },
  // The team and room are the school's to keep (its admin) and the bureau's to oversee; counsellors see their own team.
  'staffing.read': {
    admin: false,
    bureau: true,
    school_admin: true,
    counsellor: true,
    expert: false,
    researcher: false,
    district_centre: false,
  },
  'staffing.manage': {
    admin: false,
    bureau: false,
    school_admin: true,
    counsellor: false,
    expert: false,
    researcher: false,
    district_centre: false,
  },
  'staffing.district': {
    admin: false,
    bureau: true,
    school_admin: false,
    counsellor: false,
    expert: false,
    researcher: false,
    district_centre: false,
  },
  'district.settings': {
    admin: false,
    bureau: true,
    school_admin: false,
    counsellor: false,
    expert: false,
    researcher: false,
    district_centre: false,
  },
  // Seven-ones evidence is recorded by the school (its admin and counsellors) and overseen by the bureau.
  'programme.read': {
    admin: false,
    bureau: true,
    school_admin: true,
    counsellor: true,
    expert: false,
    researcher: false,
    district_centre: false,
  },
  'programme.manage': {
    admin: false,
    bureau: false,
    school_admin: true,
    counsellor: true,
    expert: false,
    researcher: false,
    district_centre: false,
  },
  'programme.district': {
    admin: false,
    bureau: true,
    school_admin: false,
    counsellor: false,
    expert: false,
    researcher: false,
    district_centre: false,
  },
  // The school admin signs the self-evaluation; counsellors may read it; the bureau runs rounds and scores.
  'evaluation.read': {
    admin: false,
    bureau: true,
    school_admin: true,
    counsellor: true,
    expert: false,
    researcher: false,
    district_centre: false,
  },
  'evaluation.submit': {
    admin: false,
    bureau: false,
    school_admin: true,
    counsellor: false,
    expert: false,
    researcher: false,
    district_centre: false,
  },
  'evaluation.manage': {
    admin: false,
    bureau: true,
    school_admin: false,
    counsellor: false,
    expert: false,
    researcher: false,
    district_centre: false,
  },
  // The bureau registers projects and approves exports; researchers work only inside their own projects.
  'research.manage': {
    admin: false,
    bureau: true,
    school_admin: false,
    counsellor: false,
    expert: false,
    researcher: false,
    district_centre: false,
  },
  'research.use': {
    admin: false,
    bureau: false,
    school_admin: false,
    counsellor: false,
    expert: false,
    researcher: true,
    district_centre: false,
  },
  // Teacher assessments: the school keeps its teacher roster and hands out codes; the bureau and a school
  // admin open rounds and see participation counts; only counsellors (the alert handlers) ever see an
  // individual result. The firewall: no principal, school admin, bureau, expert or researcher handles alerts.
  'teacher.read': {
    admin: false,
    bureau: false,
    school_admin: true,
    counsellor: true,
    expert: false,
    researcher: false,
    district_centre: false,
  },
  'teacher.manage': {
    admin: false,
    bureau: false,
    school_admin: true,
    counsellor: true,
    expert: false,
    researcher: false,
    district_centre: false,
  },
  'assessment.read': {
    admin: false,
    bureau: true,
    school_admin: true,
    counsellor: true,
    expert: false,
    researcher: false,
    district_centre: false,
  },
  'assessment.manage': {
    admin: false,
    bureau: true,
    school_admin: true,
    counsellor: false,
    expert: false,
    researcher: false,
    district_centre: false,
  },
  'assessment.handle': {
    admin: false,
    bureau: false,
    school_admin: false,
    counsellor: true,
    expert: false,
    researcher: false,
    district_centre: true,
  },
  // Break-glass: an admin or the district centre opens one restricted case with a reason; the bureau reviews.
  'case.breakGlass': {
    admin: true,
    bureau: false,
    school_admin: false,
    counsellor: false,
    expert: false,
    researcher: false,
    district_centre: true,
  },
  'case.breakGlassReview': {
    admin: false,
    bureau: true,
    school_admin: false,
    counsellor: false,
    expert: false,
    researcher: false,
    district_centre: false,
  },
  // Student screening: counsellors run their school's campaigns (consent, sessions, slips) and alone see
  // warnings; the bureau runs district campaigns and questionnaires and sees figures through disclosure
  // control; the school admin sees that campaigns exist, never a result.
  'screening.read': {
    admin: false,
    bureau: true,
    school_admin: true,
    counsellor: true,
    expert: false,
    researcher: false,
    district_centre: false,
  },
  'screening.campaign': {
    admin: false,
    bureau: true,
    school_admin: false,
    counsellor: true,
    expert: false,
    researcher: false,
    district_centre: false,
  },
  'screening.manage': {
    admin: false,
    bureau: false,
    school_admin: false,
    counsellor: true,
    expert: false,
    researcher: false,
    district_centre: false,
  },
  'screening.warnings': {
    admin: false,
    bureau: false,
    school_admin: false,
    counsellor: true,
    expert: false,
    researcher: false,
    district_centre: false,
  },
  'screening.district': {
    admin: false,
    bureau: true,
    school_admin: false,
    counsellor: false,
    expert: false,
    researcher: false,
    district_centre: false,
  },
  'accreditation.apply': {
    admin: false,
    bureau: false,
    school_admin: true,
    counsellor: false,
    expert: false,
    researcher: false,
    district_centre: false,
  },
  'accreditation.manage': {
    admin: false,
    bureau: true,
    school_admin: false,
    counsellor: false,
    expert: false,
    researcher: false,
    district_centre: false,
  },
  'accreditation.review': {
    admin: false,
    bureau: false,
    school_admin: false,
    counsellor: false,
    expert: true,
    researcher: false,
    district_centre: false,
  },
  'room.rota': {
    admin: false,
    bureau: false,
    school_admin: true,
    counsellor: true,
    expert: false,
    researcher: false,
    district_centre: false,
  },
  'room.work': {
    admin: false,
    bureau: false,
    school_admin: false,
    counsellor: true,
    expert: false,
    researcher: false,
    district_centre: false,
  },
  'room.stats': {
    admin: false,
    bureau: false,
    school_admin: true,
    counsellor: true,
    expert: false,
    researcher: false,
    district_centre: false,
  },
  'room.district': {
    admin: false,
    bureau: true,
    school_admin: false,
    counsellor: false,
    expert: false,
    researcher: false,
    district_centre: false,
  },
}

const cells = PERMISSIONS.flatMap((permission) => ROLES.map((role) => ({ role, permission, allowed: EXPECTED[permission][role] })))

describe('permission matrix', () => {
  it('has an expectation for every permission the app declares', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...PERMISSIONS].sort())
  })

  it.each(cells)('$role → $permission is allowed: $allowed', ({ role, permission, allowed }) => {
    expect(can(role, permission)).toBe(allowed)
  })

  it.each(ROLES)('lets %s call public procedures (sign-in, sign-out, session probe)', (role) => {
    expect(can(role, PUBLIC)).toBe(true)
  })

  it.each(ROLES)('lists for %s only known permissions, each once', (role) => {
    const granted = MATRIX[role]
    expect(new Set(granted).size).toBe(granted.length)
    for (const p of granted) expect(PERMISSIONS).toContain(p)
  })

  it('never lets a role other than admin manage accounts, schools or school years', () => {
    const districtWide = ['account.manage', 'school.manage', 'schoolYear.manage']
    const managers = cells.filter((c) => districtWide.includes(c.permission) && can(c.role, c.permission)).map((c) => c.role)
    expect([...new Set(managers)]).toEqual(['admin'])
  })

  it('lets only counsellors near case content or student identities', () => {
    const content = ['student.read', 'student.manage', 'case.read', 'case.write']
    const readers = cells.filter((c) => content.includes(c.permission) && can(c.role, c.permission)).map((c) => c.role)
    expect([...new Set(readers)]).toEqual(['counsellor'])
  })
})

describe('landing page after sign-in', () => {
  it.each([
    ['admin', '/admin/accounts'],
    ['bureau', '/bureau'],
    ['school_admin', '/school'],
    ['counsellor', '/school/cases'],
    ['expert', '/expert'],
    ['researcher', '/research'],
    ['district_centre', '/school/assessment/alerts'],
  ] as const)('sends %s to %s', (role, path) => {
    expect(LANDING[role]).toBe(path)
  })

  it('has a landing page for every role', () => {
    expect(Object.keys(LANDING).sort()).toEqual([...ROLES].sort())
  })
})
