import { describe, expect, it } from 'vitest'
import { MAX_IMPORT_ROWS, parseCsv, parseRoster } from '../../server/rules/roster-import'

const HEADER_ZH = ['学号', '姓名', '性别', '出生日期', '年级', '班级', '监护人', '监护人电话']
const none = new Set<string>()

/** A roster table with the Chinese header and the given rows. */
const table = (...rows: string[][]) => [HEADER_ZH, ...rows]
const row = (over: Partial<Record<'no' | 'name' | 'sex' | 'birth' | 'grade' | 'class' | 'guardian' | 'phone', string>> = {}) => [
  over.no ?? 'S001',
  over.name ?? '李小明',
  over.sex ?? '男',
  over.birth ?? '2014-09-01',
  over.grade ?? '初一',
  over.class ?? '3班',
  over.guardian ?? '李建国',
  over.phone ?? '13800138000',
]

describe('CSV reading', () => {
  it.each([
    {
      name: 'plain LF lines',
      text: 'a,b\n1,2\n',
      rows: [
        ['a', 'b'],
        ['1', '2'],
      ],
    },
    {
      name: 'CRLF lines',
      text: 'a,b\r\n1,2\r\n',
      rows: [
        ['a', 'b'],
        ['1', '2'],
      ],
    },
    {
      name: 'no newline at the end',
      text: 'a,b\r\n1,2',
      rows: [
        ['a', 'b'],
        ['1', '2'],
      ],
    },
    {
      name: 'a UTF-8 byte-order mark',
      text: '\uFEFF学号,姓名\r\nS1,王芳\r\n',
      rows: [
        ['学号', '姓名'],
        ['S1', '王芳'],
      ],
    },
    {
      name: 'a quoted comma',
      text: 'name,class\n"Wang, Fang",3班\n',
      rows: [
        ['name', 'class'],
        ['Wang, Fang', '3班'],
      ],
    },
    { name: 'doubled quotes inside quotes', text: 'a\n"say ""hi"""\n', rows: [['a'], ['say "hi"']] },
    {
      name: 'a newline inside quotes',
      text: 'a,b\n"line1\r\nline2",x\n',
      rows: [
        ['a', 'b'],
        ['line1\r\nline2', 'x'],
      ],
    },
    {
      name: 'empty fields',
      text: 'a,b,c\n,,\n1,,3\n',
      rows: [
        ['a', 'b', 'c'],
        ['', '', ''],
        ['1', '', '3'],
      ],
    },
    { name: 'old Mac CR lines', text: 'a\r1\r', rows: [['a'], ['1']] },
  ])('reads $name', ({ text, rows }) => {
    expect(parseCsv(text)).toEqual(rows)
  })
})

