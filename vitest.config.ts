import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vitest/config'

const root = fileURLToPath(new URL('./', import.meta.url))
const alias = {
  '~~': root,
  '#shared': fileURLToPath(new URL('./shared', import.meta.url)),
}

/**
 * Plain Vitest (no Nuxt runtime): rules, routers through createCaller on a real database, and
 * components and screen composables with @vue/test-utils in happy-dom. Server tests run on SQLite, and on PostgreSQL too when
 * TEST_DATABASE_URL is set. End-to-end specs live under tests/e2e and run with Playwright.
 */
export default defineConfig({
  resolve: { alias },
  test: {
    // The in-app audit check reads the anchor file: never the developer's ./data one, one of this run's own.
    env: { XINQIAO_AUDIT_ANCHOR_FILE: join(mkdtempSync(join(tmpdir(), 'xq-vitest-')), 'audit-anchors.log') },
    // Every project has tests: an empty one (a wrong include pattern) fails the run instead of passing quietly.
    passWithNoTests: false,
    // Each password hash (scrypt) costs ~0.1 s on these machines; a login walk does dozens.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'node',
          include: ['tests/unit/**/*.test.ts', 'tests/server/**/*.test.ts'],
        },
      },
      {
        extends: true,
        plugins: [vue()],
        test: {
          name: 'components',
          environment: 'happy-dom',
          include: ['tests/components/**/*.test.ts'],
        },
      },
    ],
  },
})
