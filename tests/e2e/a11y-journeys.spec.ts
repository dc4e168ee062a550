import { expect, test, type Locator, type Page } from '@playwright/test'
import { DEMO_USERS, inputByTestId, login, runToken, trpcData } from './helpers'
import { attachmentCount, eventDialog, overview, photo } from './helpers/programme'
import { shanghaiToday, successToast } from './helpers/staffing'

/** The form item of a dialog whose label reads exactly `label`. */
function formItem(scope: Locator, label: string): Locator {
  return scope.locator('.el-form-item').filter({ has: scope.page().locator('.el-form-item__label', { hasText: new RegExp(`^${label}$`) }) })
}

/** Whether the keyboard focus is inside `item`. */
function holdsFocus(item: Locator): Promise<boolean> {
  return item.evaluate((el) => el.contains(document.activeElement))
}

/**
 * The school's programme page, hydrated. It is the heaviest page a counsellor opens (seven panels of
 * evidence); on a loaded test machine its hydration has taken over 10 s, so it gets longer than the default.
 */
async function openProgramme(page: Page): Promise<void> {
  await page.goto('/school/programme')
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true', { timeout: 30_000 })
}

async function removeEvent(page: Page, id: number) {
  await trpcData(page.request, 'programme.removeEvent', { id })
}

test.describe('on a phone (390 px)', () => {
  test.use({ viewport: { width: 390, height: 844 } })

  test('a drill saved without its audience: the message names the field, which is scrolled to and focused', async ({ page }) => {
    test.setTimeout(120_000)
    const token = runToken()
    const title = `（E2E）校园欺凌危机干预演练 ${token}`
    await login(page, DEMO_USERS.school3Counsellor)
    await openProgramme(page)
    await page.getByTestId('event-add-drill').click()
    const dialog = eventDialog(page)
    await expect(dialog).toBeVisible()

    const audience = formItem(dialog, '参与对象')
    await test.step('the fields the record needs carry the asterisk, the others do not', async () => {
      for (const label of ['日期', '主题', '参与对象', '参与人数']) await expect(formItem(dialog, label)).toHaveClass(/\bis-required\b/)
      for (const label of ['年级', '组织者', '演练情景', '发现的问题'])
        await expect(formItem(dialog, label)).not.toHaveClass(/\bis-required\b/)
    })

    await test.step('the counsellor fills in the drill but clears its audience, then saves from the bottom of the form', async () => {
      await audience.locator('.el-checkbox').filter({ hasText: '学生' }).click()
      await expect(audience.locator('.el-checkbox.is-checked')).toHaveCount(0)
      await inputByTestId(page, 'event-title').fill(title)
      await inputByTestId(page, 'event-scenario').fill('（E2E）课间有学生被围堵在楼梯间（模拟情景）。')
      await inputByTestId(page, 'event-problems').fill('（E2E）疏散路线指示不清。')
      const save = dialog.getByTestId('event-save')
      await save.scrollIntoViewIfNeeded()
      // The audience is far above, off the screen, when the counsellor reaches the save button.
      await expect(audience).not.toBeInViewport()
      await save.click()
    })

    await test.step('the message names the audience; the page is back on that field, with the focus in it', async () => {
      await expect(page.locator('.el-message--error')).toHaveText('请填写：参与对象')
      await expect(audience.locator('.el-form-item__error')).toHaveText('必填')
      await expect(audience).toBeInViewport()
      await expect.poll(() => holdsFocus(audience), { message: 'the focus is in the audience field' }).toBe(true)
      await expect(dialog).toBeVisible()
    })

    await test.step('with an audience ticked, the drill is saved', async () => {
      // Space ticks the focused box: the focus is on a real checkbox the counsellor can use.
      await page.keyboard.press('Space')
      await expect(audience.locator('.el-checkbox.is-checked')).toHaveCount(1)
      await dialog.getByTestId('event-save').click()
      await expect(dialog).toBeHidden()
      await expect(successToast(page, '已保存')).toBeVisible()
    })

    const saved = (await overview(page.request)).evidence.drill.find((e) => e.title === title)
    expect(saved, 'the drill was saved once').toBeDefined()
    await removeEvent(page, saved!.id)
  })
})

test('a counsellor attaches photos to a record with the keyboard only: Tab reaches the upload button, Enter and Space open the chooser', async ({
  page,
}) => {
  test.setTimeout(120_000)
  const token = runToken()
  await login(page, DEMO_USERS.school3Counsellor)
  const mine = await overview(page.request)
  const { id } = await trpcData<{ id: number }>(page.request, 'programme.createEvent', {
    schoolYearId: mine.year.id,
    kind: 'activity',
    heldOn: shanghaiToday() < mine.year.startsOn ? mine.year.startsOn : shanghaiToday(),
    title: `（E2E）键盘上传 ${token}`,
    audiences: ['students'],
    grades: [],
    participants: 30,
    organiser: null,
    summary: null,
    roles: [],
  })
  try {
    await openProgramme(page)
    const event = page.getByTestId(`event-${id}`)
    await expect(attachmentCount(event)).toHaveText('附件 (0)')
    const upload = event.getByRole('button', { name: '上传照片或签到表' })

    await test.step('Tab moves from the record’s last action to its upload button, which shows a focus ring', async () => {
      await event.getByRole('button', { name: '删除', exact: true }).focus()
      await page.keyboard.press('Tab')
      await expect(upload).toBeFocused()
      const ring = await upload.evaluate((el) => {
        const s = getComputedStyle(el)
        return { style: s.outlineStyle, width: s.outlineWidth, color: s.outlineColor }
      })
      expect(ring).toEqual({ style: 'solid', width: '2px', color: 'rgb(42, 114, 98)' })
    })

    await test.step('Enter opens the file chooser; the photo is attached and the focus comes back to the button', async () => {
      const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Enter')])
      expect(chooser.isMultiple()).toBe(true)
      await chooser.setFiles(photo('键盘上传一.png'))
      await expect(successToast(page, '已上传 键盘上传一.png')).toBeVisible()
      await expect(attachmentCount(event)).toHaveText('附件 (1)')
      await expect(upload).toBeFocused()
    })

    await test.step('Space opens it too', async () => {
      const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Space')])
      await chooser.setFiles(photo('键盘上传二.png', [60, 160, 90]))
      await expect(successToast(page, '已上传 键盘上传二.png')).toBeVisible()
      await expect(attachmentCount(event)).toHaveText('附件 (2)')
    })

    await test.step('each attachment’s remove button is named after its file', async () => {
      await expect(event.getByRole('button', { name: '删除 键盘上传一.png' })).toHaveCount(1)
    })
  } finally {
    await removeEvent(page, id)
  }
})
