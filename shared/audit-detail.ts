/**
 * How an audit row's `detail` reads. The server writes short codes (`csv,year:3,rows:12,flag:shortfall`,
 * `watch>high`, `wrong_password`); the audit log and its export show them in the reader's language
 * through the same message keys (`audit.details.*` and the domain's own labels). A code this module does
 * not know is shown as stored, never dropped.
 */

export type DetailTranslate = (key: string, params?: Record<string, string | number>) => string

export interface DetailContext {
  t: DetailTranslate
  /** whether a message key exists (vue-i18n's `te`; the server's translator answers by lookup) */
  has: (key: string) => boolean
  locale: 'zh-CN' | 'en'
  /** school year labels by id, and street names by id, for `year:` and `street:` */
  years: Readonly<Record<number, string>>
  streets: Readonly<Record<number, { nameZh: string; nameEn: string }>>
}

export interface AuditDetailRow {
  action: string
  entityType: string | null
  detail: string | null
}

/** Codes that name why something was refused or failed (sign-in, password change, access). */
const REASONS = [
  'throttled_ip',
  'throttled_account',
  'throttled_code',
  'throttled_request',
  'unknown_account',
  'account_disabled',
  'wrong_password',
  'wrong_current',
  'no_permission_declared',
  'must_change_password',
  'unknown_code',
  'code_used',
  'round_closed',
  'not_open',
  'throttled_mfa',
  'wrong_code',
  'replayed_code',
  'wrong_recovery_code',
  'unknown_class_code',
  'other_class',
]

/** Reads one stored detail in the reader's language; '' for none. */
export function describeAuditDetail(row: AuditDetailRow, c: DetailContext): string {
  const raw = row.detail
  if (raw == null || raw === '') return ''
  const { t } = c
  const label = (key: string, fallback: string) => (c.has(key) ? t(key) : fallback)

  // Whole-detail forms first: a transition and a task's outcome.
  if (row.action === 'case.risk_change' || row.action === 'case.referral_update') {
    const [from, to] = raw.split('>')
    if (from != null && to != null) {
      const prefix = row.action === 'case.risk_change' ? 'risk' : 'referralStatuses'
      return t('audit.details.change', { from: label(`${prefix}.${from}`, from), to: label(`${prefix}.${to}`, to) })
    }
  }
  if (row.action === 'audit.verify') {
    const [what, n] = raw.split(':')
    if (what === 'checked') return t('audit.details.checked', { n: n ?? '' })
    if (what && n) return t('audit.details.break', { reason: label(`audit.breaks.${what}`, what), seq: n })
  }
  if (row.action === 'retention.purge') {
    // One count per data class; -1 marks a class whose purge failed.
    return raw
      .split(',')
      .map((part) => {
        const [cls, n] = part.split(':')
        const name = label(`retention.classes.${cls}`, cls ?? '')
        return Number(n) < 0 ? t('audit.details.purgeFailed', { v: name }) : t('audit.details.purged', { v: name, n: n ?? '' })
      })
      .join(' · ')
  }
  if (row.action === 'case.notify') {
    const [recipient, task] = raw.split(':')
    if (recipient) return `${label(`notifyRecipients.${recipient}`, recipient)}${task === 'task' ? t('audit.details.completesTask') : ''}`
  }
  if (row.action === 'case.task_complete') {
    const [kind, status] = raw.split(':')
    if (kind && status) return `${label(`tasks.${kind}`, kind)}${t('punct.colon')}${label(`taskStatus.${status}`, status)}`
  }

  // A correction's reason is free text and may hold commas: it runs to the end of the detail.
  const at = raw.search(/(^|,)correction:/)
  const head = at < 0 ? raw : raw.slice(0, at)
  const correction = at < 0 ? null : raw.slice(raw.indexOf('correction:', at) + 'correction:'.length)
  const parts = head
    .split(',')
    .filter(Boolean)
    .map((token) => describeToken(row, token, c))
  if (correction != null) parts.push(t('audit.details.correction', { v: correction }))
  // An account edit lists its changed fields as bare codes: one phrase for them all.
  if (row.action === 'account.update' || row.action === 'account.permission_change') {
    return t('audit.details.changed', { list: parts.join(t('punct.list')) })
  }
  return parts.join(' · ')
}

