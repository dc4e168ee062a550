import { expect, test } from '@playwright/test'
import { apiLogin, DEMO_USERS, inputByTestId, login, runToken, trpcData, waitForHydration } from './helpers'

const shanghaiDay = (offsetDays = 0) => new Date(Date.now() + 8 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10)

/**
 * A class answers on phones (390 px) with the class code from the board and personal codes from slips;
 * the counsellor's session screen shows only how many finished; a high warning reaches the counsellor's
 * list and becomes a case in one step, linked both ways.
 */
test('a class session on phones; a warning turned into a case', async ({ browser }) => {
  test.setTimeout(180_000)
  const token = runToken()
  const className = `E${token}`.slice(0, 12)

  // The counsellor's class, campaign and consent slips (through the API, as the roster and paper slips would be).
  const api = await browser.newContext()
  await apiLogin(api.request, DEMO_USERS.school3Counsellor)
  const students: { id: number; name: string }[] = []
  for (let i = 0; i < 2; i++) {
    const name = `筛查学生${i + 1}（E2E${token}）`
    const s = await trpcData<{ id: number }>(api.request, 'student.create', {
      studentNo: `SE${token}${i}`.slice(0, 30),
      name,
      sex: i ? 'M' : 'F',
      birthDate: '2011-03-01',
      grade: 8,
      className,
      guardianName: null,
      guardianPhone: null,
    })
    students.push({ id: s.id, name })
  }
  const campaign = await trpcData<{ id: number }>(api.request, 'screening.createCampaign', {
    name: `E2E 筛查 ${token}`,
    campaignDate: shanghaiDay(),
    closesOn: shanghaiDay(7),
    instruments: ['phq9'],
    grades: [8],
    classNames: [className],
  })
  for (const s of students)
    await trpcData(api.request, 'screening.recordConsent', {
      campaignId: campaign.id,
      studentId: s.id,
      party: 'student',
      slipDate: shanghaiDay(),
    })
  await api.close()

  // On the desk: print the slips, start the class session, read the class code off the board.
  const desk = await browser.newContext()
  const cp = await desk.newPage()
  await login(cp, DEMO_USERS.school3Counsellor)
  await cp.goto(`/school/screening/${campaign.id}`)
  await waitForHydration(cp)
  const card = cp.getByTestId(`class-8-${className}`)
  await expect(card.getByTestId('class-consented')).toHaveText('2')
  await card.getByTestId('class-slips').click()
  await expect(cp.getByTestId('screening-slip-code')).toHaveCount(2)
  const slipCodes = await cp.getByTestId('screening-slip-code').allTextContents()
  await cp.getByTestId('screening-slips').getByRole('button', { name: '关闭', exact: true }).click()
  await card.getByTestId('class-session-start').click()
  await cp.waitForURL(/\/school\/screening\/session\/\d+$/)
  await waitForHydration(cp)
  const classCode = (await cp.getByTestId('session-class-code').textContent())!.trim()
  expect(classCode).toMatch(/^[A-Z0-9]{6}$/)

  // Two phones: the first student answers with five items at "nearly every day" (total 15: high concern).
  for (const [n, code] of slipCodes.entries()) {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN' })
    const page = await phone.newPage()
    await page.goto('/s')
    await waitForHydration(page)
    await inputByTestId(page, 'screen-class-code').fill(classCode.toLowerCase())
    await inputByTestId(page, 'screen-code').fill(code)
    await page.getByTestId('screen-start').click()
    for (let i = 1; i <= 9; i++)
      await page
        .getByTestId(`screen-item-phq9_${i}`)
        .locator('label')
        .nth(n === 0 && i <= 5 ? 3 : 0)
        .click()
    await expect(page.getByTestId('screen-progress')).toContainText('9 / 9')
    await expect(page.getByTestId('screen-saved')).toHaveText('已保存')
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    await page.getByTestId('screen-submit').click()
    await expect(page.getByTestId('screen-done')).toBeVisible()
    await expect(page.getByTestId('screen-help')).toContainText('心理老师')
    // a thank-you and where to get help; never a band or a score
    await expect(page.getByTestId('screen-done')).not.toContainText(/重度|中度|轻度|分/)
    await phone.close()
  }

  // The session screen counts finished students only.
  await cp.reload()
  await waitForHydration(cp)
  await expect(cp.getByTestId('session-finished')).toHaveText('2 / 2')
  await expect(cp.locator('body')).not.toContainText(students[0]!.name)

  // The warning list → the warning → "open a case" in one step → the case, source screening.
  await cp.goto('/school/screening/warnings')
  await waitForHydration(cp)
  const row = cp.getByTestId('warning-list').locator('li').filter({ hasText: students[0]!.name })
  await expect(row).toContainText('重点关注')
  await expect(cp.getByTestId('warning-list')).not.toContainText(students[1]!.name)
  await row.getByRole('link').click()
  await cp.waitForURL(/\/school\/screening\/warnings\/\d+$/)
  await waitForHydration(cp)
  await expect(cp.getByTestId('warning-results')).toContainText('中重度')
  await inputByTestId(cp, 'outcome-notes').fill(`（E2E）二次访谈：近两周情绪低落。${token}`)
  await cp.getByTestId('outcome-case').click()
  await cp.getByTestId('outcome-save').click()
  await expect(cp.getByTestId('warning-case-link')).toBeVisible()
  await cp.getByTestId('warning-case-link').click()
  await cp.waitForURL(/\/school\/cases\/\d+$/)
  await waitForHydration(cp)
  await expect(cp.locator('body')).toContainText('心理筛查预警')
  await expect(cp.locator('body')).toContainText(token)
  await cp.getByTestId('case-screening-warning').click()
  await cp.waitForURL(/\/school\/screening\/warnings\/\d+$/)
  await desk.close()
})

for (const locale of ['zh-CN', 'en'] as const) {
  test(`the bureau's awareness dashboard against its target (${locale})`, async ({ browser }) => {
    const ctx = await browser.newContext({ locale })
    if (locale === 'en') await ctx.addCookies([{ name: 'xq_locale', value: 'en', url: test.info().project.use.baseURL! }])
    const page = await ctx.newPage()
    await login(page, DEMO_USERS.bureau)
    await page.goto('/bureau/screening')
    await waitForHydration(page)
    const text =
      locale === 'en'
        ? { title: 'knowledge awareness', target: 'Target', verdict: /Target met|Below target|cannot tell/ }
        : { title: '知晓率', target: '目标', verdict: /达到目标|未达到目标|无法判断/ }
    await expect(page.getByTestId('page-title')).toContainText(text.title)
    await expect(page.getByTestId('awareness-target')).toContainText(text.target)
    await expect(page.getByTestId('awareness-target')).toContainText('80%')
    await expect(page.getByTestId('awareness-verdict')).toHaveText(text.verdict)
    await expect(page.getByTestId('awareness-district')).toContainText('%')
    await expect(page.locator('canvas').first()).toBeVisible()
    // drill down to the first school's grades
    await page.getByTestId('awareness-schools').getByRole('button').first().click()
    await expect(page.getByTestId('awareness-drill')).toBeVisible()
    await ctx.close()
  })
}
