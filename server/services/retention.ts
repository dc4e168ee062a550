import { sql, SqliteAdapter, type Kysely } from 'kysely'
import type { Database } from '../../db/schema'
import type { RetentionSettings } from '../../shared/trust'
import { purgeDetail, retentionCutoffs, type RetentionCutoffs } from '../rules/retention'
import {
  deleteCases,
  deleteEndedSessions,
  expiredClosedCases,
  lastAuditEventBefore,
  lastPurgeRun,
  pruneAuditThrough,
  purgeAssessmentAnswers,
} from '../repositories/retention'
import { appendAudit, latestAuditPrune } from './audit'
import { anchorAuditPoint, auditAnchorFile } from './audit-anchor'
import { requireActor, SYSTEM_ACTOR, type ServiceContext, withTransaction } from './context'
import { loadSecuritySettings } from './district-settings'
import type { AppKeys } from './keys'
import { purgeScreeningAnswers } from './screening'

/** What a purger may need besides the database and the time: the district's periods and their cutoffs. */
export interface PurgeEnv {
  settings: RetentionSettings
  cutoffs: RetentionCutoffs
  keys: AppKeys
  /** where the audit trail's prune point is anchored */
  anchorFile: string
}

/**
 * One data class's purge: deletes what is past its retention period and returns how many records it
 * removed. It runs in its own transaction. A domain plugs its data in by adding an entry to
 * RETENTION_PURGERS (a function of `(db, now)` fits: the environment is optional to use).
 */
export interface Purger {
  dataClass: string
  purge: (db: Kysely<Database>, now: Date, env: PurgeEnv) => Promise<number>
}

async function purgeClosedCases(db: Kysely<Database>, _now: Date, env: PurgeEnv): Promise<number> {
  let total = 0
  for (;;) {
    const ids = await expiredClosedCases(db, env.cutoffs.studentLeftBefore)
    total += await deleteCases(db, ids)
    if (ids.length < 500) return total
  }
}

/**
 * The audit trail's oldest rows. The new prune point is anchored outside the database before the rows
 * go, so verification accepts this start of the chain and refuses one written by anyone else.
 */
async function purgeAuditEvents(db: Kysely<Database>, now: Date, env: PurgeEnv): Promise<number> {
  const point = await lastAuditEventBefore(db, env.cutoffs.auditBefore)
  const current = await latestAuditPrune(db)
  if (!point || (current && point.seq <= current.seq)) return 0
  await anchorAuditPoint(env.keys.audit, env.anchorFile, point, now)
  return pruneAuditThrough(db, point, now.toISOString())
}

/** The registry: every data class with a retention period, purged in this order. */
export const RETENTION_PURGERS: readonly Purger[] = [
  { dataClass: 'closed_cases', purge: purgeClosedCases },
  { dataClass: 'assessment_answers', purge: (db, _now, env) => purgeAssessmentAnswers(db, env.cutoffs.roundClosedBefore) },
  { dataClass: 'sessions', purge: (db, _now, env) => deleteEndedSessions(db, env.cutoffs.sessionEndedBefore) },
  { dataClass: 'audit_events', purge: purgeAuditEvents },
  // student screening: item answers after the screening retention setting; totals, bands, warnings and cases stay
  { dataClass: 'screening_answers', purge: async (db, now) => (await purgeScreeningAnswers(db, now)).answers },
]

function isSqlite(db: Kysely<Database>): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter
}

export interface PurgeRun {
  counts: { dataClass: string; count: number }[]
  failed: string[]
}

/**
 * The purge job (on start and daily). On SQLite, `secure_delete` overwrites deleted records with zeros
 * while it runs, and a checkpoint afterwards moves the WAL into the database file and truncates it, so
 * purged text is gone from both files, not merely unlinked. Each class purges in its own transaction;
 * one failing does not stop the others. The run is audited with its counts per class.
 */
export async function runRetention(
  db: Kysely<Database>,
  keys: AppKeys,
  now: Date,
  opts: { anchorFile?: string; purgers?: readonly Purger[] } = {},
): Promise<PurgeRun> {
  const settings = (await loadSecuritySettings(db)).retention
  const env: PurgeEnv = { settings, cutoffs: retentionCutoffs(settings, now), keys, anchorFile: opts.anchorFile ?? auditAnchorFile() }
  const sqlite = isSqlite(db)
  const counts: PurgeRun['counts'] = []
  const failed: string[] = []
  if (sqlite) await sql`pragma secure_delete = on`.execute(db)
  try {
    for (const p of opts.purgers ?? RETENTION_PURGERS) {
      try {
        counts.push({ dataClass: p.dataClass, count: await withTransaction(db, (trx) => p.purge(trx, now, env)) })
      } catch (err) {
        failed.push(p.dataClass)
        console.error(`[xinqiao] retention purge of ${p.dataClass} failed`, err instanceof Error ? err.message : err)
      }
    }
    const ctx = { keys, actor: SYSTEM_ACTOR, requestId: 'retention', now: () => now }
    await appendAudit(db, ctx, {
      action: 'retention.purge',
      outcome: failed.length ? 'failed' : 'ok',
      detail: purgeDetail([...counts, ...failed.map((dataClass) => ({ dataClass, count: -1 }))]),
    })
  } finally {
    if (sqlite) {
      await sql`pragma secure_delete = off`.execute(db)
      await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db)
    }
  }
  return { counts, failed }
}

/** The settings card's summary: the periods in force and the last run's counts. */
export async function retentionOverview(ctx: ServiceContext) {
  requireActor(ctx)
  const run = await lastPurgeRun(ctx.db)
  const counts = (run?.detail ?? '')
    .split(',')
    .filter(Boolean)
    .map((part) => {
      const [dataClass, n] = part.split(':')
      return { dataClass: dataClass ?? '', count: Number(n) }
    })
  return { lastRun: run ? { at: run.at, ok: run.outcome === 'ok', counts } : null, classes: RETENTION_PURGERS.map((p) => p.dataClass) }
}
