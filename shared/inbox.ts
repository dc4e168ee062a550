/**
 * What the inbox can say. Each kind has one text (i18n `inbox.kinds.<kind>`) and one link; an item
 * carries no content of the record it is about, so the inbox never shows what its reader could not open.
 */
export const INBOX_KINDS = [
  'case.assigned',
  'case.crisis',
  'case.break_glass',
  'assessment.alert',
  'assessment.contact',
  'assessment.escalated',
  'screening.critical',
  'accreditation.assigned',
  'accreditation.returned',
  'accreditation.expiry',
  'accreditation.expirySchool',
  'room.request',
  'room.urgent',
] as const
export type InboxKind = (typeof INBOX_KINDS)[number]

export const INBOX_PAGE_SIZE = 20

/** Kinds that stay at the top of the inbox while unread: someone said they are not safe. */
export const INBOX_TOP_KINDS: readonly InboxKind[] = ['room.urgent']

/** Where an item leads: the record it is about, by id only (nothing sensitive in URLs). */
export function inboxLink(item: { kind: string; entityType: string; entityId: number }): string | null {
  if (item.entityType === 'case') return `/school/cases/${item.entityId}`
  if (item.entityType === 'assessment_alert') return `/school/assessment/alerts/${item.entityId}`
  if (item.entityType === 'screening_warning') return `/school/screening/warnings/${item.entityId}`
  if (item.kind === 'accreditation.assigned') return `/expert/${item.entityId}`
  if (item.kind === 'accreditation.returned' || item.kind === 'accreditation.expirySchool') return '/school/accreditation'
  if (item.kind === 'accreditation.expiry') return '/bureau/accreditation'
  if (item.entityType === 'room_appointment') return '/school/room-appointments'
  return null
}
