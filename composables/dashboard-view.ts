import type { ExportTarget } from './useDashboardExport'

// The view data a screen composable hands to the shared dashboard components.

/** One figure card. With `action` it is a button that lists the schools behind it. */
export interface KpiView {
  key: string
  label: string
  value: string
  sub?: string
  active?: boolean
  alert?: boolean
  testid?: string
  valueTestid?: string
  action?: () => void
}

/** `null` is a missing value (no bar, a gap in a line), never zero. */
export interface ChartSeries {
  label: string
  data: (number | null)[]
  color: string
  type?: 'bar' | 'line'
}

/** One chart card; `pick` receives the index of a clicked label. */
export interface ChartView {
  key: string
  title: string
  labels: string[]
  series: ChartSeries[]
  max?: number
  stacked?: boolean
  pick?: (index: number) => void
}

/** One column of a street or school-type figures table. */
export interface FigureColumn<R> {
  key: string
  label: string
  minWidth: number
  align?: 'left' | 'right'
  fixed?: boolean
  text: (row: R) => string | number
  /** Makes the cell a link that lists the schools behind it. */
  pick?: (row: R) => void
  danger?: (row: R) => boolean
  testid?: (row: R) => string
}

/** What frames a dashboard (DistrictDashboard's props): title, year note, filter options, cards and charts. */
export interface DashboardFrame {
  title: string
  note: string
  streets: { id: number; nameZh: string; nameEn: string }[]
  years: { id: number; label: string; isCurrent: boolean }[]
  kpis: KpiView[]
  charts: ChartView[]
}

/** A tag on a school's phone card (its status). */
export interface SchoolTag {
  text: string
  type: 'danger' | 'warning' | 'info' | 'success'
}

/** One school of a list as a phone shows it: the school, its figure (a shortfall…) and its status. */
export interface SchoolListItem {
  schoolId: number
  code: string
  name: string
  /** street · type */
  place: string
  figure?: { label: string; value: string; alert?: boolean }
  tags: SchoolTag[]
}

/** The school table's card (DistrictSchoolCard's props): what it lists, under which filter, and its export. */
export interface SchoolCardView {
  title: string
  total: number
  filterLabel: string
  rows: object[]
  tableTestid: string
  /** Starts the table with the sortable school (a link to its page) and street columns. */
  schoolColumns?: boolean
  defaultSort?: { prop: string; order: 'ascending' | 'descending' }
  exportTarget?: ExportTarget
  /** The same schools as cards, shown instead of the table on a phone; a wide table (the matrix) has none. */
  items?: SchoolListItem[]
}
