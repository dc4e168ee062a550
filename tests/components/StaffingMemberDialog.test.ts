import { afterEach, describe, expect, it, vi } from 'vitest'
import StaffingMemberDialog from '../../components/staffing/StaffingMemberDialog.vue'
import en from '../../i18n/locales/en.json'
import { click, field, fieldErrors, mountForm, serverValidationError } from './form-harness'

const createMember = vi.fn(async (_input: unknown) => ({ id: 7 }))
const updateMember = vi.fn(async (_input: unknown) => ({ id: 3 }))
const trpc = { staffing: { createMember: { mutate: createMember }, updateMember: { mutate: updateMember } } }
const NEW = { name: '', employment: 'full_time', title: null, startsOn: '2026-09-01', endsOn: null }

function render(value: Record<string, unknown>) {
  return mountForm(StaffingMemberDialog, { value }, trpc)
}
const save = (w: ReturnType<typeof render>) => click(w, 'member-save')

afterEach(() => {
  vi.clearAllMocks()
  vi.unstubAllGlobals()
})

describe('staffing member dialog', () => {
  it('refuses a member without a name with the server’s message, and sends nothing', async () => {
    const w = render(NEW)
    await save(w)
    expect(fieldErrors(w)).toEqual([en.validation.required])
    expect(createMember).not.toHaveBeenCalled()
    expect(w.emitted('saved')).toBeUndefined()
  })

  it('refuses a leaving date before the start date, under the leaving date', async () => {
    const w = render({ ...NEW, name: 'Ms Wu', endsOn: '2026-08-31' })
    await save(w)
    expect(fieldErrors(w)).toEqual([en.validation.endsBeforeStart])
    expect(createMember).not.toHaveBeenCalled()
  })

  it('adds a new member with the typed name, blank title as null', async () => {
    const w = render(NEW)
    await field(w, 'member-name').setValue('Ms Wu')
    await save(w)
    expect(createMember).toHaveBeenCalledTimes(1)
    expect(createMember).toHaveBeenCalledWith({ name: 'Ms Wu', employment: 'full_time', title: null, startsOn: '2026-09-01', endsOn: null })
    expect(updateMember).not.toHaveBeenCalled()
    expect(w.emitted('saved')).toHaveLength(1)
  })

  it('updates an existing member with its id and version', async () => {
    const w = render({
      id: 3,
      version: 2,
      name: 'Mr Li',
      employment: 'part_time',
      title: 'Counsellor',
      startsOn: '2025-09-01',
      endsOn: '2026-07-31',
    })
    await save(w)
    expect(updateMember).toHaveBeenCalledWith({
      id: 3,
      version: 2,
      name: 'Mr Li',
      employment: 'part_time',
      title: 'Counsellor',
      startsOn: '2025-09-01',
      endsOn: '2026-07-31',
    })
    expect(createMember).not.toHaveBeenCalled()
  })

  it('shows a field error the server sends under the same field, in the same words', async () => {
    createMember.mockRejectedValueOnce(serverValidationError([{ path: 'endsOn', code: 'custom', message: 'validation.endsBeforeStart' }]))
    const w = render({ ...NEW, name: 'Ms Wu' })
    await save(w)
    expect(createMember).toHaveBeenCalledTimes(1)
    expect(fieldErrors(w)).toEqual([en.validation.endsBeforeStart])
    expect(w.emitted('saved')).toBeUndefined()
  })
})
