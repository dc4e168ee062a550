import { randomUUID } from 'node:crypto'
import { deleteCookie, getCookie, getRequestHeader, getRequestIP, setCookie, type H3Event } from 'h3'
import { resolveRequestSession, SESSION_COOKIE } from '../services/auth'
import { DEVICE_COOKIE } from '../rules/device-cookie'
import { createContextInner, type ServiceContext, type SessionCookieJar } from '../services/context'
import { useRuntime } from '../runtime'

const secureCookies = process.env.NODE_ENV === 'production' && process.env.XINQIAO_INSECURE_COOKIES !== '1'

export function sessionCookieJar(event: H3Event): SessionCookieJar {
  return {
    set: (token, maxAge) =>
      setCookie(event, SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: secureCookies, path: '/', maxAge }),
    clear: () => deleteCookie(event, SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: secureCookies, path: '/' }),
    readDevice: () => getCookie(event, DEVICE_COOKIE),
    setDevice: (value, maxAge) =>
      setCookie(event, DEVICE_COOKIE, value, { httpOnly: true, sameSite: 'lax', secure: secureCookies, path: '/api/trpc', maxAge }),
  }
}

export async function createContext(event: H3Event): Promise<ServiceContext> {
  const { handle, keys, files } = await useRuntime()
  const token = getCookie(event, SESSION_COOKIE)
  const now = new Date()
  const { actor, pending } = token ? await resolveRequestSession(handle.db, token, now) : { actor: null, pending: null }
  return createContextInner({
    db: handle.db,
    keys,
    files,
    actor,
    pending,
    requestId: randomUUID(),
    ip: getRequestIP(event, { xForwardedFor: process.env.XINQIAO_TRUST_PROXY === '1' }) ?? null,
    userAgent: getRequestHeader(event, 'user-agent') ?? null,
    cookies: sessionCookieJar(event),
  })
}
