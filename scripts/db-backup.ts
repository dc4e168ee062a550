import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { backupDatabase, backupKeyFrom } from '../server/ops/backup'

/**
 * `npm run db:backup -- [--out FILE] [--key-file FILE]`: an encrypted, compressed backup of DATABASE_URL
 * (SQLite online backup, or pg_dump), under XINQIAO_BACKUP_KEY or the key file. Keep the key away from
 * the data directory and from where the backups are stored.
 */
const { values } = parseArgs({ options: { out: { type: 'string' }, 'key-file': { type: 'string' } } })
const stamp = new Date().toISOString().replace(/[:.]/g, '-')
const outFile = resolve(values.out ?? `backups/xinqiao-${stamp}.xqbak`)
mkdirSync(dirname(outFile), { recursive: true })
try {
  const header = await backupDatabase({ url: process.env.DATABASE_URL, key: backupKeyFrom({ keyFile: values['key-file'] }), outFile })
  console.info(`backup written: ${outFile} (${header.kind}, ${header.bytes} bytes before compression, sha256 ${header.sha256})`)
} catch (err) {
  console.error(`backup failed: ${(err as Error).message}`)
  process.exit(1)
}
