import { describe, expect, it } from 'vitest'
import {
  addScriptNonce,
  contentSecurityPolicy,
  hostAllowed,
  mediaType,
  parseAllowedHosts,
  requestScheme,
} from '../../server/rules/http-edges'

describe('Host allow-list (XINQIAO_ALLOWED_HOSTS)', () => {
  const allowed = parseAllowedHosts(' Xinqiao.example.edu.cn , intranet.local:8443,, ')
  it('parses the setting', () => {
    expect(allowed).toEqual(['xinqiao.example.edu.cn', 'intranet.local:8443'])
    expect(parseAllowedHosts(undefined)).toEqual([])
  })
  it.each([
    { host: 'localhost:3000', ok: true },
    { host: '127.0.0.1', ok: true },
    { host: '[::1]:3600', ok: true },
    { host: undefined, ok: true },
    { host: 'xinqiao.example.edu.cn', ok: true },
    { host: 'xinqiao.example.edu.cn:8080', ok: true },
    { host: 'intranet.local:8443', ok: true },
    { host: 'intranet.local', ok: false },
    { host: 'evil.example', ok: false },
    { host: 'localhost.evil.example', ok: false },
    { host: 'xinqiao.example.edu.cn@evil.example', ok: false },
    { host: 'a b', ok: false },
  ])('$host → $ok', ({ host, ok }) => {
    expect(hostAllowed(host, allowed)).toBe(ok)
  })
  it('without the setting only loopback names are answered', () => {
    expect(hostAllowed('xinqiao.example.edu.cn', [])).toBe(false)
    expect(hostAllowed('localhost:3000', [])).toBe(true)
  })
})

describe('request scheme', () => {
  const base = { encrypted: false, forwardedProto: undefined, secureCookies: false, host: 'xinqiao.example.edu.cn' }
  it.each([
    { name: 'plain HTTP, insecure cookies', f: base, scheme: 'http' },
    { name: 'TLS socket', f: { ...base, encrypted: true }, scheme: 'https' },
    { name: 'trusted proxy says https', f: { ...base, forwardedProto: 'https' }, scheme: 'https' },
    { name: 'trusted proxy says http', f: { ...base, forwardedProto: 'http', secureCookies: true }, scheme: 'http' },
    { name: 'Secure cookies on a real name imply HTTPS', f: { ...base, secureCookies: true }, scheme: 'https' },
    {
      name: 'Secure cookies on localhost (npm start, e2e) stay HTTP',
      f: { ...base, secureCookies: true, host: 'localhost:3000' },
      scheme: 'http',
    },
  ] as const)('$name → $scheme', ({ f, scheme }) => {
    expect(requestScheme(f)).toBe(scheme)
  })
})

describe('media type', () => {
  it.each([
    ['application/json', 'application/json'],
    ['Application/JSON; charset=UTF-8', 'application/json'],
    ['text/plain', 'text/plain'],
    [undefined, null],
    ['', null],
  ])('%j → %j', (input, out) => {
    expect(mediaType(input)).toBe(out)
  })
})

describe('Content-Security-Policy', () => {
  const csp = contentSecurityPolicy('abc123==')
  it.each(["object-src 'none'", "frame-ancestors 'none'", "base-uri 'none'", "script-src 'self' 'nonce-abc123=='", "default-src 'self'"])(
    'has %s',
    (d) => {
      expect(csp.split('; ')).toContain(d)
    },
  )
  it('never allows inline or eval scripts', () => {
    const script = csp.split('; ').find((d) => d.startsWith('script-src'))!
    expect(script).not.toMatch(/unsafe-inline|unsafe-eval|\*/)
  })
  it('adds the nonce to every script tag once', () => {
    const html = '<script type="module" src="/_nuxt/a.js"></script><script>window.__NUXT__={}</script><SCRIPT nonce="x">1</SCRIPT><scripts>'
    expect(addScriptNonce(html, 'n1')).toBe(
      '<script nonce="n1" type="module" src="/_nuxt/a.js"></script><script nonce="n1">window.__NUXT__={}</script><SCRIPT nonce="x">1</SCRIPT><scripts>',
    )
  })
})
