import { z } from 'zod'
import { SEXES } from './cases'
import { INSTRUMENT_IDS, INSTRUMENTS, type InstrumentId } from './instruments'

/**
 * The assessment engine's vocabulary and input schemas. Rounds, respondents, codes and scoring are
 * generic: a round has a list of instruments and respondents of one kind (teachers now; students reuse it).
 */
export const RESPONDENT_KINDS = ['teacher'] as const
export type RespondentKind = (typeof RESPONDENT_KINDS)[number]

export const ROUND_RECURRENCES = ['none', 'term', 'year'] as const
export type RoundRecurrence = (typeof ROUND_RECURRENCES)[number]

export const SUPPORT_KINDS = ['contact', 'follow_up'] as const
export type SupportKind = (typeof SUPPORT_KINDS)[number]

/** Why a respondent reaches the handler: the PHQ-9 item-9 answer, a band at or above the setting, or their own request. */
export const ALERT_REASONS = ['phq9_item9', 'band', 'contact'] as const

export const TEACHER_SUBJECT_MAX = 30
const id = z.number().int().positive()
const version = z.number().int().min(1)
const text = (max: number) => z.string().trim().min(1).max(max)
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullable()
    .optional()
    .transform((v) => (v ? v : null))

export const teacherFields = {
  staffNo: z
    .string()
    .trim()
    .min(1)
    .max(30)
    .regex(/^[A-Za-z0-9-]+$/, 'validation.staffNoChars'),
  name: text(40),
  sex: z.enum(SEXES),
  birthYear: z.number().int().min(1940).max(2010).nullable(),
  subject: optionalText(TEACHER_SUBJECT_MAX),
  phone: optionalText(20),
}
export const teacherCreateInput = z.strictObject(teacherFields)
export const teacherUpdateInput = z.strictObject({ ...teacherFields, id, version })
export const teacherListInput = z.strictObject({
  search: z.string().trim().max(40).optional(),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(200).default(50),
})
export type TeacherCreateInput = z.infer<typeof teacherCreateInput>
export type TeacherUpdateInput = z.infer<typeof teacherUpdateInput>
export type TeacherListInput = z.infer<typeof teacherListInput>

/** The default consent text, in both languages: what results are for, never appraisal, who sees what, how long. */
export const DEFAULT_CONSENT = {
  'zh-CN':
    '本次心理健康评估自愿参加，目的是帮助您了解自己近期的身心状态，并让学校有针对性地提供心理疏导与支持。' +
    '评估结果不作为考核依据，不用于任何评优、晋升或绩效考核。' +
    '您的个人答案和结果只有您本人可见；只有在出现需要关注的情况或您主动要求联系时，学校指定的心理教师（预警处理人）才会看到您的个人结果，并与您联系。' +
    '校长、学校管理员和教育局只能看到不含个人信息的汇总统计。' +
    '个人答案在评估结束后保存不超过一年，之后删除，仅保留汇总统计。您可以选择不参加，不参加不会被记录为拒绝。',
  en:
    'Taking part is voluntary. The assessment helps you see how you have been lately and lets the school offer support where it is needed. ' +
    'The results are never used in appraisal (不作为考核依据): not for awards, promotion or performance reviews. ' +
    "Only you see your own answers and results; the school's designated counsellor (the alert handler) sees your individual results only if something needs attention or you ask to be contacted. " +
    'The principal, school administrators and the education bureau see aggregate statistics only, never an individual. ' +
    'Individual answers are kept for at most one year after the round and then deleted; only aggregate statistics remain. You may decline; declining is not recorded.',
} as const

const isoDateTime = z.iso.datetime({ offset: true })

export const roundOpenInput = z
  .strictObject({
    name: text(80),
    opensAt: isoDateTime,
    closesAt: isoDateTime,
    instruments: z.array(z.enum(INSTRUMENT_IDS)).min(1).max(INSTRUMENT_IDS.length),
    /** bureau: the target schools; a school admin's round always targets their own school */
    schoolIds: z.array(id).max(2000).default([]),
    consentZh: text(4000),
    consentEn: text(4000),
    recurrence: z.enum(ROUND_RECURRENCES),
  })
  .refine((v) => Date.parse(v.opensAt) < Date.parse(v.closesAt), { message: 'validation.endsBeforeStart', path: ['closesAt'] })
  .refine((v) => new Set(v.instruments).size === v.instruments.length, { message: 'validation.duplicate', path: ['instruments'] })
export type RoundOpenInput = z.infer<typeof roundOpenInput>

export const roundIdInput = z.strictObject({ roundId: id })
export const reissueCodeInput = z.strictObject({ roundId: id, teacherId: id })

/** A personal code: 16 characters from an alphabet without look-alikes (I, L, O, 0, 1), 80 bits. */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'
export const CODE_LENGTH = 16
/** What the teacher types: letters and digits, any case, spaces or dashes between groups are ignored. */
export const codeSchema = z
  .string()
  .trim()
  .max(40)
  .transform((s) => s.replace(/[\s-]/g, '').toUpperCase())
  .pipe(z.string().regex(new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`), 'validation.codeFormat'))

/** Answers as sent: instrument → item → value; the server checks every value against the instrument. */
const answerMap = z.record(z.string().max(20), z.record(z.string().max(20), z.number().int().min(0).max(10)))
export const publicOpenInput = z.strictObject({ code: codeSchema })
export const publicSaveInput = z.strictObject({ code: codeSchema, answers: answerMap })
export const publicSubmitInput = z.strictObject({ code: codeSchema, answers: answerMap, contactMe: z.boolean() })
export type AnswerMap = z.infer<typeof answerMap>

export const alertListInput = z.strictObject({ status: z.enum(['open', 'closed', 'all']).default('open') })
export const alertIdInput = z.strictObject({ id })
export const supportAddInput = z.strictObject({
  alertId: id,
  kind: z.enum(SUPPORT_KINDS),
  onDate: z.iso.date(),
  text: text(2000),
})
export const alertCloseInput = z.strictObject({ id, version, outcome: text(2000) })

/** District settings of the assessment: the band per instrument at or above which an alert is raised, the hotline, the escalation deadline. */
export const assessmentSettingsSchema = z.strictObject({
  alertBands: z.partialRecord(z.enum(INSTRUMENT_IDS), z.string().max(40).nullable()),
  hotline: z.string().trim().max(60),
  hotlineNote: z.string().trim().max(200),
  escalateAfterWorkingHours: z.number().min(0.5).max(72),
})
export type AssessmentSettings = z.infer<typeof assessmentSettingsSchema>
export const DEFAULT_ASSESSMENT_SETTINGS: AssessmentSettings = {
  alertBands: { phq9: 'moderately_severe', gad7: 'severe', k10: 'very_high', who5: null, pss10: null },
  hotline: '12356',
  hotlineNote: '',
  escalateAfterWorkingHours: 2,
}

/** The rank of the band key set for an instrument, or null when that instrument never alerts by band. */
export function alertRank(settings: AssessmentSettings, instrument: InstrumentId): number | null {
  const key = settings.alertBands[instrument]
  if (!key) return null
  return INSTRUMENTS[instrument].bands.find((b) => b.key === key)?.rank ?? null
}
