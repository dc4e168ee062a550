import { afterEach, describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import { parseStored } from '../../server/services/stored-json'

const list = z.array(z.enum(['a', 'b']))

describe('parseStored', () => {
  afterEach(() => vi.restoreAllMocks())
  it.each([
    ['a valid value', '["a","b"]', ['a', 'b']],
    ['null', null, []],
    ['not JSON', '["a",', []],
    ['a value outside the schema', '["a","zz"]', []],
    ['the wrong shape', '{"a":1}', []],
  ])('%s', (_label, text, expected) => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    expect(parseStored(list, text, [], 'case.categories')).toEqual(expected)
    for (const call of warn.mock.calls) expect(String(call[0])).not.toContain('zz')
  })
})
