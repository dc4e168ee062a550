import { defineNitroPlugin } from 'nitropack/runtime'
import { compressResponse } from '../utils/compression'

/** Every dynamic response (SSR HTML, tRPC JSON, i18n messages) is compressed when the client accepts it. */
export default defineNitroPlugin((nitro) => {
  nitro.hooks.hook('beforeResponse', (event, response) => compressResponse(event, response))
})
