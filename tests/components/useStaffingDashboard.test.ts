import { mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, nextTick, ref, type Ref } from 'vue'
import { createI18n, useI18n } from 'vue-i18n'
import { useFormat } from '../../composables/useFormat'
import { useSchoolLink } from '../../composables/useSchoolLink'
import { useStaffingDashboard } from '../../composables/useStaffingDashboard'
import en from '../../i18n/locales/en.json'
import zh from '../../i18n/locales/zh-CN.json'

const totals = {
  schools: 3,
  reporting: 2,
  students: 5200,
  required: 6,
  counted: 7,
  shortfall: 2,
  shortSchools: 1,
  noTeacher: 1,
  partTime: 2,
  purchased: 1,
  expiring: 1,
  trainingBelow: 0,
}
const street = (streetId: number, nameEn: string, required: number, counted: number, shortfall: number) => ({
  streetId,
  nameZh: `街道${streetId}`,
  nameEn,
  schools: 1,
  students: required * 1000,
  required,
  counted,
  shortfall,
  shortSchools: shortfall ? 1 : 0,
  noTeacher: 0,
  partTime: 0,
  purchased: 0,
})
const dashboard = {
  year: { id: 1, label: '2025-2026' },
  refDate: '2026-03-01',
  settings: { studentsPerFullTime: 1000, trainingHoursPerYear: 24, certificateWarningDays: 90 },
  totals,
  // Futian has two posts more than it needs: they must not show as filling Lianhua's gap.
  byStreet: [street(1, 'Futian', 2, 4, 0), street(2, 'Lianhua', 4, 3, 2)],
  byType: [],
  rows: [],
  total: 3,
}
const trend = {
  years: [
    { year: { label: '2024-2025' }, staffing: { required: 5, counted: 4, shortfall: 1, noTeacher: 0 } },
    { year: { label: '2025-2026' }, staffing: { required: 6, counted: 7, shortfall: 2, noTeacher: 1 } },
  ],
}

/** A stand-in for trpc-nuxt's useQuery: the data given, and the last input asked for. */
function fakeQuery<T>(data: T, error: unknown = null) {
  const inputs: unknown[] = []
  const query = (input: unknown) => {
    inputs.push(input)
    return { data: ref(data) as Ref<T>, error: ref(error), status: ref(error ? 'error' : 'success'), refresh: vi.fn() }
  }
  return { query, inputs }
}

let dash: ReturnType<typeof fakeQuery<typeof dashboard>>
/** The address the dashboard opens on, and what it writes back (router.replace). */
let address: { path: string; query: Record<string, string> }
let replaced: { query: Record<string, string> }[]
beforeEach(() => {
  address = { path: '/bureau/staffing', query: {} }
  replaced = []
  const router = {
    currentRoute: {
      get value() {
        return address
      },
    },
    replace: vi.fn((to: { query: Record<string, string> }) => {
      replaced.push(to)
      address = { ...address, query: to.query }
    }),
  }
  vi.stubGlobal('useRoute', () => address)
  vi.stubGlobal('useRouter', () => router)
  vi.stubGlobal('useSchoolLink', useSchoolLink)
  dash = fakeQuery(dashboard)
  const $trpc = {
    staffing: {
      dashboard: { useQuery: dash.query },
      trend: { useQuery: fakeQuery(trend).query },
      certificates: { useQuery: fakeQuery({ rows: [] }).query },
    },
  }
  vi.stubGlobal('useI18n', useI18n)
  vi.stubGlobal('useFormat', useFormat)
  vi.stubGlobal('useNuxtApp', () => ({ $trpc }))
  vi.stubGlobal('useHead', vi.fn())
  vi.stubGlobal('useApiError', () => ({ message: (err: Error) => `failed: ${err.message}` }))
  vi.stubGlobal('useStreetsAndYears', () => ({ streets: fakeQuery([]).query(undefined), years: fakeQuery([]).query(undefined) }))
})
afterEach(() => {
  vi.unstubAllGlobals()
})

/** Runs the composable in a component (it needs i18n and a setup context) and waits for its queries. */
async function setup(locale: 'en' | 'zh-CN' = 'en') {
  let screen!: ReturnType<typeof useStaffingDashboard>
  const Host = defineComponent({
    setup() {
      screen = useStaffingDashboard()
      return () => null
    },
  })
  const i18n = createI18n({ legacy: false, locale, messages: { en, 'zh-CN': zh } })
  mount(Host, { global: { plugins: [i18n] } })
  return await screen
}