describe('class list parsing', () => {
  it('maps a Chinese header and turns every row into a student', () => {
    const parsed = parseRoster(
      table(row(), row({ no: 'S002', name: '王芳', sex: '女', birth: '', grade: '高三', guardian: '', phone: '' })),
      none,
    )
    expect(parsed.problems).toEqual([])
    expect(parsed.missingColumns).toEqual([])
    expect(parsed.rows).toEqual([
      {
        row: 2,
        value: {
          studentNo: 'S001',
          name: '李小明',
          sex: 'M',
          birthDate: '2014-09-01',
          grade: 7,
          className: '3班',
          guardianName: '李建国',
          guardianPhone: '13800138000',
        },
      },
      {
        row: 3,
        value: {
          studentNo: 'S002',
          name: '王芳',
          sex: 'F',
          birthDate: null,
          grade: 12,
          className: '3班',
          guardianName: null,
          guardianPhone: null,
        },
      },
    ])
  })

  it('maps English headers whatever their spacing and case, in any column order', () => {
    const parsed = parseRoster(
      [
        ['Class', ' Student No ', 'NAME', 'Gender', 'Date of Birth', 'Grade', 'Guardian Name', 'Guardian Phone'],
        ['Class 2', 'E-1', 'Li Ming', 'male', '2012/3/7', '5', 'Li Jian', '+86 138-0013-8000'],
      ],
      none,
    )
    expect(parsed.problems).toEqual([])
    expect(parsed.rows[0]!.value).toEqual({
      studentNo: 'E-1',
      name: 'Li Ming',
      sex: 'M',
      birthDate: '2012-03-07',
      grade: 5,
      className: 'Class 2',
      guardianName: 'Li Jian',
      guardianPhone: '+86 138-0013-8000',
    })
  })

  it('reads a BOM-prefixed CRLF file with quoted cells end to end', () => {
    const csv = '\uFEFF学号,姓名,性别,年级,班级\r\n"S-9","欧阳, 娜娜",女,初二,"1班"\r\n'
    const parsed = parseRoster(parseCsv(csv), none)
    expect(parsed.problems).toEqual([])
    expect(parsed.rows.map((r) => r.value)).toEqual([
      {
        studentNo: 'S-9',
        name: '欧阳, 娜娜',
        sex: 'F',
        birthDate: null,
        grade: 8,
        className: '1班',
        guardianName: null,
        guardianPhone: null,
      },
    ])
  })

  it.each([
    { name: 'no student number', header: ['姓名', '性别', '年级', '班级'], missing: ['studentNo'] },
    { name: 'no class', header: ['学号', '姓名', '性别', '年级'], missing: ['className'] },
    { name: 'nothing recognisable', header: ['foo', 'bar'], missing: ['studentNo', 'name', 'sex', 'grade', 'className'] },
    { name: 'an empty file', header: [], missing: ['studentNo', 'name', 'sex', 'grade', 'className'] },
  ])('names every missing required column: $name', ({ header, missing }) => {
    const parsed = parseRoster([header, ['x', 'y', 'z', 'w']], none)
    expect(parsed.missingColumns).toEqual(missing)
    expect(parsed.rows).toEqual([])
  })

  it('does not need the optional columns', () => {
    const parsed = parseRoster(
      [
        ['学号', '姓名', '性别', '年级', '班级'],
        ['S1', '张三', '男', '3', '2班'],
      ],
      none,
    )
    expect(parsed.missingColumns).toEqual([])
    expect(parsed.rows[0]!.value).toMatchObject({ birthDate: null, guardianName: null, guardianPhone: null })
  })

  it('lists every problem with the row number a spreadsheet shows', () => {
    const parsed = parseRoster(
      table(
        row({ no: 'A1' }), //                             row 2: fine
        row({ no: 'A2', sex: '未知' }), //                 row 3: bad sex
        row({ no: 'A3', grade: '初四' }), //               row 4: no such grade
        row({ no: 'A4', birth: '2015-02-30' }), //         row 5: no such date
        row({ no: 'A5' }), //                             row 6: fine
        row({ no: 'A5' }), //                             row 7: duplicate of row 6
        row({ no: 'OLD-1' }), //                          row 8: already in the school
        row({ no: 'A8', name: '名'.repeat(41) }), //      row 9: name too long
        ['', '', '', '', '', '', '', ''], //              row 10: blank, skipped
        row({ no: 'A10', name: '' }), //                  row 11: no name
        row({ no: 'A 11' }), //                           row 12: a space in the number
        row({ no: 'A12', grade: '13' }), //               row 13: grade out of range
        row({ no: 'A13', phone: '138-abc' }), //          row 14: letters in a phone
      ),
      new Set(['OLD-1']),
    )
    expect(parsed.problems).toEqual([
      { row: 3, field: 'sex', code: 'sex' },
      { row: 4, field: 'grade', code: 'grade' },
      { row: 5, field: 'birthDate', code: 'date' },
      { row: 7, field: 'studentNo', code: 'duplicateInFile' },
      { row: 8, field: 'studentNo', code: 'exists' },
      { row: 9, field: 'name', code: 'invalid' },
      { row: 11, field: 'name', code: 'required' },
      { row: 12, field: 'studentNo', code: 'invalid' },
      { row: 13, field: 'grade', code: 'invalid' },
      { row: 14, field: 'guardianPhone', code: 'invalid' },
    ])
    expect(parsed.rows.map((r) => r.row)).toEqual([2, 6])
  })

  it('lists several problems of one row separately', () => {
    const parsed = parseRoster(table(row({ sex: '?', grade: '?', birth: 'yesterday' })), none)
    expect(parsed.problems).toEqual([
      { row: 2, field: 'sex', code: 'sex' },
      { row: 2, field: 'grade', code: 'grade' },
      { row: 2, field: 'birthDate', code: 'date' },
    ])
    expect(parsed.rows).toEqual([])
  })

  it.each([
    ['幼儿园', 0],
    ['一年级', 1],
    ['三年级', 3],
    ['六年级', 6],
    ['初一', 7],
    ['七年级', 7],
    ['初二', 8],
    ['八年级', 8],
    ['初三', 9],
    ['九年级', 9],
    ['高一', 10],
    ['高二', 11],
    ['高三', 12],
    [' 高 三 ', 12],
    ['0', 0],
    ['5', 5],
    ['12', 12],
  ] as const)('reads the grade "%s" as %i', (word, grade) => {
    const parsed = parseRoster(table(row({ grade: word })), none)
    expect(parsed.problems).toEqual([])
    expect(parsed.rows[0]!.value.grade).toBe(grade)
  })

  it.each(['初四', '高四', '七', 'grade 7', '-1', '100'])('refuses the grade "%s"', (word) => {
    const parsed = parseRoster(table(row({ grade: word })), none)
    expect(parsed.problems.map((p) => p.field)).toEqual(['grade'])
  })

  it.each([
    ['2014-09-01', '2014-09-01'],
    ['2014/9/1', '2014-09-01'],
    ['2014.9.1', '2014-09-01'],
    ['2014年9月1日', '2014-09-01'],
    ['2016-02-29', '2016-02-29'],
  ])('reads the birth date "%s" as %s', (text, iso) => {
    expect(parseRoster(table(row({ birth: text })), none).rows[0]!.value.birthDate).toBe(iso)
  })

  it.each(['2015-02-29', '2014-13-01', '01/09/2014', '2014-9', 'soon'])('refuses the birth date "%s"', (text) => {
    expect(parseRoster(table(row({ birth: text })), none).problems).toEqual([{ row: 2, field: 'birthDate', code: 'date' }])
  })

  it.each([
    ['男', 'M'],
    ['女', 'F'],
    ['M', 'M'],
    ['f', 'F'],
    ['Female', 'F'],
    ['MALE', 'M'],
  ] as const)('reads the sex "%s" as %s', (text, sex) => {
    expect(parseRoster(table(row({ sex: text })), none).rows[0]!.value.sex).toBe(sex)
  })

  it('answers a file with a header and no rows as empty', () => {
    expect(parseRoster([HEADER_ZH, ['', '', '']], none).problems).toEqual([{ row: 2, field: null, code: 'empty' }])
  })

  it(`refuses more than ${MAX_IMPORT_ROWS} rows in one file`, () => {
    const many = Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, i) => row({ no: `N${i}` }))
    const parsed = parseRoster(table(...many), none)
    expect(parsed.rows).toEqual([])
    expect(parsed.problems).toEqual([{ row: MAX_IMPORT_ROWS + 2, field: null, code: 'tooManyRows' }])
  })
})
