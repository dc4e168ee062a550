import { createHash } from 'node:crypto'
import { Socket } from 'node:net'
import { promisify } from 'node:util'
import { brotliCompress, constants, gzip } from 'node:zlib'
import type { H3Event } from 'h3'

/**
 * Compression of dynamic responses (server-rendered HTML, tRPC JSON, the i18n messages): static
 * assets are precompressed at build time (`nitro.compressPublicAssets`) and never reach this.
 *
 * Brotli at quality 5 when the client accepts it, else gzip at level 6 (measured on the zh-CN messages,
 * 59 KB: br 5 19.7 KB, br 4 22.4 KB, gzip 6 21.7 KB; on the login page, 9.5 KB: br 5 2.4 KB, gzip 2.8 KB);
 * asynchronous (zlib's thread pool), so a large page does not block the event loop. The i18n messages
 * are the same for every request of a build: their compressed bytes are kept (at brotli's best
 * quality), keyed by the body's hash, so they are compressed once per process. Skipped:
 * bodies under MIN_BYTES (the headers would outweigh the saving), types that are already compressed or
 * not text (xlsx, zip, images, pdf), file downloads (Content-Disposition: they stay byte-identical on
 * the wire), streams, HEAD, 1xx/204/304, and Nitro's in-process requests made during SSR (their
 * caller reads the body as it is, without decoding).
 */
export const MIN_BYTES = 1024

const COMPRESSIBLE = /^(?:text\/|application\/(?:json|javascript|xml|[\w.+-]*\+(?:json|xml))|image\/svg\+xml)/i

const brotli = promisify(brotliCompress)
const gz = promisify(gzip)

export type Coding = 'br' | 'gzip'

/** The coding to use for an Accept-Encoding header: brotli, else gzip, honouring q=0 and `*`. */
export function negotiateEncoding(header: string | undefined): Coding | null {
  if (!header) return null
  const q = new Map<string, number>()
  for (const part of header.split(',')) {
    const [rawName, ...params] = part.toLowerCase().split(';')
    const name = rawName?.trim()
    if (!name) continue
    const qp = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
    const value = qp ? Number(qp.slice(2)) : 1
    q.set(name, Number.isFinite(value) ? value : 0)
  }
  const accepts = (coding: Coding) => (q.has(coding) ? q.get(coding)! > 0 : (q.get('*') ?? 0) > 0)
  if (accepts('br')) return 'br'
  if (accepts('gzip')) return 'gzip'
  return null
}

export function isCompressibleType(contentType: string | undefined): boolean {
  return contentType != null && COMPRESSIBLE.test(contentType)
}

export async function compress(bytes: Buffer, coding: Coding, quality = 5): Promise<Buffer> {
  return coding === 'br'
    ? brotli(bytes, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: quality,
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
        },
      })
    : gz(bytes, { level: 6 })
}

/** Compressed i18n messages by content hash and coding (a few locales × two codings per build). */
const staticCache = new Map<string, Promise<Buffer>>()
const STATIC_CACHE_MAX = 16

function compressStatic(bytes: Buffer, coding: Coding): Promise<Buffer> {
  const key = `${coding}:${createHash('sha256').update(bytes).digest('base64url')}`
  let hit = staticCache.get(key)
  if (!hit) {
    if (staticCache.size >= STATIC_CACHE_MAX) staticCache.delete(staticCache.keys().next().value!)
    hit = compress(bytes, coding, 11)
    hit.catch(() => staticCache.delete(key))
    staticCache.set(key, hit)
  }
  return hit
}

function addVary(event: H3Event): void {
  const res = event.node.res
  const current = res.getHeader('vary')
  const list = (Array.isArray(current) ? current.join(',') : current == null ? '' : String(current))
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean)
  if (list.includes('*') || list.some((v) => v.toLowerCase() === 'accept-encoding')) return
  res.setHeader('vary', [...list, 'Accept-Encoding'].join(', '))
}

/**
 * Nitro `beforeResponse` hook: replaces `response.body` with its compressed bytes when the request
 * allows it. h3 then sends the Buffer as is; the content type is set here for bodies h3 would have typed.
 */
export async function compressResponse(event: H3Event, response: { body?: unknown }): Promise<void> {
  const req = event.node.req
  const res = event.node.res
  if (res.headersSent || req.method === 'HEAD') return
  // In-process requests (SSR's internal API calls) run on a mock socket; their caller does not decode.
  if (!(req.socket instanceof Socket)) return
  const status = res.statusCode
  if (status < 200 || status === 204 || status === 304) return
  if (res.getHeader('content-encoding') || res.getHeader('content-disposition')) return

  const body = response.body
  let bytes: Buffer
  let defaultType: string | undefined
  if (typeof body === 'string') {
    bytes = Buffer.from(body, 'utf8')
    defaultType = 'text/html'
  } else if (Buffer.isBuffer(body) || body instanceof Uint8Array) {
    bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  } else if (
    body !== null &&
    typeof body === 'object' &&
    (Array.isArray(body) || Object.getPrototypeOf(body) === Object.prototype) &&
    typeof (body as { pipe?: unknown }).pipe !== 'function'
  ) {
    bytes = Buffer.from(JSON.stringify(body), 'utf8')
    defaultType = 'application/json'
  } else {
    return
  }
  const type = (res.getHeader('content-type') as string | undefined) ?? defaultType
  if (!isCompressibleType(type) || bytes.length < MIN_BYTES) return

  addVary(event)
  const header = req.headers['accept-encoding']
  const coding = negotiateEncoding(Array.isArray(header) ? header.join(',') : header)
  if (!coding) return
  const out = event.path.startsWith('/_i18n/') ? await compressStatic(bytes, coding) : await compress(bytes, coding)
  if (out.length >= bytes.length) return
  if (!res.getHeader('content-type') && type) res.setHeader('content-type', type.includes('charset') ? type : `${type}; charset=utf-8`)
  res.setHeader('content-encoding', coding)
  res.removeHeader('content-length')
  const etag = res.getHeader('etag')
  if (typeof etag === 'string' && !etag.startsWith('W/')) res.setHeader('etag', `W/${etag}`)
  response.body = out
}
