import {
  ATTACHMENT_MAX_BYTES,
  type AttachmentType,
  type Indicator,
  type ItemGap,
  type ItemStatus,
  type ProgrammeItem,
  type ProgrammeRules,
} from '../../shared/programme'

export interface ItemResult {
  status: ItemStatus
  /** why the item is not complete yet (empty when complete) */
  gaps: ItemGap[]
}

const result = (status: ItemStatus, gaps: ItemGap[] = []): ItemResult => ({ status, gaps: status === 'complete' ? [] : gaps })

export interface TeamEvidence {
  setUpOn: string | null
  classes: readonly { headTeacherTrained: boolean; peerSupporters: number }[]
  /** classes the school reported in its enrolment; recording fewer classes does not shrink the denominator */
  enrolmentClasses: number | null
  psychTeachersInPost: number
}

/** Item 1, the team: a formal set-up date, a psychology teacher, and peer supporters and trained head teachers across classes. */
export function teamStatus(
  e: TeamEvidence,
  rules: ProgrammeRules['team'],
): ItemResult & { classes: number; peerClasses: number; trainedHeadTeachers: number } {
  const classes = Math.max(e.classes.length, e.enrolmentClasses ?? 0)
  const peerClasses = e.classes.filter((c) => c.peerSupporters > 0).length
  const trainedHeadTeachers = e.classes.filter((c) => c.headTeacherTrained).length
  const counts = { classes, peerClasses, trainedHeadTeachers }
  if (!e.setUpOn && e.classes.length === 0) return { ...result('not_started', ['no_team_date']), ...counts }
  const gaps: ItemGap[] = []
  if (!e.setUpOn) gaps.push('no_team_date')
  if (rules.requirePsychTeacher && e.psychTeachersInPost === 0) gaps.push('no_psych_teacher')
  if (!meetsShare(peerClasses, classes, rules.peerClassPercent)) gaps.push('few_peer_classes')
  if (!meetsShare(trainedHeadTeachers, classes, rules.trainedHeadTeacherPercent)) gaps.push('few_trained_head_teachers')
  return { ...result(gaps.length ? 'in_progress' : 'complete', gaps), ...counts }
}

/** part / whole ≥ percent %, in integers so 2 of 3 against 66 % never depends on rounding. */
export function meetsShare(part: number, whole: number, percent: number): boolean {
  if (percent <= 0) return true
  if (whole <= 0) return false
  return part * 100 >= percent * whole
}

export interface EventEvidence {
  participants: number
  attachments: number
  problemsFound?: string | null
}

type EventRule = ProgrammeRules['activity'] & { requireProblemsFound?: boolean }

/** What keeps one event from counting, in a fixed order; empty when it counts. */
export function eventGaps(e: EventEvidence, rule: EventRule): ItemGap[] {
  const gaps: ItemGap[] = []
  if (e.attachments < rule.minAttachments) gaps.push('no_attachment')
  if (e.participants < rule.minParticipants) gaps.push('few_participants')
  if (rule.requireProblemsFound && !e.problemsFound?.trim()) gaps.push('no_problems_found')
  return gaps
}

/** Items 2, 3 and 7: enough events that each meet the rule (e.g. a drill counts only with an attachment and problems found). */
export function eventsStatus(events: readonly EventEvidence[], rule: EventRule): ItemResult & { counting: number } {
  if (events.length === 0) return { ...result('not_started', ['no_event']), counting: 0 }
  const perEvent = events.map((e) => eventGaps(e, rule))
  const counting = perEvent.filter((g) => g.length === 0).length
  if (counting >= rule.minEvents) return { ...result('complete'), counting }
  // Show what the closest event still lacks, and whether more events are needed even once it is fixed.
  const closest = perEvent.filter((g) => g.length > 0).sort((a, b) => a.length - b.length)[0] ?? []
  const needMore = events.length < rule.minEvents
  return { ...result('in_progress', needMore ? ['no_event', ...closest] : closest), counting }
}

/** Item 4: channels with an address students and parents can reach. */
export function platformStatus(channels: readonly { address: string | null }[], rule: ProgrammeRules['platform']): ItemResult {
  if (channels.length === 0) return result('not_started', ['no_channel'])
  const reachable = channels.filter((c) => c.address?.trim()).length
  return reachable >= rule.minChannels ? result('complete') : result('in_progress', ['no_channel'])
}

export interface FollowUpFigures {
  openCases: number
  /** open cases with no overdue follow-up and no overdue task */
  onPlan: number
  overdueItems: number
}

/** Item 5, computed from cases, never entered: every open case followed up on plan. No open case: nothing is pending. */
export function caseFollowUpStatus(f: FollowUpFigures, rule: ProgrammeRules['caseFollowUp']): ItemResult {
  if (f.openCases === 0) return result('complete')
  return meetsShare(f.onPlan, f.openCases, rule.onPlanPercent) ? result('complete') : result('in_progress', ['cases_off_plan'])
}

