import { expect, test, type Page } from '@playwright/test'
import { DEMO_USERS, inputByTestId, login, runToken } from './helpers'
import {
  addDrill,
  attachmentCount,
  cardStatus,
  eventDialog,
  loadedWidth,
  overview,
  photo,
  schoolWithoutDrills,
  sectionStatus,
  STATUS_ZH,
  uploadTo,
  type Overview,
} from './helpers/programme'
import { open, pickOption, shanghaiToday, successToast } from './helpers/staffing'

/** A few days back, but never before the school year began: a date the drill can really have been held on. */
function recentDateIn(o: Overview): string {
  const d = new Date(`${shanghaiToday()}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() - 3)
  const threeDaysAgo = d.toISOString().slice(0, 10)
  return threeDaysAgo < o.year.startsOn ? o.year.startsOn : threeDaysAgo
}

/** The bureau's matrix narrowed to the school's street, so the school's row is on the first page. */
async function matrixFor(bureau: Page, o: Overview) {
  await open(bureau, '/bureau/programme')
  await expect(bureau.getByTestId('page-title')).toHaveText('七个一完成情况')
  await pickOption(bureau, 'filter-street', o.school.streetNameZh)
  const row = bureau.getByTestId('programme-matrix').locator('tbody tr').filter({ hasText: o.school.name })
  await expect(row.first()).toBeVisible()
  return bureau.getByTestId(`cell-${o.school.code}-drill`)
}

test('a counsellor logs a crisis-intervention drill with a photo; the item completes and the bureau matrix cell turns green', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000)
  const token = runToken()
  const { counsellor, overview: before } = await schoolWithoutDrills(baseURL!, DEMO_USERS.school1Counsellor)
  expect(before.statuses.drill).toBe('not_started')
  const title = `（E2E）教学楼天台危机干预演练 ${token}`
  const heldOn = recentDateIn(before)

  const bureauContext = await browser.newContext()
  const bureau = await bureauContext.newPage()
  await login(bureau, DEMO_USERS.bureau)
  const schoolContext = await browser.newContext()
  const school = await schoolContext.newPage()
  await login(school, counsellor)

  await test.step("the bureau sees the school's drill not started", async () => {
    const cell = await matrixFor(bureau, before)
    await expect(cell).toHaveAttribute('data-status', 'not_started')
    await expect(cell).toHaveText(STATUS_ZH.not_started)
  })

  let eventId = 0
  await test.step('the counsellor records the drill: without a photo it is only in progress', async () => {
    await open(school, '/school/programme')
    await expect(school.getByTestId('page-title')).toHaveText('七个一工作')
    await expect(cardStatus(school, 'drill')).toHaveAttribute('data-status', 'not_started')
    eventId = await addDrill(school, {
      title,
      heldOn,
      participants: 86,
      responseMinutes: 4.5,
      scenario: '（E2E）课间一名学生在教学楼天台边徘徊，情绪激动（模拟情景）。',
      problemsFound: '（E2E）值班电话未接通，报告链延误约 2 分钟。',
    })
    const event = school.getByTestId(`event-${eventId}`)
    await expect(event).toContainText('参与人数 86')
    await expect(event).toContainText('（E2E）课间一名学生在教学楼天台边徘徊')
    await expect(event).toContainText('（E2E）值班电话未接通')
    await expect(attachmentCount(event)).toHaveText('附件 (0)')
    await expect(sectionStatus(school, 'drill')).toHaveAttribute('data-status', 'in_progress')
    await expect(school.getByTestId('item-card-drill')).toContainText('缺少附件（照片或签到表）')
  })

  await test.step('a photo of the drill completes the item', async () => {
    await uploadTo(school, eventId, photo('演练现场.png'))
    await expect(successToast(school, '已上传 演练现场.png')).toBeVisible()
    const event = school.getByTestId(`event-${eventId}`)
    await expect(attachmentCount(event)).toHaveText('附件 (1)')
    const thumb = event.locator('img')
    await expect(thumb).toHaveCount(1)
    await expect(thumb).toHaveAttribute('alt', '演练现场.png')
    expect(await loadedWidth(thumb)).toBe(64)

    await expect(sectionStatus(school, 'drill')).toHaveAttribute('data-status', 'complete')
    await expect(sectionStatus(school, 'drill')).toHaveText(STATUS_ZH.complete)
    await expect(cardStatus(school, 'drill')).toHaveAttribute('data-status', 'complete')
    await expect(school.getByTestId('item-card-drill')).not.toContainText('缺少附件')
    // Still complete after a reload: the status is the server's.
    await school.reload()
    await expect(sectionStatus(school, 'drill')).toHaveAttribute('data-status', 'complete')
  })

  const after = await overview(school.request)
  const drill = after.evidence.drill.find((e) => e.id === eventId)!
  expect(drill.files).toHaveLength(1)
  const fileId = drill.files[0]!.id

  await test.step("the bureau's cell is complete, and its drawer shows the drill with its photo", async () => {
    const cell = await matrixFor(bureau, before)
    await expect(cell).toHaveAttribute('data-status', 'complete')
    await expect(cell).toHaveText(STATUS_ZH.complete)
    await cell.click()
    const drawer = bureau.getByTestId('programme-drawer')
    await expect(drawer).toBeVisible()
    await expect(drawer.locator('.el-drawer__header')).toContainText(`${before.school.name} · 举办一期危机干预演练`)
    const event = drawer.getByTestId(`event-${eventId}`)
    await expect(event).toContainText(`${heldOn} · ${title}`)
    await expect(event).toContainText('（E2E）值班电话未接通')
    await expect(sectionStatus(drawer, 'drill')).toHaveAttribute('data-status', 'complete')
    const img = event.locator(`img[src="/api/uploads/${fileId}"]`)
    await expect(img).toBeVisible()
    expect(await loadedWidth(img)).toBeGreaterThan(0)
    // Read-only for the bureau.
    await expect(drawer.getByTestId('event-add-drill')).toHaveCount(0)
    await expect(drawer.getByTestId(`event-upload-${eventId}`)).toHaveCount(0)
  })

  await bureauContext.close()
  await schoolContext.close()
})

test('a drill whose problems are not written up stays in progress, and the item card says what is missing', async ({ page, baseURL }) => {
  const token = runToken()
  const { counsellor, overview: before } = await schoolWithoutDrills(baseURL!, DEMO_USERS.school2Counsellor, [DEMO_USERS.school1Counsellor])
  const title = `（E2E）课堂自伤处置演练 ${token}`
  await login(page, counsellor)
  await open(page, '/school/programme')

  const eventId = await addDrill(page, {
    title,
    heldOn: recentDateIn(before),
    participants: 40,
    scenario: '（E2E）课堂上一名学生情绪失控（模拟情景）。',
  })
  await uploadTo(page, eventId, photo('演练照片.png', [96, 160, 110]))
  await expect(successToast(page, '已上传 演练照片.png')).toBeVisible()
  const event = page.getByTestId(`event-${eventId}`)
  await expect(attachmentCount(event)).toHaveText('附件 (1)')
  // The empty write-up is flagged on the record itself.
  await expect(event.locator('dd.xq-missing')).toHaveText('—')

  await expect(sectionStatus(page, 'drill')).toHaveAttribute('data-status', 'in_progress')
  await expect(sectionStatus(page, 'drill')).toHaveText(STATUS_ZH.in_progress)
  const card = page.getByTestId('item-card-drill')
  await expect(card.locator('[data-status]')).toHaveText(STATUS_ZH.in_progress)
  await expect(card).toContainText('未填写发现的问题')
  await expect(card).not.toContainText('缺少附件')
  await page.reload()
  await expect(sectionStatus(page, 'drill')).toHaveAttribute('data-status', 'in_progress')
  await expect(page.getByTestId('item-card-drill')).toContainText('未填写发现的问题')

  await test.step('writing the problems up afterwards completes it', async () => {
    await page.getByTestId(`event-${eventId}`).getByRole('button', { name: '编辑' }).click()
    const dialog = eventDialog(page)
    await expect(dialog).toBeVisible()
    await expect(inputByTestId(page, 'event-title')).toHaveValue(title)
    await inputByTestId(page, 'event-problems').fill('（E2E）任课教师不清楚校医室的最快路线。')
    await dialog.getByTestId('event-save').click()
    await expect(dialog).toBeHidden()
    await expect(sectionStatus(page, 'drill')).toHaveAttribute('data-status', 'complete')
    await expect(page.getByTestId('item-card-drill')).not.toContainText('未填写发现的问题')
  })
})
