import { chromium } from '@playwright/test'
const base = 'http://localhost:3501'
const H = { 'x-xinqiao-csrf': '1', 'content-type': 'application/json' }
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] })
async function call(req, path, input) {
  const r = await req.post(`${base}/api/trpc/${path}`, { headers: H, data: JSON.stringify(input ?? {}) })
  const j = await r.json()
  if (!j.result) throw new Error(JSON.stringify(j).slice(0, 300))
  return j.result.data
}
const adm = await browser.newContext()
await call(adm.request, 'auth.login', { username: 'school1.admin', password: 'Xinqiao-Demo-2026' })
const rounds = await call(adm.request, 'assessment.rounds')
const round = rounds[0]
const codes = []
for (const locale of ['zh-CN', 'en']) {
  const t = await call(adm.request, 'teacher.create', { staffNo: `SHOT-${locale}-${Date.now() % 100000}`, name: `截图教师（示例）`, sex: 'F', birthYear: 1990, subject: '语文', phone: null })
  const r = await call(adm.request, 'assessment.reissueCode', { roundId: round.id, teacherId: t.id })
  codes.push(r.slips[0].code)
}
for (const [k, locale] of ['zh-CN', 'en'].entries()) {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale })
  await ctx.addCookies([{ name: 'xq_locale', value: locale, url: base }])
  const page = await ctx.newPage()
  await page.goto(`${base}/a`)
  await page.waitForSelector('html[data-hydrated="true"]')
  await page.screenshot({ path: `/tmp/ta-shots/${locale}-1-code.png`, fullPage: true })
  await page.locator('#assess-code').fill(codes[k])
  await page.getByTestId('assess-start').click()
  await page.getByTestId('assess-consent').waitFor()
  await page.screenshot({ path: `/tmp/ta-shots/${locale}-2-consent.png`, fullPage: true })
  await page.getByTestId('assess-agree').click()
  const items = page.locator('fieldset')
  const n = await items.count()
  for (let i = 0; i < n; i++) await items.nth(i).locator('label').nth(i % 2).click()
  await page.waitForTimeout(1000)
  await page.screenshot({ path: `/tmp/ta-shots/${locale}-3-answer.png` })
  await page.getByTestId('assess-contact').click()
  await page.getByTestId('assess-submit').click()
  await page.getByTestId('assess-done').waitFor()
  await page.screenshot({ path: `/tmp/ta-shots/${locale}-4-done.png`, fullPage: true })
  console.log(locale, 'scrollWidth', await page.evaluate(() => document.documentElement.scrollWidth))
  await ctx.close()
}
// counsellor alert page and rounds page, 1280 px
const c = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' })
await call(c.request, 'auth.login', { username: 'school1.counsellor', password: 'Xinqiao-Demo-2026' })
const p = await c.newPage()
await p.goto(`${base}/school/assessment/alerts`)
await p.waitForSelector('html[data-hydrated="true"]')
await p.screenshot({ path: `/tmp/ta-shots/zh-CN-5-alerts.png`, fullPage: true })
await p.locator('[data-testid^="alert-link-"]').first().click()
await p.getByTestId('alert-head').waitFor()
await p.screenshot({ path: `/tmp/ta-shots/zh-CN-6-alert.png`, fullPage: true })
await p.goto(`${base}/school/assessment`)
await p.waitForSelector('html[data-hydrated="true"]')
await p.screenshot({ path: `/tmp/ta-shots/zh-CN-7-rounds.png`, fullPage: true })
await p.goto(`${base}/school/teachers`)
await p.waitForSelector('html[data-hydrated="true"]')
await p.screenshot({ path: `/tmp/ta-shots/zh-CN-8-teachers.png` })
const b = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en' })
await b.addCookies([{ name: 'xq_locale', value: 'en', url: base }])
await call(b.request, 'auth.login', { username: 'bureau', password: 'Xinqiao-Demo-2026' })
const bp = await b.newPage()
await bp.goto(`${base}/bureau/assessment`)
await bp.waitForSelector('html[data-hydrated="true"]')
await bp.screenshot({ path: `/tmp/ta-shots/en-9-bureau.png`, fullPage: true })
await browser.close()
