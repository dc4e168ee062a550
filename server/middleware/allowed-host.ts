import { defineEventHandler, getRequestHeader, setResponseHeader, setResponseStatus } from 'h3'
import { hostAllowed, parseAllowedHosts } from '../rules/http-edges'

const allowed = parseAllowedHosts(process.env.XINQIAO_ALLOWED_HOSTS)

/**
 * Answers only to the names it is deployed under (XINQIAO_ALLOWED_HOSTS, plus loopback): a request for
 * another Host (DNS rebinding, a poisoned link or reset mail built from the Host header) is refused
 * before anything else runs.
 */
export default defineEventHandler((event) => {
  if (hostAllowed(getRequestHeader(event, 'host'), allowed)) return
  setResponseStatus(event, 421)
  setResponseHeader(event, 'cache-control', 'no-store')
  setResponseHeader(event, 'content-type', 'application/json')
  return { error: { code: 'MISDIRECTED_REQUEST', data: { appCode: 'host' } } }
})
