/**
 * Pure rules for the edges of HTTP: which Host names the server answers to, which scheme a request
 * arrived over, which Content-Type an endpoint accepts, and the pages' Content-Security-Policy.
 */

/** Host names always accepted: the machine itself (health checks, a workstation's `npm start`). */
export const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'] as const

/** `XINQIAO_ALLOWED_HOSTS` as a list: comma-separated names, each `name` (any port) or `name:port`; lower-cased. */
export function parseAllowedHosts(setting: string | undefined): string[] {
  return (setting ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h.length > 0)
}

/** Splits a Host header into name and port (`[::1]:3000` → `[::1]`, `3000`); null when it is not a plain host. */
export function splitHost(host: string): { name: string; port: string | null } | null {
  const m = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/i.exec(host.trim())
  if (!m) return null
  return { name: m[1]!.toLowerCase(), port: m[2] ?? null }
}

/**
 * Whether a request's Host header is one this server answers to: a loopback name, or a name of the
 * allow-list (with or without its port). A request without a Host header (HTTP/1.0, Nitro's in-process
 * SSR calls) cannot come from a browser on another site and passes; an unparsable one never does.
 */
export function hostAllowed(host: string | undefined, allowed: readonly string[]): boolean {
  if (host == null || host === '') return true
  const h = splitHost(host)
  if (!h) return false
  if ((LOOPBACK_HOSTS as readonly string[]).includes(h.name)) return true
  return allowed.some((entry) => {
    const e = splitHost(entry)
    return !!e && e.name === h.name && (e.port == null || e.port === h.port)
  })
}

export interface SchemeFacts {
  /** the connection itself is TLS */
  encrypted: boolean
  /** X-Forwarded-Proto, read only when the proxy is trusted (XINQIAO_TRUST_PROXY=1) */
  forwardedProto: string | undefined
  /** Secure cookies are on (production without XINQIAO_INSECURE_COOKIES=1) */
  secureCookies: boolean
  host: string | undefined
}

/**
 * The scheme the browser used to reach us. TLS on the socket or a trusted proxy's X-Forwarded-Proto
 * say so directly. Otherwise, with Secure cookies on a name other than loopback, the site can only
 * work over HTTPS (browsers drop Secure cookies over plain HTTP except on localhost), so it is HTTPS
 * behind a proxy that did not say so; else plain HTTP.
 */
export function requestScheme(f: SchemeFacts): 'http' | 'https' {
  if (f.encrypted) return 'https'
  const proto = f.forwardedProto?.split(',')[0]?.trim().toLowerCase()
  if (proto === 'https' || proto === 'http') return proto
  const name = f.host ? splitHost(f.host)?.name : undefined
  if (f.secureCookies && name && !(LOOPBACK_HOSTS as readonly string[]).includes(name)) return 'https'
  return 'http'
}

/** The media type of a Content-Type header, lower-cased, without parameters (`application/json; charset=utf-8` → `application/json`). */
export function mediaType(contentType: string | undefined): string | null {
  const t = contentType?.split(';')[0]?.trim().toLowerCase()
  return t ? t : null
}

/** A random nonce per page (base64 of 16 random bytes). */
export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    // Vue and Element Plus set style attributes on elements; styles cannot run code
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ')
}

/** Adds the nonce to every `<script` tag of a rendered HTML chunk that has none yet. */
export function addScriptNonce(html: string, nonce: string): string {
  return html.replace(/<script\b(?![^>]*\bnonce=)/gi, `<script nonce="${nonce}"`)
}
