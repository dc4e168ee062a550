import type { Kysely } from 'kysely'
import { withId } from './helpers'

/**
 * Research projects registered by the bureau (with the ethics approval file, the period and the
 * approver), the researcher accounts given access, and export requests with their generated files.
 * A project's pseudonym key is stored encrypted and set to null when the project ends.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('research_project'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('institution', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('datasets', 'text', (c) => c.notNull())
    .addColumn('starts_on', 'text', (c) => c.notNull())
    .addColumn('ends_on', 'text', (c) => c.notNull())
    .addColumn('approver_id', 'integer', (c) => c.notNull().references('account.id'))
    .addColumn('ethics_file_name', 'text')
    .addColumn('ethics_mime_type', 'text')
    .addColumn('ethics_size_bytes', 'integer')
    .addColumn('ethics_sha256', 'text')
    .addColumn('ethics_storage_key', 'text', (c) => c.unique())
    .addColumn('key_enc', 'text')
    .addColumn('key_destroyed_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('created_by', 'integer', (c) => c.references('account.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()

  await db.schema
    .createTable('research_member')
    .addColumn('project_id', 'integer', (c) => c.notNull().references('research_project.id'))
    .addColumn('account_id', 'integer', (c) => c.notNull().references('account.id'))
    .addColumn('added_by', 'integer', (c) => c.references('account.id'))
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('research_member_pk', ['project_id', 'account_id'])
    .execute()
  await db.schema.createIndex('research_member_account_idx').on('research_member').column('account_id').execute()

  await withId(db, db.schema.createTable('research_export'))
    .addColumn('project_id', 'integer', (c) => c.notNull().references('research_project.id'))
    .addColumn('dataset', 'text', (c) => c.notNull())
    .addColumn('form', 'text', (c) => c.notNull())
    .addColumn('spec', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('report', 'text', (c) => c.notNull())
    .addColumn('sample', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'integer', (c) => c.notNull().references('account.id'))
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'integer', (c) => c.references('account.id'))
    .addColumn('decided_at', 'text')
    .addColumn('note', 'text')
    .addColumn('expires_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()
  await db.schema.createIndex('research_export_project_idx').on('research_export').column('project_id').execute()

  await withId(db, db.schema.createTable('research_export_file'))
    .addColumn('export_id', 'integer', (c) => c.notNull().references('research_export.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('mime_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull().unique())
    .addUniqueConstraint('research_export_file_uq', ['export_id', 'name'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('research_export_file').execute()
  await db.schema.dropTable('research_export').execute()
  await db.schema.dropTable('research_member').execute()
  await db.schema.dropTable('research_project').execute()
}
