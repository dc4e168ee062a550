import { describe, expect, it } from 'vitest'
import en from '../../i18n/locales/en.json'
import zhCN from '../../i18n/locales/zh-CN.json'
import { AUDIT_ACTIONS, AUDIT_ENTITIES } from '../../shared/audit'

const LOCALES = { 'zh-CN': zhCN, en } as const

/** The message at a dotted key path, as vue-i18n resolves it. */
function message(messages: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (node, key) => (node != null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined),
      messages,
    )
}

/** Every leaf key path under `node`. */
function leaves(node: unknown, prefix = ''): string[] {
  if (node == null || typeof node !== 'object') return [prefix]
  return Object.entries(node).flatMap(([key, value]) => leaves(value, prefix ? `${prefix}.${key}` : key))
}

describe('the audit vocabulary', () => {
  it('lists each action and entity once', () => {
    expect(new Set(AUDIT_ACTIONS).size).toBe(AUDIT_ACTIONS.length)
    expect(new Set(AUDIT_ENTITIES).size).toBe(AUDIT_ENTITIES.length)
  })

  describe.each(Object.entries(LOCALES))('in %s', (_locale, messages) => {
    it('labels every action', () => {
      const missing = AUDIT_ACTIONS.filter((a) => typeof message(messages, `audit.actions.${a}`) !== 'string')
      expect(missing).toEqual([])
    })
    it('labels every entity', () => {
      const missing = AUDIT_ENTITIES.filter((e) => typeof message(messages, `audit.entities.${e}`) !== 'string')
      expect(missing).toEqual([])
    })
    it('has no label for an action or entity the server does not write', () => {
      expect(leaves(message(messages, 'audit.actions')).filter((a) => !(AUDIT_ACTIONS as readonly string[]).includes(a))).toEqual([])
      expect(leaves(message(messages, 'audit.entities')).filter((e) => !(AUDIT_ENTITIES as readonly string[]).includes(e))).toEqual([])
    })
  })
})
