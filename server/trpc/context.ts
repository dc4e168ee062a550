import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import { deleteCookie, getCookie, getRequestHeader, getRequestIP, setCookie, type H3Event } from 'h3'
import type { Database } from '../../db/schema'
import { resolveSession, SESSION_COOKIE } from '../services/auth'
import type { Actor, ServiceContext, SessionCookieJar } from '../services/context'
import type { AppKeys } from '../services/keys'
import { useRuntime } from '../runtime'
import { defaultUploadDir } from '../services/file-store'

export interface InnerContextOptions {
  db: Kysely<Database>
  keys: AppKeys
  actor?: Actor | null
  requestId?: string
  ip?: string | null
  userAgent?: string | null
  now?: () => Date
  cookies?: SessionCookieJar
  uploadDir?: string
}

/** The context without HTTP: what tests and scripts build directly. */
export function createContextInner(opts: InnerContextOptions): ServiceContext {
  return {
    db: opts.db,
    keys: opts.keys,
    actor: opts.actor ?? null,
    requestId: opts.requestId ?? randomUUID(),
    ip: opts.ip ?? null,
    userAgent: opts.userAgent ?? null,
    now: opts.now ?? (() => new Date()),
    cookies: opts.cookies ?? { set: () => {}, clear: () => {} },
    uploadDir: opts.uploadDir ?? defaultUploadDir(),
  }
}

const secureCookies = process.env.NODE_ENV === 'production' && process.env.XINQIAO_INSECURE_COOKIES !== '1'

export function sessionCookieJar(event: H3Event): SessionCookieJar {
  return {
    set: (token, maxAge) => setCookie(event, SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: secureCookies, path: '/', maxAge }),
    clear: () => deleteCookie(event, SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: secureCookies, path: '/' }),
  }
}

export async function createContext(event: H3Event): Promise<ServiceContext> {
  const { handle, keys } = await useRuntime()
  const token = getCookie(event, SESSION_COOKIE)
  const now = new Date()
  const actor = token ? await resolveSession(handle.db, token, now) : null
  return createContextInner({
    db: handle.db,
    keys,
    actor,
    requestId: randomUUID(),
    ip: getRequestIP(event, { xForwardedFor: process.env.XINQIAO_TRUST_PROXY === '1' }) ?? null,
    userAgent: getRequestHeader(event, 'user-agent') ?? null,
    cookies: sessionCookieJar(event),
  })
}
