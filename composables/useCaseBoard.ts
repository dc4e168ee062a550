import { GRADES, type CaseCategory, type RiskLevel } from '~~/shared/cases'
import type { DueView } from '~~/shared/due'

/**
 * The caseload board: its filters and query (the search term travels in the POST body, never in the
 * URL), the level and due cards that filter it, the grades to filter by, which rows to highlight (a
 * case with anything overdue), and the same cases as phone cards (level, name, overdue, next due).
 */
export function useCaseBoard() {
  const { $trpc } = useNuxtApp()
  const { t } = useI18n()
  const { formatDateTime, gradeClass } = useFormat()
  const filters = reactive<{
    status: 'open' | 'closed' | 'all'
    riskLevel: RiskLevel | ''
    due: DueView | ''
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
    due: '',
    category: '',
    grade: '',
    className: '',
    search: '',
    mine: false,
    page: 1,
    pageSize: 50,
  })
  const term = useTypedTerm(() => filters.search)

  const input = computed(() => ({
    status: filters.status,
    riskLevel: filters.riskLevel || undefined,
    due: filters.due || undefined,
    category: filters.category || undefined,
    grade: filters.grade === '' ? undefined : filters.grade,
    className: filters.className || undefined,
    search: term.value || undefined,
    mine: filters.mine,
    page: filters.page,
    pageSize: filters.pageSize,
  }))
  const board = $trpc.case.board.useQuery(input, { queryKey: 'case-board' })
  /** The board is settling while its request runs or the typed term has not yet reached the query (aria-busy). */
  const busy = computed(() => board.status.value === 'pending' || term.value !== filters.search.trim())
  watch(
    () => [filters.status, filters.riskLevel, filters.due, filters.category, filters.grade, filters.className, term.value, filters.mine],
    () => {
      filters.page = 1
    },
  )

  /** A card filters the board by its level or due view; clicking it again shows everything again. */
  function toggleLevel(level: RiskLevel) {
    filters.riskLevel = filters.riskLevel === level ? '' : level
  }
  function toggleDue(view: DueView) {
    filters.due = filters.due === view ? '' : view
  }

  const rowClass = ({ row }: { row: { overdue: number } }) => (row.overdue > 0 ? 'xq-overdue-row' : '')

  /** The board's cases as phone cards. */
  const cards = computed(() =>
    (board.data.value?.items ?? []).map((i) => ({
      id: i.id,
      riskLevel: i.riskLevel,
      name: i.student.name,
      studentNo: i.student.studentNo,
      gradeClass: gradeClass(i.student.grade, i.student.className),
      overdue: i.overdue,
      dueToday: i.dueToday,
      closed: i.status === 'closed',
      nextDue: !i.nextDue
        ? null
        : i.nextDue.kind === 'task'
          ? `${t('case.nextTask')} ${formatDateTime(i.nextDue.at)}`
          : `${t('case.nextFollowUp')} ${i.nextDue.on}`,
    })),
  )

  return { filters, board, busy, grades: GRADES, rowClass, toggleLevel, toggleDue, cards }
}
