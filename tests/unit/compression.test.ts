import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { compress, isCompressibleType, negotiateEncoding } from '../../server/utils/compression'

describe('negotiateEncoding', () => {
  it.each([
    [undefined, null],
    ['', null],
    ['identity', null],
    ['gzip', 'gzip'],
    ['br', 'br'],
    ['gzip, deflate, br', 'br'],
    ['gzip, deflate, br, zstd', 'br'],
    ['br;q=0, gzip', 'gzip'],
    ['br;q=0, gzip;q=0', null],
    ['*', 'br'],
    ['*, br;q=0', 'gzip'],
    ['deflate', null],
    [' GZIP ; q=0.5 ', 'gzip'],
  ])('%s → %s', (header, expected) => {
    expect(negotiateEncoding(header)).toBe(expected)
  })
})

describe('isCompressibleType', () => {
  it.each([
    ['text/html;charset=utf-8', true],
    ['application/json', true],
    ['application/json; charset=utf-8', true],
    ['application/javascript', true],
    ['application/problem+json', true],
    ['image/svg+xml', true],
    ['text/csv', true],
    ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', false],
    ['application/zip', false],
    ['application/pdf', false],
    ['image/png', false],
    ['image/jpeg', false],
    [undefined, false],
  ])('%s → %s', (type, expected) => {
    expect(isCompressibleType(type)).toBe(expected)
  })
})

describe('compress', () => {
  it('round-trips with brotli and gzip', async () => {
    const body = Buffer.from(JSON.stringify({ rows: Array.from({ length: 200 }, (_, i) => ({ id: i, name: `学校${i}` })) }))
    const br = await compress(body, 'br')
    const gz = await compress(body, 'gzip')
    expect(br.length).toBeLessThan(body.length / 3)
    expect(brotliDecompressSync(br).equals(body)).toBe(true)
    expect(gunzipSync(gz).equals(body)).toBe(true)
  })
})
