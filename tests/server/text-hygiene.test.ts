import { beforeAll, describe, expect, it } from 'vitest'
import { BAD_TEXTS, INVISIBLE_TEXTS } from '../fixtures/bad-text'
import { expectRefusal, type Caller } from '../fixtures/caller'
import { caseInput, makeCase, makeCounsellor, makeSignedIn, studentInput, type Counsellor } from '../fixtures/cases'
import { snapshotTables, targets, useTestDatabase } from '../fixtures/db'
import { csvOf, workbookOf } from '../fixtures/exports'
import { makeSchool, makeStreet, unique } from '../fixtures/factories'
import { textProblem } from '../../shared/text'

/**
 * Probe finding "text hygiene": NUL, BEL, ESC, bidi overrides and lone surrogates were accepted in 22
 * text fields and reached the CSV export; a name of zero-width spaces passed "required". Every such
 * string is now refused at the edge by the shared schemas, and nothing is written.
 */
describe.each(targets)('text hygiene on $name', (target) => {
  const t = useTestDatabase(target)
  let me: Counsellor
  let admin: Caller
  let schoolAdmin: Caller
  let bureau: Caller
  let caseId: number
  let streetId: number

  beforeAll(async () => {
    const school = await makeSchool(t.db)
    streetId = await makeStreet(t.db)
    me = await makeCounsellor(t.db, school.id)
    admin = (await makeSignedIn(t.db, 'admin', null)).caller
    bureau = (await makeSignedIn(t.db, 'bureau', null)).caller
    schoolAdmin = (await makeSignedIn(t.db, 'school_admin', school.id)).caller
    caseId = (await makeCase(me)).caseId
  })

  /** Representative writes of every area, each taking one text under test. */
  const WRITES: { name: string; call: (text: string) => Promise<unknown> }[] = [
    { name: 'student.create name', call: (text) => me.caller.student.create(studentInput({ name: text })) },
    { name: 'student.create guardian', call: (text) => me.caller.student.create(studentInput({ guardianName: text })) },
    {
      name: 'case.open concern',
      call: async (text) => me.caller.case.open(caseInput((await studentIdOnce()).id, [me.account.id], { concern: text })),
    },
    {
      name: 'case.addNote text',
      call: (text) => me.caller.case.addNote({ caseId, sessionDate: '2026-03-01', durationMin: 30, type: 'individual', text }),
    },
    { name: 'case.addFollowUp purpose', call: (text) => me.caller.case.addFollowUp({ caseId, dueOn: '2026-03-09', purpose: text }) },
    {
      name: 'school.create name',
      call: (text) =>
        admin.school.create({ code: unique('HY-'), name: text, nameEn: null, type: 'primary', streetId, isPublic: true, address: null }),
    },
    {
      name: 'school.create address',
      call: (text) =>
        admin.school.create({
          code: unique('HY-'),
          name: '卫生学校',
          nameEn: null,
          type: 'primary',
          streetId,
          isPublic: true,
          address: text,
        }),
    },
    {
      name: 'account.create displayName',
      call: (text) =>
        admin.account.create({
          username: unique('hy').toLowerCase(),
          displayName: text,
          role: 'bureau',
          schoolId: null,
          password: 'Correct-horse-42',
        }),
    },
    {
      name: 'staffing.createMember name',
      call: (text) =>
        schoolAdmin.staffing.createMember({ name: text, employment: 'full_time', title: null, startsOn: '2020-09-01', endsOn: null }),
    },
  ]
  let student: { id: number } | null = null
  async function studentIdOnce() {
    student ??= await me.caller.student.create(studentInput())
    return student
  }

  it('the writes succeed with ordinary text (so the refusals below are about the text)', async () => {
    for (const w of WRITES) await w.call(`正常 ${unique('ok')}`)
  })

  it.each(WRITES)('$name refuses every probe string and writes nothing', async ({ call }) => {
    await studentIdOnce()
    const before = await snapshotTables(t.db)
    for (const { value } of BAD_TEXTS) await expectRefusal(call(value), 'BAD_REQUEST')
    expect(await snapshotTables(t.db)).toEqual(before)
  })

  it.each(WRITES.filter((w) => !w.name.includes('guardian') && !w.name.includes('purpose') && !w.name.includes('address')))(
    '$name refuses invisible-only text as empty',
    async ({ call }) => {
      await studentIdOnce()
      const before = await snapshotTables(t.db)
      for (const value of INVISIBLE_TEXTS) await expectRefusal(call(value), 'BAD_REQUEST')
      expect(await snapshotTables(t.db)).toEqual(before)
    },
  )

  it('stores text normalised (NFC, trimmed of invisible edges)', async () => {
    const { id } = await me.caller.student.create(studentInput({ name: '\u200BJose\u0301 王\uFEFF' }))
    const got = await me.caller.student.byId({ id })
    expect(got.name).toBe('José 王')
  })

  it('CSV and Excel exports never contain control, bidi or broken characters, even from rows stored before the rule', async () => {
    // a row written past the schemas (as older data may be): the export still cleans it
    // (PostgreSQL cannot store NUL at all: the probe's NUL was a 500 there, now a clear refusal)
    const nul = target.name === 'sqlite' ? '\u0000' : ''
    const dirty = `旧学校${nul}\u0007\u001B[2J\u202E\u2066\uD800${unique('')}`
    await makeSchool(t.db, { name: dirty })
    const csv = csvOf(await bureau.school.export({ format: 'csv', locale: 'zh-CN' }))
    const flat = csv.flat()
    expect(flat.some((c) => c.startsWith('旧学校'))).toBe(true)
    for (const cell of flat) expect(textProblem(cell), JSON.stringify(cell)).toBeNull()
    const book = await workbookOf(await bureau.school.export({ format: 'xlsx', locale: 'en' }))
    for (const sheet of book)
      for (const row of sheet.rows) for (const cell of row) if (typeof cell === 'string') expect(textProblem(cell)).toBeNull()
  })
})
