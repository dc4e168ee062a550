import { describe, expect, it } from 'vitest'
import { needsI18nContext } from '../../server/rules/request-paths'

describe('which requests build the SSR i18n context', () => {
  it.each([
    ['/', true],
    ['/login', true],
    ['/bureau/schools/5', true],
    ['/_i18n/abc/zh-CN/messages.json', true],
    ['/api/trpc/auth.ping', false],
    ['/api/health', false],
    ['/_nuxt/entry.js', false],
    ['/apiary', true],
  ])('%s → %s', (path, expected) => {
    expect(needsI18nContext(path)).toBe(expected)
  })
})
