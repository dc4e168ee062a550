import { sql, type Kysely } from 'kysely'
import { isPostgres, withId } from './helpers'

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('street'))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name_zh', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()

  await withId(db, db.schema.createTable('school'))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('street_id', 'integer', (c) => c.notNull().references('street.id'))
    .addColumn('is_public', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('address', 'text')
    .addColumn('disabled_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()
  await db.schema.createIndex('school_street_idx').on('school').columns(['street_id', 'name']).execute()

  await withId(db, db.schema.createTable('school_year'))
    .addColumn('label', 'text', (c) => c.notNull().unique())
    .addColumn('starts_on', 'text', (c) => c.notNull())
    .addColumn('ends_on', 'text', (c) => c.notNull())
    .addColumn('is_current', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('disabled_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()

  await withId(db, db.schema.createTable('enrolment'))
    .addColumn('school_id', 'integer', (c) => c.notNull().references('school.id'))
    .addColumn('school_year_id', 'integer', (c) => c.notNull().references('school_year.id'))
    .addColumn('students', 'integer', (c) => c.notNull())
    .addColumn('classes', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('enrolment_school_year_uq', ['school_id', 'school_year_id'])
    .execute()
  await db.schema.createIndex('enrolment_year_idx').on('enrolment').columns(['school_year_id', 'school_id']).execute()

  await withId(db, db.schema.createTable('account'))
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('school_id', 'integer', (c) => c.references('school.id'))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('disabled_at', 'text')
    .addColumn('password_changed_at', 'text', (c) => c.notNull())
    .addColumn('last_login_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()
  await db.schema.createIndex('account_school_idx').on('account').column('school_id').execute()

  await withId(db, db.schema.createTable('session'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('account_id', 'integer', (c) => c.notNull().references('account.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('revoked_reason', 'text')
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .execute()
  await db.schema.createIndex('session_account_idx').on('session').columns(['account_id', 'revoked_at']).execute()

  await withId(db, db.schema.createTable('login_failure'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('login_failure_key_idx').on('login_failure').columns(['kind', 'key', 'at']).execute()

  await withId(db, db.schema.createTable('audit_event'))
    .addColumn('seq', 'integer', (c) => c.notNull().unique())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'integer')
    .addColumn('actor_role', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity_type', 'text')
    .addColumn('entity_id', 'text')
    .addColumn('school_id', 'integer')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text')
    .addColumn('detail', 'text')
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('audit_event_actor_idx').on('audit_event').columns(['actor_id', 'seq']).execute()
  await db.schema.createIndex('audit_event_entity_idx').on('audit_event').columns(['entity_type', 'entity_id']).execute()

  await db.schema
    .createTable('audit_head')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute()
  await db.insertInto('audit_head').values({ id: 1, seq: 0, hash: '' }).execute()

  await db.schema
    .createTable('app_meta')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute()

  // The audit trail is append-only at the database level too: updates and deletes abort.
  if (isPostgres(db)) {
    await sql`create function audit_event_append_only() returns trigger language plpgsql as $$
      begin raise exception 'audit_event is append-only'; end $$`.execute(db)
    await sql`create trigger audit_event_no_update before update or delete on audit_event
      for each row execute function audit_event_append_only()`.execute(db)
  } else {
    await sql`create trigger audit_event_no_update before update on audit_event
      begin select raise(abort, 'audit_event is append-only'); end`.execute(db)
    await sql`create trigger audit_event_no_delete before delete on audit_event
      begin select raise(abort, 'audit_event is append-only'); end`.execute(db)
  }
}

export async function down(): Promise<void> {
  throw new Error('0001_init is not reversible')
}