function describeToken(row: AuditDetailRow, token: string, c: DetailContext): string {
  const { t } = c
  const label = (key: string, fallback: string) => (c.has(key) ? t(key) : fallback)
  const colon = token.indexOf(':')
  if (colon < 0) return describeBare(row, token, c)
  const key = token.slice(0, colon)
  const v = token.slice(colon + 1)
  const n = Number(v)
  switch (key) {
    case 'year':
      return t('audit.details.year', { v: c.years[n] ?? `#${v}` })
    case 'street': {
      const s = c.streets[n]
      return t('audit.details.street', { v: s ? (c.locale === 'en' ? s.nameEn : s.nameZh) : `#${v}` })
    }
    case 'type':
      return t('audit.details.type', { v: label(`schoolTypes.${v}`, v) })
    case 'flag': {
      const keys = [`dashFlags.${row.entityType === 'rooms' ? 'rooms' : 'staffing'}.${v}`, `dashFlags.rooms.${v}`]
      const k = keys.find((x) => c.has(x))
      return t('audit.details.flag', { v: k ? t(k) : v })
    }
    case 'item':
      return t('audit.details.item', { v: label(`itemsShort.${v}`, v) })
    case 'status': {
      const k = row.entityType === 'schoolList' ? `exports.filters.schoolStatus.${v}` : `itemStatus.${v}`
      return t('audit.details.status', { v: label(k, v) })
    }
    case 'dimension':
      return t('audit.details.dimension', { v: label(`audit.details.dimensions.${v}`, v) })
    case 'level':
      return t('audit.details.level', { v: label(`risk.${v}`, v) })
    case 'role':
      return t('audit.details.role', { v: label(`roles.${v}`, v) })
    case 'half':
      return label(`evaluation.halves.${v}`, v)
    case 'days':
      return Number.isFinite(n) ? t('accreditation.auditDays', { n }) : token
    case 'bytes':
      return Number.isFinite(n) ? t('audit.details.size', { kb: Math.max(1, Math.round(n / 1024)) }) : token
    case 'actor':
      return t('audit.details.actor', { v })
    case 'action':
      return t('audit.details.action', {
        v: v.endsWith('.') ? t('audit.allOf', { group: label(`audit.groups.${v.slice(0, -1)}`, v) }) : label(`audit.actions.${v}`, v),
      })
    case 'entity':
      return t('audit.details.entity', { v: label(`audit.entities.${v}`, v) })
    case 'outcome':
      return t('audit.details.outcome', { v: label(`audit.outcomes.${v}`, v) })
    case 'pending':
      return t('audit.details.pending', { v: label(`mfa.factors.${v}`, v) })
    case 'from':
    case 'to':
    case 'due':
    case 'case':
    case 'crisis':
    case 'session':
    case 'snapshot':
    case 'total':
      return t(`audit.details.${key}`, { v })
    case 'party':
      return t('audit.details.consentParty', { v: label(`screening.party.${v}`, v) })
    case 'warning':
      return t('audit.details.warningOutcome', { v: label(`screening.outcome.${v}`, v) })
    case 'dataset':
      return t('audit.details.dataset', { v: label(`research.datasetNames.${v}`, v) })
    case 'form':
      return label(`research.forms.${v}`, v)
    case 'account':
    case 'file':
    case 'sha256':
      return t(`audit.details.${key}`, { v })
    case 'rows':
    case 'revoked_sessions':
    case 'promoted':
    case 'left':
    case 'hours':
    case 'files':
    case 'classes':
    case 'notes':
    case 'codes_left':
      return Number.isFinite(n) ? t(`audit.details.${key}`, { n }) : token
    default:
      return token
  }
}

function describeBare(row: AuditDetailRow, code: string, c: DetailContext): string {
  const { t } = c
  const label = (key: string) => (c.has(key) ? t(key) : null)
  if (code === 'csv' || code === 'xlsx') return t(`audit.details.formats.${code}`)
  if (REASONS.includes(code)) return t(`audit.details.reasons.${code}`)
  if (code === 'search') return t('audit.details.search')
  if (code === 'open_only') return t('programme.matrix.openOnly')
  switch (row.action) {
    case 'permission.denied':
      return t('audit.details.needs', { v: label(`permissions.${code}`) ?? code })
    case 'account.update':
    case 'account.permission_change':
      return label(`audit.details.fields.${code}`) ?? code
    case 'district.settings_update':
      return label(`settings.${code}`) ?? code
    case 'auth.second_factor':
      return label(`mfa.factors.${code}`) ?? code
    case 'mfa.enrol':
      return label(`mfa.enrolSteps.${code}`) ?? code
    case 'account.mfa_reset':
      return label(`mfa.resetDetail.${code}`) ?? code
    case 'case.follow_up_complete':
      return label(`taskStatus.${code}`) ?? code
    case 'case.referral_add':
      return label(`referralKinds.${code}`) ?? code
    case 'staff.create':
    case 'staff.update':
      return label(`employment.${code}`) ?? code
    case 'programme.event_create':
    case 'programme.event_update':
      return label(`itemsShort.${code}`) ?? code
    case 'room.appointment_status':
      return label(`room.ops.status.${code}`) ?? code
    case 'room.visit_add':
      return label(`room.ops.outcomes.${code}`) ?? code
    case 'room.request':
      return label(`room.ops.${code}`) ?? code
    case 'programme.channel_add':
      return label(`channelKinds.${code}`) ?? code
    case 'assessment.routing_set':
      return label(`centre.routeTo.${code}`) ?? code
    case 'case.break_glass_open':
    case 'case.break_glass_read':
      return label(`breakGlass.audit.${code}`) ?? code
    case 'accreditation.assign':
      return code === 'override' ? t('accreditation.auditOverride') : (label(`accreditation.conflicts.${code}`) ?? code)
    case 'accreditation.decide':
      return label(`accreditation.decisions.${code}`) ?? code
    case 'programme.attachment_add':
      // A file type: image/jpeg reads "JPEG", application/pdf "PDF".
      return /^[a-z]+\/[\w.+-]+$/.test(code) ? code.split('/')[1]!.toUpperCase() : code
    default:
      return code
  }
}

/** "Case #12": an audit row's entity in the reader's words with its id; a procedure by its path. */
export function auditEntityText(
  type: string | null,
  id: string | number | null,
  label: (key: string, fallback: string) => string,
): string | null {
  if (!type) return null
  const name = label(`audit.entities.${type}`, type)
  if (id == null) return name
  return type === 'procedure' ? `${name} ${id}` : `${name} #${id}`
}
