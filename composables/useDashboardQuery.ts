import { watch } from 'vue'
import type { LocationQuery } from 'vue-router'

/** A value a screen keeps in its address; '' / undefined / false / null are left out. */
export type QueryValue = string | number | boolean | null | undefined

/**
 * Keeps a screen's filters in its address (`/bureau/staffing?year=3&street=2&flag=shortfall&page=2`), so
 * a reload, a shared link or the way back from a school's page shows the same list. Only filters live
 * there, never anything about a person. `read` parses what the address holds, refusing anything the
 * screen would not offer; `keep` writes the state back on every change, replacing the history entry.
 */
export function useDashboardQuery() {
  const route = useRoute()
  const router = useRouter()
  const query: LocationQuery = { ...(route?.query ?? {}) }

  const one = (key: string): string | undefined => {
    const v = query[key]
    const s = Array.isArray(v) ? v[0] : v
    return typeof s === 'string' && s !== '' ? s : undefined
  }
  const read = {
    /** a positive whole number (an id, a page) or '' */
    id(key: string): number | '' {
      const s = one(key)
      return s && /^[1-9]\d{0,8}$/.test(s) ? Number(s) : ''
    },
    /** one of the allowed values or '' */
    oneOf<T extends string>(key: string, allowed: readonly T[]): T | '' {
      const s = one(key)
      return s && (allowed as readonly string[]).includes(s) ? (s as T) : ''
    },
    flag(key: string): boolean {
      return one(key) === '1'
    },
    /** free text up to `max` characters (a search), or '' */
    text(key: string, max = 60): string {
      return (one(key) ?? '').slice(0, max)
    },
  }

  /** Writes `state()` to the address whenever it changes (client only; defaults are passed as undefined). */
  function keep(state: () => Record<string, QueryValue>) {
    if (import.meta.server || !router) return
    watch(state, (s) => {
      const next: Record<string, string> = {}
      for (const [k, v] of Object.entries(s)) {
        if (v === undefined || v === null || v === '' || v === false) continue
        next[k] = v === true ? '1' : String(v)
      }
      const current = router.currentRoute.value
      const same =
        Object.keys(next).length === Object.keys(current.query).length && Object.entries(next).every(([k, v]) => current.query[k] === v)
      if (!same) router.replace({ query: next })
    })
  }

  return { read, keep }
}
