import { useI18n } from 'vue-i18n'
import { taskOutcome, type TaskRecord } from '~~/shared/cases'
import { notifiedLabel } from '~~/shared/timeline'
import { useFormat } from './useFormat'

/** How a finished task reads, the same on the case page and in the print (one record, shown in both places). */
export function useTaskOutcome() {
  const { t } = useI18n()
  const { formatDateTime } = useFormat()

  function describe(task: TaskRecord): string {
    const o = taskOutcome(task)
    if (!o) return ''
    const status = t(`taskStatus.${task.status}`)
    const by = (name: string | null) => (name ? `${t('punct.clause')}${t('case.taskBy', { name })}` : '')
    switch (o.kind) {
      case 'notified':
        return `${status}${t('punct.colon')}${t('case.taskNotified', { who: notifiedLabel(o, t), at: formatDateTime(o.at) })}${by(o.by)}`
      case 'referred':
        return `${status}${t('punct.colon')}${t('case.taskReferred', { target: o.target, on: o.on })}${by(o.by)}`
      case 'notApplicable':
        return `${status}${o.reason ? `${t('punct.colon')}${o.reason}` : ''}${by(o.by)}`
      case 'retired':
        return `${status}${t('punct.colon')}${t('case.taskRetired')}`
      case 'cancelled':
        return t('case.taskCancelledOnClose')
      case 'done':
        return `${status}${by(o.by)}`
    }
  }

  return { describe }
}
