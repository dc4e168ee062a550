/** A running class session as the counsellor projects it: the class code and how many finished (counts only). */
export function useScreeningSession(sessionId: number) {
  const { $trpc } = useNuxtApp()
  const { report } = useApiError()
  const q = $trpc.screening.session.useQuery({ sessionId }, { queryKey: `screening-session-${sessionId}` })
  const s = computed(() => q.data.value ?? null)
  let timer: ReturnType<typeof setInterval> | null = null
  onMounted(() => {
    timer = setInterval(() => {
      if (s.value && !s.value.endedAt) void q.refresh()
    }, 5000)
  })
  onBeforeUnmount(() => {
    if (timer) clearInterval(timer)
  })
  async function end() {
    try {
      await $trpc.screening.endSession.mutate({ sessionId })
      await q.refresh()
    } catch (err) {
      await report(err)
    }
  }
  return { q, s, end }
}
