import type { RiskChangeKind } from './cases'
import { endOfShanghaiDay as endOfShanghaiDate, shanghaiDate } from './shanghai-time'

/** One entry on a case's timeline, newest first. Built from the case file; shared so it can be tested alone. */
export type TimelineItem =
  | {
      kind: 'note'
      at: string
      id: number
      authorName: string
      type: string | null
      durationMin: number | null
      text: string | null
      hidden: boolean
      private: boolean
      editedVersions: number
      editable: boolean
      version: number
      sessionDate: string
    }
  | { kind: 'risk'; at: string; id: number; change: RiskChangeKind; from: string | null; to: string; reason: string | null; byName: string }
  | {
      kind: 'crisis'
      at: string
      id: number
      what: string
      actions: string
      /** true confirmed, false not confirmed, null: recorded before the step was asked */
      accompanied: boolean | null
      accompaniedBy: string | null
      notified: Notified[]
    }
  | { kind: 'notification'; at: string; id: number; recipient: string; name: string | null; recordedByName: string }
  | {
      kind: 'contact'
      at: string
      id: number
      contactKind: string
      relation: string
      method: string
      consentGiven: boolean | null
      note: string | null
    }
  | {
      kind: 'referral'
      at: string
      id: number
      target: string
      status: string
      refKind: string
      /** set when only a date is known: shown as that date, never with an invented time */
      dateOnly: string | null
    }
  | {
      kind: 'visit'
      at: string
      id: number
      visitKind: string
      topic: string
      durationMin: number
      counsellorName: string | null
    }

/** One person or role told: `recipient` is null on records from before the picker (free text in `name`). */
export interface Notified {
  recipient: string | null
  name: string | null
  at: string
}

export interface TimelineSource {
  notes: {
    id: number
    authorName: string
    sessionDate: string
    createdAt: string
    type: string | null
    durationMin: number | null
    text: string | null
    hidden: boolean
    private: boolean
    editedVersions: number
    editable: boolean
    version: number
  }[]
  risks: { id: number; kind: RiskChangeKind; from: string | null; to: string; reason: string | null; byName: string; at: string }[]
  crises: {
    id: number
    occurredAt: string
    what: string
    actions: string
    accompanied: boolean | null
    accompaniedBy: string | null
    notified: Notified[]
  }[]
  /** notifications outside a crisis record */
  notifications?: { id: number; recipient: string; name: string | null; at: string; recordedByName: string }[]
  contacts: {
    id: number
    kind: string
    relation: string
    method: string
    contactedAt: string
    consentGiven: boolean | null
    note: string | null
  }[]
  referrals: { id: number; target: string; status: string; kind: string; sentOn: string; createdAt?: string }[]
  /** room visits linked to the case (the visit log); the notes stay in the log */
  visits?: { id: number; kind: string; topic: string; at: string; durationMin: number; counsellorName: string | null }[]
}

/** The last instant of a date in Asia/Shanghai (UTC+8, no daylight saving), as an ISO instant. */
export function endOfShanghaiDay(date: string): string {
  return endOfShanghaiDate(new Date(`${date}T12:00:00+08:00`)).toISOString()
}

/**
 * When a referral happened, as far as the record knows: the moment it was recorded when that was on
 * the day it was sent; otherwise only its date, which sorts as the end of that day in Shanghai.
 */
export function referralMoment(sentOn: string, createdAt?: string): { at: string; dateOnly: string | null } {
  if (createdAt && shanghaiDate(new Date(createdAt)) === sentOn) return { at: createdAt, dateOnly: null }
  return { at: endOfShanghaiDay(sentOn), dateOnly: sentOn }
}

export function buildTimeline(f: TimelineSource): TimelineItem[] {
  const items: TimelineItem[] = [
    // A session note sits on its session date; notes written the same day keep their writing order.
    ...f.notes.map((n) => ({
      kind: 'note' as const,
      at: `${n.sessionDate}T${n.createdAt.slice(11)}`,
      id: n.id,
      authorName: n.authorName,
      type: n.type,
      durationMin: n.durationMin,
      text: n.text,
      hidden: n.hidden,
      private: n.private,
      editedVersions: n.editedVersions,
      editable: n.editable,
      version: n.version,
      sessionDate: n.sessionDate,
    })),
    ...f.risks.map((r) => ({
      kind: 'risk' as const,
      at: r.at,
      id: r.id,
      change: r.kind,
      from: r.from,
      to: r.to,
      reason: r.reason,
      byName: r.byName,
    })),
    ...f.crises.map((c) => ({
      kind: 'crisis' as const,
      at: c.occurredAt,
      id: c.id,
      what: c.what,
      actions: c.actions,
      accompanied: c.accompanied,
      accompaniedBy: c.accompaniedBy,
      notified: c.notified,
    })),
    ...(f.notifications ?? []).map((n) => ({
      kind: 'notification' as const,
      at: n.at,
      id: n.id,
      recipient: n.recipient,
      name: n.name,
      recordedByName: n.recordedByName,
    })),
    ...f.contacts.map((c) => ({
      kind: 'contact' as const,
      at: c.contactedAt,
      id: c.id,
      contactKind: c.kind,
      relation: c.relation,
      method: c.method,
      consentGiven: c.consentGiven,
      note: c.note,
    })),
    ...f.referrals.map((r) => ({
      kind: 'referral' as const,
      ...referralMoment(r.sentOn, r.createdAt),
      id: r.id,
      target: r.target,
      status: r.status,
      refKind: r.kind,
    })),
    ...(f.visits ?? []).map((v) => ({
      kind: 'visit' as const,
      at: v.at,
      id: v.id,
      visitKind: v.kind,
      topic: v.topic,
      durationMin: v.durationMin,
      counsellorName: v.counsellorName,
    })),
  ]
  return items.sort((a, b) => b.at.localeCompare(a.at) || b.id - a.id)
}

/**
 * How the screen and the print tell a level-history entry: a title, and the system's own words for an
 * event the system recorded (i18n keys). The counsellor's reason is shown beside them, as written.
 */
export const RISK_ENTRY_LABELS: Readonly<Record<RiskChangeKind, { title: string; system: string | null }>> = {
  opened: { title: 'case.riskSet', system: 'case.reasonOpened' },
  changed: { title: 'case.riskChanged', system: null },
  crisis: { title: 'case.riskChanged', system: 'case.reasonCrisis' },
  reopened: { title: 'case.reopenedTitle', system: null },
}

/** "Guardian (母亲)", or the free text of an older record: how one notification reads, given a translator. */
export function notifiedLabel(n: { recipient: string | null; name: string | null }, t: (key: string) => string): string {
  if (!n.recipient) return n.name ?? ''
  const role = t(`notifyRecipients.${n.recipient}`)
  return n.name ? `${role} ${n.name}` : role
}
