import { describe, expect, it } from 'vitest'
import { openSqlite, withStatementCache } from '../../db/client'

describe('SQLite statement cache', () => {
  it('hands back the same prepared statement for the same SQL and still sees new rows', () => {
    const sqlite = openSqlite(':memory:')
    const db = withStatementCache(sqlite)
    db.prepare('create table t (n integer)').run([])
    const select = db.prepare('select count(*) as c from t')
    expect(db.prepare('select count(*) as c from t')).toBe(select)
    db.prepare('insert into t values (?)').run([1])
    db.prepare('insert into t values (?)').run([2])
    expect(select.all([])).toEqual([{ c: 2 }])
    db.close()
  })

  it.each([
    [2, ['a', 'b', 'c'], 'a', false],
    [2, ['a', 'b', 'a', 'c'], 'a', true],
    [3, ['a', 'b', 'c'], 'a', true],
  ])('with room for %i, after %j the statement for %s is %s still cached', (max, order, probe, kept) => {
    const sqlite = openSqlite(':memory:')
    const db = withStatementCache(sqlite, max)
    const sqlOf = (k: string) => `select '${k}' as k`
    const first = new Map<string, unknown>()
    for (const k of order) {
      const stmt = db.prepare(sqlOf(k))
      if (!first.has(k)) first.set(k, stmt)
    }
    expect(db.prepare(sqlOf(probe)) === first.get(probe)).toBe(kept)
    db.close()
  })
})
