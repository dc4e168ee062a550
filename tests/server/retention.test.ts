import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type DbHandle } from '../../db/client'
import { migrateToLatest } from '../../db/migrate'
import type { Database } from '../../db/schema'
import { verifyAuditChain } from '../../server/services/audit'
import { verifyAuditAnchors, writeAuditAnchor } from '../../server/services/audit-anchor'
import { encryptText } from '../../server/services/crypto'
import { testKeys } from '../../server/services/keys'
import { RETENTION_PURGERS, runRetention, type Purger } from '../../server/services/retention'
import { DEFAULT_SECURITY_SETTINGS } from '../../shared/trust'
import { auditRows, headSeq } from '../fixtures/audit'
import { callerFor, signIn } from '../fixtures/caller'
import { makeCase, makeSchoolWithCounsellor, marker, type Counsellor } from '../fixtures/cases'
import { targets, useTestDatabase } from '../fixtures/db'
import { makeAccount } from '../fixtures/factories'

const NOW = new Date('2037-06-01T02:00:00.000Z')
const LONG_AGO = '2025-07-01T00:00:00.000Z' // 12 years before NOW: past the 10-year default
const RECENT = '2033-07-01T00:00:00.000Z' // 4 years before NOW

async function closedCaseWithNote(
  db: Kysely<Database>,
  c: Counsellor,
  leftAt: string | null,
  text: string,
  status: 'open' | 'closed' = 'closed',
) {
  const { caseId, studentId } = await makeCase(c)
  await c.caller.case.addNote({ caseId, sessionDate: '2026-03-02', durationMin: 30, type: 'individual', text, private: false })
  await db
    .updateTable('student_case')
    .set({ status, closed_at: status === 'closed' ? '2026-06-01T00:00:00.000Z' : null })
    .where('id', '=', caseId)
    .execute()
  await db.updateTable('student').set({ left_at: leftAt }).where('id', '=', studentId).execute()
  return { caseId, studentId }
}

