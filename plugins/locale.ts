export const LOCALE_COOKIE = 'xq_locale'

/** Applies the locale the user chose earlier (cookie); Chinese otherwise. */
export default defineNuxtPlugin({
  name: 'xq-locale',
  dependsOn: ['i18n:plugin'],
  async setup(nuxtApp) {
    const cookie = useCookie<string | null>(LOCALE_COOKIE, { sameSite: 'lax', maxAge: 60 * 60 * 24 * 365 })
    const i18n = nuxtApp.$i18n as { locale: { value: string }; setLocale: (l: 'zh-CN' | 'en') => Promise<void> }
    if (cookie.value === 'en' && i18n.locale.value !== 'en') await i18n.setLocale('en')
  },
})
