import { describe, expect, it } from 'vitest'
import { checkCsrf, type CsrfRequest } from '../../server/trpc/csrf'

const SAME: CsrfRequest = {
  method: 'POST',
  host: 'xinqiao.example:3000',
  origin: 'http://xinqiao.example:3000',
  secFetchSite: 'same-origin',
  csrfHeader: '1',
  scheme: 'http',
}

describe('CSRF check on /api/trpc', () => {
  it.each([
    { name: 'a same-origin POST with the header', req: SAME, verdict: { ok: true } },
    {
      name: 'a POST without Origin (older browser, server-side fetch)',
      req: { ...SAME, origin: undefined, secFetchSite: undefined },
      verdict: { ok: true },
    },
    { name: 'a user-initiated request (Sec-Fetch-Site none)', req: { ...SAME, secFetchSite: 'none' }, verdict: { ok: true } },
    { name: 'a GET', req: { ...SAME, method: 'GET' }, verdict: { ok: false, status: 405, reason: 'method' } },
    { name: 'a PUT', req: { ...SAME, method: 'PUT' }, verdict: { ok: false, status: 405, reason: 'method' } },
    { name: 'a POST without the header', req: { ...SAME, csrfHeader: undefined }, verdict: { ok: false, status: 403, reason: 'header' } },
    {
      name: 'a POST with a wrong header value',
      req: { ...SAME, csrfHeader: 'true' },
      verdict: { ok: false, status: 403, reason: 'header' },
    },
    {
      name: 'a cross-origin Origin',
      req: { ...SAME, origin: 'https://evil.example', secFetchSite: undefined },
      verdict: { ok: false, status: 403, reason: 'origin' },
    },
    {
      name: 'an Origin on another port',
      req: { ...SAME, origin: 'http://xinqiao.example:4000', secFetchSite: undefined },
      verdict: { ok: false, status: 403, reason: 'origin' },
    },
    {
      name: 'an Origin with the same host over another scheme (probe finding)',
      req: { ...SAME, origin: 'https://xinqiao.example:3000', secFetchSite: undefined },
      verdict: { ok: false, status: 403, reason: 'origin' },
    },
    {
      name: 'a plain-HTTP Origin on a site served over HTTPS (probe finding)',
      req: { ...SAME, scheme: 'https' as const, origin: 'http://xinqiao.example:3000', secFetchSite: undefined },
      verdict: { ok: false, status: 403, reason: 'origin' },
    },
    {
      name: 'an HTTPS Origin on a site served over HTTPS',
      req: { ...SAME, scheme: 'https' as const, origin: 'https://xinqiao.example:3000' },
      verdict: { ok: true },
    },
    {
      name: 'a Host header in capitals',
      req: { ...SAME, host: 'XinQiao.Example:3000' },
      verdict: { ok: true },
    },
    {
      name: 'an opaque Origin (null)',
      req: { ...SAME, origin: 'null', secFetchSite: undefined },
      verdict: { ok: false, status: 403, reason: 'origin' },
    },
    {
      name: 'an Origin without a Host header',
      req: { ...SAME, host: undefined, secFetchSite: undefined },
      verdict: { ok: false, status: 403, reason: 'origin' },
    },
    {
      name: 'Sec-Fetch-Site cross-site',
      req: { ...SAME, secFetchSite: 'cross-site' },
      verdict: { ok: false, status: 403, reason: 'fetch-site' },
    },
    {
      name: 'Sec-Fetch-Site same-site (a sibling subdomain)',
      req: { ...SAME, secFetchSite: 'same-site' },
      verdict: { ok: false, status: 403, reason: 'fetch-site' },
    },
  ])('answers $name with $verdict', ({ req, verdict }) => {
    expect(checkCsrf(req)).toEqual(verdict)
  })
})
