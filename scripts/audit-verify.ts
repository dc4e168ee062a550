import { existsSync } from 'node:fs'
import { dataDir, isPostgresUrl, openDatabase, resolveSqliteFile } from '../db/client'
import { verifyAuditChain } from '../server/services/audit'
import { loadKeys } from '../server/services/keys'
import { auditAnchorFile, verifyAuditAnchors } from '../server/services/audit-anchor'

/**
 * `npm run audit:verify`: walks the HMAC chain and reports the first broken link, then checks the chain
 * against every anchor kept outside the database (XINQIAO_AUDIT_ANCHOR_FILE): a deleted tail with a
 * rewritten head, or a chain rebuilt with the key, disagrees with an anchor (exit 1).
 */
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
  const file = auditAnchorFile()
  const anchored = await verifyAuditAnchors(handle.db, keys.audit, file)
  if (anchored.ok) {
    console.info(
      anchored.latest
        ? `audit chain agrees with ${anchored.anchors} anchors in ${file} (latest: seq ${anchored.latest.seq} at ${anchored.latest.at})`
        : `no audit anchor yet in ${file}`,
    )
  } else {
    const b = anchored.firstBreak!
    const where = b.reason === 'anchor_invalid' ? `line ${b.line} of ${file} is not a genuine anchor` : `anchored seq ${b.seq}`
    console.error(`audit chain DISAGREES with its anchors (${b.reason}): ${where}`)
    process.exitCode = 1
  }
} catch (err) {
  console.error(`audit:verify could not run: ${err instanceof Error ? err.message : String(err)}`)
  process.exitCode = 2
} finally {
  await handle.close()
}
