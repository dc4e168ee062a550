import { expect, test } from '@playwright/test'
import { apiLogin, DEMO_USERS, inputByTestId, login, runToken, trpcData, waitForHydration } from './helpers'

/**
 * A teacher answers on a 390 px phone from a personal code (no account), sees their own bands and
 * where to get help; the school counsellor finds the confidential alert in the inbox, acknowledges it
 * and records support.
 */
test('a teacher answers on a phone from a code; the counsellor acknowledges the alert from the inbox and records support', async ({
  browser,
}) => {
  test.setTimeout(150_000)
  const token = runToken()

  // The school admin adds a teacher, opens a school round and issues the codes (what the slips carry).
  const admin = await browser.newContext()
  await apiLogin(admin.request, DEMO_USERS.school1Admin)
  const teacher = await trpcData<{ id: number }>(admin.request, 'teacher.create', {
    staffNo: `E2E-${token}`,
    name: `评估教师（E2E${token}）`,
    sex: 'F',
    birthYear: 1988,
    subject: '语文',
    phone: null,
  })
  const round = await trpcData<{ id: number }>(admin.request, 'assessment.openRound', {
    name: `E2E 教师评估 ${token}`,
    opensAt: new Date(Date.now() - 3_600_000).toISOString(),
    closesAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    instruments: ['phq9'],
    schoolIds: [],
    consentZh: '本评估自愿参加，结果不作为考核依据。只有学校指定的心理教师在需要时看到个人结果；个人答案保存一年。',
    consentEn:
      'Voluntary; never used in appraisal (不作为考核依据). Only the designated counsellor sees individual results when needed; answers are kept one year.',
    recurrence: 'none',
  })
  const { slips } = await trpcData<{ slips: { teacherId: number; code: string }[] }>(admin.request, 'assessment.issueCodes', {
    roundId: round.id,
  })
  const code = slips.find((s) => s.teacherId === teacher.id)!.code
  await admin.close()

  // On the phone: the link with the code in the fragment, the consent, the questions, submit.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN' })
  const page = await phone.newPage()
  await page.goto(`/a#${code}`)
  await waitForHydration(page)
  await expect(page.getByTestId('assess-consent')).toContainText('不作为考核依据')
  expect(new URL(page.url()).hash).toBe('')
  await page.getByTestId('assess-agree').click()
  for (let i = 1; i <= 9; i++) {
    // every item "not at all", item 9 "several days": a total of 1 that must still alert
    await page
      .getByTestId(`assess-item-phq9_${i}`)
      .locator('label')
      .nth(i === 9 ? 1 : 0)
      .click()
  }
  await expect(page.getByTestId('assess-progress')).toContainText('9 / 9')
  await expect(page.getByTestId('assess-saved')).toHaveText('已保存')
  const width = await page.evaluate(() => document.documentElement.scrollWidth)
  expect(width).toBeLessThanOrEqual(390)
  await page.getByTestId('assess-submit').click()
  await expect(page.getByTestId('assess-done')).toBeVisible()
  await expect(page.getByTestId('assess-band-phq9')).toContainText('无或极轻')
  await expect(page.getByTestId('assess-not-diagnosis')).toContainText('不是诊断')
  await expect(page.getByTestId('assess-help')).toContainText('12356')

  // The same code again (a second tab, or someone else holding the slip): refused, nothing shown.
  const again = await phone.newPage()
  await again.goto(`/a#${code}`)
  await waitForHydration(again)
  await expect(again.getByTestId('assess-error')).toContainText('已提交过')
  await expect(again.getByTestId('assess-consent')).toHaveCount(0)
  await phone.close()

  // The counsellor: the inbox item leads to the alert; acknowledge, record a contact.
  const desk = await browser.newContext()
  const cp = await desk.newPage()
  await login(cp, DEMO_USERS.school1Counsellor)
  await cp.goto('/inbox')
  await waitForHydration(cp)
  const item = cp.getByTestId('inbox-item').filter({ hasText: '保密预警' }).first()
  await item.locator('button').first().click()
  await cp.waitForURL(/\/school\/assessment\/alerts\/\d+$/)
  await waitForHydration(cp)
  await expect(cp.getByTestId('alert-head')).toContainText(`评估教师（E2E${token}）`)
  await expect(cp.getByTestId('alert-head')).toContainText('PHQ-9 第 9 题')
  await cp.getByTestId('alert-acknowledge').click()
  await expect(cp.getByTestId('alert-acknowledged')).toBeVisible()
  await inputByTestId(cp, 'support-text').fill(`（E2E）电话联系，约定面谈。${token}`)
  await cp.getByTestId('support-save').click()
  await expect(cp.getByTestId('support-table')).toContainText(`约定面谈。${token}`)
  await desk.close()
})
