import { expect, test, type Locator } from '@playwright/test'
import { DEMO_USERS, login, trpcData, trpcError } from './helpers'
import { overview } from './helpers/programme'
import { open, successToast } from './helpers/staffing'

interface Indicator {
  code: string
  nameZh: string
  maxScore: number
}
interface Submission {
  version: number
  selfScores: Record<string, number> | null
  selfTotal: number | null
  submittedAt: string | null
  bureauTotal: number | null
}
interface Round {
  id: number
  title: string
  status: 'open' | 'closed'
  yearLabel: string
  half: '1' | '2'
  indicators: Indicator[]
  own: Submission | null
}

/** The round schools can submit to now (the seeded current half-year). */
async function openRound(request: Parameters<typeof trpcData>[0]): Promise<Round> {
  const rounds = await trpcData<Round[]>(request, 'evaluation.rounds')
  const round = rounds.find((r) => r.status === 'open')
  expect(round, 'an open supervision round').toBeTruthy()
  return round!
}

/** Types into an Element Plus input-number inside `scope` (its test id sits on the wrapper) and commits it. */
async function setScore(scope: Locator, testId: string, value: number): Promise<void> {
  const input = scope.locator(`[data-testid="${testId}"] input`)
  await input.fill(String(value))
  await input.press('Tab')
  await expect(input).toHaveValue(String(value))
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)

test('a school admin submits the self-evaluation; the bureau sees its total, scores the school, and prints the report', async ({
  browser,
}, testInfo) => {
  test.setTimeout(150_000)
  const schoolContext = await browser.newContext()
  const school = await schoolContext.newPage()
  await login(school, DEMO_USERS.school2Admin)
  const round = await openRound(school.request)
  const mine = (await overview(school.request)).school
  // Self scores: a point or a point and a half under each maximum.
  const self = Object.fromEntries(round.indicators.map((ind, i) => [ind.code, ind.maxScore - (i % 2 ? 1.5 : 1)]))
  const selfTotal = sum(Object.values(self))
  // The bureau marks the first two indicators a point lower than the school did.
  const bureauScores = Object.fromEntries(round.indicators.map((ind, i) => [ind.code, self[ind.code]! - (i < 2 ? 1 : 0)]))
  const bureauTotal = sum(Object.values(bureauScores))
  const summary = `（E2E）对照“七个一”逐项自查，危机干预演练已于本学期完成。`
  const comment = '（E2E）自查认真，建议完善班级心理委员培训记录。'

  await test.step('the school admin fills every indicator of the open round and submits', async () => {
    await open(school, '/school/evaluation')
    await expect(school.getByTestId('page-title')).toHaveText('督导评估')
    const card = school.getByTestId(`round-${round.id}`)
    await expect(card).toContainText(round.title)
    await expect(card.locator('.el-card__header')).toContainText('进行中')
    for (const ind of round.indicators) {
      await expect(card.getByTestId('evaluation-sheet')).toContainText(ind.nameZh)
      await setScore(card, `score-${ind.code}`, self[ind.code]!)
    }
    await expect(card.getByTestId('evaluation-sheet').locator('.el-table__footer')).toContainText(String(selfTotal))
    await card.locator('textarea[data-testid="self-summary"], [data-testid="self-summary"] textarea').fill(summary)
    await card.getByTestId(`self-submit-${round.id}`).click()
    await expect(successToast(school, '已保存')).toBeVisible()
    await expect(card.locator('.el-card__header')).toContainText('提交于')
    await expect(card.getByTestId(`self-submit-${round.id}`)).toHaveText('更新自评')

    await school.reload()
    const first = round.indicators[0]!
    await expect(school.getByTestId(`round-${round.id}`).locator(`[data-testid="score-${first.code}"] input`)).toHaveValue(
      String(self[first.code]),
    )
  })

  const bureauContext = await browser.newContext()
  const bureau = await bureauContext.newPage()
  await login(bureau, DEMO_USERS.bureau)
  const row = bureau
    .getByTestId('round-schools')
    .locator('tbody tr')
    .filter({ has: bureau.getByTestId(`score-school-${mine.code}`) })

  await test.step("the bureau opens the round and sees the school's self total", async () => {
    await open(bureau, '/bureau/evaluations')
    await expect(bureau.getByTestId('page-title')).toHaveText('督导评估')
    await bureau.getByTestId('rounds-table').getByRole('link', { name: round.title, exact: true }).click()
    await expect(bureau).toHaveURL(`/bureau/evaluations/${round.id}`)
    await expect(bureau.getByTestId('page-title')).toHaveText(round.title)
    await expect(row).toHaveCount(1)
    await expect(row).toContainText(mine.name)
    await expect(row.locator('td').nth(1)).toHaveText(String(selfTotal))
  })

  await test.step('the bureau scores the school from its self-evaluation', async () => {
    // The sheet starts from the bureau's earlier scores if any (a server reused from an earlier run), else from the school's.
    const earlier =
      (
        await trpcData<{ schools: { school: { id: number }; submission: { bureauScores: Record<string, number> | null } | null }[] }>(
          bureau.request,
          'evaluation.round',
          { roundId: round.id },
        )
      ).schools.find((s) => s.school.id === mine.id)?.submission?.bureauScores ?? null
    await bureau.getByTestId(`score-school-${mine.code}`).click()
    const dialog = bureau.locator('.el-dialog').filter({ has: bureau.getByTestId('score-save') })
    await expect(dialog).toBeVisible()
    await expect(dialog.locator('.el-dialog__title')).toHaveText(`综合评分 · ${mine.name}`)
    await expect(dialog).toContainText(summary)
    for (const ind of round.indicators) {
      // The school's own score stands beside each field.
      const line = dialog.getByTestId('evaluation-sheet').locator('tbody tr').filter({ hasText: ind.nameZh })
      await expect(line.locator('td').nth(3)).toHaveText(String(self[ind.code]))
      await expect(dialog.locator(`[data-testid="score-${ind.code}"] input`)).toHaveValue(String((earlier ?? self)[ind.code]))
      await setScore(dialog, `score-${ind.code}`, bureauScores[ind.code]!)
    }
    await expect(dialog.getByTestId('evaluation-sheet').locator('.el-table__footer')).toContainText(String(bureauTotal))
    await dialog.locator('textarea').fill(comment)
    await dialog.getByTestId('score-save').click()
    await expect(dialog).toBeHidden()
    await expect(successToast(bureau, '已保存')).toBeVisible()
    await expect(row.locator('td').nth(2)).toHaveText(String(bureauTotal))
  })

  const schools = (await trpcData<{ schools: unknown[] }>(bureau.request, 'evaluation.round', { roundId: round.id })).schools.length
  expect(schools).toBeGreaterThanOrEqual(100)

  await test.step('the report renders its charts and the annex, one row per school', async () => {
    await bureau.getByTestId('round-report').click()
    await expect(bureau).toHaveURL(`/bureau/evaluations/${round.id}/report`)
    const report = bureau.getByTestId('evaluation-report')
    await expect(report).toBeVisible()
    await expect(report.locator('h1')).toHaveText(`${round.yearLabel} 学年上半年（第一学期）心理健康教育督导评估报告`)
    await expect(report).toContainText(`/${schools} 所学校已自评`)

    const canvases = report.locator('canvas')
    await expect.poll(() => canvases.count()).toBeGreaterThanOrEqual(4)
    for (const canvas of await canvases.all()) {
      const box = await canvas.boundingBox()
      expect(box && box.width > 0 && box.height > 0, 'a chart has a size').toBe(true)
      // Something was drawn: not every pixel is transparent.
      await expect
        .poll(
          () =>
            canvas.evaluate((c: HTMLCanvasElement) => {
              const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data
              let painted = 0
              for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) painted++
              return painted
            }),
          { message: 'the chart is drawn' },
        )
        .toBeGreaterThan(0)
    }

    const annex = bureau.getByTestId('report-annex')
    await expect(annex.locator('tbody tr')).toHaveCount(schools)
    const mineRow = annex.locator('tbody tr').filter({ hasText: mine.name })
    await expect(mineRow).toHaveCount(1)
    await expect(mineRow).toContainText(String(selfTotal))
    await expect(mineRow).toContainText(String(bureauTotal))
    await expect(mineRow).toContainText(comment)
  })

  await test.step('in print media the print button is hidden; the printed page is kept', async () => {
    const print = bureau.getByTestId('report-print')
    await expect(print).toBeVisible()
    await bureau.emulateMedia({ media: 'print' })
    await expect(print).toBeHidden()
    await expect(bureau.getByTestId('evaluation-report')).toBeVisible()
    // The score's toast has gone, so the picture is what the printer gets.
    await expect(bureau.locator('.el-message')).toHaveCount(0)
    const path = testInfo.outputPath('evaluation-report-print.png')
    await bureau.screenshot({ path, fullPage: true })
    await testInfo.attach('evaluation report (print media)', { path, contentType: 'image/png' })
    await bureau.emulateMedia({ media: 'screen' })
    await expect(print).toBeVisible()
  })

  await schoolContext.close()
  await bureauContext.close()
})

