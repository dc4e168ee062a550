import { defineEventHandler, getCookie, setResponseHeader } from 'h3'
import { SESSION_COOKIE } from '../services/auth'

/** Pages rendered for a signed-in user carry their data: never cache them anywhere. */
export default defineEventHandler((event) => {
  if (event.path.startsWith('/_nuxt/')) return
  if (getCookie(event, SESSION_COOKIE)) setResponseHeader(event, 'cache-control', 'no-store')
  setResponseHeader(event, 'x-content-type-options', 'nosniff')
  setResponseHeader(event, 'referrer-policy', 'same-origin')
  setResponseHeader(event, 'x-frame-options', 'DENY')
})
