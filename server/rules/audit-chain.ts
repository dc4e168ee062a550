import { createHmac } from 'node:crypto'

/** The fields of an audit event that the HMAC chain covers, in a fixed order. */
export interface AuditFields {
  seq: number
  at: string
  actor_id: number | null
  actor_role: string | null
  action: string
  entity_type: string | null
  entity_id: string | null
  school_id: number | null
  outcome: string
  request_id: string | null
  detail: string | null
}

export interface ChainedAuditRow extends AuditFields {
  prev_hash: string
  hash: string
}

export function canonicalAudit(f: AuditFields): string {
  return JSON.stringify([
    f.seq,
    f.at,
    f.actor_id,
    f.actor_role,
    f.action,
    f.entity_type,
    f.entity_id,
    f.school_id,
    f.outcome,
    f.request_id,
    f.detail,
  ])
}

/** hash(n) = HMAC-SHA256(key, hash(n-1) ‖ canonical(n)); the first row chains to ''. */
export function chainHash(key: Buffer, prevHash: string, fields: AuditFields): string {
  return createHmac('sha256', key).update(prevHash).update('\n').update(canonicalAudit(fields)).digest('hex')
}

export type ChainBreak =
  | { reason: 'hash_mismatch'; seq: number }
  | { reason: 'prev_link_mismatch'; seq: number }
  | { reason: 'sequence_gap'; seq: number; expected: number }
  | { reason: 'head_mismatch'; seq: number }

export interface ChainVerification {
  ok: boolean
  checked: number
  firstBreak: ChainBreak | null
}

export interface ChainPoint {
  seq: number
  hash: string
}

/**
 * Walks rows in seq order. `head` is the chain head kept beside the table: it exposes a deleted
 * tail, which the links alone cannot. `start` continues a walk from an already verified row.
 * Returns the first broken link.
 */
export function verifyChain(key: Buffer, rows: Iterable<ChainedAuditRow>, head?: ChainPoint, start?: ChainPoint): ChainVerification {
  let prev = start?.hash ?? ''
  let expected = (start?.seq ?? 0) + 1
  let checked = 0
  for (const row of rows) {
    if (row.seq !== expected) return { ok: false, checked, firstBreak: { reason: 'sequence_gap', seq: row.seq, expected } }
    if (row.prev_hash !== prev) return { ok: false, checked, firstBreak: { reason: 'prev_link_mismatch', seq: row.seq } }
    if (chainHash(key, prev, row) !== row.hash) return { ok: false, checked, firstBreak: { reason: 'hash_mismatch', seq: row.seq } }
    prev = row.hash
    expected++
    checked++
  }
  if (head && (head.seq !== expected - 1 || head.hash !== prev)) {
    return { ok: false, checked, firstBreak: { reason: 'head_mismatch', seq: head.seq } }
  }
  return { ok: true, checked, firstBreak: null }
}
