import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * Anchors of the audit chain kept outside the database: each line records the chain head (seq and
 * hash) at a moment, with an HMAC so a line cannot be made up without the audit key. Whoever can write
 * the database (drop the trigger, delete the newest rows, rewrite `audit_head`) cannot rewrite a file
 * the database user cannot write, so a truncated or rebuilt chain disagrees with an anchor.
 */
export interface AuditAnchor {
  seq: number
  hash: string
  at: string
}

export function anchorKey(auditKey: Buffer): Buffer {
  return createHmac('sha256', auditKey).update('xinqiao audit anchor v1').digest()
}

function anchorMac(key: Buffer, a: AuditAnchor): string {
  return createHmac('sha256', key).update(`${a.seq}\n${a.hash}\n${a.at}`).digest('hex')
}

/** One line of the anchor file (JSON, newline-terminated). */
export function anchorLine(key: Buffer, a: AuditAnchor): string {
  return `${JSON.stringify({ seq: a.seq, hash: a.hash, at: a.at, mac: anchorMac(key, a) })}\n`
}

export type ParsedAnchors = { anchors: AuditAnchor[]; invalidLines: number[] }

/** The anchors of a file's text, oldest first; lines that do not parse or whose MAC is wrong are reported by number (1-based). */
export function parseAnchors(key: Buffer, text: string): ParsedAnchors {
  const anchors: AuditAnchor[] = []
  const invalidLines: number[] = []
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return
    try {
      const v = JSON.parse(line) as Partial<AuditAnchor & { mac: string }>
      if (typeof v.seq !== 'number' || typeof v.hash !== 'string' || typeof v.at !== 'string' || typeof v.mac !== 'string')
        throw new Error('shape')
      const a = { seq: v.seq, hash: v.hash, at: v.at }
      const want = Buffer.from(anchorMac(key, a), 'hex')
      const got = Buffer.from(v.mac, 'hex')
      if (got.length !== want.length || !timingSafeEqual(got, want)) throw new Error('mac')
      anchors.push(a)
    } catch {
      invalidLines.push(i + 1)
    }
  })
  return { anchors, invalidLines }
}

export type AnchorBreak =
  | { reason: 'anchor_invalid'; line: number }
  | { reason: 'anchor_truncated'; seq: number; headSeq: number }
  | { reason: 'anchor_mismatch'; seq: number }
  | { reason: 'prune_unanchored'; seq: number }

/**
 * Checks a chain against every anchor: each anchored row must still exist with the anchored hash, and
 * the head must not be behind an anchor. `hashAt` gives a row's stored hash (null when it is gone).
 */
export async function checkAnchors(
  parsed: ParsedAnchors,
  headSeq: number,
  hashAt: (seq: number) => Promise<string | null>,
  pruned: { seq: number; hash: string } | null = null,
): Promise<{ ok: boolean; anchors: number; latest: AuditAnchor | null; firstBreak: AnchorBreak | null }> {
  const latest = parsed.anchors.at(-1) ?? null
  const base = { anchors: parsed.anchors.length, latest }
  if (parsed.invalidLines.length) return { ...base, ok: false, firstBreak: { reason: 'anchor_invalid', line: parsed.invalidLines[0]! } }
  // Retention anchors its prune point before deleting: a prune point no anchor vouches for was written
  // by someone without the anchor key, to hide deleted rows.
  if (pruned && !parsed.anchors.some((a) => a.seq === pruned.seq && a.hash === pruned.hash)) {
    return { ...base, ok: false, firstBreak: { reason: 'prune_unanchored', seq: pruned.seq } }
  }
  for (const a of parsed.anchors) {
    if (a.seq === 0 || (pruned && a.seq <= pruned.seq)) continue
    if (headSeq < a.seq) return { ...base, ok: false, firstBreak: { reason: 'anchor_truncated', seq: a.seq, headSeq } }
    const hash = await hashAt(a.seq)
    if (hash == null) return { ...base, ok: false, firstBreak: { reason: 'anchor_truncated', seq: a.seq, headSeq } }
    if (hash !== a.hash) return { ...base, ok: false, firstBreak: { reason: 'anchor_mismatch', seq: a.seq } }
  }
  return { ...base, ok: true, firstBreak: null }
}
