import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { defineConfig, devices } from '@playwright/test'

// A port of its own, so a dev server on 3000 is never mistaken for the build under test.
const PORT = Number(process.env.E2E_PORT || 3100)
const baseURL = `http://localhost:${PORT}`
const CI = !!process.env.CI

export default defineConfig({
  testDir: 'tests/e2e',
  // Journeys share one server and its data (logins, disabled accounts): run them one after another.
  fullyParallel: false,
  workers: 1,
  forbidOnly: CI,
  retries: 0,
  // Sized for a 2-core machine running the server and Chromium side by side.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        // Debian's Chromium; never `npx playwright install` (see ../shared/TOOLCHAIN.md).
        launchOptions: {
          executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
          args: [
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      },
    },
  ],
  webServer: {
    // The production build, run by the same Node as Playwright (the project's Node 22), on a wiped data dir.
    command: `"${process.execPath}" tests/e2e/helpers/start-server.mjs`,
    url: `${baseURL}/api/health`,
    reuseExistingServer: !CI && process.env.E2E_REUSE_SERVER === '1',
    timeout: 180_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      NODE_ENV: 'production',
      PORT: String(PORT),
      HOST: '127.0.0.1',
      XINQIAO_DATA_DIR: process.env.E2E_DATA_DIR || join(tmpdir(), `xinqiao-e2e-${PORT}`),
    },
  },
})
