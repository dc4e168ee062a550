import { describe, expect, it } from 'vitest'
import { migrateToLatest } from '../../db/migrate'
import { migrations } from '../../db/migrations'
import { APP_TABLES, existingTables, openTestDatabase, targets, useTestDatabase } from '../fixtures/db'

describe.each(targets)('migrations on $name', (target) => {
  const t = useTestDatabase(target)

  it('creates every table of the schema, and nothing else', async () => {
    expect(await existingTables(t)).toEqual([...APP_TABLES].sort())
  })

  it('does nothing on a second run', async () => {
    expect(await migrateToLatest(t.db)).toEqual({ applied: [] })
  })

  it('migrates a second database beside an existing one (same PostgreSQL server, another schema)', async () => {
    const second = await openTestDatabase(target)
    try {
      expect(await existingTables(second)).toEqual([...APP_TABLES].sort())
      const applied = await second.db
        .selectFrom('kysely_migration' as never)
        .select('name' as never)
        .execute()
      expect(applied.map((r) => (r as { name: string }).name)).toEqual(Object.keys(migrations))
    } finally {
      await second.close()
    }
  })

  it('starts the audit chain head at zero', async () => {
    expect(await t.db.selectFrom('audit_head').selectAll().execute()).toEqual([{ id: 1, seq: 0, hash: '' }])
  })
})
