/** Marks <html data-hydrated="true"> once the app is interactive; browser tests wait for it. */
export default defineNuxtPlugin((nuxtApp) => {
  nuxtApp.hook('app:suspense:resolve', () => {
    document.documentElement.dataset.hydrated = 'true'
  })
})
