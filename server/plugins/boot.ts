import { defineNitroPlugin } from 'nitropack/runtime'
import { useRuntime } from '../runtime'
import { KeyCustodyError } from '../services/keys'
import { createContextInner, SYSTEM_ACTOR } from '../services/context'
import { settleEndedProjects } from '../services/research'
import { auditAnchorFile, writeAuditAnchor } from '../services/audit-anchor'
import { runRetention } from '../services/retention'
import { escalateOverdueAlerts } from '../services/district-centre'
import { runReminders } from '../services/accreditation-titles'

const HOUR = 60 * 60_000

/** Migrate (and seed the demo district on first start) before the first request is served. */
export default defineNitroPlugin(async (nitro) => {
  const { seed, handle, keys, files } = await useRuntime().catch((err: unknown) => {
    // Keys beside the data in production: say why and stop, rather than serve errors.
    if (err instanceof KeyCustodyError) {
      console.error(err.message)
      process.exit(1)
    }
    throw err
  })
  const where = handle.kind === 'sqlite' ? `SQLite ${handle.location}` : `PostgreSQL ${handle.location}`
  console.info(`[xinqiao] database: ${where}`)
  for (const line of seed.announce) console.info(line)
  // Research projects whose period ended lose their pseudonym key and generated files, even when nobody opens them.
  const settle = () =>
    settleEndedProjects(createContextInner({ db: handle.db, keys, files, actor: SYSTEM_ACTOR, requestId: 'research-settle' })).catch(
      (err) => console.error('[xinqiao] research settle failed', err),
    )
  // Accreditation re-review reminders (180/90/30 days before a title expires): idempotent, so hourly is safe and a missed day is caught up.
  const remind = () =>
    runReminders(createContextInner({ db: handle.db, keys, files, actor: SYSTEM_ACTOR, requestId: 'accreditation-reminders' })).catch(
      (err) => console.error('[xinqiao] accreditation reminders failed', err instanceof Error ? err.message : err),
    )
  await settle()
  await remind()
  const timer = setInterval(() => {
    void settle()
    void remind()
  }, HOUR)
  timer.unref()
  // The audit chain's head, anchored outside the database on start and daily (README, "Audit anchoring").
  const anchor = () =>
    writeAuditAnchor(handle.db, keys.audit, auditAnchorFile(), new Date()).catch((err) =>
      console.error('[xinqiao] audit anchor failed', err instanceof Error ? err.message : err),
    )
  await anchor()
  const daily = setInterval(anchor, 24 * HOUR)
  daily.unref()
  // Records past their retention period (district settings) are purged on start and daily.
  const purge = () =>
    runRetention(handle.db, keys, new Date()).catch((err) =>
      console.error('[xinqiao] retention purge failed', err instanceof Error ? err.message : err),
    )
  await purge()
  const dailyPurge = setInterval(purge, 24 * HOUR)
  dailyPurge.unref()
  // Assessment alerts nobody acknowledged in time reach the district centre (checked every 5 minutes).
  const escalate = () =>
    escalateOverdueAlerts(createContextInner({ db: handle.db, keys, files, actor: SYSTEM_ACTOR, requestId: 'alert-escalation' })).catch(
      (err) => console.error('[xinqiao] alert escalation failed', err instanceof Error ? err.message : err),
    )
  await escalate()
  const escalation = setInterval(escalate, 5 * 60_000)
  escalation.unref()
  nitro.hooks.hook('close', () => {
    clearInterval(timer)
    clearInterval(daily)
    clearInterval(dailyPurge)
    clearInterval(escalation)
  })
})
