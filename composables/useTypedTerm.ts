/** How long a search box waits for typing to pause before it asks the server. */
const PAUSE_MS = 250

/**
 * A search box's term as the query should see it: trimmed, and following the box only once typing
 * pauses (clearing it applies at once), so a name typed character by character is one request, not five.
 */
export function useTypedTerm(source: () => string, pauseMs = PAUSE_MS): Readonly<Ref<string>> {
  const term = ref(source().trim())
  let pause: ReturnType<typeof setTimeout> | undefined
  watch(source, (value) => {
    clearTimeout(pause)
    pause = setTimeout(() => (term.value = value.trim()), value ? pauseMs : 0)
  })
  onScopeDispose(() => clearTimeout(pause))
  return readonly(term)
}
