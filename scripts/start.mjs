// `npm start`: build when the sources are newer than the last build, then serve the production build.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const root = resolve(import.meta.dirname, '..')
const entry = join(root, '.output/server/index.mjs')
const stamp = join(root, '.output/nitro.json')
const SOURCES = [
  'app.vue',
  'nuxt.config.ts',
  'package.json',
  'pages',
  'components',
  'layouts',
  'plugins',
  'middleware',
  'composables',
  'stores',
  'server',
  'shared',
  'db',
  'i18n',
  'assets',
  'types',
]

function newest(path) {
  if (!existsSync(path)) return 0
  const st = statSync(path)
  if (!st.isDirectory()) return st.mtimeMs
  return readdirSync(path).reduce((m, name) => Math.max(m, newest(join(path, name))), st.mtimeMs)
}

const builtAt = existsSync(entry) && existsSync(stamp) ? statSync(stamp).mtimeMs : 0
const changedAt = Math.max(...SOURCES.map((s) => newest(join(root, s))))
if (builtAt === 0 || changedAt > builtAt) {
  console.info(
    builtAt === 0
      ? '[xinqiao] building the app (first start, about a minute)…'
      : '[xinqiao] sources changed since the last build: rebuilding…',
  )
  const r = spawnSync(join(root, 'node_modules/.bin/nuxt'), ['build'], { cwd: root, stdio: 'inherit' })
  if (r.status !== 0) process.exit(r.status ?? 1)
}
process.env.NODE_ENV ??= 'production'
// The demo district keeps its generated keys beside its data; a real deployment (XINQIAO_DEMO=0) must not
// (README, "Key custody").
if (process.env.XINQIAO_DEMO !== '0') process.env.XINQIAO_ACCEPT_FILE_KEYS ??= '1'
// Plain HTTP on a workstation: browsers accept Secure cookies only over HTTPS or on localhost.
process.env.PORT ??= '3000'
console.info(`[xinqiao] starting on http://localhost:${process.env.PORT}`)
await import(pathToFileURL(entry).href)
