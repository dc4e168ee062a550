import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import pg from 'pg'
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type SqliteDatabase,
  type SqliteDialectConfig,
} from 'kysely'
import type { Database } from './schema'

export type DbKind = 'sqlite' | 'postgres'

export interface DbHandle {
  db: Kysely<Database>
  kind: DbKind
  /** where the data lives: a file path for SQLite, the URL without credentials for PostgreSQL */
  location: string
  close: () => Promise<void>
}

/**
 * Kysely starts SQLite transactions with a deferred `begin`, which fails with SQLITE_BUSY when two
 * processes upgrade their read locks to write at once (measured in TOOLCHAIN.md). `begin immediate`
 * takes the write lock up front, so concurrent writers wait on busy_timeout instead of failing.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'))
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig
  constructor(config: SqliteDialectConfig) {
    super(config)
    this.#config = config
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config)
  }
}

export function dataDir(): string {
  return resolve(process.env.XINQIAO_DATA_DIR || './data')
}

// A template-literal guard: `url is string` would narrow the non-PostgreSQL branch to `undefined`.
export function isPostgresUrl(url: string | undefined): url is `postgres://${string}` | `postgresql://${string}` {
  return !!url && /^postgres(ql)?:\/\//.test(url)
}

export interface OpenOptions {
  /** `postgres://…`, a SQLite file path, or `:memory:`; defaults to DATABASE_URL, then ./data/xinqiao.sqlite */
  url?: string
  /** PostgreSQL only: the schema to use (tests create one per suite) */
  pgSchema?: string
  pgPoolSize?: number
}

/** The SQLite file a non-PostgreSQL URL (or none) points at. */
export function resolveSqliteFile(url: string | undefined): string {
  return url ? url.replace(/^file:/, '') : resolve(dataDir(), 'xinqiao.sqlite')
}

export function openSqlite(file: string): BetterSqlite3.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
  const sqlite = new BetterSqlite3(file)
  if (file !== ':memory:') sqlite.pragma('journal_mode = WAL')
  // better-sqlite3 defaults to NORMAL under WAL, which may drop recent commits on power loss.
  sqlite.pragma('synchronous = FULL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  return sqlite
}

/**
 * Kysely prepares every query anew; with better-sqlite3 that preparation was the largest single
 * cost of an API call (~10 % of CPU, measured with --cpu-prof). The builders produce a small set of
 * distinct SQL strings, so statements are kept in a bounded LRU and reused. Reuse is safe because
 * the driver runs one query at a time on its single connection.
 */
export function withStatementCache(sqlite: BetterSqlite3.Database, max = 500): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>()
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      let stmt = cache.get(text)
      if (stmt) {
        cache.delete(text)
      } else {
        stmt = sqlite.prepare(text)
        if (cache.size >= max) cache.delete(cache.keys().next().value!)
      }
      cache.set(text, stmt)
      return stmt
    },
  }
}

export function openDatabase(options: OpenOptions = {}): DbHandle {
  const url = options.url ?? process.env.DATABASE_URL
  if (isPostgresUrl(url)) {
    const pool = new pg.Pool({
      connectionString: url,
      max: options.pgPoolSize ?? 10,
      options: options.pgSchema ? `-c search_path=${options.pgSchema}` : undefined,
      // count(*) and bigint come back as strings by default; every count here fits a JS number.
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
    })
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
    const location = url.replace(/\/\/[^@/]*@/, '//')
    return { db, kind: 'postgres', location, close: () => db.destroy() }
  }
  const file = resolveSqliteFile(url)
  const sqlite = openSqlite(file)
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }) })
  return { db, kind: 'sqlite', location: file, close: () => db.destroy() }
}
