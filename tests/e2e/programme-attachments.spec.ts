import { expect, test } from '@playwright/test'
import { DEMO_USERS, login, runToken, trpcData } from './helpers'
import { apiSession, attachmentCount, loadedWidth, overview, photo, uploadTo } from './helpers/programme'
import { open, shanghaiToday, successToast } from './helpers/staffing'

test('attachments: a disguised text file is refused with a clear message; another school cannot read a photo; an upload without the CSRF header is refused', async ({
  page,
  baseURL,
}) => {
  test.setTimeout(90_000)
  const token = runToken()
  const title = `（E2E）心理健康主题班会 ${token}`
  await login(page, DEMO_USERS.school1Counsellor)
  const mine = await overview(page.request)
  // The record to attach to, written the way the event dialog writes it.
  const { id: eventId } = await trpcData<{ id: number }>(page.request, 'programme.createEvent', {
    schoolYearId: mine.year.id,
    kind: 'activity',
    heldOn: shanghaiToday() < mine.year.startsOn ? mine.year.startsOn : shanghaiToday(),
    title,
    audiences: ['students'],
    grades: [],
    participants: 120,
    organiser: null,
    summary: '（E2E）各班围绕“认识情绪”开展主题班会。',
    roles: [],
  })

  await open(page, '/school/programme')
  const event = page.getByTestId(`event-${eventId}`)
  await expect(event).toContainText(title)
  await expect(attachmentCount(event)).toHaveText('附件 (0)')

  await test.step('a text file named .jpg is refused by its content, with the localised message, and nothing is attached', async () => {
    await uploadTo(page, eventId, {
      name: '签到表.jpg',
      mimeType: 'image/jpeg',
      buffer: Buffer.from('这不是图片，只是改了扩展名的文本。\n'.repeat(20), 'utf8'),
    })
    await expect(page.locator('.el-message--error').filter({ hasText: '只接受 JPEG、PNG、WebP 图片或 PDF' })).toBeVisible()
    await expect(attachmentCount(event)).toHaveText('附件 (0)')
    await expect(event.locator('img')).toHaveCount(0)
    await expect(event).not.toContainText('签到表.jpg')
    const files = (await overview(page.request)).evidence.activity.find((e) => e.id === eventId)!.files
    expect(files).toHaveLength(0)
  })

  const png = photo('班会现场.png', [230, 150, 70])
  let fileId = 0
  await test.step('a real photo is attached and shown', async () => {
    await uploadTo(page, eventId, png)
    await expect(successToast(page, '已上传 班会现场.png')).toBeVisible()
    await expect(attachmentCount(event)).toHaveText('附件 (1)')
    expect(await loadedWidth(event.locator('img'))).toBe(64)
    fileId = (await overview(page.request)).evidence.activity.find((e) => e.id === eventId)!.files[0]!.id
    // The school's own download: the same bytes, served as an inert image.
    const own = await page.request.get(`/api/uploads/${fileId}`)
    expect(own.status()).toBe(200)
    expect(own.headers()['content-type']).toBe('image/png')
    expect(own.headers()['x-content-type-options']).toBe('nosniff')
    expect(Buffer.compare(await own.body(), png.buffer)).toBe(0)
  })

  await test.step("another school's counsellor gets 404 for that photo; the bureau may read it", async () => {
    const other = await apiSession(baseURL!, DEMO_USERS.school2Counsellor)
    const res = await other.get(`/api/uploads/${fileId}`)
    expect(res.status()).toBe(404)
    expect(res.headers()['content-type']).not.toContain('image/')
    expect((await res.body()).includes(png.buffer.subarray(0, 8))).toBe(false)
    await other.dispose()

    const bureau = await apiSession(baseURL!, DEMO_USERS.bureau)
    const seen = await bureau.get(`/api/uploads/${fileId}`)
    expect(seen.status()).toBe(200)
    expect(Buffer.compare(await seen.body(), png.buffer)).toBe(0)
    await bureau.dispose()
  })

  await test.step('an upload without the CSRF header is refused with 403 and attaches nothing', async () => {
    const res = await page.request.post('/api/uploads', {
      multipart: { eventId: String(eventId), file: photo('跨站.png') },
      maxRedirects: 0,
    })
    expect(res.status()).toBe(403)
    expect(((await res.json()) as { error: { data: { appCode: string } } }).error.data.appCode).toBe('csrf')
    // The same request with the header goes through, so the 403 was the header's doing.
    const ok = await page.request.post('/api/uploads', {
      multipart: { eventId: String(eventId), file: photo('同源.png') },
      headers: { 'x-xinqiao-csrf': '1' },
    })
    expect(ok.status()).toBe(201)
    const files = (await overview(page.request)).evidence.activity.find((e) => e.id === eventId)!.files
    expect(files.map((f) => f.fileName).sort()).toEqual(['同源.png', '班会现场.png'].sort())
    await page.reload()
    await expect(attachmentCount(page.getByTestId(`event-${eventId}`))).toHaveText('附件 (2)')
  })
})
