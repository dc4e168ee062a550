import type { Generated, Insertable, Selectable, Updateable } from 'kysely'
import type { Role, SchoolType } from '../shared/roles'

/**
 * One interface for the whole database. Conventions: snake_case singular tables; timestamps are
 * UTC ISO-8601 text; booleans are integers 0/1 so SQLite and PostgreSQL behave alike.
 */
export interface Database {
  street: StreetTable
  school: SchoolTable
  school_year: SchoolYearTable
  enrolment: EnrolmentTable
  account: AccountTable
  session: SessionTable
  login_failure: LoginFailureTable
  audit_event: AuditEventTable
  audit_head: AuditHeadTable
  app_meta: AppMetaTable
}

export interface StreetTable {
  id: Generated<number>
  code: string
  name_zh: string
  name_en: string
  sort_order: number
}

export interface SchoolTable {
  id: Generated<number>
  code: string
  name: string
  name_en: string | null
  type: SchoolType
  street_id: number
  is_public: number
  address: string | null
  disabled_at: string | null
  created_at: string
  updated_at: string
  version: number
}

export interface SchoolYearTable {
  id: Generated<number>
  label: string
  starts_on: string
  ends_on: string
  is_current: number
  disabled_at: string | null
  created_at: string
  updated_at: string
}

export interface EnrolmentTable {
  id: Generated<number>
  school_id: number
  school_year_id: number
  students: number
  classes: number
  updated_at: string
}

export interface AccountTable {
  id: Generated<number>
  username: string
  display_name: string
  role: Role
  school_id: number | null
  password_hash: string
  must_change_password: number
  disabled_at: string | null
  password_changed_at: string
  last_login_at: string | null
  created_at: string
  updated_at: string
  version: number
}

export interface SessionTable {
  id: Generated<number>
  token_hash: string
  account_id: number
  created_at: string
  last_seen_at: string
  expires_at: string
  revoked_at: string | null
  revoked_reason: string | null
  ip: string | null
  user_agent: string | null
}

export interface LoginFailureTable {
  id: Generated<number>
  kind: 'account' | 'ip'
  key: string
  at: string
}

export interface AuditEventTable {
  id: Generated<number>
  seq: number
  at: string
  actor_id: number | null
  actor_role: string | null
  action: string
  entity_type: string | null
  entity_id: string | null
  school_id: number | null
  outcome: 'ok' | 'denied' | 'failed'
  request_id: string | null
  detail: string | null
  prev_hash: string
  hash: string
}

export interface AuditHeadTable {
  id: number
  seq: number
  hash: string
}

export interface AppMetaTable {
  key: string
  value: string
}

export type StreetRow = Selectable<StreetTable>
export type SchoolRow = Selectable<SchoolTable>
export type NewSchool = Insertable<SchoolTable>
export type SchoolUpdate = Updateable<SchoolTable>
export type SchoolYearRow = Selectable<SchoolYearTable>
export type AccountRow = Selectable<AccountTable>
export type SessionRow = Selectable<SessionTable>
export type AuditEventRow = Selectable<AuditEventTable>
