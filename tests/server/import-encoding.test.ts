import { beforeAll, describe, expect, it } from 'vitest'
import { targets, useTestDatabase } from '../fixtures/db'
import { makeSchool, unique } from '../fixtures/factories'
import { makeCounsellor, type Counsellor } from '../fixtures/cases'

/** Encodes text as GBK, the code page Excel on Chinese Windows saves "CSV" in (a table built from the platform's decoder). */
function gbk(text: string): Buffer {
  const decoder = new TextDecoder('gb18030')
  const table = new Map<string, number[]>()
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue
      const ch = decoder.decode(Uint8Array.from([lead, trail]))
      if (ch.length === 1 && !table.has(ch)) table.set(ch, [lead, trail])
    }
  }
  const out: number[] = []
  for (const ch of text) {
    const code = ch.charCodeAt(0)
    if (code < 0x80) out.push(code)
    else {
      const bytes = table.get(ch)
      if (!bytes) throw new Error(`no GBK code for ${ch}`)
      out.push(...bytes)
    }
  }
  return Buffer.from(out)
}

describe.each(targets)('imports read what Chinese offices save, on $name', (target) => {
  const t = useTestDatabase(target)
  let me: Counsellor

  beforeAll(async () => {
    me = await makeCounsellor(t.db, (await makeSchool(t.db, { type: 'primary' })).id)
  })

  it('reads a GBK class list from Excel on Chinese Windows as Chinese, not mojibake', async () => {
    const p = unique('GBK')
    const csv = `学号,姓名,性别,出生日期,年级,班级,监护人,监护人电话\r\n${p}-1,黄佳怡,女,2015-03-07,三年级,1班,黄伟,13900001111\r\n`
    const preview = await me.caller.student.import({ fileName: '三年级1班.csv', contentBase64: gbk(csv).toString('base64'), commit: false })
    expect(preview).toMatchObject({ missingColumns: [], problems: [], valid: 1 })
    expect(JSON.stringify(preview.sample)).toContain('黄佳怡')
  })

  it('still reads UTF-8 with and without a BOM', async () => {
    for (const bom of ['', '\uFEFF']) {
      const p = unique('U8')
      const csv = `${bom}学号,姓名,性别,出生日期,年级,班级,监护人,监护人电话\r\n${p}-1,王小明,男,,3,1班,,\r\n`
      const preview = await me.caller.student.import({
        fileName: 'c.csv',
        contentBase64: Buffer.from(csv).toString('base64'),
        commit: false,
      })
      expect(preview).toMatchObject({ missingColumns: [], problems: [], valid: 1 })
      expect(JSON.stringify(preview.sample)).toContain('王小明')
    }
  })
})
