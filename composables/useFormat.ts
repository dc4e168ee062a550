import { useI18n } from 'vue-i18n'
import { classInLocale } from '~~/shared/cases'

/** Dates are stored in UTC and shown in Asia/Shanghai, in the reader's language. */
export function useFormat() {
  const { locale, t } = useI18n()
  const tz = 'Asia/Shanghai'

  function formatDateTime(iso: string | null | undefined): string {
    if (!iso) return '—'
    return new Intl.DateTimeFormat(locale.value, {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    }).format(new Date(iso))
  }

  function formatNumber(n: number | null | undefined): string {
    if (n == null) return '—'
    return new Intl.NumberFormat(locale.value).format(n)
  }

  /** "三年级2班" in Chinese, "Grade 3, class 2" in English. */
  function gradeClass(grade: number, className: string): string {
    return t('student.gradeClass', { grade: t(`grades.g${grade}`), cls: classInLocale(className, locale.value) })
  }

  return { formatDateTime, formatNumber, gradeClass }
}
