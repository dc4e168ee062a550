import { readFile } from 'node:fs/promises'
import { expect, test, type Browser, type Page } from '@playwright/test'
import { parseCsv } from '../../server/rules/roster-import'
import { DEMO_USERS, inputByTestId, login, runToken } from './helpers'
import { download, open, pickOption, successToast } from './helpers/staffing'

async function signedIn(browser: Browser, username: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  const page = await context.newPage()
  await login(page, username)
  return page
}

/** A CSV export as rows of cells, read with the parser the server reads class lists with. */
function csvRows(bytes: Buffer): string[][] {
  return parseCsv(bytes.toString('utf8').replace(/^\uFEFF/, ''))
}

async function sheets(bytes: Buffer): Promise<Record<string, string[][]>> {
  const { default: ExcelJS } = await import('exceljs')
  const book = new ExcelJS.Workbook()
  await book.xlsx.load(bytes as unknown as ArrayBuffer)
  const out: Record<string, string[][]> = {}
  for (const ws of book.worksheets) {
    const rows: string[][] = []
    ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1).map((v) => String(v ?? ''))))
    out[ws.name] = rows
  }
  return out
}

test('research: the bureau registers a project; the researcher builds, previews and requests an export; the bureau approves; the researcher downloads it with codebook and disclosure report', async ({
  browser,
}) => {
  test.setTimeout(180_000)
  const title = `（E2E）学生心理个案风险等级分布研究 ${runToken()}`

  const bureau = await signedIn(browser, DEMO_USERS.bureau)
  await test.step('the bureau registers the project with its ethics approval and gives researcher1 access', async () => {
    await open(bureau, '/bureau/research')
    await bureau.getByTestId('project-create').click()
    await inputByTestId(bureau, 'project-title').fill(title)
    await inputByTestId(bureau, 'project-institution').fill('深圳大学心理学院')
    await inputByTestId(bureau, 'project-purpose').fill('分析全区中小学心理个案的风险等级分布，为心理健康教育资源配置提供依据。')
    // A multiple select stays open after a pick: choose, then close it.
    await bureau.getByTestId('project-researchers').click()
    await bureau.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: '(researcher1)' }).click()
    await bureau.keyboard.press('Escape')
    await expect(bureau.getByTestId('project-researchers')).toContainText('研究人员（示例）')
    await bureau.getByTestId('project-ethics').setInputFiles({
      name: '伦理审查批件.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.7\n' + '伦理审查委员会批准\n'.repeat(40)),
    })
    await bureau.getByTestId('project-save').click()
    await expect(successToast(bureau, '项目已保存')).toBeVisible()
    const row = bureau.getByTestId('projects-table').locator('tr', { hasText: title })
    await expect(row).toContainText('伦理审查批件.pdf')
    await expect(row).toContainText('进行中')
  })

  const researcher = await signedIn(browser, DEMO_USERS.researcher)
  await test.step('the researcher lands on their projects, builds an aggregate table and previews it: no values, what is hidden and why', async () => {
    await expect(researcher).toHaveURL(/\/research$/)
    await expect(researcher.getByTestId('nav-research')).toBeVisible()
    if (await researcher.getByTestId('research-project-pick').isVisible()) await pickOption(researcher, 'research-project-pick', title)
    await expect(researcher.getByTestId('research-project')).toContainText(title)
    await expect(researcher.getByTestId('builder-request')).toBeDisabled()
    await researcher.getByTestId('builder-preview').click()
    const preview = researcher.getByTestId('research-preview')
    await expect(preview).toBeVisible()
    await expect(preview.getByTestId('report-threshold')).toHaveText('10')
    await expect(preview.getByTestId('report-layout')).toContainText('一级')
    await expect(preview.getByTestId('report-layout').locator('td').first()).toHaveText(/^[✓—]$/)
  })

  let exportId = 0
  await test.step('the researcher requests it; it waits for the bureau', async () => {
    await researcher.getByTestId('builder-request').click()
    await expect(successToast(researcher, '已提交申请')).toBeVisible()
    const item = researcher
      .locator('[data-testid^="export-"]')
      .filter({ has: researcher.getByTestId('export-status') })
      .first()
    await expect(item.getByTestId('export-status')).toHaveText('待审批')
    exportId = Number((await item.getAttribute('data-testid'))!.replace('export-', ''))
    await expect(item.getByTestId('download-data.csv')).toHaveCount(0)
  })

  await test.step('the bureau reviews exactly what would be released and approves', async () => {
    await open(bureau, '/bureau/research')
    await bureau.getByRole('tab', { name: /导出申请/ }).click()
    await bureau.getByTestId(`review-${exportId}`).click()
    const dialog = bureau.getByTestId('review-dialog')
    await expect(dialog).toContainText(title)
    await expect(dialog.getByTestId('report-sample')).toContainText('school_type')
    await bureau.getByTestId('review-approve').click()
    await expect(successToast(bureau, '已批准')).toBeVisible()
  })

  await test.step('the researcher downloads the data as CSV and Excel with its codebook, disclosure report and manifest', async () => {
    await open(researcher, '/research')
    if (await researcher.getByTestId('research-project-pick').isVisible()) await pickOption(researcher, 'research-project-pick', title)
    const item = researcher.getByTestId(`export-${exportId}`)
    await expect(item.getByTestId('export-status')).toHaveText('已批准')
    const csv = await download(researcher, 'download-data.csv')
    expect(csv.fileName).toBe(`research-${csv.fileName.split('-')[1]}-${exportId}-data.csv`)
    const data = csvRows(csv.bytes)
    expect(data[0]).toEqual(['school_type', 'crisis', 'high', 'watch', 'routine', 'total'])
    expect(data.at(-1)![0]).toBe('total')
    for (const cell of data.slice(1).flatMap((r) => r.slice(1))) expect(cell === '—' || cell === '0' || Number(cell) >= 10).toBe(true)

    const xlsx = await sheets((await download(researcher, 'download-data.xlsx')).bytes)
    expect(Object.keys(xlsx)).toEqual(['data', 'codebook', 'disclosure'])
    expect(xlsx.data).toEqual(data)

    const codebook = csvRows((await download(researcher, 'download-codebook.csv')).bytes)
    expect(codebook[0]).toEqual(['column', 'label_zh', 'label_en', 'coding', 'generalisation'])
    expect(codebook.slice(1).map((r) => r[0])).toEqual(data[0])

    const disclosure = Object.fromEntries(
      csvRows((await download(researcher, 'download-disclosure.csv')).bytes)
        .slice(1)
        .map(([k, v]) => [k, v]),
    )
    expect(disclosure).toMatchObject({ dataset: 'cases', form: 'aggregate', threshold: '10' })
    expect(Number(disclosure.cells_suppressed_primary) + Number(disclosure.cells_suppressed_complementary)).toBe(
      data
        .slice(1, -1)
        .flatMap((r) => r.slice(1, -1))
        .filter((c) => c === '—').length,
    )

    const manifest = JSON.parse((await download(researcher, 'download-manifest.json')).bytes.toString('utf8')) as {
      project: { title: string }
      files: { name: string }[]
    }
    expect(manifest.project.title).toBe(title)
    expect(manifest.files.map((f) => f.name)).toEqual(['data.csv', 'data.xlsx', 'codebook.csv', 'disclosure.csv'])
  })

  await bureau.context().close()
  await researcher.context().close()
})

