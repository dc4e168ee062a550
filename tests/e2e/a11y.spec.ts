import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test'
import { DEMO_USERS, login, waitForHydration } from './helpers'

/**
 * axe-core on the screens counsellors, the bureau and the admin use every day: no serious or critical
 * WCAG 2.1 A/AA violation, in Chinese and (for a subset) in English. One sign-in per role; the page is
 * reused from screen to screen so the whole file stays quick.
 */

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']
type Locale = 'zh-CN' | 'en'

interface AxeNode {
  target: unknown[]
  html: string
  failureSummary?: string
}
interface AxeViolation {
  id: string
  impact?: string | null
  help: string
  helpUrl: string
  nodes: AxeNode[]
}

/** The violations as lines a person can act on: rule, impact, what it asks, and the first few elements. */
function describe(violations: readonly AxeViolation[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes.slice(0, 5).map((n) => {
        const why = (n.failureSummary ?? '').split('\n').slice(1).join(' ').trim()
        return `    - ${n.target.join(' ')}\n      ${n.html.slice(0, 160)}\n      ${why}`
      })
      const more = v.nodes.length > 5 ? [`    … and ${v.nodes.length - 5} more`] : []
      return [`  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`, ...nodes, ...more].join('\n')
    })
    .join('\n')
}

/** Runs axe on what the page shows now and fails with a readable list of serious and critical violations. */
async function expectNoSeriousViolations(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(TAGS).analyze()
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  // Soft: one run lists every screen's violations, not only the first screen's.
  expect
    .soft(
      serious.map((v) => `${v.id} (${v.impact})`),
      `${screen} (${page.url()}) has serious or critical violations:\n${describe(serious)}`,
    )
    .toEqual([])
}

/** Opens a screen and waits until it has hydrated and its data has arrived. */
async function visit(page: Page, path: string): Promise<void> {
  await page.goto(path)
  await waitForHydration(page)
  await expect(page.getByTestId('page-title')).toBeVisible()
  await expect(page.locator('.el-loading-mask:visible')).toHaveCount(0)
}

async function useLocale(context: BrowserContext, baseURL: string, locale: Locale): Promise<void> {
  await context.addCookies([{ name: 'xq_locale', value: locale, url: baseURL }])
}

async function signedIn(browser: Browser, baseURL: string, username: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext()
  const page = await context.newPage()
  await login(page, username)
  await useLocale(context, baseURL, 'zh-CN')
  return { context, page }
}

test.describe('accessibility (axe-core, WCAG 2.1 A/AA)', () => {
  test('the sign-in page, in Chinese and in English', async ({ page, context, baseURL }) => {
    for (const locale of ['zh-CN', 'en'] as const) {
      await useLocale(context, baseURL!, locale)
      await page.goto('/login')
      await waitForHydration(page)
      await expect(page.locator('html')).toHaveAttribute('lang', locale)
      await expectNoSeriousViolations(page, `login (${locale})`)
    }
  })

  test.describe('a counsellor', () => {
    let session: { context: BrowserContext; page: Page }
    test.beforeAll(async ({ browser, baseURL }) => {
      session = await signedIn(browser, baseURL!, DEMO_USERS.school1Counsellor)
    })
    test.afterAll(() => session.context.close())

    test('the caseload and a case file, in Chinese and in English', async ({ baseURL }) => {
      const { page, context } = session
      let caseFile = ''
      for (const locale of ['zh-CN', 'en'] as const) {
        await useLocale(context, baseURL!, locale)
        await visit(page, '/school/cases')
        await expectNoSeriousViolations(page, `caseload (${locale})`)
        if (!caseFile) {
          const first = page.locator('[data-testid="case-board"] a[href^="/school/cases/"]').first()
          await expect(first, 'the demo school has cases on its board').toBeVisible()
          caseFile = (await first.getAttribute('href'))!
        }
        await visit(page, caseFile)
        await expect(page.getByTestId('case-timeline')).toBeVisible()
        await expectNoSeriousViolations(page, `case file (${locale})`)
      }
    })
  })

  test.describe('the bureau', () => {
    let session: { context: BrowserContext; page: Page }
    test.beforeAll(async ({ browser, baseURL }) => {
      session = await signedIn(browser, baseURL!, DEMO_USERS.bureau)
    })
    test.afterAll(() => session.context.close())

    test('every dashboard, a school page and the evaluations', async () => {
      // Nine screens in one sign-in; room for a busy test machine.
      test.setTimeout(120_000)
      const { page } = session
      let school = ''
      for (const path of ['/bureau', '/bureau/staffing', '/bureau/rooms', '/bureau/programme', '/bureau/cases', '/bureau/evaluations']) {
        await visit(page, path)
        await expectNoSeriousViolations(page, path)
        if (path === '/bureau') school = (await page.locator('a[href^="/bureau/schools/"]').first().getAttribute('href'))!
      }
      const round = (await page.getByTestId('rounds-table').locator('a[href^="/bureau/evaluations/"]').first().getAttribute('href'))!
      await visit(page, round)
      await expectNoSeriousViolations(page, 'an evaluation round')
      await visit(page, school)
      await expectNoSeriousViolations(page, 'a school page')
    })

    test('the overview and a dashboard in English', async ({ baseURL }) => {
      const { page, context } = session
      await useLocale(context, baseURL!, 'en')
      for (const path of ['/bureau', '/bureau/programme']) {
        await visit(page, path)
        await expectNoSeriousViolations(page, `${path} (en)`)
      }
    })
  })

  test.describe('the administrator', () => {
    let session: { context: BrowserContext; page: Page }
    test.beforeAll(async ({ browser, baseURL }) => {
      session = await signedIn(browser, baseURL!, DEMO_USERS.admin)
    })
    test.afterAll(() => session.context.close())

    test('accounts, schools, years and the audit log', async () => {
      const { page } = session
      for (const path of ['/admin/accounts', '/admin/schools', '/admin/years', '/admin/audit']) {
        await visit(page, path)
        await expectNoSeriousViolations(page, path)
      }
    })

    test('accounts and the audit log in English', async ({ baseURL }) => {
      const { page, context } = session
      await useLocale(context, baseURL!, 'en')
      for (const path of ['/admin/accounts', '/admin/audit']) {
        await visit(page, path)
        await expectNoSeriousViolations(page, `${path} (en)`)
      }
    })
  })
})
