import type { Kysely } from 'kysely'

/**
 * Attachment file names may name a student: from now on `programme_attachment.file_name` holds the
 * original name encrypted (like the file itself), and `file_ext` the extension of the type detected
 * from the file's bytes. Encrypting needs the data key, which migrations never hold: rows from before
 * this migration keep their plain name with `file_ext` null until the start-up conversion
 * (server/services/attachment-names.ts) encrypts them.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('programme_attachment').addColumn('file_ext', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('programme_attachment').dropColumn('file_ext').execute()
}
