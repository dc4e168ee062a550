import { parseArgs } from 'node:util'
import { backupKeyFrom, restoreDatabase } from '../server/ops/backup'

/**
 * `npm run db:restore -- --in FILE [--to URL] [--force] [--key-file FILE]`: restores a backup into a new
 * SQLite file (or, with --force, over an existing one while the app is stopped) or into an empty
 * PostgreSQL database; checks the checksum before and the integrity after. A wrong key or a changed
 * byte writes nothing.
 */
const { values } = parseArgs({
  options: { in: { type: 'string' }, to: { type: 'string' }, force: { type: 'boolean' }, 'key-file': { type: 'string' } },
})
if (!values.in) {
  console.error('usage: npm run db:restore -- --in FILE [--to URL] [--force] [--key-file FILE]')
  process.exit(2)
}
try {
  const result = await restoreDatabase({
    inFile: values.in,
    key: backupKeyFrom({ keyFile: values['key-file'] }),
    url: values.to ?? process.env.DATABASE_URL,
    force: values.force ?? false,
  })
  console.info(`restored ${result.header.kind} backup of ${result.header.createdAt}; integrity ${result.integrity}`)
} catch (err) {
  console.error(`restore failed: ${(err as Error).message}`)
  process.exit(1)
}
