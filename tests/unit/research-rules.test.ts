import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { createHmac } from 'node:crypto'
import { pseudonym, pseudonymiser } from '../../server/rules/pseudonym'
import { fixZipTimestamps } from '../../server/rules/zip-time'
import { EXPORT_EVENTS, EXPORT_STATES, nextExportState, projectState, type ExportEvent, type ExportState } from '../../shared/research'

describe('export request state machine', () => {
  // Every (state, event, actor) combination: anything not listed here is refused.
  const ALLOWED: Record<string, ExportState> = {
    'requested/approve/bureau': 'approved',
    'requested/return/bureau': 'returned',
    'requested/withdraw/researcher': 'withdrawn',
    'returned/resubmit/researcher': 'requested',
    'returned/withdraw/researcher': 'withdrawn',
  }
  const cases = EXPORT_STATES.flatMap((from) =>
    EXPORT_EVENTS.flatMap((event) => (['bureau', 'researcher'] as const).map((by) => ({ from, event, by }))),
  )
  it.each(cases)('$from --$event by $by', ({ from, event, by }) => {
    expect(nextExportState(from, event as ExportEvent, by)).toBe(ALLOWED[`${from}/${event}/${by}`] ?? null)
  })

  it('reaches approved only through a bureau decision on a request', () => {
    const into = cases.filter((c) => nextExportState(c.from, c.event, c.by) === 'approved')
    expect(into).toEqual([{ from: 'requested', event: 'approve', by: 'bureau' }])
  })

  it('never leaves approved or withdrawn', () => {
    for (const c of cases.filter((x) => x.from === 'approved' || x.from === 'withdrawn'))
      expect(nextExportState(c.from, c.event, c.by)).toBeNull()
  })
})

describe('project state', () => {
  it.each([
    [{ startsOn: '2026-03-01', endsOn: '2026-06-30', closedAt: null }, '2026-02-28', 'pending'],
    [{ startsOn: '2026-03-01', endsOn: '2026-06-30', closedAt: null }, '2026-03-01', 'active'],
    [{ startsOn: '2026-03-01', endsOn: '2026-06-30', closedAt: null }, '2026-06-30', 'active'],
    [{ startsOn: '2026-03-01', endsOn: '2026-06-30', closedAt: null }, '2026-07-01', 'ended'],
    [{ startsOn: '2026-03-01', endsOn: '2026-06-30', closedAt: '2026-04-01T00:00:00Z' }, '2026-04-02', 'ended'],
  ])('%j on %s is %s', (p, today, state) => expect(projectState(p, today)).toBe(state))
})

describe('per-project pseudonyms', () => {
  const keyA = Buffer.alloc(32, 1)
  const keyB = Buffer.alloc(32, 2)

  it('is HMAC-SHA256 of the id under the project key', () => {
    for (const [key, id] of [
      [keyA, 1],
      [keyB, 987_654],
      [Buffer.alloc(100, 3), 5],
    ] as const) {
      const mac = createHmac('sha256', key).update(`student:${id}`).digest()
      const bits = [...mac.subarray(0, 10)].map((b) => b.toString(2).padStart(8, '0')).join('')
      const expected = Array.from(
        { length: 16 },
        (_, i) => 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'[parseInt(bits.slice(i * 5, i * 5 + 5), 2)],
      ).join('')
      expect(pseudonym(key, 'student', id)).toBe(expected)
    }
  })

  it('is stable within a project and differs across projects', () => {
    expect(pseudonym(keyA, 'student', 42)).toBe(pseudonym(keyA, 'student', 42))
    expect(pseudonym(keyA, 'student', 42)).toMatch(/^[A-Z2-9]{16}$/)
    let same = 0
    for (let id = 1; id <= 10_000; id++) if (pseudonym(keyA, 'student', id) === pseudonym(keyB, 'student', id)) same++
    expect(same).toBe(0)
  })

  it('never collides over a million ids, and two projects share no pseudonym', () => {
    const a = pseudonymiser(keyA)
    const b = pseudonymiser(keyB)
    const seen = new Set<string>()
    for (let id = 1; id <= 1_000_000; id++) seen.add(a('student', id))
    expect(seen.size).toBe(1_000_000)
    let shared = 0
    for (let id = 1; id <= 100_000; id++) if (seen.has(b('student', id))) shared++
    expect(shared).toBe(0)
  }, 120_000)
})

describe('workbook timestamps', () => {
  async function book(): Promise<Buffer> {
    const b = new ExcelJS.Workbook()
    b.created = new Date(0)
    b.modified = new Date(0)
    b.addWorksheet('data').addRow(['a', 1])
    return Buffer.from(await b.xlsx.writeBuffer())
  }

  it('makes two workbooks written at different moments byte-identical and still readable', async () => {
    const first = fixZipTimestamps(await book())
    await new Promise((r) => setTimeout(r, 2100))
    const second = fixZipTimestamps(await book())
    expect(second.equals(first)).toBe(true)
    const read = new ExcelJS.Workbook()
    await read.xlsx.load(second as unknown as ArrayBuffer)
    expect(read.worksheets[0]!.getRow(1).values).toEqual([undefined, 'a', 1])
  })

  it('refuses something that is not a zip', () => {
    expect(() => fixZipTimestamps(Buffer.from('not a zip at all, just text padding it out'))).toThrow()
  })
})
