import { randomBytes } from 'node:crypto'
import { defineNitroPlugin } from 'nitropack/runtime'
import { removeResponseHeader, setResponseHeader } from 'h3'
import { addScriptNonce, contentSecurityPolicy } from '../rules/http-edges'

/**
 * Every rendered page gets a Content-Security-Policy with a fresh nonce: Nuxt's own inline scripts
 * (the payload and config) and its module scripts carry it, any other inline script is blocked.
 * The framework's `x-powered-by` advertisement is removed.
 */
export default defineNitroPlugin((nitro) => {
  nitro.hooks.hook('render:html', (html, { event }) => {
    const nonce = randomBytes(16).toString('base64')
    const add = (chunks: string[]) => chunks.map((c) => addScriptNonce(c, nonce))
    html.head = add(html.head)
    html.bodyPrepend = add(html.bodyPrepend)
    html.body = add(html.body)
    html.bodyAppend = add(html.bodyAppend)
    setResponseHeader(event, 'content-security-policy', contentSecurityPolicy(nonce))
  })
  nitro.hooks.hook('render:response', (response, { event }) => {
    if (response.headers) delete response.headers['x-powered-by']
    removeResponseHeader(event, 'x-powered-by')
  })
})
