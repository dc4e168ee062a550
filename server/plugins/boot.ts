import { defineNitroPlugin } from 'nitropack/runtime'
import { useRuntime } from '../runtime'

/** Migrate (and seed the demo district on first start) before the first request is served. */
export default defineNitroPlugin(async () => {
  const { seed, handle } = await useRuntime()
  const where = handle.kind === 'sqlite' ? `SQLite ${handle.location}` : `PostgreSQL ${handle.location}`
  console.info(`[xinqiao] database: ${where}`)
  for (const line of seed.announce) console.info(line)
})
