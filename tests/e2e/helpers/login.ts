import { expect, type Locator, type Page } from '@playwright/test'
import { DEMO_PASSWORD } from './accounts'

/** The client plugin sets `<html data-hydrated="true">` once Vue has hydrated; before that, clicks are lost. */
export async function waitForHydration(page: Page): Promise<void> {
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true')
}

/** The input behind a test id, whether the id sits on the <input> itself or on an Element Plus wrapper. */
export function inputByTestId(page: Page, testId: string): Locator {
  return page.locator(`input[data-testid="${testId}"], textarea[data-testid="${testId}"], [data-testid="${testId}"] input`).first()
}

export interface LoginOptions {
  /** wait until the app has left /login (default true); false when the test expects an error */
  expectSuccess?: boolean
}

/** Signs in through the login form. On success, resolves once the browser has left /login. */
export async function login(page: Page, username: string, password: string = DEMO_PASSWORD, options: LoginOptions = {}): Promise<void> {
  if (!new URL(page.url(), 'http://x').pathname.startsWith('/login')) await page.goto('/login')
  await waitForHydration(page)
  await inputByTestId(page, 'login-username').fill(username)
  await inputByTestId(page, 'login-password').fill(password)
  const submit = page.getByTestId('login-submit')
  await expect(submit).toBeEnabled()
  await submit.click()
  if (options.expectSuccess ?? true) {
    await page.waitForURL((url) => !url.pathname.startsWith('/login'))
    await waitForHydration(page)
  }
}

/** Submits the form with these credentials and returns the error element (already visible). */
export async function loginExpectingError(page: Page, username: string, password: string): Promise<Locator> {
  await login(page, username, password, { expectSuccess: false })
  const error = page.getByTestId('login-error')
  await expect(error).toBeVisible()
  await expect(page).toHaveURL(/\/login/)
  return error
}