describe('useStaffingDashboard', () => {
  it('shows coverage as filled posts of required ones: a surplus never covers another school’s gap', async () => {
    const { kpis } = await setup()
    const coverage = kpis.value.find((k) => k.key === 'coverage')!
    // 6 required, 2 short: 4 filled (66.7%), although 7 posts are counted district-wide.
    expect(coverage.value).toBe('66.7%')
    expect(coverage.sub).toBe('4 / 6')
  })

  it('has no error message when every query loaded', async () => {
    expect((await setup()).errorMessage.value).toBe('')
  })

  it('labels the figure cards and marks what needs attention', async () => {
    const { kpis } = await setup()
    expect(kpis.value.map((k) => k.testid)).toEqual([
      'kpi-shortfall',
      'kpi-no-teacher',
      'kpi-coverage',
      undefined,
      'kpi-expiring',
      'kpi-training',
      'kpi-not-reported',
    ])
    const shortfall = kpis.value[0]!
    expect(shortfall).toMatchObject({ label: en.staffing.dashboard.shortfall, value: '2', alert: true, active: false })
    expect(kpis.value.find((k) => k.key === 'notReported')?.value).toBe('1')
    expect(kpis.value.find((k) => k.key === 'partTime')?.action).toBeUndefined()
  })

  it('omits the not-reported card when every school reported', async () => {
    dash = fakeQuery({ ...dashboard, totals: { ...totals, reporting: 3 } })
    const $trpc = (
      globalThis as unknown as { useNuxtApp: () => { $trpc: { staffing: { dashboard: { useQuery: unknown } } } } }
    ).useNuxtApp().$trpc
    $trpc.staffing.dashboard.useQuery = dash.query
    vi.stubGlobal('useNuxtApp', () => ({ $trpc }))
    expect((await setup()).kpis.value.some((k) => k.key === 'notReported')).toBe(false)
  })

  it('charts each street’s counted posts only up to its requirement, and the trend by year', async () => {
    const { charts } = await setup()
    const [byStreet, byYear] = charts.value
    expect(byStreet!.labels).toEqual(['Futian', 'Lianhua'])
    expect(byStreet!.series.map((s) => s.data)).toEqual([
      [2, 4],
      [2, 3],
      [0, 2],
    ])
    expect(byYear!.labels).toEqual(['2024-2025', '2025-2026'])
    const d = en.staffing.dashboard
    expect(byYear!.series.map((s) => s.label)).toEqual([d.requiredSeries, d.countedSeries, d.shortfallSeries, d.noTeacherSeries])
    expect(byYear!.series[1]!.data).toEqual([4, 7])
  })

  it('a card lists the schools behind it: the flag goes into the query and the tag', async () => {
    const { kpis, card, table } = await setup()
    kpis.value.find((k) => k.key === 'shortfall')!.action!()
    await nextTick()
    expect(table.flag).toBe('shortfall')
    expect(kpis.value.find((k) => k.key === 'shortfall')!.active).toBe(true)
    expect(card.value).toMatchObject({
      filterLabel: en.dashFlags.staffing.shortfall,
      exportTarget: { kind: 'staffing', table: 'staffing', filters: { flag: 'shortfall' } },
      tableTestid: 'staffing-school-table',
    })
    const input = dash.inputs.at(-1) as { value: Record<string, unknown> }
    expect(input.value).toMatchObject({ flag: 'shortfall', sort: 'shortfall', order: 'desc', page: 1 })
  })

  it('reports a failed query as a message and no figures', async () => {
    dash = fakeQuery(undefined as unknown as typeof dashboard, new Error('INTERNAL'))
    const $trpc = (
      globalThis as unknown as { useNuxtApp: () => { $trpc: { staffing: { dashboard: { useQuery: unknown } } } } }
    ).useNuxtApp().$trpc
    $trpc.staffing.dashboard.useQuery = dash.query
    const { errorMessage, kpis, d } = await setup()
    expect(errorMessage.value).toBe('failed: INTERNAL')
    expect(d.value).toBeUndefined()
    expect(kpis.value).toEqual([])
  })

  it('a street’s bar lists that street’s short schools', async () => {
    const { charts, table, filters } = await setup()
    charts.value[0]!.pick!(1)
    expect(table.flag).toBe('shortfall')
    expect(filters.streetId).toBe(2)
  })

  it('opens on the filters its address holds, ignores what it does not offer, and writes changes back', async () => {
    address = {
      path: '/bureau/staffing',
      query: { year: '3', street: '2', type: 'junior', flag: 'noTeacher', sort: 'students', order: 'asc', page: '3', bogus: 'x' },
    }
    const { filters, table, card } = await setup()
    expect({ ...filters }).toEqual({ schoolYearId: 3, streetId: 2, type: 'junior' })
    expect({ ...table }).toMatchObject({ flag: 'noTeacher', sort: 'students', order: 'asc', page: 3 })
    expect(card.value.defaultSort).toEqual({ prop: 'students', order: 'ascending' })
    const input = dash.inputs.at(-1) as { value: Record<string, unknown> }
    expect(input.value).toMatchObject({ schoolYearId: 3, streetId: 2, type: 'junior', flag: 'noTeacher', sort: 'students', page: 3 })

    // a new flag starts again on page 1; the address follows, defaults and unknown keys left out
    table.flag = 'shortfall'
    await nextTick()
    await nextTick()
    expect(replaced.at(-1)!.query).toEqual({ year: '3', street: '2', type: 'junior', flag: 'shortfall', sort: 'students', order: 'asc' })
  })

  it('refuses what the address holds that the dashboard would never offer', async () => {
    address = {
      path: '/bureau/staffing',
      query: { year: '-1', street: '1e3', type: 'castle', flag: 'everything', sort: 'secret', page: '0' },
    }
    const { filters, table } = await setup()
    expect({ ...filters }).toEqual({ schoolYearId: '', streetId: '', type: '' })
    expect({ ...table }).toMatchObject({ flag: '', sort: 'shortfall', order: 'desc', page: 1 })
  })

  it('links a school with the way back: the dashboard and its filters', async () => {
    address = { path: '/bureau/staffing', query: { street: '2', flag: 'shortfall' } }
    const { schoolLink } = await setup()
    expect(schoolLink(41)).toEqual({ path: '/bureau/schools/41', query: { street: '2', flag: 'shortfall', from: 'staffing' } })
  })
})
