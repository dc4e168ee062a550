import { HIDDEN_MARK } from '~~/shared/disclosure'

/** A campaign's participation and warning-level distribution by school, street, grade band and sex (published figures only). */
export function useScreeningDistribution() {
  const { $trpc } = useNuxtApp()
  const { t, locale } = useI18n()
  const { report } = useApiError()
  const data = ref<Awaited<ReturnType<typeof $trpc.screening.distribution.query>> | null>(null)
  async function open(campaignId: number) {
    try {
      data.value = await $trpc.screening.distribution.query({ campaignId })
    } catch (err) {
      await report(err)
    }
  }
  const cell = (n: number | null | undefined) => (n == null ? HIDDEN_MARK : String(n))
  /** A row's label in the reader's language (table slots hand rows over untyped). */
  const rowLabel = (dimension: string, row: object) => {
    const r = row as { key: string | number; name: string; nameEn: string | null }
    if (dimension === 'byGradeBand') return t(`screening.gradeBand.${r.key}`)
    if (dimension === 'bySex') return t(`screening.sex.${r.key}`)
    return (locale.value === 'en' && r.nameEn) || r.name
  }
  return { data, open, close: () => (data.value = null), cell, rowLabel }
}
