import { randomBytes } from 'node:crypto'
import { expect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test'
import { treePoints } from '../../shared/accreditation'
import { DEFAULT_TREE } from '../../shared/accreditation-tree'
import { shanghaiDate } from '../../shared/shanghai-time'
import { apiLogin, inputByTestId, login, trpcData, waitForHydration } from './helpers'

const POINTS = treePoints(DEFAULT_TREE)
const FIRST = 'Temp-pass-2026a'
const PASSWORD = 'Accred-e2e-2026'

interface Made {
  schoolId: number
  schoolName: string
  admin: string
  expertA: string
  expertB: string
}

/** A fresh school, its admin and two experts (one with a conflict), made over the API with unique names. */
async function setUp(request: APIRequestContext, browser: Browser): Promise<Made> {
  const token = randomBytes(3).toString('hex')
  await apiLogin(request, 'admin')
  const list = await trpcData<{ rows: { id: number; streetId: number }[] }>(request, 'school.list', { pageSize: 50, sort: 'name' })
  const neighbour = list.rows[0]!
  const schoolName = `示例·特色申报测试学校${token}`
  const { id: schoolId } = await trpcData<{ id: number }>(request, 'school.create', {
    code: `E2E-ACC-${token}`,
    name: schoolName,
    nameEn: `Demo accreditation school ${token}`,
    type: 'primary',
    streetId: neighbour.streetId,
    isPublic: true,
    address: null,
  })
  const made = { schoolId, schoolName, admin: `acc.admin.${token}`, expertA: `acc.expa.${token}`, expertB: `acc.expb.${token}` }
  for (const [username, role, school] of [
    [made.admin, 'school_admin', schoolId],
    [made.expertA, 'expert', null],
    [made.expertB, 'expert', null],
  ] as const) {
    await trpcData(request, 'account.create', { username, displayName: `测试${role}${token}`, role, schoolId: school, password: FIRST })
    const ctx = await browser.newContext()
    await apiLogin(ctx.request, username, FIRST)
    await trpcData(ctx.request, 'auth.changePassword', { currentPassword: FIRST, newPassword: PASSWORD })
    await ctx.close()
  }
  // expert B currently works at a school in the same street: a conflict the bureau must override with a reason
  const bureau = await browser.newContext()
  await apiLogin(bureau.request, 'bureau')
  const experts = await trpcData<{ accountId: number; username: string }[]>(bureau.request, 'accreditation.employment', {})
  const b = experts.find((e) => e.username === made.expertB)!
  await trpcData(bureau.request, 'accreditation.addEmployment', {
    accountId: b.accountId,
    schoolId: neighbour.id,
    fromOn: '2018-09-01',
    toOn: null,
  })
  await bureau.close()
  return made
}

async function fillNumber(page: Page, testId: string, value: number) {
  const input = inputByTestId(page, testId)
  await input.fill(String(value))
  await input.press('Tab')
}

async function confirmPop(page: Page) {
  await page.locator('.el-popconfirm__action .el-button--primary').filter({ visible: true }).click()
}

test('a school applies, the bureau seats two experts (one conflicted), they score independently, the visit and the title follow', async ({
  browser,
  request,
}) => {
  test.setTimeout(600_000)
  const made = await setUp(request, browser)

  // ── the school admin (zh-CN) ──
  const schoolCtx = await browser.newContext()
  const school = await schoolCtx.newPage()
  await login(school, made.admin, PASSWORD)
  await school.goto('/school/accreditation')
  await waitForHydration(school)
  await school.getByTestId('accreditation-open').click()
  await school.getByTestId('application-edit').click()
  await school.waitForURL(/\/school\/accreditation\/\d+/)
  await waitForHydration(school)
  const appId = Number(new URL(school.url()).pathname.split('/').pop())
  await expect(school.getByTestId('system-facts')).toContainText('系统核验')
  for (const p of POINTS) await fillNumber(school, `self-${p.code}`, p.maxScore - 1)
  await inputByTestId(school, 'self-comment-A1.1').fill('校长任组长，每学期召开两次专题会议')
  await school.getByTestId('upload-A1.1').setInputFiles({
    name: '领导小组文件.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'),
  })
  await expect(school.getByText('领导小组文件.pdf')).toBeVisible({ timeout: 30_000 })
  await school.getByTestId('self-save').click()
  await school.getByTestId('self-submit').click()
  await confirmPop(school)
  await expect(school.getByTestId('locked')).toBeVisible()
  await expect(school.getByTestId('stage')).toHaveText('待审核')
  await schoolCtx.close()

  // ── the bureau: accept, seat the panel ──
  const bureauCtx = await browser.newContext()
  const bureau = await bureauCtx.newPage()
  await login(bureau, 'bureau')
  await bureau.goto('/bureau/accreditation')
  await waitForHydration(bureau)
  await bureau.getByTestId('col-submitted').getByText(made.schoolName).click()
  await bureau.waitForURL(new RegExp(`/bureau/accreditation/${appId}$`))
  await waitForHydration(bureau)
  await bureau.getByTestId('accept').click()
  await expect(bureau.getByTestId('panel')).toBeVisible()
  await expect(bureau.getByTestId(`candidate-${made.expertB}`)).toContainText('任职学校同街道')
  await bureau.getByTestId(`assign-${made.expertA}`).click()
  await expect(bureau.getByTestId(`candidate-${made.expertA}`)).toContainText('已在评审组')
  await bureau.getByTestId(`assign-${made.expertB}`).click()
  await inputByTestId(bureau, 'override-reason').fill('该专家为区内唯一的沙盘治疗督导，已承诺回避相关讨论')
  await bureau.getByTestId('override-save').click()
  await expect(bureau.getByTestId(`candidate-${made.expertB}`)).toContainText('已在评审组')

  // ── expert A (zh-CN): scores, submits, sees nobody else's sheet yet ──
  const aCtx = await browser.newContext()
  const a = await aCtx.newPage()
  await login(a, made.expertA, PASSWORD)
  await expect(a).toHaveURL(/\/expert$/)
  await a.getByTestId(`open-${appId}`).click()
  await a.waitForURL(new RegExp(`/expert/${appId}$`))
  await waitForHydration(a)
  for (const p of POINTS) await fillNumber(a, `score-${p.code}`, p.code === 'D2.1' ? 2 : p.maxScore - 1)
  await a.getByTestId('sheet-submit').click()
  await expect(a.getByTestId('sheet-locked')).toBeVisible()
  await expect(a.getByTestId('panel-D2.1')).toContainText('2')
  await expect(a.getByTestId('panel-D2.1')).not.toContainText('9')
  await expect(inputByTestId(a, 'score-A1.1')).toBeDisabled()

  // ── expert B (en): the same, in English ──
  const bCtx = await browser.newContext()
  await bCtx.addCookies([{ name: 'xq_locale', value: 'en', url: test.info().project.use.baseURL! }])
  const b = await bCtx.newPage()
  await login(b, made.expertB, PASSWORD)
  await b.getByTestId(`open-${appId}`).click()
  await waitForHydration(b)
  await expect(b.getByTestId('page-title')).toContainText('Review')
  await expect(b.getByText('Score independently', { exact: false })).toBeVisible()
  for (const p of POINTS) await fillNumber(b, `score-${p.code}`, p.code === 'D2.1' ? 9 : p.maxScore)
  await b.getByTestId('sheet-submit').click()
  await expect(b.getByTestId('sheet-locked')).toContainText('submitted')
  await expect(b.getByTestId('panel-D2.1')).toContainText('Experts disagree')

  // ── the bureau: disagreement, discussion, visit, decision ──
  await bureau.reload()
  await waitForHydration(bureau)
  await expect(bureau.getByTestId('flag-D2.1')).toBeVisible()
  await inputByTestId(bureau, 'discuss-note-D2.1').fill('两位专家对特色成果分歧较大，请结合现场评估说明')
  await bureau.getByTestId('discuss-D2.1').click()
  await expect(bureau.getByTestId('discussion-D2.1')).toContainText('分歧较大')
  const today = shanghaiDate(new Date())
  const date = inputByTestId(bureau, 'visit-date')
  await date.fill(today)
  await date.press('Enter')
  await inputByTestId(bureau, 'visit-observations').fill('心理辅导室开放，值班与来访登记完整，演练资料齐全。')
  await bureau.getByTestId('visit-save').click()
  await expect(bureau.getByTestId('visit-record')).toContainText(today)

  // expert A changes a desk score only by a reasoned delta
  await a.reload()
  await waitForHydration(a)
  await a.getByTestId('delta-code').click()
  await a.getByRole('option', { name: 'D2.1', exact: true }).click()
  await fillNumber(a, 'delta-value', 5)
  await inputByTestId(a, 'delta-reason').fill('现场查看特色课程资料，成果较书面材料完整')
  await a.getByTestId('delta-add').click()
  await expect(a.getByTestId('point-D2.1')).toContainText('现场修正 +5')
  await aCtx.close()
  await bCtx.close()

  await bureau.reload()
  await waitForHydration(bureau)
  await expect(bureau.getByTestId('recommendation')).toContainText('认定为特色学校')
  await bureau.getByTestId('decision-accredited').click()
  await inputByTestId(bureau, 'decision-reason').fill('各项指标达到特色学校标准，星号项全部通过')
  await bureau.getByTestId('decide-save').click()
  await expect(bureau.getByTestId('decision')).toContainText('认定为特色学校')
  await bureau.goto(`/bureau/accreditation/${appId}/record`)
  await waitForHydration(bureau)
  await expect(bureau.getByTestId('decision-record')).toContainText(made.schoolName)
  await expect(bureau.getByTestId('record-decision')).toContainText('星号项全部通过')
  await bureau.goto('/bureau/accreditation')
  await waitForHydration(bureau)
  await expect(bureau.getByTestId('titles')).toContainText(made.schoolName)
  await bureauCtx.close()
})
