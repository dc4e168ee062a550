/** Requests that never render a page (API calls, build assets) need no SSR i18n context. */
export function needsI18nContext(path: string): boolean {
  return !(path.startsWith('/api/') || path.startsWith('/_nuxt/'))
}
