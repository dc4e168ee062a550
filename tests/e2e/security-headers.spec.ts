import { expect, test, type Page } from '@playwright/test'
import { login, waitForHydration } from './helpers'

/**
 * Probe finding: pages sent no Content-Security-Policy and did send `x-powered-by`. Every page now has a
 * CSP with a fresh nonce on Nuxt's own scripts; the pages load, hydrate and work (Element Plus,
 * charts) with zero CSP violations.
 */

/** Collects CSP violations the page reports (the DOM event) and the console's CSP errors. */
async function watchViolations(page: Page): Promise<string[]> {
  const seen: string[] = []
  page.on('console', (msg) => {
    if (/content security policy/i.test(msg.text())) seen.push(`console: ${msg.text()}`)
  })
  await page.exposeFunction('__cspViolation', (text: string) => seen.push(text))
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { __cspViolation: (t: string) => void }).__cspViolation(
        `${e.violatedDirective} ${e.blockedURI} ${location.pathname} ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`,
      ),
    )
  })
  return seen
}

async function expectPolicy(page: Page, path: string): Promise<void> {
  const res = await page.goto(path)
  expect(res, path).toBeTruthy()
  const headers = res!.headers()
  expect(headers['x-powered-by'], `${path} x-powered-by`).toBeUndefined()
  const csp = headers['content-security-policy']
  expect(csp, `${path} CSP`).toBeTruthy()
  const directives = csp!.split(';').map((d) => d.trim())
  for (const d of ["object-src 'none'", "frame-ancestors 'none'", "base-uri 'none'"]) expect(directives).toContain(d)
  const script = directives.find((d) => d.startsWith('script-src'))!
  expect(script).not.toContain('unsafe-inline')
  const nonce = /'nonce-([^']+)'/.exec(script)?.[1]
  expect(nonce, `${path} nonce`).toBeTruthy()
  // every script Nuxt rendered carries this page's nonce
  const html = await res!.text()
  const tags = html.match(/<script\b[^>]*>/gi) ?? []
  expect(tags.length).toBeGreaterThan(0)
  for (const tag of tags) expect(tag).toContain(`nonce="${nonce}"`)
  await waitForHydration(page)
}

test.describe('Content-Security-Policy on every page', () => {
  test('the sign-in page has a nonce policy and works without violations', async ({ page }) => {
    const violations = await watchViolations(page)
    await expectPolicy(page, '/login')
    // two loads never share a nonce
    const a = (await page.request.get('/login')).headers()['content-security-policy']
    const b = (await page.request.get('/login')).headers()['content-security-policy']
    expect(a).not.toBe(b)
    // an injected inline script without the nonce does not run
    const ran = await page.evaluate(() => {
      const s = document.createElement('script')
      s.textContent = 'window.__injected = true'
      document.body.appendChild(s)
      return (window as unknown as { __injected?: boolean }).__injected === true
    })
    expect(ran).toBe(false)
    expect(violations.filter((v) => !v.includes('inline'))).toEqual([])
  })

  const ROLES = [
    { username: 'admin', paths: ['/admin/accounts', '/admin/schools', '/admin/audit', '/account'] },
    { username: 'bureau', paths: ['/bureau', '/bureau/staffing', '/bureau/programme'] },
    { username: 'school1.counsellor', paths: ['/school/cases', '/school/students', '/inbox'] },
  ]
  for (const { username, paths } of ROLES) {
    test(`${username}: signed-in pages load, hydrate and use Element Plus with zero violations`, async ({ page }) => {
      const violations = await watchViolations(page)
      await page.goto('/login')
      await login(page, username)
      for (const path of paths) await expectPolicy(page, path)
      // Element Plus: a select opens its dropdown and closes
      await page.goto(paths[0]!)
      await waitForHydration(page)
      const selects = page.locator('.el-select')
      if ((await selects.count()) > 0) {
        await selects.first().click()
        await expect(page.locator('.el-select-dropdown').first()).toBeVisible()
        await page.keyboard.press('Escape')
      }
      expect(violations).toEqual([])
    })
  }

  test('API answers carry no x-powered-by either', async ({ request }) => {
    const res = await request.get('/api/health')
    expect(res.headers()['x-powered-by']).toBeUndefined()
  })
})
