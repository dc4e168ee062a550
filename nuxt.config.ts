// Every module here must work offline: no remote fonts, icons or CDNs (see ../shared/TOOLCHAIN.md).
export default defineNuxtConfig({
  compatibilityDate: '2026-11-01',
  srcDir: '.',
  devtools: { enabled: false },
  telemetry: false,
  modules: ['@pinia/nuxt', '@nuxtjs/i18n', '@element-plus/nuxt', '@nuxt/eslint'],
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
