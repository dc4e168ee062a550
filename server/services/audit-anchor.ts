import { appendFile, mkdir, readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { Kysely } from 'kysely'
import { dataDir } from '../../db/client'
import type { Database } from '../../db/schema'
import { anchorKey, anchorLine, checkAnchors, parseAnchors, type AuditAnchor } from '../rules/audit-anchor'
import { latestAuditPrune } from './audit'

/**
 * Where the audit anchors go: XINQIAO_AUDIT_ANCHOR_FILE, by default `audit-anchors.log` in the data
 * directory. In production point it at a file the database user cannot rewrite (another owner, an
 * append-only file, a mounted log volume): see README, "Audit anchoring".
 */
export function auditAnchorFile(env: NodeJS.ProcessEnv = process.env): string {
  return env.XINQIAO_AUDIT_ANCHOR_FILE || join(dataDir(), 'audit-anchors.log')
}

async function head(db: Kysely<Database>): Promise<{ seq: number; hash: string }> {
  return (await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst()) ?? { seq: 0, hash: '' }
}

async function hashAt(db: Kysely<Database>, seq: number): Promise<string | null> {
  return (await db.selectFrom('audit_event').select('hash').where('seq', '=', seq).executeTakeFirst())?.hash ?? null
}

/**
 * Appends the current chain head to the anchor file (on start and daily). The head is anchored only
 * when its row agrees with it, so an anchor never vouches for a head that already lies.
 */
export async function writeAuditAnchor(db: Kysely<Database>, auditKey: Buffer, file: string, now: Date): Promise<AuditAnchor | null> {
  const h = await head(db)
  if (h.seq > 0 && (await hashAt(db, h.seq)) !== h.hash) return null
  const anchor = { seq: h.seq, hash: h.hash, at: now.toISOString() }
  await mkdir(dirname(file), { recursive: true })
  await appendFile(file, anchorLine(anchorKey(auditKey), anchor), { mode: 0o600, flag: 'a' })
  return anchor
}

/** Checks the database's chain against every anchor in the file (none yet: nothing to check). */
export async function verifyAuditAnchors(db: Kysely<Database>, auditKey: Buffer, file: string) {
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return ''
    throw err
  })
  const h = await head(db)
  return checkAnchors(parseAnchors(anchorKey(auditKey), text), h.seq, (seq) => hashAt(db, seq), await latestAuditPrune(db))
}

/** Anchors a row about to become the audit trail's prune point (retention), so verification can tell it from a forged one. */
export async function anchorAuditPoint(auditKey: Buffer, file: string, point: { seq: number; hash: string }, now: Date): Promise<void> {
  await mkdir(dirname(file), { recursive: true })
  await appendFile(file, anchorLine(anchorKey(auditKey), { ...point, at: now.toISOString() }), { mode: 0o600, flag: 'a' })
}
