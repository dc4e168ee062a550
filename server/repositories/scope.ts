/** Which schools an actor may see. Computed once per request in the service layer; every repository applies it. */
export type Scope = { kind: 'all' } | { kind: 'school'; schoolId: number } | { kind: 'none' }

/**
 * The school ids a scope admits: `'all'`, or a list (empty = nothing). Repositories turn this into
 * their `where`; they never decide the scope themselves.
 */
export function scopedSchoolIds(scope: Scope): 'all' | number[] {
  if (scope.kind === 'all') return 'all'
  if (scope.kind === 'school') return [scope.schoolId]
  return []
}
