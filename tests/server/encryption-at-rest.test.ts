import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql, type Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type DbHandle } from '../../db/client'
import { migrateToLatest } from '../../db/migrate'
import type { Database } from '../../db/schema'
import { Clock } from '../fixtures/caller'
import { targets, useTestDatabase, type AppTable } from '../fixtures/db'
import { makeSchool } from '../fixtures/factories'
import { caseInput, makeCounsellor, makeStudent, marker } from '../fixtures/cases'

const T0 = '2026-03-02T01:00:00.000Z'

/** The tables that hold student and case data. */
const CASE_TABLES: AppTable[] = [
  'student',
  'student_case',
  'case_note',
  'case_note_version',
  'case_risk_change',
  'case_follow_up',
  'case_referral',
  'case_crisis',
  'case_contact',
  'audit_event',
]

function freshMarkers() {
  return {
    name: marker('name'),
    guardian: marker('guardian'),
    phone: `1${Date.now().toString().slice(-6)}${Math.floor(Math.random() * 1e4)
      .toString()
      .padStart(4, '0')}`,
    concern: marker('concern'),
    note: marker('note'),
    noteV1: marker('noteV1'),
    what: marker('what'),
    actions: marker('actions'),
    notified: marker('notified'),
    accompaniedBy: marker('accompaniedBy'),
    naReason: marker('naReason'),
    reason: marker('reason'),
    feedback: marker('feedback'),
    contact: marker('contact'),
    purpose: marker('purpose'),
    outcome: marker('outcome'),
  }
}
type Markers = ReturnType<typeof freshMarkers>

/** Writes every kind of sensitive text through the API, and checks it reads back. */
async function writeSensitive(db: Kysely<Database>, m: Markers) {
  const clock = new Clock(T0)
  const c = await makeCounsellor(db, (await makeSchool(db)).id, clock)
  const studentId = await makeStudent(c.caller, { name: `学生${m.name}`, guardianName: m.guardian, guardianPhone: m.phone })
  const { id: caseId } = await c.caller.case.open(caseInput(studentId, [c.account.id], { concern: m.concern }))
  const { id: noteId } = await c.caller.case.addNote({
    caseId,
    sessionDate: '2026-03-02',
    durationMin: 40,
    type: 'individual',
    text: `初稿 ${m.noteV1}`,
  })
  await c.caller.case.editNote({
    noteId,
    version: 1,
    sessionDate: '2026-03-02',
    durationMin: 40,
    type: 'individual',
    text: `会谈记录：${m.note}`,
  })
  await c.caller.case.changeRisk({ caseId, version: 1, level: 'high', reason: m.reason })
  await c.caller.case.recordCrisis({
    caseId,
    occurredAt: '2026-03-02T08:00:00+08:00',
    what: m.what,
    actions: m.actions,
    accompanied: true,
    accompaniedBy: m.accompaniedBy,
    notified: [{ recipient: 'guardian', name: m.notified, at: '2026-03-02T08:10:00+08:00' }],
  })
  await c.caller.case.addFollowUp({ caseId, dueOn: '2026-03-05', purpose: m.purpose })
  const { id: referralId } = await c.caller.case.addReferral({ caseId, kind: 'hospital_clinic', target: '市医院', sentOn: '2026-03-02' })
  await c.caller.case.updateReferral({ referralId, version: 1, status: 'feedback_received', on: '2026-03-02', feedback: m.feedback })
  await c.caller.case.addContact({
    caseId,
    kind: 'guardian_contact',
    relation: 'mother',
    method: 'phone',
    contactedAt: '2026-03-02T09:00:00+08:00',
    note: m.contact,
  })

  const file = await c.caller.case.byId({ id: caseId })
  expect(file.student).toMatchObject({ name: `学生${m.name}`, guardianName: m.guardian, guardianPhone: m.phone })
  expect(file.concern).toBe(m.concern)
  expect(file.notes[0]!.text).toBe(`会谈记录：${m.note}`)
  expect((await c.caller.case.noteVersions({ noteId }))[0]!.text).toBe(`初稿 ${m.noteV1}`)
  expect(file.crises[0]).toMatchObject({
    what: m.what,
    actions: m.actions,
    accompanied: true,
    accompaniedBy: m.accompaniedBy,
    notified: [{ recipient: 'guardian', name: m.notified, at: '2026-03-02T00:10:00.000Z' }],
  })
  const task = file.tasks.find((x) => x.kind === 'return_plan')!
  await c.caller.case.completeTask({ taskId: task.id, status: 'not_applicable', reason: m.naReason })
  expect((await c.caller.case.byId({ id: caseId })).tasks.find((x) => x.id === task.id)!.naReason).toBe(m.naReason)
  expect(file.risks.at(-2)!.reason).toBe(m.reason)
  expect(file.followUps[0]!.purpose).toBe(m.purpose)
  expect(file.referrals[0]!.feedback).toBe(m.feedback)
  expect(file.contacts[0]!.note).toBe(m.contact)
  await c.caller.case.close({ caseId, version: 3, outcome: m.outcome })
  expect((await c.caller.case.byId({ id: caseId })).outcome).toBe(m.outcome)
  return { caseId, counsellor: c }
}

