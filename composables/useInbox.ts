import { INBOX_PAGE_SIZE, type InboxKind } from '~~/shared/inbox'

/** How often the bell asks for the unread count while a page is open. */
const POLL_MS = 60_000

/** The signed-in account's unread count, shared by the bell and the inbox page (one state, one query). */
function useUnreadCount() {
  const { $trpc } = useNuxtApp()
  const session = useSessionStore()
  const unread = useState<number>('inbox-unread', () => 0)
  async function refresh() {
    if (!session.user) return
    try {
      unread.value = await $trpc.inbox.unread.query()
    } catch {
      // The count is a convenience: a failed poll keeps the last one (the inbox page reports errors).
    }
  }
  return { unread, refresh }
}

/**
 * The bell in the header (mounted once): re-reads the unread count on every navigation and once a
 * minute while the page is open, and stops both when it unmounts.
 */
export function useInboxBell() {
  const { unread, refresh } = useUnreadCount()
  if (import.meta.client) {
    let timer: ReturnType<typeof setInterval> | undefined
    let stopRouteHook: (() => void) | undefined
    const router = useRouter()
    onMounted(() => {
      void refresh()
      timer = setInterval(refresh, POLL_MS)
      stopRouteHook = router.afterEach(() => void refresh())
    })
    onBeforeUnmount(() => {
      clearInterval(timer)
      stopRouteHook?.()
    })
  }
  return { unread }
}

/** The inbox page: own items newest first, unread filter, paging, marking read and opening an item's record. */
export function useInbox() {
  const { $trpc } = useNuxtApp()
  const { t } = useI18n()
  const { report } = useApiError()
  const { refresh: refreshBell } = useUnreadCount()
  const page = ref(1)
  const unreadOnly = ref(false)
  const list = $trpc.inbox.list.useQuery(() => ({ page: page.value, unreadOnly: unreadOnly.value }), { queryKey: 'inbox-list' })
  const items = computed(() => list.data.value?.items ?? [])
  const text = (kind: InboxKind | string) => t(`inbox.kinds.${kind}`)

  async function reload() {
    await Promise.all([list.refresh(), refreshBell()])
  }
  async function markAll() {
    try {
      await $trpc.inbox.markRead.mutate({ all: true })
      await reload()
    } catch (err) {
      await report(err)
    }
  }
  /** Opening an item marks it read and goes to its record (which checks its own permission). */
  async function openItem(id: number) {
    const item = items.value.find((x) => x.id === id)
    if (!item) return
    try {
      if (!item.read) await $trpc.inbox.markRead.mutate({ ids: [id] })
      await refreshBell()
    } catch (err) {
      await report(err)
      return
    }
    if (item.link) await navigateTo(item.link)
    else await list.refresh()
  }
  watch(unreadOnly, () => {
    page.value = 1
  })
  return {
    list,
    items,
    page,
    pageSize: INBOX_PAGE_SIZE,
    unreadOnly,
    total: computed(() => list.data.value?.total ?? 0),
    unread: computed(() => list.data.value?.unread ?? 0),
    text,
    markAll,
    openItem,
  }
}
