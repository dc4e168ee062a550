import { sql, type Expression, type SqlBool } from 'kysely'

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`)
}

/** `%text%`, lower-cased, with LIKE's own wildcards escaped so `50%` or `a_b` match literally. */
export function containsPattern(text: string): string {
  return `%${escapeLike(text.toLowerCase())}%`
}

/** `text%`, lower-cased and escaped. */
export function prefixPattern(text: string): string {
  return `${escapeLike(text.toLowerCase())}%`
}

/** Case-insensitive LIKE that behaves the same on SQLite and PostgreSQL. */
export function likeInsensitive(column: Expression<string | null>, pattern: string): Expression<SqlBool> {
  return sql<SqlBool>`lower(${column}) like ${pattern} escape '\\'`
}
