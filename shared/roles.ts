export const ROLES = ['admin', 'bureau', 'school_admin', 'counsellor', 'expert', 'researcher', 'district_centre'] as const
export type Role = (typeof ROLES)[number]

/** Roles that belong to exactly one school. */
export const SCHOOL_ROLES: readonly Role[] = ['school_admin', 'counsellor']

export function isSchoolRole(role: Role): boolean {
  return SCHOOL_ROLES.includes(role)
}

export const SCHOOL_TYPES = ['primary', 'junior', 'senior', 'nine_year', 'twelve_year', 'special', 'preschool'] as const
export type SchoolType = (typeof SCHOOL_TYPES)[number]
