// Starts the production build (.output) for Playwright on a fresh, empty data directory, in this
// process, so the Node that runs Playwright (the project's Node 22) also runs the server.
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
const entry = join(root, '.output/server/index.mjs')

const major = Number(process.versions.node.split('.')[0])
if (major < 22) {
  console.error(
    `[e2e] Node ${process.versions.node} cannot run the server (better-sqlite3 needs Node >= 22): start Playwright through npx or npm.`,
  )
  process.exit(1)
}
if (!existsSync(entry)) {
  console.error('[e2e] .output/server/index.mjs is missing: build first with `npx nuxt build` (`npm run test:e2e` does both).')
  process.exit(1)
}

const dataDir = resolve(process.env.XINQIAO_DATA_DIR || join(tmpdir(), `xinqiao-e2e-${process.env.PORT || '3100'}`))
// Only ever wipe a directory that is recognisably ours.
if (!basename(dataDir).includes('e2e')) {
  console.error(`[e2e] refusing to wipe ${dataDir}: its name must contain "e2e"`)
  process.exit(1)
}
rmSync(dataDir, { recursive: true, force: true })
mkdirSync(dataDir, { recursive: true })

process.env.XINQIAO_DATA_DIR = dataDir
process.env.NODE_ENV = 'production'
// Throwaway keys beside throwaway data: accepted explicitly (a real deployment keeps keys elsewhere; README, "Key custody").
process.env.XINQIAO_ACCEPT_FILE_KEYS ??= '1'
// Journeys run on a fresh embedded SQLite database; PostgreSQL is covered by the server tests.
delete process.env.DATABASE_URL
console.info(`[e2e] data directory ${dataDir}`)

await import(pathToFileURL(entry).href)
