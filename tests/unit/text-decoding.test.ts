import { describe, expect, it } from 'vitest'
import { decodeText, detectEncoding } from '../../server/rules/text-decoding'

// "学号,姓名\n1,黄佳怡" as Excel on Chinese Windows saves it (GBK bytes, written out by hand).
const gbk = Uint8Array.from([0xd1, 0xa7, 0xba, 0xc5, 0x2c, 0xd0, 0xd5, 0xc3, 0xfb, 0x0a, 0x31, 0x2c, 0xbb, 0xc6, 0xbc, 0xd1, 0xe2, 0xf9])
const text = '学号,姓名\n1,黄佳怡'
const utf8 = new TextEncoder().encode(text)
const withBom = (bom: number[], body: Uint8Array) => Uint8Array.from([...bom, ...body])
function utf16(s: string, littleEndian: boolean): Uint8Array {
  const out: number[] = []
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    out.push(...(littleEndian ? [c & 0xff, c >> 8] : [c >> 8, c & 0xff]))
  }
  return Uint8Array.from(out)
}

describe('import text decoding', () => {
  it.each([
    ['UTF-8 without a BOM', utf8, 'utf-8'],
    ['UTF-8 with a BOM (Excel "CSV UTF-8")', withBom([0xef, 0xbb, 0xbf], utf8), 'utf-8'],
    ['GBK from Excel on Chinese Windows', gbk, 'gb18030'],
    ['UTF-16LE with a BOM (Excel "Unicode text")', withBom([0xff, 0xfe], utf16(text, true)), 'utf-16le'],
    ['UTF-16BE with a BOM', withBom([0xfe, 0xff], utf16(text, false)), 'utf-16be'],
  ] as const)('%s', (_label, bytes, encoding) => {
    expect(detectEncoding(bytes)).toBe(encoding)
    expect(decodeText(bytes)).toBe(text)
  })

  it('reads plain ASCII as UTF-8', () => {
    expect(decodeText(new TextEncoder().encode('studentNo,name'))).toBe('studentNo,name')
  })
})
