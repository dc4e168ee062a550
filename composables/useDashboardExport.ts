import { ElMessage } from 'element-plus'
import type { ExportInput } from '~~/shared/staffing-schemas'

/** Exports one dashboard table as CSV or Excel in the reader's language, exactly as its filters show it. */
export function useDashboardExport() {
  const { $trpc } = useNuxtApp()
  const { locale, t } = useI18n()
  const { report } = useApiError()
  const { save } = useDownload()
  const busy = ref<'' | 'csv' | 'xlsx'>('')

  async function download(table: ExportInput['table'], filters: Omit<ExportInput, 'table' | 'format' | 'locale'>, format: 'csv' | 'xlsx') {
    busy.value = format
    try {
      const file = await $trpc.staffing.export.mutate({ ...filters, table, format, locale: locale.value === 'en' ? 'en' : 'zh-CN' })
      save(file)
      ElMessage.success(t('exports.done', { file: file.fileName }))
    } catch (err) {
      await report(err)
    } finally {
      busy.value = ''
    }
  }

  return { busy, download }
}
