import { ElMessage } from 'element-plus'
import type { DistrictStatsExportInput } from '~~/shared/case-schemas'
import type { ExportFormat } from '~~/shared/exports'
import type { MatrixExportInput } from '~~/shared/programme-schemas'
import type { AuditExportInput, SchoolExportInput } from '~~/shared/schemas'
import type { ExportInput } from '~~/shared/staffing-schemas'

type Filters<T> = Omit<T, 'format' | 'locale'>

/** What an export button exports: one table of a screen with that screen's filters. */
export type ExportTarget =
  | { kind: 'staffing'; table: ExportInput['table']; filters: Filters<Omit<ExportInput, 'table'>> }
  | { kind: 'programmeMatrix'; filters: Filters<MatrixExportInput> }
  | { kind: 'schoolList'; filters: Filters<SchoolExportInput> }
  | { kind: 'caseStats'; filters: Filters<DistrictStatsExportInput> }
  | { kind: 'auditLog'; filters: Filters<AuditExportInput> }

/** The test id stem of a target's buttons (`export-staffing-csv`, `export-programmeMatrix-xlsx`). */
export const exportName = (target: ExportTarget): string => (target.kind === 'staffing' ? target.table : target.kind)

/** Exports one table as CSV or Excel in the reader's language, exactly as its filters show it. */
export function useDashboardExport() {
  const { $trpc } = useNuxtApp()
  const { locale, t } = useI18n()
  const { report } = useApiError()
  const { save } = useDownload()
  const busy = ref<'' | ExportFormat>('')

  function send(target: ExportTarget, format: ExportFormat) {
    const how = { format, locale: locale.value === 'en' ? ('en' as const) : ('zh-CN' as const) }
    switch (target.kind) {
      case 'staffing':
        return $trpc.staffing.export.mutate({ ...target.filters, table: target.table, ...how })
      case 'programmeMatrix':
        return $trpc.programme.export.mutate({ ...target.filters, ...how })
      case 'schoolList':
        return $trpc.school.export.mutate({ ...target.filters, ...how })
      case 'caseStats':
        return $trpc.case.exportDistrictStats.mutate({ ...target.filters, ...how })
      case 'auditLog':
        return $trpc.audit.export.mutate({ ...target.filters, ...how })
    }
  }

  async function download(target: ExportTarget, format: ExportFormat) {
    busy.value = format
    try {
      const file = await send(target, format)
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
