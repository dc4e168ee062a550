// https://nuxt.com/docs/api/configuration/nuxt-config
export default defineNuxtConfig({
  compatibilityDate: '2026-11-01',
  srcDir: '.',
  devtools: { enabled: false },
  telemetry: false,
  modules: ['@pinia/nuxt', '@nuxtjs/i18n', '@element-plus/nuxt', '@nuxt/eslint'],
  build: { transpile: ['trpc-nuxt'] },
  typescript: { strict: true },
})
