import { describe, expect, it } from 'vitest'
import { checkAnchors } from '../../server/rules/audit-anchor'
import { monthsBefore, purgeDetail, retentionCutoffs } from '../../server/rules/retention'
import { DEFAULT_SECURITY_SETTINGS, retentionSettingsSchema, securitySettingsSchema } from '../../shared/trust'

describe('retention cutoffs', () => {
  it.each([
    ['2027-03-31T08:00:00.000Z', 1, '2027-02-28T08:00:00.000Z'],
    ['2028-03-31T08:00:00.000Z', 1, '2028-02-29T08:00:00.000Z'],
    ['2027-01-15T00:00:00.000Z', 1, '2026-12-15T00:00:00.000Z'],
    ['2027-06-01T00:00:00.000Z', 6, '2026-12-01T00:00:00.000Z'],
    ['2037-06-01T02:00:00.000Z', 120, '2027-06-01T02:00:00.000Z'],
  ])('%s minus %i months is %s', (now, months, expected) => {
    expect(monthsBefore(new Date(now), months).toISOString()).toBe(expected)
  })

  it('gives each class its own cutoff', () => {
    const now = new Date('2030-09-01T00:00:00.000Z')
    expect(retentionCutoffs({ closedCaseYears: 10, assessmentAnswerMonths: 24, sessionDays: 30, auditMonths: 36 }, now)).toEqual({
      studentLeftBefore: '2020-09-01T00:00:00.000Z',
      roundClosedBefore: '2028-09-01T00:00:00.000Z',
      sessionEndedBefore: '2030-08-02T00:00:00.000Z',
      auditBefore: '2027-09-01T00:00:00.000Z',
    })
  })

  it('never cuts the audit trail to less than six months, even from a setting that slipped past the form', () => {
    const now = new Date('2030-09-01T00:00:00.000Z')
    expect(retentionCutoffs({ ...DEFAULT_SECURITY_SETTINGS.retention, auditMonths: 1 }, now).auditBefore).toBe('2030-03-01T00:00:00.000Z')
  })

  it.each([
    [{ auditMonths: 5 }, false],
    [{ auditMonths: 6 }, true],
    [{ closedCaseYears: 0 }, false],
    [{ sessionDays: 366 }, false],
    [{ assessmentAnswerMonths: 1.5 }, false],
  ])('the settings schema with %o is valid: %s', (over, ok) => {
    expect(retentionSettingsSchema.safeParse({ ...DEFAULT_SECURITY_SETTINGS.retention, ...over }).success).toBe(ok)
  })

  it('names the six-month minimum in its refusal, and MFA stays off by default', () => {
    const r = retentionSettingsSchema.safeParse({ ...DEFAULT_SECURITY_SETTINGS.retention, auditMonths: 3 })
    expect(r.error?.issues[0]?.message).toBe('validation.auditRetentionMin')
    expect(DEFAULT_SECURITY_SETTINGS.mfaRequiredRoles).toEqual([])
    expect(securitySettingsSchema.safeParse({ ...DEFAULT_SECURITY_SETTINGS, mfaRequiredRoles: ['expert'] }).success).toBe(false)
  })

  it('writes the run counts in registry order', () => {
    expect(
      purgeDetail([
        { dataClass: 'closed_cases', count: 2 },
        { dataClass: 'sessions', count: 0 },
      ]),
    ).toBe('closed_cases:2,sessions:0')
  })
})

describe('anchors after a retention prune', () => {
  const anchors = (...xs: [number, string][]) => ({ anchors: xs.map(([seq, hash]) => ({ seq, hash, at: '' })), invalidLines: [] })
  const rows: Record<number, string> = { 11: 'h11', 12: 'h12' }
  const hashAt = async (seq: number) => rows[seq] ?? null

  it.each([
    ['no prune: an anchor on a deleted row is a truncation', anchors([5, 'h5']), null, { ok: false, reason: 'anchor_truncated' }],
    [
      'anchors up to an anchored prune point are skipped',
      anchors([5, 'h5'], [10, 'h10'], [12, 'h12']),
      { seq: 10, hash: 'h10' },
      { ok: true, reason: undefined },
    ],
    [
      'a prune point no anchor vouches for is refused',
      anchors([5, 'h5'], [12, 'h12']),
      { seq: 10, hash: 'h10' },
      { ok: false, reason: 'prune_unanchored' },
    ],
    [
      'a prune point with another hash than its anchor is refused',
      anchors([10, 'h10']),
      { seq: 10, hash: 'forged' },
      { ok: false, reason: 'prune_unanchored' },
    ],
    [
      'anchors after the prune point are still checked',
      anchors([10, 'h10'], [11, 'bad']),
      { seq: 10, hash: 'h10' },
      { ok: false, reason: 'anchor_mismatch' },
    ],
  ] as const)('%s', async (_label, parsed, pruned, expected) => {
    const r = await checkAnchors(parsed, 12, hashAt, pruned)
    expect({ ok: r.ok, reason: r.firstBreak?.reason }).toEqual(expected)
  })
})
