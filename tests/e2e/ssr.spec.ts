import { expect, test } from '@playwright/test'
import { apiLogin, DEMO_USERS } from './helpers'

// Server rendering calls the API in-process; if that path breaks, the browser silently refetches
// after hydration and the journeys still pass. These read the HTML the server sent.
test.describe('server-rendered pages carry the signed-in user’s data', () => {
  test('the bureau overview is rendered on the server with district figures', async ({ request }) => {
    await apiLogin(request, DEMO_USERS.bureau)
    const res = await request.get('/bureau')
    expect(res.status()).toBe(200)
    expect(res.headers()['cache-control']).toContain('no-store')
    const html = await res.text()
    expect(html).not.toContain('http-equiv="refresh"')
    expect(html).toContain('全区概况')
    expect(html).toContain('DEMO-')
  })

  test('a school page is rendered on the server for its counsellor', async ({ request }) => {
    await apiLogin(request, DEMO_USERS.school1Counsellor)
    const html = await (await request.get('/school')).text()
    expect(html).toContain('示例·')
    expect(html).toContain('2026-2027')
  })

  test('signed out, a page redirects to sign-in', async ({ request }) => {
    const res = await request.get('/bureau', { maxRedirects: 0 })
    expect([200, 302]).toContain(res.status())
    expect(await res.text()).toMatch(/login/)
  })
})