test("a counsellor sees the evaluation read-only, and the server refuses a self-evaluation submitted behind the page's back", async ({
  page,
}) => {
  await login(page, DEMO_USERS.school3Counsellor)
  const round = await openRound(page.request)
  const before = round.own

  await open(page, '/school/evaluation')
  await expect(page.getByTestId('page-title')).toHaveText('督导评估')
  const card = page.getByTestId(`round-${round.id}`)
  await expect(card).toContainText(round.title)
  await expect(card.getByTestId('evaluation-sheet')).toContainText(round.indicators[0]!.nameZh)
  await expect(card).toContainText('自评由学校管理员提交。')
  await expect(page.locator('[data-testid^="self-submit-"]')).toHaveCount(0)
  await expect(card.locator('[data-testid^="score-"]')).toHaveCount(0)
  await expect(card.locator('textarea[data-testid="self-summary"], [data-testid="self-summary"] textarea')).toBeDisabled()

  // The call the submit button makes, with the counsellor's own session and the app's CSRF header.
  const scores = Object.fromEntries(round.indicators.map((i) => [i.code, i.maxScore]))
  const error = await trpcError(page.request, 'evaluation.submitSelf', {
    roundId: round.id,
    version: before?.version ?? null,
    scores,
    summary: '（E2E）越权提交',
  })
  expect(error.data.code).toBe('FORBIDDEN')
  expect(error.status).toBe(403)

  // Nothing was written.
  expect((await openRound(page.request)).own).toEqual(before)
  await page.reload()
  await expect(page.getByTestId(`round-${round.id}`)).not.toContainText('（E2E）越权提交')
})
