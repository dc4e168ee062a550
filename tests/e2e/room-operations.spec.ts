import { expect, test, type Page } from '@playwright/test'
import { apiLogin, DEMO_USERS, inputByTestId, login, runToken, trpcData, waitForHydration } from './helpers'

const shanghaiToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10)
const daysFromToday = (n: number) => new Date(Date.now() + 8 * 3_600_000 + n * 86_400_000).toISOString().slice(0, 10)

async function schoolCode(page: Page): Promise<string> {
  const session = await trpcData<{ schoolId: number }>(page.request, 'auth.session')
  const school = await trpcData<{ code: string }>(page.request, 'school.byId', { id: session.schoolId })
  return school.code
}

/**
 * A student asks for an appointment on a 390 px phone from the school's public page (no account);
 * the counsellor confirms the request in the calendar, records the visit and opens a case from it;
 * the student checks the status with the code. Then a group's attendance over three sessions.
 */
test('a student requests on a phone; the counsellor confirms in the calendar, records the visit and opens a case', async ({ browser }) => {
  test.setTimeout(180_000)
  const token = runToken()
  const staff = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } })
  const page = await staff.newPage()
  await login(page, DEMO_USERS.school1Counsellor)
  const code = await schoolCode(page)
  const student = await trpcData<{ id: number }>(page.request, 'student.create', {
    studentNo: `R${token}`,
    name: `来访生${token}`,
    sex: 'M',
    birthDate: '2012-03-04',
    grade: 6,
    className: '3班',
    guardianName: null,
    guardianPhone: null,
  })

  // The phone: the public page under the room's student-facing name, "not safe" shows the hotline at once.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN' })
  const p = await phone.newPage()
  await p.goto(`/r/${code}`)
  await waitForHydration(p)
  await expect(p.getByTestId('request-form')).toBeVisible()
  expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
  await p.getByTestId('request-urgent').click()
  await expect(p.getByTestId('request-hotline')).toBeVisible()
  await p.getByTestId('request-urgent').click()
  await inputByTestId(p, 'request-name').fill(`小来${token}`)
  await inputByTestId(p, 'request-phone').fill('12345')
  await p.getByTestId('request-slots').locator('label').first().click()
  await p.getByTestId('request-send').click()
  await expect(p.getByTestId('request-error')).toBeVisible()
  await inputByTestId(p, 'request-phone').fill('13912345678')
  await inputByTestId(p, 'request-topic').fill('考试前睡不着')
  await p.getByTestId('request-send').click()
  const requestCode = (await p.getByTestId('request-code').innerText()).trim()
  expect(requestCode).toMatch(/^[2-9A-Z]{10}$/)
  expect(p.url()).not.toContain(requestCode)

  // The counsellor: the request waits in the calendar; a click confirms it.
  await page.goto('/school/room-appointments')
  await waitForHydration(page)
  await expect(page.getByTestId('request-inbox')).toContainText(`小来${token}`)
  const event = page.locator('.vuecal__event', { hasText: `小来${token}` }).first()
  for (let i = 0; i < 3 && !(await event.isVisible()); i++) await page.locator('.vuecal__arrow--next').click()
  await event.click()
  await page.getByTestId('confirm-request').click()
  await expect(page.getByTestId('request-inbox')).not.toContainText(`小来${token}`)
  const confirmed = page.locator('.vuecal__event.xq-ev-confirmed', { hasText: `小来${token}` }).first()
  await expect(confirmed).toBeVisible()

  // The student sees "confirmed" by typing the code (nothing in the address).
  await p.getByTestId('tab-status').click()
  await inputByTestId(p, 'status-code').fill(requestCode)
  await p.getByTestId('status-check').click()
  await expect(p.getByTestId('status-result')).toContainText('已确认')
  expect(p.url()).not.toContain(requestCode)
  await phone.close()

  // The visit: from the appointment, for the student on the roster, opening a case.
  await confirmed.click()
  await page.getByTestId('record-visit').click()
  await page.waitForURL(/room-visits/)
  const dialog = page.getByTestId('visit-dialog')
  await expect(dialog).toBeVisible()
  await expect(dialog.locator('.el-date-editor input').first()).toHaveValue(shanghaiToday())
  await inputByTestId(page, 'visit-student').fill(`R${token}`)
  await page
    .locator('.el-select-dropdown__item', { hasText: `来访生${token}` })
    .first()
    .click()
  await dialog.getByTestId('outcome-open_case').click()
  await inputByTestId(page, 'visit-concern').fill('考前焦虑，睡眠差')
  await inputByTestId(page, 'visit-notes').fill('来访内容保密')
  await page.getByTestId('visit-save').click()
  await expect(page.getByTestId('visit-case-opened')).toBeVisible()
  await page.getByTestId('visit-case-link').click()
  await page.waitForURL(/\/school\/cases\/\d+/)
  await waitForHydration(page)
  await expect(page.getByTestId('timeline-visit').first()).toBeVisible()
  await staff.close()
  void student
})

test('a group’s attendance over three sessions, in English', async ({ browser }) => {
  test.setTimeout(120_000)
  const token = runToken()
  const ctx = await browser.newContext({ locale: 'en', viewport: { width: 1280, height: 900 } })
  await ctx.addCookies([{ name: 'xq_locale', value: 'en', url: 'http://localhost' }])
  const page = await ctx.newPage()
  await apiLogin(page.request, DEMO_USERS.school1Counsellor)
  const me = await trpcData<{ accountId: number }>(page.request, 'auth.session')
  const ids: number[] = []
  for (let i = 0; i < 3; i++)
    ids.push(
      (
        await trpcData<{ id: number }>(page.request, 'student.create', {
          studentNo: `G${token}${i}`,
          name: `组员${token}${i}`,
          sex: 'F',
          birthDate: '2011-05-06',
          grade: 7,
          className: '1班',
          guardianName: null,
          guardianPhone: null,
        })
      ).id,
    )
  const group = await trpcData<{ id: number }>(page.request, 'room.createGroup', {
    theme: `E2E group ${token}`,
    facilitatorIds: [me.accountId],
    studentIds: ids,
    countsAsActivity: false,
    sessions: [
      { date: daysFromToday(-14), start: '15:30', durationMin: 60 },
      { date: daysFromToday(-7), start: '15:30', durationMin: 60 },
      { date: daysFromToday(0), start: '07:00', durationMin: 30 },
    ],
  })
  await page.goto('/school/room-groups')
  await waitForHydration(page)
  await expect(page.getByTestId('page-title')).toHaveText('Group counselling')
  await page.getByTestId(`group-open-${group.id}`).click()
  const detail = page.getByTestId('group-detail')
  for (const [i, present] of [3, 2, 1].entries()) {
    await detail.getByTestId(`session-${i}`).locator('.el-collapse-item__header').click()
    const boxes = detail.getByTestId(`session-${i}`).locator('.el-checkbox')
    for (let k = 0; k < present; k++) await boxes.nth(k).click()
    await detail.getByTestId(`session-save-${i}`).click()
    await expect(detail.getByTestId(`session-${i}`)).toContainText(`${present}/3 present`)
  }
  await ctx.close()
})
