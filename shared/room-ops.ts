import { z } from 'zod'
import { CASE_CATEGORIES, RISK_LEVELS } from './cases'
import { isoDay } from './dates'
import { cleanString, optionalText } from './text'

/**
 * The counselling room's daily work: the duty rota, appointments, the visit log and group counselling.
 * Times of day are minutes after midnight in Asia/Shanghai; i18n under `room.ops.`.
 */
export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const
export const APPOINTMENT_STATUSES = ['requested', 'confirmed', 'declined', 'cancelled', 'attended', 'no_show'] as const
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number]
export const APPOINTMENT_ORIGINS = ['booked', 'request'] as const
export type AppointmentOrigin = (typeof APPOINTMENT_ORIGINS)[number]
export const REQUESTER_KINDS = ['student', 'parent', 'teacher'] as const
export type RequesterKind = (typeof REQUESTER_KINDS)[number]
export const VISIT_KINDS = ['individual', 'group', 'parent', 'teacher', 'phone'] as const
export type VisitKind = (typeof VISIT_KINDS)[number]
export const VISIT_OUTCOMES = ['none', 'open_case', 'add_to_case'] as const
export type VisitOutcome = (typeof VISIT_OUTCOMES)[number]
/** The topic of a visit: the case categories, so a visit that opens a case carries its category over. */
export const VISIT_TOPICS = CASE_CATEGORIES
export type VisitTopic = (typeof VISIT_TOPICS)[number]

/** How many preferred slots a requester may name, and how far ahead a slot may be booked. */
export const MAX_PREFERRED = 3
export const BOOKING_HORIZON_DAYS = 60
/** Requests per client address and window: a class on one school network fits, a flood does not. */
export const REQUEST_THROTTLE = { windowMs: 60 * 60_000, maxPerIp: 8 } as const
/** A requester's confirmation code: 10 characters, no look-alikes (about 50 bits). */
export const REQUEST_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'
export const REQUEST_CODE_LENGTH = 10

const id = z.number().int().positive()
const version = z.number().int().min(1)
const day = isoDay('record')
/** HH:MM, 24-hour clock; minutes after midnight once parsed. */
export const timeOfDay = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'room.ops.v.time')
  .transform((s) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5)))

/** Mainland mobile (11 digits from 13–19) or a landline with area code (0591-12345678). */
export const PHONE_PATTERN = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/
export const phoneSchema = cleanString()
  .transform((s) => s.replace(/[\s]/g, ''))
  .pipe(z.string().regex(PHONE_PATTERN, 'room.ops.v.phone'))

export const slotInput = z.strictObject({
  weekday: z.number().int().min(1).max(7),
  start: timeOfDay,
  end: timeOfDay,
  counsellorId: id,
})
export const rotaSaveInput = z.strictObject({ slots: z.array(slotInput).max(80) })
export const closureAddInput = z
  .strictObject({ startsOn: day, endsOn: day, reason: cleanString().min(1).max(100) })
  .refine((c) => c.endsOn >= c.startsOn, { message: 'room.ops.v.closureDates', path: ['endsOn'] })
export const idInput = z.strictObject({ id })
export const weekInput = z.strictObject({
  /** any day of the week wanted; the week runs Monday to Sunday */
  day,
  counsellorId: id.optional(),
})

/** One occurrence of a rota slot: the slot and the date it falls on. */
export const slotRef = z.strictObject({ slotId: id, date: day })

export const bookInput = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('student'), studentId: id, slot: slotRef, topic: optionalText(200) }),
  z.strictObject({
    kind: z.enum(['parent', 'teacher']),
    name: cleanString().min(1).max(40),
    phone: phoneSchema,
    slot: slotRef,
    topic: optionalText(200),
  }),
])

export const publicRoomInput = z.strictObject({ school: cleanString().min(1).max(30) })
export const publicRequestInput = z.strictObject({
  school: cleanString().min(1).max(30),
  kind: z.enum(REQUESTER_KINDS),
  name: cleanString().min(1).max(40),
  phone: phoneSchema,
  preferred: z.array(slotRef).max(MAX_PREFERRED),
  topic: optionalText(200),
  urgent: z.boolean(),
})
export const publicStatusInput = z.strictObject({
  code: cleanString()
    .transform((s) => s.replace(/[\s-]/g, '').toUpperCase())
    .pipe(z.string().regex(new RegExp(`^[${REQUEST_CODE_ALPHABET}]{${REQUEST_CODE_LENGTH}}$`), 'room.ops.v.code')),
})

export const confirmInput = z.strictObject({ id, version, slot: slotRef })
export const declineInput = z.strictObject({ id, version })
export const markInput = z.strictObject({ id, version, status: z.enum(['no_show', 'cancelled']) })
export const appointmentListInput = z.strictObject({ status: z.enum(['open', 'upcoming', 'past']).default('open') })

export const visitInput = z
  .strictObject({
    kind: z.enum(VISIT_KINDS),
    /** null with `anonymous`: a walk-in counted without an identity */
    studentId: id.nullable(),
    anonymous: z.boolean(),
    occurredOn: day,
    start: timeOfDay,
    durationMin: z.number().int().min(5).max(240),
    topic: z.enum(VISIT_TOPICS),
    outcome: z.enum(VISIT_OUTCOMES),
    caseId: id.nullable().optional(),
    appointmentId: id.nullable().optional(),
    notes: optionalText(4000),
    /** for outcome open_case: the new case's source is always "visit" */
    riskLevel: z.enum(RISK_LEVELS).optional(),
    /** for outcome open_case: the concern the new case opens with */
    concern: optionalText(1000),
  })
  .refine((v) => v.anonymous === (v.studentId == null), { message: 'room.ops.v.studentOrAnonymous', path: ['studentId'] })
  .refine((v) => v.outcome === 'none' || v.studentId != null, { message: 'room.ops.v.caseNeedsStudent', path: ['outcome'] })
  .refine((v) => v.outcome !== 'add_to_case' || v.caseId != null, { message: 'room.ops.v.caseRequired', path: ['caseId'] })
  .refine((v) => v.outcome !== 'open_case' || (!!v.concern && !!v.riskLevel), { message: 'room.ops.v.concernRequired', path: ['concern'] })
  .refine((v) => v.start + v.durationMin <= 24 * 60, { message: 'room.ops.v.midnight', path: ['durationMin'] })
export const visitListInput = z.strictObject({
  from: day.optional(),
  to: day.optional(),
  page: z.number().int().min(1).max(10_000).default(1),
})

export const groupCreateInput = z.strictObject({
  theme: cleanString().min(1).max(100),
  facilitatorIds: z.array(id).min(1).max(5),
  studentIds: z.array(id).min(1).max(40),
  countsAsActivity: z.boolean(),
  sessions: z
    .array(z.strictObject({ date: day, start: timeOfDay, durationMin: z.number().int().min(15).max(240) }))
    .min(1)
    .max(20),
})
export const attendanceInput = z.strictObject({
  sessionId: id,
  present: z.array(id).max(40),
  notes: optionalText(4000),
})

export const statsInput = z
  .strictObject({ from: day, to: day })
  .refine((v) => v.to >= v.from, { message: 'room.ops.v.range', path: ['to'] })

export type SlotInput = z.output<typeof slotInput>
export type BookInput = z.output<typeof bookInput>
export type PublicRequestInput = z.output<typeof publicRequestInput>
export type VisitInput = z.output<typeof visitInput>
export type GroupCreateInput = z.output<typeof groupCreateInput>
export type SlotRef = z.output<typeof slotRef>
