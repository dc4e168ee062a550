import type { LocationQuery, RouteLocationRaw } from 'vue-router'

/** The bureau screens a school's page is opened from, with the page each leads back to. */
export const BUREAU_ORIGINS = {
  overview: '/bureau',
  staffing: '/bureau/staffing',
  rooms: '/bureau/rooms',
  programme: '/bureau/programme',
} as const
export type BureauOrigin = keyof typeof BUREAU_ORIGINS

/** The tab of a school's page that answers what its origin was about. */
export const ORIGIN_TAB: Record<BureauOrigin, string> = { overview: 'profile', staffing: 'team', rooms: 'room', programme: 'programme' }
/** The origin's title, for "Back to …". */
export const ORIGIN_TITLE: Record<BureauOrigin, string> = {
  overview: 'district.title',
  staffing: 'staffing.dashboard.title',
  rooms: 'rooms.title',
  programme: 'programme.matrix.title',
}

const first = (v: LocationQuery[string] | undefined) => (Array.isArray(v) ? v[0] : v) ?? undefined

/** The screen a school's page was opened from (`?from=staffing`), or null. */
export function originOf(query: LocationQuery): BureauOrigin | null {
  const from = first(query.from)
  return from && Object.hasOwn(BUREAU_ORIGINS, from) ? (from as BureauOrigin) : null
}

/** The dashboard a path belongs to, or null. */
export function originOfPath(path: string): BureauOrigin | null {
  const hit = (Object.entries(BUREAU_ORIGINS) as [BureauOrigin, string][]).find(([, p]) => p === path.replace(/\/$/, '') || p === path)
  return hit ? hit[0] : null
}

/**
 * Links from a bureau dashboard to a school's page that remember where the officer came from: the
 * dashboard (`from`) and its filters as its own address holds them (year, street, flag, sort, page). The
 * school's page leads back there with the same filters, and the menu keeps the dashboard highlighted.
 */
export function useSchoolLink() {
  const route = useRoute()
  return (schoolId: number): RouteLocationRaw => {
    const origin = originOfPath(route.path)
    return {
      path: `/bureau/schools/${schoolId}`,
      query: origin ? { ...route.query, from: origin } : {},
    }
  }
}

/** The way back from a school's page: its origin with the filters it was left with, or the overview. */
export function backFromSchool(query: LocationQuery): { origin: BureauOrigin; to: RouteLocationRaw } {
  const origin = originOf(query) ?? 'overview'
  const rest = Object.fromEntries(Object.entries(query).filter(([k]) => k !== 'from' && k !== 'tab'))
  return { origin, to: { path: BUREAU_ORIGINS[origin], query: rest } }
}