/** Every marker in every encoding it could be stored in. */
function findMarkers(bytes: Buffer, m: Markers): string[] {
  return Object.entries(m).flatMap(([k, v]) => [
    ...(bytes.includes(Buffer.from(v, 'utf8')) ? [`${k} (UTF-8)`] : []),
    ...(bytes.includes(Buffer.from(v, 'utf16le')) ? [`${k} (UTF-16LE)`] : []),
    ...(bytes.includes(Buffer.from(v, 'utf16le').swap16()) ? [`${k} (UTF-16BE)`] : []),
  ])
}

describe('encryption at rest in a SQLite file', () => {
  let dir: string
  let file: string
  let handle: DbHandle
  const m = freshMarkers()

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'xinqiao-at-rest-'))
    file = join(dir, 'xinqiao.sqlite')
    handle = openDatabase({ url: file })
    await migrateToLatest(handle.db)
  })

  afterAll(async () => {
    await handle?.close().catch(() => undefined)
    rmSync(dir, { recursive: true, force: true })
  })

  it('keeps names, phones, notes and crisis details out of the database file and its WAL', async () => {
    expect(handle.kind).toBe('sqlite')
    await writeSensitive(handle.db, m)
    // The writes sit in the WAL until a checkpoint: read both while the database is open.
    const wal = `${file}-wal`
    expect(existsSync(wal)).toBe(true)
    const walBytes = readFileSync(wal)
    expect(walBytes.length).toBeGreaterThan(0)
    expect(findMarkers(walBytes, m)).toEqual([])
    expect(findMarkers(readFileSync(file), m)).toEqual([])
    // The test itself would catch a plain value: the UTF-8 bytes of a value the app stores in clear are there.
    expect(walBytes.includes(Buffer.from('hospital_clinic'))).toBe(true)
  })

  it('still has none of them in the main file after a checkpoint folds the WAL in', async () => {
    await sql`pragma wal_checkpoint(TRUNCATE)`.execute(handle.db)
    expect(findMarkers(readFileSync(file), m)).toEqual([])
    await handle.close()
    expect(findMarkers(readFileSync(file), m)).toEqual([])
    if (existsSync(`${file}-wal`)) expect(findMarkers(readFileSync(`${file}-wal`), m)).toEqual([])
  })
})

describe.each(targets)('encryption at rest, table contents on $name', (target) => {
  const t = useTestDatabase(target)
  const m = freshMarkers()

  it('stores ciphertext, not the text, in every case table', async () => {
    await writeSensitive(t.db, m)
    for (const table of CASE_TABLES) {
      let text: string
      if (t.kind === 'postgres') {
        // Every column of every row as PostgreSQL itself renders it.
        const r = await sql<{ dump: string | null }>`select string_agg(x::text, '') as dump from ${sql.table(table)} x`.execute(t.db)
        text = r.rows[0]?.dump ?? ''
      } else {
        text = JSON.stringify(await t.db.selectFrom(table).selectAll().execute())
      }
      expect(findMarkers(Buffer.from(text, 'utf8'), m), table).toEqual([])
      // the dump is real: text the app keeps in clear (a referral's target) shows up in it
      if (table === 'case_referral') expect(text).toContain('市医院')
    }
    const students = await t.db.selectFrom('student').select(['name_enc', 'guardian_phone_enc']).execute()
    expect(students.every((s) => /^v1\./.test(s.name_enc) && (s.guardian_phone_enc == null || /^v1\./.test(s.guardian_phone_enc)))).toBe(
      true,
    )
  })
})
