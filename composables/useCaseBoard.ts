import { GRADES, type CaseCategory, type RiskLevel } from '~~/shared/cases'

/**
 * The caseload board: its filters and query (the search term travels in the POST body, never in the
 * URL), the grades to filter by, and which rows to highlight (a case with anything overdue).
 */
export function useCaseBoard() {
  const { $trpc } = useNuxtApp()
  const filters = reactive<{
    status: 'open' | 'closed' | 'all'
    riskLevel: RiskLevel | ''
    category: CaseCategory | ''
    grade: number | ''
    className: string
    search: string
    mine: boolean
    page: number
    pageSize: number
  }>({
    status: 'open',
    riskLevel: '',
    category: '',
    grade: '',
    className: '',
    search: '',
    mine: false,
    page: 1,
    pageSize: 50,
  })
  const input = computed(() => ({
    status: filters.status,
    riskLevel: filters.riskLevel || undefined,
    category: filters.category || undefined,
    grade: filters.grade === '' ? undefined : filters.grade,
    className: filters.className || undefined,
    search: filters.search || undefined,
    mine: filters.mine,
    page: filters.page,
    pageSize: filters.pageSize,
  }))
  const board = $trpc.case.board.useQuery(input, { queryKey: 'case-board' })
  watch(
    () => [filters.status, filters.riskLevel, filters.category, filters.grade, filters.className, filters.search, filters.mine],
    () => {
      filters.page = 1
    },
  )
  const rowClass = ({ row }: { row: { overdue: number } }) => (row.overdue > 0 ? 'xq-overdue-row' : '')
  return { filters, board, grades: GRADES, rowClass }
}
