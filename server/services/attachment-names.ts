import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema'
import type { AttachmentType } from '../../shared/programme'
import { plainNamedAttachments, setAttachmentName } from '../repositories/programme'
import { withTransaction } from './context'
import { encryptText } from './crypto'
import { EXTENSION } from './file-store'
import type { AppKeys } from './keys'
import { attachmentNamePurpose } from './programme'

/**
 * Attachments stored before 0014_hardening kept their original file name in clear (it may name a
 * student). This encrypts those names and records the detected type's extension. It needs the data
 * key, which migrations never hold, so it runs on start right after migrating; a database without
 * such rows costs one query that finds nothing. Returns how many rows were converted.
 */
export async function encryptPlainAttachmentNames(db: Kysely<Database>, keys: AppKeys): Promise<number> {
  const rows = await plainNamedAttachments(db)
  if (!rows.length) return 0
  await withTransaction(db, async (trx) => {
    for (const row of rows) {
      await setAttachmentName(trx, row.id, {
        file_name: encryptText(keys, attachmentNamePurpose(row.storage_key), row.file_name),
        file_ext: EXTENSION[row.mime_type as AttachmentType] ?? 'bin',
      })
    }
  })
  return rows.length
}
