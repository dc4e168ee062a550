/** Labels of the research vocabulary (dimensions, coded values, attributes) in the reader's language. */
export function useResearchLabels() {
  const { t, te } = useI18n()
  const SCOPED: Record<string, string> = {
    school_type: 'schoolTypes',
    risk_level: 'risk',
    category: 'categories',
    employment: 'employment',
    event_kind: 'itemsShort',
  }
  function value(dimension: string, v: string): string {
    if (v === 'total') return t('common.total')
    const key = SCOPED[dimension] ? `${SCOPED[dimension]}.${v}` : `research.values.${dimension}.${v}`
    return te(key) ? t(key) : v
  }
  const column = (c: string) => (te(`research.columns.${c}`) ? t(`research.columns.${c}`) : c)
  return { value, column }
}
