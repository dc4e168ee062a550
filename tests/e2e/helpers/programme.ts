import { deflateSync } from 'node:zlib'
import { expect, request as playwrightRequest, type APIRequestContext, type Locator, type Page } from '@playwright/test'
import { apiLogin, trpcData } from './api'
import { DEMO_USERS } from './accounts'
import { inputByTestId } from './login'
import type { UploadFile } from './roster'
import { successToast } from './staffing'

/** The seven items in the page's order, and their labels (i18n items.*, itemsShort.*, itemStatus.*). */
export const ITEMS = ['team', 'activity', 'lecture', 'platform', 'caseFollowUp', 'clinic', 'drill'] as const
export type Item = (typeof ITEMS)[number]
export type Status = 'complete' | 'in_progress' | 'not_started'

export const STATUS_ZH: Record<Status, string> = { complete: '已完成', in_progress: '进行中', not_started: '未开始' }
export const STATUS_EN: Record<Status, string> = { complete: 'Complete', in_progress: 'In progress', not_started: 'Not started' }
export const ITEMS_SHORT_EN: Record<Item, string> = {
  team: 'Team',
  activity: 'Activity',
  lecture: 'Lecture',
  platform: 'Platform',
  caseFollowUp: 'Cases',
  clinic: 'Clinic',
  drill: 'Drill',
}
export const ITEMS_EN: Record<Item, string> = {
  team: 'Form a team',
  activity: 'Hold a themed activity',
  lecture: 'Give a psychology lecture',
  platform: 'Build an information platform',
  caseFollowUp: 'Follow up every case',
  clinic: 'Open a clinic link',
  drill: 'Run a crisis-intervention drill',
}

// ── files built in memory ──────────────────────────────────────────────────────────────────────

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(bytes: Buffer): number {
  let c = 0xffffffff
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}

/** A real (decodable) truecolour PNG of one colour with a darker diagonal, so a broken decode would show. */
export function pngBytes(width: number, height: number, rgb: readonly [number, number, number]): Buffer {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header[8] = 8 // bit depth
  header[9] = 2 // truecolour
  const rows: Buffer[] = []
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3) // filter byte 0: none
    for (let x = 0; x < width; x++) {
      const diagonal = Math.abs(x * height - y * width) < width * 2
      row.set(diagonal ? rgb.map((v) => Math.floor(v / 3)) : rgb, 1 + x * 3)
    }
    rows.push(row)
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/** A small photo for `setInputFiles`. */
export function photo(name: string, rgb: readonly [number, number, number] = [70, 130, 180]): UploadFile {
  return { name, mimeType: 'image/png', buffer: pngBytes(64, 48, rgb) }
}

// ── what the server says ───────────────────────────────────────────────────────────────────────

export interface EventView {
  id: number
  heldOn: string
  title: string
  problemsFound: string | null
  files: { id: number; fileName: string; mimeType: string }[]
}

/** One school's seven items for a year (`programme.overview`), the fields the journeys read. */
export interface Overview {
  school: { id: number; code: string; name: string; streetNameZh: string; streetNameEn: string }
  year: { id: number; label: string; startsOn: string; endsOn: string }
  refDate: string
  statuses: Record<Item, Status>
  gaps: Record<Item, string[]>
  evidence: { activity: EventView[]; lecture: EventView[]; drill: EventView[] }
}

export function overview(request: APIRequestContext, input: { schoolId?: number; schoolYearId?: number } = {}): Promise<Overview> {
  return trpcData<Overview>(request, 'programme.overview', input)
}

/** A request context of its own, signed in as `username` (kept apart from the page's cookies). */
export async function apiSession(baseURL: string, username: string): Promise<APIRequestContext> {
  const request = await playwrightRequest.newContext({ baseURL })
  await apiLogin(request, username)
  return request
}

export const DEMO_COUNSELLORS = [DEMO_USERS.school1Counsellor, DEMO_USERS.school2Counsellor, DEMO_USERS.school3Counsellor] as const
export const DEMO_ADMINS = [DEMO_USERS.school1Admin, DEMO_USERS.school2Admin, DEMO_USERS.school3Admin] as const

/**
 * A demo school (by its counsellor) with no drill at all in the current year, so the journey's own
 * drill alone decides the item. `prefer` is tried first. When every demo school already has drills
 * (a server reused from earlier runs), the preferred school's drills are removed first, the way its
 * counsellor would.
 */
