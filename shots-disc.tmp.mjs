import { chromium } from '@playwright/test'
const base = 'http://localhost:3300'
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] })
async function shoot(user, pages, locale, width) {
  const ctx = await browser.newContext({ viewport: { width, height: 900 }, locale: locale === 'en' ? 'en-US' : 'zh-CN' })
  await ctx.addCookies([{ name: 'xq_locale', value: locale, url: base }])
  const page = await ctx.newPage()
  await page.goto(base + '/login')
  await page.waitForTimeout(2500)
  await page.locator('input[data-testid=login-username], [data-testid=login-username] input').first().fill(user)
  await page.locator('input[data-testid=login-password], [data-testid=login-password] input').first().fill('Xinqiao-Demo-2026')
  await page.getByTestId('login-submit').click()
  await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 30000 })
  for (const [name, path] of pages) {
    await page.goto(base + path)
    await page.waitForTimeout(2500)
    if (name === 'settings') { await page.getByTestId('settings-disclosure').scrollIntoViewIfNeeded(); await page.waitForTimeout(500) }
    await page.screenshot({ path: `/tmp/shot-${name}-${locale}-${width}.png`, fullPage: false })
  }
  await ctx.close()
}
const pages = [['settings', '/bureau/settings'], ['prog', '/bureau/schools/' + (process.env.SID ?? '1') + '/programme']]
for (const locale of ['zh-CN', 'en']) for (const width of [1280, 390]) await shoot('bureau', pages, locale, width)
await browser.close()
