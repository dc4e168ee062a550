import { computed, nextTick, reactive, ref } from 'vue'
import { SCHOOL_TYPES, type SchoolType } from '~~/shared/roles'
import type { DashboardFrame } from './dashboard-view'
import { useDashboardQuery } from './useDashboardQuery'

/**
 * What every bureau dashboard shares: the street, school type and year filters as an API input (kept in
 * the address with the rest of the dashboard's state, see useDashboardQuery), the school table a clicked
 * figure scrolls to, and street and school names in the reader's language.
 */
export function useDistrictFilters() {
  const { locale } = useI18n()
  const { streets, years } = useStreetsAndYears()
  const query = useDashboardQuery()
  const filters = reactive<{ schoolYearId: number | ''; streetId: number | ''; type: SchoolType | '' }>({
    schoolYearId: query.read.id('year'),
    streetId: query.read.id('street'),
    type: query.read.oneOf('type', SCHOOL_TYPES),
  })
  /** The filters as the address holds them. */
  const queryState = () => ({ year: filters.schoolYearId, street: filters.streetId, type: filters.type })
  const base = computed(() => ({
    schoolYearId: filters.schoolYearId || undefined,
    streetId: filters.streetId || undefined,
    type: filters.type || undefined,
  }))
  const schoolsTable = ref<HTMLElement>()
  /** Brings the school table into view once a figure has set its filter. */
  function reveal() {
    nextTick(() => schoolsTable.value?.scrollIntoView({ behavior: 'smooth', block: 'start' }))
  }
  // Table slots hand rows over untyped: read the two names off whatever row it is.
  const streetName = (s: object) => String((s as { nameZh?: string; nameEn?: string })[locale.value === 'en' ? 'nameEn' : 'nameZh'] ?? '')
  const schoolName = (s: object) => {
    const { name, nameEn } = s as { name?: string; nameEn?: string | null }
    return String((locale.value === 'en' && nameEn) || name || '')
  }
  const streetList = computed(() => streets.data.value ?? [])
  const yearList = computed(() => years.data.value ?? [])
  /** A dashboard's frame: its own title, note, cards and charts with these filters' options. */
  const frame = (own: () => Omit<DashboardFrame, 'streets' | 'years'>) =>
    computed<DashboardFrame>(() => ({ ...own(), streets: streetList.value, years: yearList.value }))
  return { streets, years, streetList, yearList, filters, base, schoolsTable, reveal, streetName, schoolName, frame, query, queryState }
}
