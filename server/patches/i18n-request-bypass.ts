import type { NitroApp } from 'nitropack/types'
import { defineNitroPlugin } from 'nitropack/runtime'
import i18nServerPlugin from '#xq-i18n-server-plugin'
import { needsI18nContext } from '../rules/request-paths'

/**
 * @nuxtjs/i18n 10.6 builds its SSR context in a Nitro `request` hook for every request; that
 * clones the whole runtime config each time (nuxt-modules/i18n#4144, fix pending in #4145 for
 * /_nuxt only). API calls and build assets never render a page, so they skip it. Remove this
 * wrapper (and the module in nuxt.config.ts that swaps it in) once upstream skips such paths.
 */
type Hook = (...args: unknown[]) => unknown

export default defineNitroPlugin((nitro: NitroApp) => {
  const hooks = nitro.hooks
  const filtered = new Proxy(hooks, {
    get(target, prop, receiver) {
      if (prop === 'hook') {
        return (name: string, fn: Hook) =>
          target.hook(
            name as 'request',
            (name === 'request' ? (event: { path: string }) => (needsI18nContext(event.path) ? fn(event) : undefined) : fn) as never,
          )
      }
      const value = Reflect.get(target, prop, receiver)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
  return i18nServerPlugin(
    new Proxy(nitro, { get: (target, prop, receiver) => (prop === 'hooks' ? filtered : Reflect.get(target, prop, receiver)) }),
  )
})
