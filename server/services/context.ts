import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema'
import type { Role } from '../../shared/roles'
import type { AppKeys } from './keys'
import type { Scope } from '../repositories/scope'
import { AppError } from './errors'
import { defaultUploadDir, localFileStore, type FileStore } from './file-store'

export type { Scope }

export interface Actor {
  accountId: number
  sessionId: number
  username: string
  displayName: string
  role: Role
  schoolId: number | null
  mustChangePassword: boolean
  scope: Scope
}

/**
 * A sign-in whose password was right but whose second factor is still to come (or to be enrolled):
 * it is not an actor and opens nothing but the second step (server/services/mfa.ts).
 */
export interface PendingSignIn {
  sessionId: number
  accountId: number
  username: string
  role: Role
  schoolId: number | null
  factor: 'totp' | 'enrol'
}

export interface SessionCookieJar {
  set: (token: string, maxAgeSeconds: number) => void
  clear: () => void
  /** the signed device cookie (server/rules/device-cookie.ts): read at sign-in, set after a successful one */
  readDevice?: () => string | undefined
  setDevice?: (value: string, maxAgeSeconds: number) => void
}

export interface ServiceContext {
  db: Kysely<Database>
  keys: AppKeys
  actor: Actor | null
  /** set instead of `actor` while a sign-in waits for its second factor */
  pending?: PendingSignIn | null
  requestId: string
  ip: string | null
  userAgent: string | null
  now: () => Date
  cookies: SessionCookieJar
  /** where stored files (evidence attachments, ethics approvals, export files) are kept */
  files: FileStore
}

/** Seeds, maintenance scripts and initial accounts act as this system actor; its audit rows carry actor id 0. */
export const SYSTEM_ACTOR: Actor = {
  accountId: 0,
  sessionId: 0,
  username: 'system',
  displayName: 'system',
  role: 'admin',
  schoolId: null,
  mustChangePassword: false,
  scope: { kind: 'all' },
}

export interface InnerContextOptions {
  db: Kysely<Database>
  keys: AppKeys
  actor?: Actor | null
  pending?: PendingSignIn | null
  requestId?: string
  ip?: string | null
  userAgent?: string | null
  now?: () => Date
  cookies?: SessionCookieJar
  /** a local uploads folder (tests, scripts); ignored when `files` is given */
  uploadDir?: string
  files?: FileStore
}

/** The context without HTTP: what the HTTP context, tests, scripts and demo seeding build on. */
export function createContextInner(opts: InnerContextOptions): ServiceContext {
  return {
    db: opts.db,
    keys: opts.keys,
    actor: opts.actor ?? null,
    pending: opts.pending ?? null,
    requestId: opts.requestId ?? randomUUID(),
    ip: opts.ip ?? null,
    userAgent: opts.userAgent ?? null,
    now: opts.now ?? (() => new Date()),
    cookies: opts.cookies ?? { set: () => {}, clear: () => {} },
    files: opts.files ?? localFileStore(opts.uploadDir ?? defaultUploadDir()),
  }
}

export function scopeFor(role: Role, schoolId: number | null): Scope {
  if (role === 'admin' || role === 'bureau') return { kind: 'all' }
  if ((role === 'school_admin' || role === 'counsellor') && schoolId != null) return { kind: 'school', schoolId }
  return { kind: 'none' }
}

export function requireActor(ctx: ServiceContext): Actor {
  if (!ctx.actor) throw new AppError('UNAUTHORIZED', 'unauthenticated')
  return ctx.actor
}

/** The account a row's `*_by` column names: none for the system actor (seeding, maintenance scripts), which has no account row. */
export function accountRef(actor: Actor): number | null {
  return actor.accountId > 0 ? actor.accountId : null
}

export function nowIso(ctx: Pick<ServiceContext, 'now'>): string {
  return ctx.now().toISOString()
}

/** Runs `fn` in a transaction, joining the caller's when there is one (seeding runs in one). */
export function withTransaction<T>(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn)
}
