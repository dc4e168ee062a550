import { existsSync } from 'node:fs'
import { dataDir, isPostgresUrl, openDatabase, resolveSqliteFile } from '../db/client'
import { verifyAuditChain } from '../server/services/audit'
import { loadKeys } from '../server/services/keys'

/** `npm run audit:verify`: walks the HMAC chain and reports the first broken link (exit 1). */
const url = process.env.DATABASE_URL
if (!isPostgresUrl(url) && !existsSync(resolveSqliteFile(url))) {
  console.error(`audit:verify: no database at ${resolveSqliteFile(url)} (set DATABASE_URL or XINQIAO_DATA_DIR)`)
  process.exit(2)
}
const handle = openDatabase()
try {
  const keys = loadKeys(dataDir())
  const result = await verifyAuditChain(handle.db, keys.audit)
  if (result.ok) {
    console.info(`audit chain intact: ${result.checked} events verified`)
  } else {
    const b = result.firstBreak!
    console.error(`audit chain BROKEN at seq ${b.seq} (${b.reason}); ${result.checked} events verified before it`)
    process.exitCode = 1
  }
} catch (err) {
  console.error(`audit:verify could not run: ${err instanceof Error ? err.message : String(err)}`)
  process.exitCode = 2
} finally {
  await handle.close()
}
