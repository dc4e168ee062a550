// Screenshots of pages for review: node scripts/screens.mjs <outDir> <user> <path> [<path> …]
// Env: BASE (default http://localhost:3000), LOCALES (zh-CN,en), WIDTHS (1280,390).
import { chromium } from '@playwright/test'

const [outDir, user, ...paths] = process.argv.slice(2)
const base = process.env.BASE ?? 'http://localhost:3000'
const locales = (process.env.LOCALES ?? 'zh-CN,en').split(',')
const widths = (process.env.WIDTHS ?? '1280,390').split(',').map(Number)
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
})
for (const locale of locales) {
  for (const width of widths) {
    const context = await browser.newContext({ viewport: { width, height: 900 } })
    await context.addCookies([{ name: 'xq_locale', value: locale, url: base }])
    const page = await context.newPage()
    if (user !== '-') {
      await page.goto(`${base}/login`)
      await page.waitForSelector('html[data-hydrated="true"]')
      await page.getByTestId('login-username').fill(user)
      await page.getByTestId('login-password').fill(process.env.PASSWORD ?? 'Xinqiao-Demo-2026')
      await page.getByTestId('login-submit').click()
      await page.waitForURL((u) => !u.pathname.startsWith('/login'))
    }
    for (const path of paths) {
      await page.goto(`${base}${path}`)
      await page.waitForSelector('html[data-hydrated="true"]')
      await page.waitForTimeout(400)
      const name = `${outDir}/${user}${path.replaceAll('/', '_')}-${locale}-${width}.png`
      await page.screenshot({ path: name, fullPage: true })
      console.info(name)
    }
    await context.close()
  }
}
await browser.close()
