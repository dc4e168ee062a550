import { openDatabase } from '../db/client'
import { migrateToLatest } from '../db/migrate'

/** `npm run db:migrate`: applies pending migrations to DATABASE_URL (default ./data/xinqiao.sqlite). */
const handle = openDatabase()
try {
  const { applied } = await migrateToLatest(handle.db)
  console.info(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date')
} finally {
  await handle.close()
}
