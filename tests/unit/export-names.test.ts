import { describe, expect, it } from 'vitest'
import { exportBaseName, exportSheetName, fileNamePart, MAX_SHEET_NAME } from '../../shared/exports'

describe('export file names', () => {
  it.each([
    ['staffing', ['2025-2026'], 'xinqiao-staffing-2025-2026'],
    ['staffing', ['2025-2026', '福田街道', '有专职缺口'], 'xinqiao-staffing-2025-2026-福田街道-有专职缺口'],
    ['staffing', ['2025-2026', 'Futian', 'Short of full-time staff'], 'xinqiao-staffing-2025-2026-Futian-Short_of_full-time_staff'],
    ['schoolList', ['2025-2026', 'a/b:c*d?"e"<f>|g'], 'xinqiao-schoolList-2025-2026-abcdefg'],
    ['caseStats', ['', '  ', '2026-11-03'], 'xinqiao-caseStats-2026-11-03'],
    ['auditLog', [], 'xinqiao-auditLog'],
  ])('%s with %j is named %s', (table, parts, expected) => {
    expect(exportBaseName(table, parts)).toBe(expected)
  })

  it('drops control characters and cuts a very long name', () => {
    expect(fileNamePart('a\u0000b\tc\nd  e')).toBe('abcd_e')
    expect(exportBaseName('auditLog', ['x'.repeat(400)]).length).toBe(150)
  })
})

describe('export sheet names', () => {
  it.each([
    ['心理教师配备', [], '心理教师配备'],
    ['心理教师配备', ['福田街道', '小学'], '心理教师配备 · 福田街道 · 小学'],
    // too long with the table: the filters alone (the file name already names the table)
    ['Staffing', ['Futian', 'Short of full-time'], 'Futian · Short of full-time'],
    // too long even so: cut, and says so
    ['Audit log', ['school1.counsellor', 'Cases (all)', 'Case note'], 'school1.counsellor · Cases (al…'],
    // characters Excel refuses in a sheet name
    ['Rooms', ['a/b', '[c]', 'd:e'], 'Rooms · a b · c · d e'],
  ])('%s with %j is %s', (sheet, filters, expected) => {
    const name = exportSheetName(sheet, filters)
    expect(name).toBe(expected)
    expect(name.length).toBeLessThanOrEqual(MAX_SHEET_NAME)
  })
})
