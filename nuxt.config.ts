import { fileURLToPath } from 'node:url'
import type { Nuxt } from '@nuxt/schema'

/**
 * Swaps @nuxtjs/i18n's Nitro plugin for a wrapper that skips API and asset requests
 * (server/patches/i18n-request-bypass.ts; upstream nuxt-modules/i18n#4144). Listed after the i18n
 * module so its `nitro:config` hook sees the plugin i18n registered.
 */
function i18nRequestBypass(_options: unknown, nuxt: Nuxt) {
  nuxt.hook('nitro:config', (config) => {
    const original = config.plugins?.find(
      (p): p is string => typeof p === 'string' && /@nuxtjs[\\/]i18n[\\/].*runtime[\\/]server[\\/]plugin/.test(p),
    )
    if (!original) throw new Error('i18nRequestBypass: @nuxtjs/i18n server plugin not found; remove the bypass if upstream changed')
    config.alias = { ...config.alias, '#xq-i18n-server-plugin': original }
    config.plugins = config.plugins!.map((p) =>
      p === original ? fileURLToPath(new URL('./server/patches/i18n-request-bypass.ts', import.meta.url)) : p,
    )
  })
}

// Every module here must work offline: no remote fonts, icons or CDNs (see ../shared/TOOLCHAIN.md).
export default defineNuxtConfig({
  compatibilityDate: '2026-11-01',
  srcDir: '.',
  devtools: { enabled: false },
  telemetry: false,
  modules: ['@pinia/nuxt', '@nuxtjs/i18n', i18nRequestBypass, '@element-plus/nuxt', '@nuxt/eslint'],
  // Without this, `nuxt build` succeeds and every page and tRPC call answers 500 (`#imports` not defined).
  build: { transpile: ['trpc-nuxt'] },
  typescript: { strict: true },
  css: ['~/assets/css/main.css'],
  app: {
    head: {
      htmlAttrs: { lang: 'zh-CN' },
      title: '心桥 Xinqiao',
      meta: [
        { name: 'viewport', content: 'width=device-width, initial-scale=1' },
        { name: 'description', content: '心桥：区教育局与学校的心理健康服务平台' },
      ],
      // The CSP forbids eval: zod must not probe for it (`new Function`) in the browser. This runs before
      // any module (it carries the page's nonce, server/plugins/security-headers.ts); zod reads this object.
      script: [{ innerHTML: 'globalThis.__zod_globalConfig={jitless:true}', tagPosition: 'head', tagPriority: 'critical' }],
    },
  },
  elementPlus: { importStyle: 'css' },
  i18n: {
    strategy: 'no_prefix',
    defaultLocale: 'zh-CN',
    locales: [
      { code: 'zh-CN', language: 'zh-CN', name: '简体中文', file: 'zh-CN.json' },
      { code: 'en', language: 'en', name: 'English', file: 'en.json' },
    ],
    // Chinese by default whatever the browser says; the user's choice is kept in a cookie.
    detectBrowserLanguage: false,
  },
  nitro: { compressPublicAssets: true },
  eslint: { config: { stylistic: false } },
})
