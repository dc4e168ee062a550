import { afterEach, describe, expect, it, vi } from 'vitest'
import YearFormDialog from '../../components/year/YearFormDialog.vue'
import en from '../../i18n/locales/en.json'
import { click, field, fieldErrors, mountForm } from './form-harness'

const create = vi.fn(async (_input: unknown) => ({ id: 5 }))
const update = vi.fn(async (_input: unknown) => ({ id: 4 }))
const trpc = { schoolYear: { create: { mutate: create }, update: { mutate: update } } }

function render(value: Record<string, unknown>) {
  return mountForm(YearFormDialog, { value }, trpc)
}
const save = (w: ReturnType<typeof render>) => click(w, 'year-save')

afterEach(() => {
  vi.clearAllMocks()
  vi.unstubAllGlobals()
})

describe('school year dialog', () => {
  it('refuses a label that is not two years, with the server’s message, and sends nothing', async () => {
    const w = render({ label: '', startsOn: '', endsOn: '' })
    await field(w, 'year-label').setValue('2027/28')
    await save(w)
    expect(fieldErrors(w)).toContain(en.validation.schoolYearLabel)
    expect(create).not.toHaveBeenCalled()
  })

  it('refuses dates outside the label’s two years under the end date', async () => {
    const w = render({ id: 4, label: '2027-2028', startsOn: '2026-09-01', endsOn: '2027-08-31' })
    await save(w)
    expect(fieldErrors(w)).toEqual([en.validation.schoolYearDates])
    expect(update).not.toHaveBeenCalled()
  })

  it('creates a year from its label, with the usual 1 Sep – 31 Aug dates', async () => {
    const w = render({ label: '', startsOn: '', endsOn: '' })
    await field(w, 'year-label').setValue('2027-2028')
    await save(w)
    expect(fieldErrors(w)).toEqual([])
    expect(create).toHaveBeenCalledWith({ label: '2027-2028', startsOn: '2027-09-01', endsOn: '2028-08-31' })
    expect(w.emitted('saved')).toHaveLength(1)
  })

  it('renames an existing year by its id', async () => {
    const w = render({ id: 4, label: '2027-2028', startsOn: '2027-09-01', endsOn: '2028-08-31' })
    await save(w)
    expect(update).toHaveBeenCalledWith({ id: 4, label: '2027-2028', startsOn: '2027-09-01', endsOn: '2028-08-31' })
    expect(create).not.toHaveBeenCalled()
  })
})
