import type { Migration, MigrationProvider } from 'kysely/migration'
import * as m0001 from './0001_init'
import * as m0002 from './0002_cases'
import * as m0003 from './0003_one_open_case'
import * as m0004 from './0004_staffing'
import * as m0005 from './0005_programme'
import * as m0006 from './0006_risk_change_kind'
import * as m0007 from './0007_report_snapshot'
import * as m0008 from './0008_case_notifications'
import * as m0009 from './0009_research_projects'
import * as m0010 from './0010_inbox'
import * as m0011 from './0011_disclosure_ledger'
import * as m0012 from './0012_research_noise'
import * as m0013 from './0013_teacher_assessment'
import * as m0014 from './0014_hardening'
import * as m0015 from './0015_accreditation'
import * as m0016 from './0016_room_operations'
import * as m0017 from './0017_student_screening'
import * as m0018 from './0018_district_centre'
import * as m0019 from './0019_mfa_retention'
import * as m0020 from './0020_shared_file_store'

/** Static registry: bundlers cannot follow a folder scan, and the order must never depend on the file system. */
export const migrations: Record<string, Migration> = {
  '0001_init': m0001,
  '0002_cases': m0002,
  '0003_one_open_case': m0003,
  '0004_staffing': m0004,
  '0005_programme': m0005,
  '0006_risk_change_kind': m0006,
  '0007_report_snapshot': m0007,
  '0008_case_notifications': m0008,
  '0009_research_projects': m0009,
  '0010_inbox': m0010,
  '0011_disclosure_ledger': m0011,
  '0012_research_noise': m0012,
  '0013_teacher_assessment': m0013,
  '0014_hardening': m0014,
  '0015_accreditation': m0015,
  '0016_room_operations': m0016,
  '0017_student_screening': m0017,
  '0018_district_centre': m0018,
  '0019_mfa_retention': m0019,
  '0020_shared_file_store': m0020,
}

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
}