async function roundWithAnswers(db: Kysely<Database>, schoolId: number, closesAt: string, answersEnc: string) {
  const round = await db
    .insertInto('assessment_round')
    .values({
      respondent_kind: 'teacher',
      name: 'retention test round',
      owner_school_id: schoolId,
      instruments: '["phq9"]',
      opens_at: '2026-03-01T00:00:00.000Z',
      closes_at: closesAt,
      consent_zh: '',
      consent_en: '',
      recurrence: 'none',
      previous_round_id: null,
      created_by: null,
      created_at: '2026-03-01T00:00:00.000Z',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const respondent = await db
    .insertInto('assessment_respondent')
    .values({ round_id: round.id, school_id: schoolId, person_id: 1, contact_requested: 0, draft_enc: answersEnc })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('assessment_result')
    .values({
      respondent_id: respondent.id,
      instrument: 'phq9',
      instrument_version: 1,
      answers_enc: answersEnc,
      total: 7,
      band: 'mild',
      band_rank: 1,
      flags: '',
    })
    .execute()
  return respondent.id
}

describe.each(targets)('retention purge on $name', (target) => {
  const t = useTestDatabase(target)
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'xq-retention-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('deletes each class past its period, keeps the rest, and audits the counts per class', async () => {
    const { school, counsellor } = await makeSchoolWithCounsellor(t.db)
    const gone = await closedCaseWithNote(t.db, counsellor, LONG_AGO, marker('gone'))
    const recentLeaver = await closedCaseWithNote(t.db, counsellor, RECENT, marker('kept'))
    const stillOpen = await closedCaseWithNote(t.db, counsellor, LONG_AGO, marker('open'), 'open')
    const stillThere = await closedCaseWithNote(t.db, counsellor, null, marker('enrolled'))
    const oldRound = await roundWithAnswers(t.db, school.id, '2030-01-01T00:00:00.000Z', 'v1.a.b.c')
    const newRound = await roundWithAnswers(t.db, school.id, '2036-12-01T00:00:00.000Z', 'v1.d.e.f')
    const anchorFile = join(dir, `${target.name}-anchors.log`)

    const seq = await headSeq(t.db)
    const run = await runRetention(t.db, testKeys(), NOW, { anchorFile })
    expect(run.failed).toEqual([])
    const counts = Object.fromEntries(run.counts.map((c) => [c.dataClass, c.count]))
    expect(counts.closed_cases).toBe(1)
    expect(counts.assessment_answers).toBe(2) // the old round's answers and its draft
    expect(counts.sessions).toBeGreaterThan(0) // every session so far ended years before NOW
    // every audit row so far was written in real time, more than 36 months before NOW
    expect(counts.audit_events).toBe(seq)

    const cases = await t.db.selectFrom('student_case').select('id').execute()
    const ids = cases.map((c) => c.id)
    expect(ids).not.toContain(gone.caseId)
    expect(ids).toEqual(expect.arrayContaining([recentLeaver.caseId, stillOpen.caseId, stillThere.caseId]))
    expect(await t.db.selectFrom('case_note').select('id').where('case_id', '=', gone.caseId).execute()).toEqual([])
    expect(await t.db.selectFrom('student').select('id').where('id', '=', gone.studentId).execute()).toHaveLength(1)

    const results = await t.db.selectFrom('assessment_result').select(['respondent_id', 'answers_enc', 'total']).execute()
    expect(results.find((r) => r.respondent_id === oldRound)).toMatchObject({ answers_enc: '', total: 7 })
    expect(results.find((r) => r.respondent_id === newRound)).toMatchObject({ answers_enc: 'v1.d.e.f' })

    const rows = (await auditRows(t.db)).filter((r) => r.action === 'retention.purge')
    expect(rows.at(-1)).toMatchObject({
      outcome: 'ok',
      actor_id: 0,
      detail: `closed_cases:1,assessment_answers:2,sessions:${counts.sessions},audit_events:${seq},screening_answers:0`,
    })
    // the audit chain starts at the anchored prune point and still verifies, in the app and against the anchors
    expect(await verifyAuditChain(t.db, testKeys().audit)).toMatchObject({ ok: true })
    expect(await verifyAuditAnchors(t.db, testKeys().audit, anchorFile)).toMatchObject({ ok: true, firstBreak: null })

    // a second run finds nothing more to do
    const again = await runRetention(t.db, testKeys(), NOW, { anchorFile })
    expect(again.counts.map((c) => c.count)).toEqual([0, 0, 0, 0, 0])
  })

  it('never keeps the audit trail less than six months, whatever a stored setting says', async () => {
    await t.db
      .insertInto('district_setting')
      .values({
        key: 'security',
        value: JSON.stringify({ ...DEFAULT_SECURITY_SETTINGS, retention: { ...DEFAULT_SECURITY_SETTINGS.retention, auditMonths: 1 } }),
        updated_at: NOW.toISOString(),
        updated_by: null,
      })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: (eb) => eb.ref('excluded.value') }))
      .execute()
    try {
      const seq = await headSeq(t.db)
      // five months later, nothing written since is old enough
      const run = await runRetention(t.db, testKeys(), new Date(Date.now() + 150 * 86_400_000), { anchorFile: join(dir, 'six.log') })
      expect(run.counts.find((c) => c.dataClass === 'audit_events')!.count).toBe(0)
      expect(await headSeq(t.db)).toBe(seq + 1)
    } finally {
      await t.db.deleteFrom('district_setting').where('key', '=', 'security').execute()
    }
  })

  it('refuses a prune point nobody anchored (rows deleted by hand to hide them)', async () => {
    const file = join(dir, `${target.name}-forged.log`)
    await writeAuditAnchor(t.db, testKeys().audit, file, new Date())
    const head = await t.db.selectFrom('audit_head').select(['seq', 'hash']).executeTakeFirstOrThrow()
    await t.db.insertInto('audit_prune').values({ through_seq: head.seq, through_hash: 'forged', at: NOW.toISOString() }).execute()
    try {
      expect(await verifyAuditAnchors(t.db, testKeys().audit, file)).toMatchObject({
        ok: false,
        firstBreak: { reason: 'prune_unanchored' },
      })
    } finally {
      // the forged point would block later tests' deletes: it only ever grows, so remove it by hand
      await t.db.deleteFrom('audit_prune').where('through_hash', '=', 'forged').execute()
    }
  })

  it('runs a domain purger from the registry and goes on when one class fails', async () => {
    const failing: Purger = {
      dataClass: 'screening_answers',
      purge: async () => {
        throw new Error('boom')
      },
    }
    const plugged: Purger = { dataClass: 'screening_answers', purge: async (_db, now) => (now.getTime() > 0 ? 3 : 0) }
    const ok = await runRetention(t.db, testKeys(), NOW, { purgers: [plugged], anchorFile: join(dir, 'reg.log') })
    expect(ok.counts).toEqual([{ dataClass: 'screening_answers', count: 3 }])
    const bad = await runRetention(t.db, testKeys(), NOW, { purgers: [failing, RETENTION_PURGERS[2]!], anchorFile: join(dir, 'reg.log') })
    expect(bad.failed).toEqual(['screening_answers'])
    const last = (await auditRows(t.db)).filter((r) => r.action === 'retention.purge').at(-1)
    expect(last).toMatchObject({ outcome: 'failed', detail: expect.stringMatching(/^sessions:\d+,screening_answers:-1$/) })
  })

  it('lets the bureau read the last run and settings, and no one else', async () => {
    const bureau = await makeAccount(t.db, 'bureau')
    const { actor } = await signIn(t.db, bureau.username, bureau.password)
    const overview = await callerFor(t.db, actor).security.retention()
    expect(overview.classes).toEqual(['closed_cases', 'assessment_answers', 'sessions', 'audit_events', 'screening_answers'])
    const counsellor = await makeAccount(t.db, 'counsellor')
    const { actor: c } = await signIn(t.db, counsellor.username, counsellor.password)
    await expect(callerFor(t.db, c).security.retention()).rejects.toMatchObject({ code: 'FORBIDDEN' })
  })
})

