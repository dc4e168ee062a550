import type { Role } from '../../../shared/roles'
import { LANDING } from '../../../shared/permissions'

/** Every demo account shares this password (printed by the server on first start). */
export const DEMO_PASSWORD = 'Xinqiao-Demo-2026'

export const DEMO_USERS = {
  admin: 'admin',
  bureau: 'bureau',
  school1Admin: 'school1.admin',
  school1Counsellor: 'school1.counsellor',
  school2Admin: 'school2.admin',
  school2Counsellor: 'school2.counsellor',
  school3Admin: 'school3.admin',
  school3Counsellor: 'school3.counsellor',
  expert: 'expert1',
  researcher: 'researcher1',
  centre: 'centre1',
} as const

export type DemoUsername = (typeof DEMO_USERS)[keyof typeof DEMO_USERS]

/** Each demo account with its role and the page it lands on after signing in. */
export const DEMO_ACCOUNTS: readonly { username: DemoUsername; role: Role; landing: string }[] = (
  [
    ['admin', 'admin'],
    ['bureau', 'bureau'],
    ['school1.admin', 'school_admin'],
    ['school1.counsellor', 'counsellor'],
    ['school2.admin', 'school_admin'],
    ['school2.counsellor', 'counsellor'],
    ['school3.admin', 'school_admin'],
    ['school3.counsellor', 'counsellor'],
    ['expert1', 'expert'],
    ['researcher1', 'researcher'],
    ['centre1', 'district_centre'],
  ] as const
).map(([username, role]) => ({ username, role, landing: LANDING[role] }))
