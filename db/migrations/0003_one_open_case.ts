import { sql, type Kysely } from 'kysely'

/**
 * At most one open case per student, enforced by the database: the service's "already open?" check
 * gives the clear message, this catches two requests racing past it (a double-clicked "open case").
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('student_case_one_open_uq')
    .on('student_case')
    .column('student_id')
    .unique()
    .where(sql.ref('status'), '=', 'open')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('student_case_one_open_uq').execute()
}
