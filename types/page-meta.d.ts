import type { Permission } from '~~/shared/permissions'

declare module '#app' {
  interface PageMeta {
    /** the permission a page needs; hides UI only — the server checks every call again */
    permission?: Permission
    /** reachable without signing in */
    public?: boolean
  }
}

export {}
