import { dataDir, openDatabase } from '../db/client'
import { verifyAuditChain } from '../server/services/audit'
import { loadKeys } from '../server/services/keys'

/** `npm run audit:verify`: walks the HMAC chain and reports the first broken link (exit 1). */
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
} finally {
  await handle.close()
}
