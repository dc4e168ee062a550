import { expect, test } from '@playwright/test'
import { DEMO_USERS, inputByTestId, login, waitForHydration } from './helpers'

test('admin adds a school and its counsellor; the counsellor must change the password, then sees that school', async ({ browser }) => {
  const adminContext = await browser.newContext()
  const admin = await adminContext.newPage()
  await login(admin, DEMO_USERS.admin)

  // A new school in 香蜜湖.
  await admin.getByTestId('nav-admin-schools').click()
  await expect(admin.getByTestId('page-title')).toHaveText('学校管理')
  await admin.getByTestId('school-create').click()
  await inputByTestId(admin, 'school-code').fill('E2E-P901')
  await inputByTestId(admin, 'school-name').fill('端到端测试小学')
  await admin.getByTestId('school-street').click()
  await admin.locator('.el-select-dropdown:visible').getByText('香蜜湖', { exact: true }).click()
  await admin.getByTestId('school-save').click()
  await expect(admin.locator('.el-message--success')).toBeVisible()

  // A duplicate code is refused with a clear message, and nothing is added.
  await admin.getByTestId('school-create').click()
  await inputByTestId(admin, 'school-code').fill('E2E-P901')
  await inputByTestId(admin, 'school-name').fill('重复代码学校')
  await admin.getByTestId('school-street').click()
  await admin.locator('.el-select-dropdown:visible').getByText('香蜜湖', { exact: true }).click()
  await admin.getByTestId('school-save').click()
  await expect(admin.locator('.el-message--error')).toContainText('该学校代码已被使用。')
  await admin.keyboard.press('Escape')

  // Its counsellor account.
  await admin.getByTestId('nav-admin-accounts').click()
  await admin.getByTestId('account-create').click()
  await inputByTestId(admin, 'account-username').fill('e2e.counsellor')
  await inputByTestId(admin, 'account-display-name').fill('测试心理教师')
  await admin.getByTestId('account-school').click()
  await admin.keyboard.type('端到端')
  await admin.locator('.el-select-dropdown:visible').getByText('端到端测试小学').click()
  await inputByTestId(admin, 'account-password').fill('Initial-Pass-2026')
  await admin.getByTestId('account-save').click()
  await expect(admin.getByTestId('account-table')).toContainText('e2e.counsellor')
  await expect(admin.getByTestId('account-table')).toContainText('待改密码')

  // The new counsellor signs in and is held on the account page until the password is changed.
  const userContext = await browser.newContext()
  const user = await userContext.newPage()
  await login(user, 'e2e.counsellor', 'Initial-Pass-2026')
  await expect(user).toHaveURL('/account')
  await expect(user.getByTestId('must-change')).toBeVisible()
  await user.goto('/school')
  await waitForHydration(user)
  await expect(user).toHaveURL('/account')

  await inputByTestId(user, 'pw-current').fill('Initial-Pass-2026')
  await inputByTestId(user, 'pw-new').fill('short')
  await inputByTestId(user, 'pw-confirm').fill('short')
  await user.getByTestId('pw-submit').click()
  // Under the field, and in the message, which names the field.
  await expect(user.locator('.el-form-item__error').filter({ hasText: '密码至少 10 个字符' })).toBeVisible()
  await expect(user.locator('.el-message--error')).toContainText('新密码：密码至少 10 个字符')

  await inputByTestId(user, 'pw-new').fill('My-Own-Secret-2026')
  await inputByTestId(user, 'pw-confirm').fill('My-Own-Secret-2026')
  await user.getByTestId('pw-submit').click()
  await expect(user.locator('.el-message--success')).toBeVisible()
  await expect(user.getByTestId('must-change')).toHaveCount(0)

  await user.getByTestId('nav-school').click()
  await expect(user).toHaveURL('/school')
  await expect(user.getByTestId('page-title')).toHaveText('端到端测试小学')

  // The audit log shows what happened, and its chain verifies.
  await admin.getByTestId('nav-admin-audit').click()
  await expect(admin.getByTestId('audit-table')).toContainText('修改密码')
  await admin.getByTestId('audit-verify').click()
  await expect(admin.getByText(/日志链完整：已校验 \d+ 条记录。/).first()).toBeVisible()

  await userContext.close()
  await adminContext.close()
})
