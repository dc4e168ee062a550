import { z } from 'zod'
import { cleanString } from './text'

/** The "seven ones" (七个一) in the Futian plan's order. */
export const PROGRAMME_ITEMS = ['team', 'activity', 'lecture', 'platform', 'caseFollowUp', 'clinic', 'drill'] as const
export type ProgrammeItem = (typeof PROGRAMME_ITEMS)[number]

export const ITEM_STATUSES = ['not_started', 'in_progress', 'complete'] as const
export type ItemStatus = (typeof ITEM_STATUSES)[number]

/** Evidence recorded as dated events with attachments. */
export const EVENT_KINDS = ['activity', 'lecture', 'drill'] as const
export type EventKind = (typeof EVENT_KINDS)[number]

export const AUDIENCES = ['students', 'parents', 'staff'] as const
export type Audience = (typeof AUDIENCES)[number]

export const CHANNEL_KINDS = ['school_site', 'wechat', 'mailbox', 'hotline', 'app', 'other'] as const
export type ChannelKind = (typeof CHANNEL_KINDS)[number]

export const DRILL_ROLES = [
  'discoverer',
  'reporter',
  'crisis_group',
  'counsellor',
  'head_teacher',
  'guardian_liaison',
  'medical',
  'security',
] as const
export type DrillRole = (typeof DRILL_ROLES)[number]

/** Why an item is not complete yet; i18n keys under `programme.gaps.`. */
export const ITEM_GAPS = [
  'no_team_date',
  'no_psych_teacher',
  'few_peer_classes',
  'few_trained_head_teachers',
  'no_event',
  'no_attachment',
  'no_problems_found',
  'few_participants',
  'no_channel',
  'cases_off_plan',
  'no_clinic',
  'no_agreement',
] as const
export type ItemGap = (typeof ITEM_GAPS)[number]

/** Attachments: photos and scanned sign-in sheets. Types are checked by content, not by name. */
export const ATTACHMENT_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'] as const
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number]
export const ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
export const ATTACHMENTS_PER_EVENT = 10

const percent = z.number().int().min(0).max(100)
const eventRule = z.strictObject({
  minEvents: z.number().int().min(1).max(20),
  minAttachments: z.number().int().min(0).max(ATTACHMENTS_PER_EVENT),
  minParticipants: z.number().int().min(0).max(100_000),
})

/**
 * The district's completion rules for the seven items (*local rule*): what evidence makes an item
 * complete. Anything short of it, but with some evidence, is "in progress".
 */
export const programmeRulesSchema = z.strictObject({
  team: z.strictObject({
    /** share of classes with at least one peer supporter (心理委员) */
    peerClassPercent: percent,
    /** share of classes whose head teacher is trained */
    trainedHeadTeacherPercent: percent,
    requirePsychTeacher: z.boolean(),
  }),
  activity: eventRule,
  lecture: eventRule,
  drill: eventRule.extend({ requireProblemsFound: z.boolean() }),
  platform: z.strictObject({ minChannels: z.number().int().min(1).max(10) }),
  caseFollowUp: z.strictObject({
    /** share of open cases that must be on plan (no overdue follow-up or task) */
    onPlanPercent: percent,
  }),
  clinic: z.strictObject({ requireAgreementDate: z.boolean() }),
  /** reminders start this many months before the school year ends */
  reminderMonths: z.number().int().min(1).max(6),
})
export type ProgrammeRules = z.infer<typeof programmeRulesSchema>

export const DEFAULT_PROGRAMME_RULES: ProgrammeRules = {
  team: { peerClassPercent: 100, trainedHeadTeacherPercent: 50, requirePsychTeacher: true },
  activity: { minEvents: 1, minAttachments: 1, minParticipants: 0 },
  lecture: { minEvents: 1, minAttachments: 1, minParticipants: 0 },
  drill: { minEvents: 1, minAttachments: 1, minParticipants: 0, requireProblemsFound: true },
  platform: { minChannels: 1 },
  caseFollowUp: { onPlanPercent: 100 },
  clinic: { requireAgreementDate: true },
  reminderMonths: 2,
}

/** The supervision evaluation's indicator list (督导评估指标), a district setting copied into each round. */
export const indicatorSchema = z.strictObject({
  code: cleanString()
    .min(1)
    .max(20)
    .regex(/^[A-Za-z0-9_-]+$/, 'validation.codeChars'),
  nameZh: cleanString().min(1).max(80),
  nameEn: cleanString().min(1).max(120),
  maxScore: z.number().int().min(1).max(100),
})
export type Indicator = z.infer<typeof indicatorSchema>
export const indicatorListSchema = z
  .array(indicatorSchema)
  .min(1)
  .max(40)
  .refine((list) => new Set(list.map((i) => i.code)).size === list.length, { message: 'validation.duplicateCode' })

export const DEFAULT_INDICATORS: Indicator[] = [
  { code: 'A1', nameZh: '组织领导与制度建设', nameEn: 'Leadership and policies', maxScore: 10 },
  { code: 'A2', nameZh: '心理教师队伍配备与培训', nameEn: 'Psychology team staffing and training', maxScore: 15 },
  { code: 'A3', nameZh: '心理辅导室建设与开放', nameEn: 'Counselling room set-up and opening', maxScore: 15 },
  { code: 'B1', nameZh: '心理健康教育课程与主题活动', nameEn: 'Mental-health lessons and themed activities', maxScore: 15 },
  { code: 'B2', nameZh: '家校社协同与家长讲座', nameEn: 'School–family–community work and parent lectures', maxScore: 10 },
  { code: 'C1', nameZh: '个案跟进与心理档案管理', nameEn: 'Case follow-up and records', maxScore: 15 },
  { code: 'C2', nameZh: '危机预防、转介与干预演练', nameEn: 'Crisis prevention, referral and drills', maxScore: 15 },
  { code: 'D1', nameZh: '特色与成效', nameEn: 'Distinctive work and results', maxScore: 5 },
]

export const ROUND_HALVES = ['1', '2'] as const