export async function schoolWithoutDrills(
  baseURL: string,
  prefer: (typeof DEMO_COUNSELLORS)[number],
  avoid: readonly string[] = [],
): Promise<{ counsellor: string; overview: Overview }> {
  const order = [prefer, ...DEMO_COUNSELLORS.filter((c) => c !== prefer && !avoid.includes(c))]
  for (const counsellor of order) {
    const request = await apiSession(baseURL, counsellor)
    try {
      const o = await overview(request)
      if (o.evidence.drill.length === 0) return { counsellor, overview: o }
    } finally {
      await request.dispose()
    }
  }
  const request = await apiSession(baseURL, prefer)
  try {
    for (const e of (await overview(request)).evidence.drill) await trpcData(request, 'programme.removeEvent', { id: e.id })
    const o = await overview(request)
    expect(o.evidence.drill, `${prefer}'s drills were cleared`).toHaveLength(0)
    return { counsellor: prefer, overview: o }
  } finally {
    await request.dispose()
  }
}

// ── the school's programme page ────────────────────────────────────────────────────────────────

/** The event dialog (Element Plus renders it in a body-level portal). */
export function eventDialog(page: Page): Locator {
  return page.locator('.el-dialog').filter({ has: page.getByTestId('event-save') })
}

/** The status tag of an item's section header on the school's page (or in the bureau's drawer). */
export function sectionStatus(scope: Page | Locator, item: Item): Locator {
  return scope.getByTestId(`item-${item}`).locator('.el-card__header [data-status]')
}

/** The status tag on an item's summary card at the top of the school's page. */
export function cardStatus(page: Page, item: Item): Locator {
  return page.getByTestId(`item-card-${item}`).locator('[data-status]')
}

export interface DrillForm {
  title: string
  heldOn: string
  participants: number
  scenario: string
  problemsFound?: string
  responseMinutes?: number
}

/** Types a date into the Element Plus date picker inside a wrapper span (the picker drops data-testid). */
export async function fillDate(page: Page, wrapperTestId: string, date: string): Promise<void> {
  const input = page.getByTestId(wrapperTestId).locator('input')
  await input.click()
  await input.fill(date)
  await input.press('Enter')
  await expect(input).toHaveValue(date)
  // Close the calendar so it cannot cover the fields below.
  await page.keyboard.press('Tab')
  await expect(page.locator('.el-picker-panel:visible')).toHaveCount(0)
}

/** Records a drill through the item's add button and dialog; returns the new event's id once it is listed. */
export async function addDrill(page: Page, form: DrillForm): Promise<number> {
  await page.getByTestId('event-add-drill').click()
  const dialog = eventDialog(page)
  await expect(dialog).toBeVisible()
  await expect(dialog.locator('.el-dialog__title')).toHaveText('新增记录 · 举办一期危机干预演练')
  await inputByTestId(page, 'event-title').fill(form.title)
  await fillDate(page, 'event-date', form.heldOn)
  const participants = inputByTestId(page, 'event-participants')
  await participants.fill(String(form.participants))
  await participants.press('Tab')
  await expect(participants).toHaveValue(String(form.participants))
  await inputByTestId(page, 'event-scenario').fill(form.scenario)
  if (form.responseMinutes != null) {
    const response = inputByTestId(page, 'event-response')
    await response.fill(String(form.responseMinutes))
    await response.press('Tab')
  }
  if (form.problemsFound) await inputByTestId(page, 'event-problems').fill(form.problemsFound)
  await dialog.getByTestId('event-save').click()
  await expect(dialog).toBeHidden()
  await expect(successToast(page, '已保存')).toBeVisible()

  const listed = page
    .getByTestId('item-drill')
    .getByTestId(/^event-\d+$/)
    .filter({ hasText: form.title })
  await expect(listed).toHaveCount(1)
  await expect(listed).toContainText(`${form.heldOn} · ${form.title}`)
  return Number((await listed.getAttribute('data-testid'))!.slice('event-'.length))
}

/** Picks files for an event's hidden upload input; resolves once the page has refreshed the event. */
export async function uploadTo(page: Page, eventId: number, file: UploadFile): Promise<void> {
  await page.getByTestId(`event-upload-${eventId}`).setInputFiles(file)
}

/** The attachment count an event shows ("附件 (n)"). */
export function attachmentCount(event: Locator): Locator {
  return event.locator('.xq-files > .xq-muted').first()
}

/** Waits until an <img> has loaded and returns its natural width (0 for a broken image). */
export async function loadedWidth(img: Locator): Promise<number> {
  await img.scrollIntoViewIfNeeded()
  await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete), { message: 'the image finished loading' }).toBe(true)
  return img.evaluate((el: HTMLImageElement) => el.naturalWidth)
}