test('research: a record-level extract is built, previewed with k, ℓ and what was generalised, requested, approved and downloaded with pseudonyms and no names', async ({
  browser,
}) => {
  test.setTimeout(180_000)
  const title = `（E2E）个案记录级数据研究 ${runToken()}`

  const bureau = await signedIn(browser, DEMO_USERS.bureau)
  await test.step('the bureau registers the project with an ε budget for noisy tables', async () => {
    await open(bureau, '/bureau/research')
    await bureau.getByTestId('project-create').click()
    await inputByTestId(bureau, 'project-title').fill(title)
    await inputByTestId(bureau, 'project-institution').fill('华南师范大学心理学院')
    await inputByTestId(bureau, 'project-purpose').fill('以匿名化的个案记录研究风险等级与个案来源的关系。')
    await bureau.getByTestId('project-researchers').click()
    await bureau.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: '(researcher1)' }).click()
    await bureau.keyboard.press('Escape')
    await inputByTestId(bureau, 'project-epsilon').fill('2')
    await inputByTestId(bureau, 'project-epsilon').blur()
    await bureau.getByTestId('project-ethics').setInputFiles({
      name: '伦理审查批件.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.7\n' + '伦理审查委员会批准\n'.repeat(40)),
    })
    await bureau.getByTestId('project-save').click()
    await expect(successToast(bureau, '项目已保存')).toBeVisible()
    const row = bureau.getByTestId('projects-table').locator('tr', { hasText: title })
    await expect(row).toContainText('已用 ε 0 / 2')
  })

  const researcher = await signedIn(browser, DEMO_USERS.researcher)
  await test.step('the researcher builds a record-level extract and previews k, ℓ and the generalisation, no data', async () => {
    await open(researcher, '/research')
    if (await researcher.getByTestId('research-project-pick').isVisible()) await pickOption(researcher, 'research-project-pick', title)
    await expect(researcher.getByTestId('research-project')).toContainText(title)
    await expect(researcher.getByTestId('research-budget')).toHaveText('已用 ε 0 / 2')
    // The ε field belongs to aggregate tables only.
    await expect(researcher.getByTestId('builder-epsilon')).toBeVisible()
    await researcher.getByTestId('builder-form-record').click()
    await expect(researcher.getByTestId('builder-epsilon')).toHaveCount(0)
    await expect(researcher.getByTestId('builder-attributes')).toBeVisible()
    await researcher.getByTestId('builder-preview').click()
    const preview = researcher.getByTestId('research-preview')
    await expect(preview).toBeVisible()
    await expect(preview.getByTestId('report-kRequired')).toHaveText('10')
    await expect(preview.getByTestId('report-lRequired')).toHaveText('2')
    await expect(preview.getByTestId('report-recordsIn')).toHaveText(/^\d+$/)
    const generalisation = preview.getByTestId('report-generalisation')
    await expect(generalisation).toContainText('学校')
    await expect(generalisation).toContainText('年龄')
    await expect(preview.getByTestId('report-layout')).toHaveCount(0)
  })

  let exportId = 0
  await test.step('the researcher requests it and the bureau approves after seeing the first rows', async () => {
    await researcher.getByTestId('builder-request').click()
    await expect(successToast(researcher, '已提交申请')).toBeVisible()
    const item = researcher
      .locator('[data-testid^="export-"]')
      .filter({ has: researcher.getByTestId('export-status') })
      .first()
    await expect(item.getByTestId('export-status')).toHaveText('待审批')
    exportId = Number((await item.getAttribute('data-testid'))!.replace('export-', ''))

    await open(bureau, '/bureau/research')
    await bureau.getByRole('tab', { name: /导出申请/ }).click()
    await bureau.getByTestId(`review-${exportId}`).click()
    const dialog = bureau.getByTestId('review-dialog')
    await expect(dialog).toContainText(title)
    await expect(dialog.getByTestId('report-kRequired')).toHaveText('10')
    await expect(dialog.getByTestId('report-sample')).toContainText('subject')
    await bureau.getByTestId('review-approve').click()
    await expect(successToast(bureau, '已批准')).toBeVisible()
  })

  await test.step('the researcher downloads it: pseudonyms and generalised attributes, no names; codebook and disclosure report', async () => {
    await open(researcher, '/research')
    if (await researcher.getByTestId('research-project-pick').isVisible()) await pickOption(researcher, 'research-project-pick', title)
    const item = researcher.getByTestId(`export-${exportId}`)
    await expect(item.getByTestId('export-status')).toHaveText('已批准')
    const data = csvRows((await download(researcher, 'download-data.csv')).bytes)
    expect(data[0]).toEqual(['subject', 'school', 'grade', 'sex', 'age', 'opened', 'risk_level', 'status'])
    const disclosure = Object.fromEntries(
      csvRows((await download(researcher, 'download-disclosure.csv')).bytes)
        .slice(1)
        .map(([k, v]) => [k, v]),
    )
    expect(disclosure).toMatchObject({ dataset: 'cases', form: 'record', k_required: '10', l_required: '2' })
    expect(Number(disclosure.records_out)).toBe(data.length - 1)
    // The demo district's cases survive generalisation: the checks below see real rows.
    expect(data.length).toBeGreaterThan(1)
    for (const row of data.slice(1)) {
      // A per-project pseudonym, never a student number or a name: the rows hold no Chinese text at all.
      expect(row[0]).toMatch(/^[A-HJ-NP-Z2-9]{16}$/)
      expect(row.join(',')).not.toMatch(/\p{Script=Han}/u)
    }
    const xlsx = await sheets((await download(researcher, 'download-data.xlsx')).bytes)
    expect(Object.keys(xlsx)).toEqual(['data', 'codebook', 'disclosure'])
    expect(xlsx.data).toEqual(data)
    const codebook = csvRows((await download(researcher, 'download-codebook.csv')).bytes)
    expect(codebook.slice(1).map((r) => r[0])).toEqual(data[0])
    expect(codebook.find((r) => r[0] === 'subject')![3]).toContain('HMAC')
  })

  await test.step('a noisy aggregate table: ε in the builder, the mechanism in the preview, the spend on approval', async () => {
    await researcher.getByTestId('builder-form-aggregate').click()
    await inputByTestId(researcher, 'builder-epsilon').fill('0.5')
    await inputByTestId(researcher, 'builder-epsilon').blur()
    await researcher.getByTestId('builder-preview').click()
    const preview = researcher.getByTestId('research-preview')
    await expect(preview.getByTestId('report-noise')).toContainText('ε = 0.5')
    await researcher.getByTestId('builder-request').click()
    await expect(successToast(researcher, '已提交申请')).toBeVisible()
    const item = researcher
      .locator('[data-testid^="export-"]')
      .filter({ has: researcher.getByTestId('export-epsilon') })
      .first()
    await expect(item.getByTestId('export-status')).toHaveText('待审批')
    await expect(item.getByTestId('export-epsilon')).toHaveText('ε 0.5')
    const noisyId = Number((await item.getAttribute('data-testid'))!.replace('export-', ''))

    await open(bureau, '/bureau/research')
    await bureau.getByRole('tab', { name: /导出申请/ }).click()
    await bureau.getByTestId(`review-${noisyId}`).click()
    await expect(bureau.getByTestId('review-dialog').getByTestId('report-noise')).toContainText('ε = 0.5')
    await bureau.getByTestId('review-approve').click()
    await expect(successToast(bureau, '已批准')).toBeVisible()
    await expect(bureau.getByTestId('projects-table').locator('tr', { hasText: title })).toContainText('已用 ε 0.5 / 2')

    await open(researcher, '/research')
    if (await researcher.getByTestId('research-project-pick').isVisible()) await pickOption(researcher, 'research-project-pick', title)
    await expect(researcher.getByTestId('research-budget')).toHaveText('已用 ε 0.5 / 2')
    const approved = researcher.getByTestId(`export-${noisyId}`)
    await expect(approved.getByTestId('export-status')).toHaveText('已批准')
    const [file] = await Promise.all([researcher.waitForEvent('download'), approved.getByTestId('download-disclosure.csv').click()])
    const disclosure = Object.fromEntries(
      csvRows(await readFile((await file.path())!))
        .slice(1)
        .map(([k, v]) => [k, v]),
    )
    expect(disclosure).toMatchObject({ form: 'aggregate', noise_mechanism: 'discrete_laplace', noise_epsilon: '0.5' })
  })

  await bureau.context().close()
  await researcher.context().close()
})
