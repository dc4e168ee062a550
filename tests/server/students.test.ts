import ExcelJS from 'exceljs'
import { beforeAll, describe, expect, it } from 'vitest'
import { auditedBy } from '../fixtures/audit'
import { expectRefusal, rejection } from '../fixtures/caller'
import { countRows, snapshotTables, targets, useTestDatabase } from '../fixtures/db'
import { makeSchool, unique } from '../fixtures/factories'
import {
  dumpTables,
  expectNoMarkers,
  makeCounsellor,
  makeSignedIn,
  makeStudent,
  marker,
  studentInput,
  type Counsellor,
} from '../fixtures/cases'

const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64')
const CSV_HEADER = '学号,姓名,性别,出生日期,年级,班级,监护人,监护人电话'

async function xlsx(rows: (string | number | Date)[][]): Promise<string> {
  const book = new ExcelJS.Workbook()
  const sheet = book.addWorksheet('名单')
  for (const row of rows) sheet.addRow(row)
  return Buffer.from(await book.xlsx.writeBuffer()).toString('base64')
}

describe.each(targets)('student roster on $name', (target) => {
  const t = useTestDatabase(target)
  let me: Counsellor
  let colleague: Counsellor
  let stranger: Counsellor
  let schoolId: number

  beforeAll(async () => {
    schoolId = (await makeSchool(t.db, { type: 'primary' })).id
    me = await makeCounsellor(t.db, schoolId)
    colleague = await makeCounsellor(t.db, schoolId)
    stranger = await makeCounsellor(t.db, (await makeSchool(t.db)).id)
  })

  describe('import', () => {
    it('previews a class list without writing anything, then commits every row', async () => {
      const p = unique('IMP')
      const csv = `\uFEFF${CSV_HEADER}\r\n${p}-1,"欧阳, 娜娜",女,2015/3/7,三年级,1班,欧阳华,13900001111\r\n${p}-2,王小明,男,,3,1班,,\r\n`
      const before = await snapshotTables(t.db)
      const preview = await me.caller.student.import({ fileName: '三年级1班.csv', contentBase64: b64(csv), commit: false })
      expect(preview).toMatchObject({ missingColumns: [], problems: [], valid: 2, committed: 0 })
      expect(preview.sample).toEqual([
        {
          row: 2,
          studentNo: `${p}-1`,
          name: '欧阳, 娜娜',
          sex: 'F',
          birthDate: '2015-03-07',
          grade: 3,
          className: '1班',
          guardianName: '欧阳华',
          guardianPhone: '13900001111',
        },
        {
          row: 3,
          studentNo: `${p}-2`,
          name: '王小明',
          sex: 'M',
          birthDate: null,
          grade: 3,
          className: '1班',
          guardianName: null,
          guardianPhone: null,
        },
      ])
      expect(await snapshotTables(t.db)).toEqual(before)

      const rows = await auditedBy(t.db, async () => {
        expect((await me.caller.student.import({ fileName: '三年级1班.csv', contentBase64: b64(csv), commit: true })).committed).toBe(2)
      })
      expect(rows.map((r) => [r.action, r.detail, r.school_id])).toEqual([['student.import', 'rows:2', schoolId]])
      const listed = await me.caller.student.list({ search: p })
      expect(listed.rows.map((s) => [s.studentNo, s.name, s.guardianPhone])).toEqual([
        [`${p}-1`, '欧阳, 娜娜', '13900001111'],
        [`${p}-2`, '王小明', null],
      ])
    })

    it('commits nothing from a file with any problem, and says so', async () => {
      const p = unique('BAD')
      const csv = [CSV_HEADER, `${p}-1,好学生,女,,3,1班,,`, `${p}-2,坏性别,X,,3,1班,,`, `${p}-3,坏年级,男,,初四,1班,,`].join('\n')
      const preview = await me.caller.student.import({ fileName: 'c.csv', contentBase64: b64(csv), commit: false })
      expect(preview.valid).toBe(1)
      expect(preview.problems).toEqual([
        { row: 3, field: 'sex', code: 'sex' },
        { row: 4, field: 'grade', code: 'grade' },
      ])
      const before = await snapshotTables(t.db)
      const error = await expectRefusal(
        me.caller.student.import({ fileName: 'c.csv', contentBase64: b64(csv), commit: true }),
        'BAD_REQUEST',
        'import.hasProblems',
      )
      expect(error.params).toEqual({ problems: 2 })
      expect(await snapshotTables(t.db)).toEqual(before)
    })

    it('refuses to commit a file without a required column', async () => {
      const csv = '学号,姓名,性别,年级\nX1,张三,男,3\n'
      const preview = await me.caller.student.import({ fileName: 'c.csv', contentBase64: b64(csv), commit: false })
      expect(preview.missingColumns).toEqual(['className'])
      await expectRefusal(
        me.caller.student.import({ fileName: 'c.csv', contentBase64: b64(csv), commit: true }),
        'BAD_REQUEST',
        'import.hasProblems',
      )
    })

    it('flags numbers already on the roster and numbers repeated in the file', async () => {
      const taken = unique('TAKEN')
      await makeStudent(me.caller, { studentNo: taken })
      const csv = [CSV_HEADER, `${taken},重复,女,,3,1班,,`, `${taken}-N,新生,女,,3,1班,,`, `${taken}-N,又一个,男,,3,1班,,`].join('\n')
      const preview = await me.caller.student.import({ fileName: 'c.csv', contentBase64: b64(csv), commit: false })
      expect(preview.problems).toEqual([
        { row: 2, field: 'studentNo', code: 'exists' },
        { row: 4, field: 'studentNo', code: 'duplicateInFile' },
      ])
    })

    it("does not count another school's student numbers as taken", async () => {
      const no = unique('SHARED')
      await makeStudent(stranger.caller, { studentNo: no })
      const preview = await me.caller.student.import({
        fileName: 'c.csv',
        contentBase64: b64(`${CSV_HEADER}\n${no},同号,女,,3,1班,,\n`),
        commit: false,
      })
      expect(preview.problems).toEqual([])
    })

    it.each(['roster.pdf', 'roster.xls', 'roster', 'roster.csv.exe'])('refuses the file type of %s', async (fileName) => {
      await expectRefusal(
        me.caller.student.import({ fileName, contentBase64: b64(`${CSV_HEADER}\n`), commit: false }),
        'BAD_REQUEST',
        'import.unsupportedType',
      )
    })

    it('answers garbage named .xlsx as unreadable and writes nothing', async () => {
      const before = await snapshotTables(t.db)
      await expectRefusal(
        me.caller.student.import({ fileName: 'class.XLSX', contentBase64: b64('this is not a zip file at all'), commit: true }),
        'BAD_REQUEST',
        'import.unreadable',
      )
      expect(await snapshotTables(t.db)).toEqual(before)
    })

    it('refuses a file over 512 KB (what fits the 1 MB request cap once encoded) and writes nothing', async () => {
      const before = await t.db
        .selectFrom('student')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
      const big = Buffer.alloc(512 * 1024 + 10, 0x41).toString('base64')
      await expectRefusal(me.caller.student.import({ fileName: 'big.csv', contentBase64: big, commit: true }), 'BAD_REQUEST')
      const after = await t.db
        .selectFrom('student')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
      expect(Number(after.n)).toBe(Number(before.n))
    })

    it('imports a real XLSX class list, with numbers and dates as Excel stores them', async () => {
      const p = unique('XL')
      const content = await xlsx([
        ['学号', '姓名', '性别', '出生日期', '年级', '班级', '监护人', '联系电话'],
        [`${p}-1`, '陈思思', '女', new Date(Date.UTC(2014, 8, 1)), '初一', '7班', '陈父', 13700002222],
        [`${p}-2`, 'Chen Er', 'M', '2014-10-02', 7, '7班', '', ''],
      ])
      const preview = await me.caller.student.import({ fileName: '初一7班.xlsx', contentBase64: content, commit: false })
      expect(preview.problems).toEqual([])
      expect(
        preview.sample.map(({ row, studentNo, sex, birthDate, grade, guardianPhone }) => ({
          row,
          studentNo,
          sex,
          birthDate,
          grade,
          guardianPhone,
        })),
      ).toEqual([
        { row: 2, studentNo: `${p}-1`, sex: 'F', birthDate: '2014-09-01', grade: 7, guardianPhone: '13700002222' },
        { row: 3, studentNo: `${p}-2`, sex: 'M', birthDate: '2014-10-02', grade: 7, guardianPhone: null },
      ])
      expect((await me.caller.student.import({ fileName: '初一7班.xlsx', contentBase64: content, commit: true })).committed).toBe(2)
      expect((await me.caller.student.list({ search: p })).rows.map((s) => s.name)).toEqual(['陈思思', 'Chen Er'])
    })

    it('lists XLSX problems with the row numbers the spreadsheet shows, even after a blank row', async () => {
      const p = unique('XB')
      const content = await xlsx([
        ['学号', '姓名', '性别', '年级', '班级'],
        [`${p}-1`, '甲', '女', 3, '1班'],
        [],
        [`${p}-3`, '乙', '不详', 3, '1班'],
      ])
      const preview = await me.caller.student.import({ fileName: 'x.xlsx', contentBase64: content, commit: false })
      expect(preview.problems).toEqual([{ row: 4, field: 'sex', code: 'sex' }])
    })

    it('reads XLSX cells with mixed formatting and formulas as the text they show', async () => {
      const p = unique('XF')
      const content = await xlsx([
        ['学号', '姓名', '性别', '年级', '班级'],
        [
          `${p}-1`,
          { richText: [{ text: '司马' }, { font: { bold: true }, text: '光' }] } as unknown as string,
          '男',
          4,
          { formula: '"2"&"班"', result: '2班' } as unknown as string,
        ],
      ])
      const preview = await me.caller.student.import({ fileName: 'x.xlsx', contentBase64: content, commit: false })
      expect(preview.problems).toEqual([])
      expect(preview.sample.map((s) => [s.name, s.className])).toEqual([['司马光', '2班']])
    })
  })

  describe('create, read and update', () => {
    it('adds a student whose details read back, encrypted at rest, and audits it without the name', async () => {
      const name = marker('name')
      const phone = '13' + String(Date.now()).slice(-9)
      let id = 0
      const rows = await auditedBy(t.db, async () => {
        id = await makeStudent(me.caller, { name, guardianName: `监护人${name}`, guardianPhone: phone })
      })
      expect(rows.map((r) => [r.action, r.entity_type, r.entity_id, r.school_id])).toEqual([
        ['student.create', 'student', String(id), schoolId],
      ])
      const shown = await colleague.caller.student.byId({ id })
      expect(shown).toMatchObject({ id, name, guardianName: `监护人${name}`, guardianPhone: phone, version: 1 })
      const raw = await dumpTables(t.db, ['student', 'audit_event'])
      expectNoMarkers(raw, [name, phone], 'student and audit tables')
    })

    it('refuses a student number the school already uses, changing nothing', async () => {
      const no = unique('DUP')
      await makeStudent(me.caller, { studentNo: no })
      const before = await countRows(t.db, 'student')
      await expectRefusal(me.caller.student.create(studentInput({ studentNo: no })), 'CONFLICT', 'student.numberTaken')
      expect(await countRows(t.db, 'student')).toBe(before)
    })

    it('lets two schools use the same student number', async () => {
      const no = unique('BOTH')
      await makeStudent(me.caller, { studentNo: no })
      await expect(makeStudent(stranger.caller, { studentNo: no })).resolves.toBeGreaterThan(0)
    })

    it('updates a student and bumps the version; a stale version gets a conflict and changes nothing', async () => {
      const id = await makeStudent(me.caller, { className: '1班' })
      const current = await me.caller.student.byId({ id })
      const updated = await me.caller.student.update({
        ...studentInput(),
        studentNo: current.studentNo,
        name: '改名后',
        className: '3班',
        id,
        version: 1,
      })
      expect(updated).toMatchObject({ name: '改名后', className: '3班', version: 2 })
      const before = await snapshotTables(t.db)
      await expectRefusal(
        colleague.caller.student.update({ ...studentInput(), studentNo: current.studentNo, name: '覆盖', id, version: 1 }),
        'CONFLICT',
        'conflict',
      )
      expect(await snapshotTables(t.db)).toEqual(before)
      expect((await me.caller.student.byId({ id })).name).toBe('改名后')
    })

    it('refuses to give a student a number another student of the school has', async () => {
      const a = unique('NA')
      await makeStudent(me.caller, { studentNo: a })
      const id = await makeStudent(me.caller)
      await expectRefusal(
        me.caller.student.update({ ...studentInput({ studentNo: a }), id, version: 1 }),
        'CONFLICT',
        'student.numberTaken',
      )
    })

    it("answers another school's student as not found, for reading and for updating", async () => {
      const id = await makeStudent(me.caller)
      const missing = await rejection(stranger.caller.student.byId({ id: 999_999 }))
      const foreign = await rejection(stranger.caller.student.byId({ id }))
      expect([foreign.code, foreign.message]).toEqual([missing.code, missing.message])
      expect(foreign.code).toBe('NOT_FOUND')
      const before = await snapshotTables(t.db)
      await expectRefusal(stranger.caller.student.update({ ...studentInput(), id, version: 1 }), 'NOT_FOUND', 'notFound')
      expect(await snapshotTables(t.db)).toEqual(before)
    })

    it('refuses bad input at the edge', async () => {
      await expectRefusal(me.caller.student.create(studentInput({ name: '名'.repeat(41) })), 'BAD_REQUEST')
      await expectRefusal(me.caller.student.create(studentInput({ studentNo: 'S 1' })), 'BAD_REQUEST')
      await expectRefusal(me.caller.student.create(studentInput({ grade: 13 })), 'BAD_REQUEST')
      await expectRefusal(me.caller.student.create(studentInput({ guardianPhone: 'call me' })), 'BAD_REQUEST')
    })

    it('keeps the roster away from school admins and the bureau', async () => {
      const admin = await makeSignedIn(t.db, 'school_admin', schoolId)
      const bureau = await makeSignedIn(t.db, 'bureau', null)
      for (const caller of [admin.caller, bureau.caller]) {
        await expectRefusal(caller.student.list({}), 'FORBIDDEN', 'forbidden')
        await expectRefusal(caller.student.create(studentInput()), 'FORBIDDEN', 'forbidden')
      }
    })
  })

  describe('list and search', () => {
    let school: number
    let c: Counsellor
    beforeAll(async () => {
      school = (await makeSchool(t.db, { type: 'junior' })).id
      c = await makeCounsellor(t.db, school)
      await makeStudent(c.caller, { studentNo: '2026-0101', name: '张 伟', grade: 7, className: '1班' })
      await makeStudent(c.caller, { studentNo: '2026-0102', name: '张伟伟', grade: 7, className: '2班' })
      await makeStudent(c.caller, { studentNo: '2026-0201', name: 'Zhang Wei', grade: 8, className: '1班' })
      await makeStudent(c.caller, { studentNo: '2025-0301', name: '李娜', grade: 9, className: '1班' })
    })

    it.each([
      { search: '2026-01', found: ['2026-0101', '2026-0102'] },
      { search: '2026', found: ['2026-0101', '2026-0102', '2026-0201'] },
      { search: '0101', found: [] },
      { search: '张伟', found: ['2026-0101', '2026-0102'] },
      { search: '张', found: ['2026-0101', '2026-0102'] },
      { search: '伟伟', found: ['2026-0102'] },
      { search: '张伟伟伟', found: [] },
      { search: 'zhang wei', found: ['2026-0201'] },
      { search: 'ZHANGWEI', found: ['2026-0201'] },
      { search: 'ｗｅｉ', found: ['2026-0201'] },
      { search: '李娜', found: ['2025-0301'] },
    ])('finds $found for "$search" (number prefix or part of the name)', async ({ search, found }) => {
      expect((await c.caller.student.list({ search })).rows.map((s) => s.studentNo)).toEqual(found)
    })

    it('filters by grade and class and pages the list', async () => {
      expect((await c.caller.student.list({ grade: 7 })).rows.map((s) => s.studentNo)).toEqual(['2026-0101', '2026-0102'])
      expect((await c.caller.student.list({ className: '1班' })).total).toBe(3)
      const page2 = await c.caller.student.list({ pageSize: 3, page: 2 })
      expect(page2).toMatchObject({ total: 4 })
      expect(page2.rows.map((s) => s.studentNo)).toEqual(['2025-0301'])
    })

    it('audits every list without the search text', async () => {
      const rows = await auditedBy(t.db, () => c.caller.student.list({ search: '李娜' }))
      expect(rows.map((r) => [r.action, r.outcome, r.school_id, r.detail])).toEqual([['student.list', 'ok', school, 'rows:1,search:1']])
      expect(JSON.stringify(rows)).not.toContain('李娜')
    })

    it("shows a counsellor only the own school's students", async () => {
      expect((await me.caller.student.list({ search: '2026-01' })).total).toBe(0)
    })
  })

  describe('promotion to the next school year', () => {
    it('moves every student up a grade and lets the last grade leave the roster', async () => {
      const school = (await makeSchool(t.db, { type: 'primary' })).id
      const c = await makeCounsellor(t.db, school)
      const g1 = await makeStudent(c.caller, { grade: 1 })
      const g5 = await makeStudent(c.caller, { grade: 5 })
      const g6 = await makeStudent(c.caller, { grade: 6 })
      const other = await makeStudent(me.caller, { grade: 3 })
      const rows = await auditedBy(t.db, async () => {
        expect(await c.caller.student.promote()).toEqual({ promoted: 2, left: 1 })
      })
      expect(rows.map((r) => [r.action, r.entity_type, r.entity_id, r.detail])).toEqual([
        ['student.promote', 'school', String(school), 'promoted:2,left:1'],
      ])
      expect((await c.caller.student.byId({ id: g1 })).grade).toBe(2)
      expect((await c.caller.student.byId({ id: g5 })).grade).toBe(6)
      expect((await c.caller.student.list({})).rows.map((s) => s.id).sort()).toEqual([g1, g5].sort())
      // the one who left keeps the file (still readable by id) at the grade of leaving
      expect((await c.caller.student.byId({ id: g6 })).grade).toBe(6)
      expect((await me.caller.student.byId({ id: other })).grade).toBe(3)
    })

    it("lets a junior school's grade 9 leave", async () => {
      const school = (await makeSchool(t.db, { type: 'junior' })).id
      const c = await makeCounsellor(t.db, school)
      await makeStudent(c.caller, { grade: 8 })
      await makeStudent(c.caller, { grade: 9 })
      expect(await c.caller.student.promote()).toEqual({ promoted: 1, left: 1 })
      expect((await c.caller.student.list({})).rows.map((s) => s.grade)).toEqual([9])
    })
  })
})
