import { expect, type APIRequestContext, type APIResponse } from '@playwright/test'
import { DEMO_PASSWORD } from './accounts'

export const CSRF_HEADER = 'x-xinqiao-csrf'
/** What the app's own tRPC client sends on every call. */
export const CSRF_HEADERS: Readonly<Record<string, string>> = { [CSRF_HEADER]: '1', 'content-type': 'application/json' }

export interface TrpcError {
  code: number
  message: string
  data: {
    code: string
    httpStatus: number
    path?: string
    appCode: string
    params: Record<string, unknown>
    fieldIssues: { path: string; code: string }[]
  }
}

/**
 * One non-batched tRPC call the way the app makes it (POST, CSRF header; queries use method override).
 * Returns the raw response so a test can check status and headers; see `trpcData` for the payload.
 */
export function trpcCall(
  request: APIRequestContext,
  path: string,
  input?: unknown,
  headers: Record<string, string> = {},
): Promise<APIResponse> {
  return request.post(`/api/trpc/${path}`, { headers: { ...CSRF_HEADERS, ...headers }, data: JSON.stringify(input ?? {}), maxRedirects: 0 })
}

/** Calls a procedure, expects 200 and returns its data. */
export async function trpcData<T = unknown>(request: APIRequestContext, path: string, input?: unknown): Promise<T> {
  const res = await trpcCall(request, path, input)
  const body = await res.text()
  expect(res.status(), `${path} answered ${res.status()}: ${body.slice(0, 300)}`).toBe(200)
  return (JSON.parse(body) as { result: { data: T } }).result.data
}

/** Calls a procedure that must fail and returns the formatted tRPC error. */
export async function trpcError(request: APIRequestContext, path: string, input?: unknown): Promise<TrpcError & { status: number }> {
  const res = await trpcCall(request, path, input)
  const json = (await res.json()) as { error: TrpcError }
  expect(json.error, `${path} was expected to fail`).toBeTruthy()
  return { ...json.error, status: res.status() }
}

/**
 * Signs in over the API; the request context keeps the session cookie for later calls
 * (Playwright sends the `Secure` cookie to http://localhost, as Chromium does).
 */
export async function apiLogin(request: APIRequestContext, username: string, password: string = DEMO_PASSWORD) {
  return trpcData<{ role: string; landing: string; mustChangePassword: boolean }>(request, 'auth.login', { username, password })
}

export function apiLogout(request: APIRequestContext) {
  return trpcData(request, 'auth.logout')
}
