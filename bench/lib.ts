import BetterSqlite3 from 'better-sqlite3'
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs } from 'kysely'
import { openDatabase, type DbHandle } from '../db/client'

/** What the benches share: timing statistics, setup failures, query capture and the raw SQLite handle. */

export interface Timing {
  medianMs: number
  p95Ms: number
  meanMs: number
  minMs: number
  calls: number
}

/** A bench that could not be set up as intended (reported as a message, not a stack). */
export class BenchSetupError extends Error {}

export function fail(message: string): never {
  throw new BenchSetupError(message)
}

/** Records the operation node of each query, so a bench runs (or explains) exactly the SQL Kysely sends. */
export class CaptureQueries implements KyselyPlugin {
  readonly seen: PluginTransformQueryArgs[] = []
  transformQuery(args: PluginTransformQueryArgs) {
    this.seen.push(args)
    return args.node
  }

  async transformResult(args: PluginTransformResultArgs) {
    return args.result
  }
}

/**
 * openDatabase keeps its better-sqlite3 handle private; the raw statements have to run on that very
 * connection (same page cache, same pragmas). openSqlite sets pragmas right after construction, so
 * wrapping `pragma` for the duration of the synchronous openDatabase call yields the instance.
 */
export function openSqliteCapturing(file: string): { handle: DbHandle; sqlite: BetterSqlite3.Database } {
  const proto = BetterSqlite3.prototype
  const original = proto.pragma
  const seen = new Set<BetterSqlite3.Database>()
  proto.pragma = function (this: BetterSqlite3.Database, ...args: Parameters<BetterSqlite3.Database['pragma']>) {
    seen.add(this)
    return original.apply(this, args)
  } as BetterSqlite3.Database['pragma']
  let handle: DbHandle
  try {
    handle = openDatabase({ url: file })
  } finally {
    proto.pragma = original
  }
  const [sqlite] = seen
  if (seen.size !== 1 || !sqlite) fail('could not reach the better-sqlite3 handle behind openDatabase')
  return { handle, sqlite }
}

export function stats(samples: number[]): Timing {
  const s = [...samples].sort((a, b) => a - b)
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!
  const round = (x: number) => Math.round(x * 1000) / 1000
  return {
    medianMs: round(at(0.5)),
    p95Ms: round(at(0.95)),
    meanMs: round(s.reduce((a, b) => a + b, 0) / s.length),
    minMs: round(s[0]!),
    calls: s.length,
  }
}