/** Item 6: a linked hospital clinic or green channel, with a signed agreement when the district asks for one. */
export function clinicStatus(clinic: { hospital: string; agreementOn: string | null } | null, rule: ProgrammeRules['clinic']): ItemResult {
  if (!clinic) return result('not_started', ['no_clinic'])
  if (rule.requireAgreementDate && !clinic.agreementOn) return result('in_progress', ['no_agreement'])
  return result('complete')
}

export function completedCount(statuses: Partial<Record<ProgrammeItem, ItemStatus>>): number {
  return Object.values(statuses).filter((s) => s === 'complete').length
}

/** Reminders run in the last `months` months of the school year, up to its last day. */
export function inReminderWindow(year: { endsOn: string }, today: string, months: number): boolean {
  // The day after the year ends, moved back whole months (a day missing in the earlier month clamps to its last day).
  const after = new Date(`${year.endsOn}T00:00:00Z`)
  after.setUTCDate(after.getUTCDate() + 1)
  const y = after.getUTCFullYear()
  const m = after.getUTCMonth() - months
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate()
  const start = new Date(Date.UTC(y, m, Math.min(after.getUTCDate(), lastDay)))
  return today >= start.toISOString().slice(0, 10) && today <= year.endsOn
}

/**
 * Checks a score sheet against the round's indicators: every indicator scored, each within 0..max
 * in half points, no unknown codes. Returns the total, or the codes that are wrong.
 */
export function scoreSheet(
  scores: Readonly<Record<string, number>>,
  indicators: readonly Indicator[],
): { ok: true; total: number } | { ok: false; bad: string[] } {
  const bad: string[] = []
  let total = 0
  for (const i of indicators) {
    const s = scores[i.code]
    if (s == null || !Number.isFinite(s) || s < 0 || s > i.maxScore || Math.round(s * 2) !== s * 2) bad.push(i.code)
    else total += s
  }
  for (const code of Object.keys(scores)) if (!indicators.some((i) => i.code === code)) bad.push(code)
  return bad.length ? { ok: false, bad } : { ok: true, total }
}

/** Grade bands for the report: ≥ 90 excellent, ≥ 80 good, ≥ 60 pass, below that needs improvement (of a 100-point sheet, scaled). */
export function scoreBand(total: number, max: number): 'excellent' | 'good' | 'pass' | 'improve' {
  const pct = max > 0 ? (total / max) * 100 : 0
  if (pct >= 90) return 'excellent'
  if (pct >= 80) return 'good'
  if (pct >= 60) return 'pass'
  return 'improve'
}

const SIGNATURES: { type: AttachmentType; bytes: number[]; at?: number; also?: { bytes: number[]; at: number } }[] = [
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/webp', bytes: [0x52, 0x49, 0x46, 0x46], also: { bytes: [0x57, 0x45, 0x42, 0x50], at: 8 } },
  { type: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
]

/** The file's real type from its first bytes; a renamed executable is not a photo. */
export function sniffType(head: Uint8Array): AttachmentType | null {
  const match = (bytes: number[], at = 0) => bytes.every((b, i) => head[at + i] === b)
  for (const s of SIGNATURES) if (match(s.bytes, s.at) && (!s.also || match(s.also.bytes, s.also.at))) return s.type
  return null
}

export type AttachmentProblem = 'empty' | 'tooLarge' | 'unsupportedType' | 'tooMany'

export function attachmentProblem(
  size: number,
  type: AttachmentType | null,
  existing: number,
  maxPerEvent: number,
): AttachmentProblem | null {
  if (!(size > 0)) return 'empty'
  if (size > ATTACHMENT_MAX_BYTES) return 'tooLarge'
  if (!type) return 'unsupportedType'
  if (existing >= maxPerEvent) return 'tooMany'
  return null
}

/** A display name safe to send back in a download header: no path, no control characters, bounded. */
/** The name a download gets: the original stem with the extension of the detected type (a disguised extension is replaced). */
export function attachmentDownloadName(original: string, ext: string): string {
  const stem = original.replace(/\.[A-Za-z0-9]{1,8}$/, '').trim()
  return `${stem || 'attachment'}.${ext}`
}

export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? ''
  // Control characters (C0 and C1), bidi overrides that disguise an extension, and characters Windows forbids.
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069"<>|:*?]/g, '').trim()
  if (!clean || /^\.+$/.test(clean)) return 'attachment'
  // Cut by whole characters, never through a surrogate pair, keeping the end (the extension).
  return [...clean].slice(-120).join('')
}
