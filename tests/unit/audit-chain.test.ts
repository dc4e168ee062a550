import { describe, expect, it } from 'vitest'
import { chainHash, verifyChain, type AuditFields, type ChainedAuditRow } from '../../server/rules/audit-chain'

const KEY = Buffer.alloc(32, 7)
const OTHER_KEY = Buffer.alloc(32, 8)

function buildChain(n: number, key = KEY): ChainedAuditRow[] {
  const rows: ChainedAuditRow[] = []
  let prev = ''
  for (let seq = 1; seq <= n; seq++) {
    const fields: AuditFields = {
      seq,
      at: new Date(Date.UTC(2026, 2, 1, 8, seq)).toISOString(),
      actor_id: seq % 3 === 0 ? null : seq,
      actor_role: seq % 3 === 0 ? null : 'admin',
      action: seq % 2 ? 'auth.login' : 'account.update',
      entity_type: 'account',
      entity_id: String(seq + 10),
      school_id: seq % 2 ? null : 4,
      outcome: 'ok',
      request_id: `req-${seq}`,
      detail: seq % 2 ? null : 'display_name',
    }
    const hash = chainHash(key, prev, fields)
    rows.push({ ...fields, prev_hash: prev, hash })
    prev = hash
  }
  return rows
}

const head = (rows: ChainedAuditRow[]) => ({ seq: rows.at(-1)?.seq ?? 0, hash: rows.at(-1)?.hash ?? '' })

type Field = keyof ChainedAuditRow
/** A different value of the same shape for each field (a change an intruder could make). */
const TAMPER: Record<Field, (row: ChainedAuditRow) => ChainedAuditRow> = {
  seq: (r) => ({ ...r, seq: r.seq + 100 }),
  at: (r) => ({ ...r, at: '2020-01-01T00:00:00.000Z' }),
  actor_id: (r) => ({ ...r, actor_id: 999 }),
  actor_role: (r) => ({ ...r, actor_role: 'bureau' }),
  action: (r) => ({ ...r, action: 'auth.logout' }),
  entity_type: (r) => ({ ...r, entity_type: 'school' }),
  entity_id: (r) => ({ ...r, entity_id: '1' }),
  school_id: (r) => ({ ...r, school_id: 77 }),
  outcome: (r) => ({ ...r, outcome: 'denied' }),
  request_id: (r) => ({ ...r, request_id: 'forged' }),
  detail: (r) => ({ ...r, detail: 'rewritten' }),
  prev_hash: (r) => ({ ...r, prev_hash: '0'.repeat(64) }),
  hash: (r) => ({ ...r, hash: 'f'.repeat(64) }),
}

describe('audit chain', () => {
  const N = 6
  const chain = buildChain(N)

  it('verifies an untouched chain with its head', () => {
    expect(verifyChain(KEY, chain, head(chain))).toEqual({ ok: true, checked: N, firstBreak: null })
  })

  it('verifies an empty trail against an empty head', () => {
    expect(verifyChain(KEY, [], { seq: 0, hash: '' })).toEqual({ ok: true, checked: 0, firstBreak: null })
  })

  const cases = Object.keys(TAMPER).flatMap((field) => [1, 3, N].map((k) => ({ field: field as Field, k })))
  it.each(cases)('reports the first break at row $k when its $field is changed', ({ field, k }) => {
    const tampered = chain.map((r) => (r.seq === k ? TAMPER[field](r) : r))
    const result = verifyChain(KEY, tampered, head(chain))
    expect(result.ok).toBe(false)
    expect(result.checked).toBe(k - 1)
    if (field === 'seq') expect(result.firstBreak).toEqual({ reason: 'sequence_gap', seq: k + 100, expected: k })
    else if (field === 'prev_hash') expect(result.firstBreak).toEqual({ reason: 'prev_link_mismatch', seq: k })
    else expect(result.firstBreak).toEqual({ reason: 'hash_mismatch', seq: k })
  })

  it('reports a sequence gap where a middle row was deleted', () => {
    const without3 = chain.filter((r) => r.seq !== 3)
    expect(verifyChain(KEY, without3, head(chain)).firstBreak).toEqual({ reason: 'sequence_gap', seq: 4, expected: 3 })
  })

  it('reports a deleted tail through the head, which the links alone cannot show', () => {
    const truncated = chain.slice(0, N - 2)
    expect(verifyChain(KEY, truncated).ok).toBe(true)
    expect(verifyChain(KEY, truncated, head(chain)).firstBreak).toEqual({ reason: 'head_mismatch', seq: N })
  })

  it('reports a head that points past or before the rows', () => {
    expect(verifyChain(KEY, chain, { seq: N, hash: chain[N - 2]!.hash }).firstBreak).toEqual({ reason: 'head_mismatch', seq: N })
  })

  it('refuses a chain written with another key at its first row', () => {
    expect(verifyChain(OTHER_KEY, chain, head(chain)).firstBreak).toEqual({ reason: 'hash_mismatch', seq: 1 })
  })

  it('continues from an already verified row', () => {
    const start = { seq: 2, hash: chain[1]!.hash }
    expect(verifyChain(KEY, chain.slice(2), head(chain), start)).toEqual({ ok: true, checked: N - 2, firstBreak: null })
    expect(verifyChain(KEY, chain.slice(2), head(chain), { seq: 2, hash: 'x' }).firstBreak).toEqual({
      reason: 'prev_link_mismatch',
      seq: 3,
    })
  })

  it('chains every field: the same row under another predecessor hashes differently', () => {
    const fields = chain[0]!
    expect(chainHash(KEY, '', fields)).not.toBe(chainHash(KEY, 'x', fields))
    expect(chainHash(KEY, '', { ...fields, detail: '' })).not.toBe(chainHash(KEY, '', { ...fields, detail: null }))
  })
})