describe('retention canary (SQLite file and WAL)', () => {
  let dir: string
  let handle: DbHandle
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'xq-canary-'))
    handle = openDatabase({ url: join(dir, 'xinqiao.db') })
    await migrateToLatest(handle.db)
  })
  afterAll(async () => {
    await handle.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const bytes = (file: string) => (existsSync(file) ? readFileSync(file) : Buffer.alloc(0))

  it('leaves no trace of a purged case note in the database file or its WAL, neither its text nor its ciphertext', async () => {
    const db = handle.db
    const canary = marker('CANARY-')
    const { counsellor } = await makeSchoolWithCounsellor(db)
    const { caseId } = await closedCaseWithNote(db, counsellor, LONG_AGO, canary)
    const note = await db.selectFrom('case_note').select('text_enc').where('case_id', '=', caseId).executeTakeFirstOrThrow()
    const cipher = note.text_enc.split('.')[3]!
    expect(cipher.length).toBeGreaterThan(16)
    const file = join(dir, 'xinqiao.db')
    const before = Buffer.concat([bytes(file), bytes(`${file}-wal`)])
    // the test can fail: the ciphertext is there before the purge
    expect(before.includes(Buffer.from(cipher))).toBe(true)
    expect(before.includes(Buffer.from(encryptText(testKeys(), 'x', 'x').slice(0, 2)))).toBe(true)

    const run = await runRetention(db, testKeys(), NOW, { anchorFile: join(dir, 'anchors.log') })
    expect(run.counts.find((c) => c.dataClass === 'closed_cases')!.count).toBe(1)
    const after = Buffer.concat([bytes(file), bytes(`${file}-wal`)])
    expect(after.includes(Buffer.from(canary))).toBe(false)
    expect(after.includes(Buffer.from(cipher))).toBe(false)
    expect(after.includes(Buffer.from(note.text_enc))).toBe(false)
    expect(bytes(`${file}-wal`).length).toBe(0)
  })
})
