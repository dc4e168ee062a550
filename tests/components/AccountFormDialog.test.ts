import { afterEach, describe, expect, it, vi } from 'vitest'
import AccountFormDialog from '../../components/account/AccountFormDialog.vue'
import en from '../../i18n/locales/en.json'
import { click, field, fieldErrors, mountForm } from './form-harness'

const create = vi.fn(async (_input: unknown) => ({ id: 11 }))
const update = vi.fn(async (_input: unknown) => ({ id: 4 }))
const trpc = { account: { create: { mutate: create }, update: { mutate: update } } }
const schools = [{ id: 3, name: 'Lianhua Primary' }]
const NEW = { username: '', displayName: 'Ms Lin', role: 'counsellor', schoolId: 3, password: 'Initial-Pass-2026' }

function render(value: Record<string, unknown>) {
  return mountForm(AccountFormDialog, { value, schools }, trpc)
}

afterEach(() => {
  vi.clearAllMocks()
  vi.unstubAllGlobals()
})

describe('account dialog', () => {
  it('refuses a username with a space with the server’s message, and sends nothing', async () => {
    const w = render(NEW)
    await field(w, 'account-username').setValue('ms lin')
    await click(w, 'account-save')
    expect(fieldErrors(w)).toEqual([en.validation.usernameChars])
    expect(create).not.toHaveBeenCalled()
  })

  it('creates a counsellor of the chosen school with the initial password', async () => {
    const w = render(NEW)
    await field(w, 'account-username').setValue('ms.lin')
    await click(w, 'account-save')
    expect(fieldErrors(w)).toEqual([])
    expect(create).toHaveBeenCalledWith({
      username: 'ms.lin',
      displayName: 'Ms Lin',
      role: 'counsellor',
      schoolId: 3,
      password: 'Initial-Pass-2026',
    })
    expect(w.emitted('saved')).toHaveLength(1)
  })

  it('updates an account by id and version, without username or password', async () => {
    const w = render({ id: 4, version: 3, username: 'ms.lin', displayName: 'Ms Lin-Wang', role: 'counsellor', schoolId: 3, password: '' })
    await click(w, 'account-save')
    expect(update).toHaveBeenCalledWith({ id: 4, version: 3, displayName: 'Ms Lin-Wang', role: 'counsellor', schoolId: 3 })
    expect(create).not.toHaveBeenCalled()
  })
})
