import { computed, type Ref } from 'vue'

/** The first error among a screen's queries, and its message in the reader's language ('' when all loaded). */
export function useLoadError(...queries: { error: Ref<unknown> }[]) {
  const { message } = useApiError()
  const error = computed(() => queries.map((q) => q.error.value).find((e) => e != null) ?? null)
  const errorMessage = computed(() => (error.value ? message(error.value) : ''))
  return { error, errorMessage }
}
