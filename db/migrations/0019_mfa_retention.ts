import { sql, type Kysely } from 'kysely'
import { isPostgres, withId } from './helpers'

/**
 * Second factor (TOTP) for staff accounts: the secret encrypted like case text, the last time step a
 * code was accepted (a code is refused a second time within its step), and single-use recovery codes
 * kept as hashes. A session signed in with the password alone waits for the second factor in
 * `session.pending_factor` ('totp' to verify, 'enrol' to enrol first); it is not a session yet.
 * Retention periods are district settings (no table); the purge job deletes by them. The audit trail
 * stays append-only except for its oldest rows once retention has recorded (and anchored) a prune
 * point in `audit_prune`: rows up to that point may be deleted, no others.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('account_mfa')
    .addColumn('account_id', 'integer', (c) => c.primaryKey().references('account.id'))
    .addColumn('secret_enc', 'text', (c) => c.notNull())
    .addColumn('enabled_at', 'text')
    .addColumn('last_step', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await withId(db, db.schema.createTable('mfa_recovery_code'))
    .addColumn('account_id', 'integer', (c) => c.notNull().references('account.id'))
    .addColumn('code_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute()
  await db.schema.createIndex('mfa_recovery_code_account_idx').on('mfa_recovery_code').column('account_id').execute()
  await db.schema.alterTable('session').addColumn('pending_factor', 'text').execute()
  await db.schema.createIndex('session_expires_idx').on('session').column('expires_at').execute()

  await withId(db, db.schema.createTable('audit_prune'))
    .addColumn('through_seq', 'integer', (c) => c.notNull())
    .addColumn('through_hash', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute()
  if (isPostgres(db)) {
    await sql`create or replace function audit_event_append_only() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' and old.seq <= coalesce((select max(through_seq) from audit_prune), 0) then return old; end if;
        raise exception 'audit_event is append-only';
      end $$`.execute(db)
  } else {
    await sql`drop trigger audit_event_no_delete`.execute(db)
    await sql`create trigger audit_event_no_delete before delete on audit_event
      when old.seq > coalesce((select max(through_seq) from audit_prune), 0)
      begin select raise(abort, 'audit_event is append-only'); end`.execute(db)
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`create or replace function audit_event_append_only() returns trigger language plpgsql as $$
      begin raise exception 'audit_event is append-only'; end $$`.execute(db)
  } else {
    await sql`drop trigger audit_event_no_delete`.execute(db)
    await sql`create trigger audit_event_no_delete before delete on audit_event
      begin select raise(abort, 'audit_event is append-only'); end`.execute(db)
  }
  await db.schema.dropTable('audit_prune').execute()
  await db.schema.dropIndex('session_expires_idx').execute()
  await db.schema.alterTable('session').dropColumn('pending_factor').execute()
  await db.schema.dropTable('mfa_recovery_code').execute()
  await db.schema.dropTable('account_mfa').execute()
}
