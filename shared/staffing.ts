import { z } from 'zod'
import type { SchoolType } from './roles'

/** How a post on the psychology team is filled. Purchased services count toward the full-time ratio, flagged. */
export const EMPLOYMENT_TYPES = ['full_time', 'part_time', 'purchased'] as const
export type EmploymentType = (typeof EMPLOYMENT_TYPES)[number]

export const TRAINING_LEVELS = ['national', 'provincial', 'municipal', 'district', 'school'] as const
export type TrainingLevel = (typeof TRAINING_LEVELS)[number]

/** The counselling-room guide's required areas, then the optional ones. */
export const REQUIRED_ROOM_AREAS = ['individual', 'group', 'office'] as const
export const OPTIONAL_ROOM_AREAS = ['testing', 'relaxation', 'self_help', 'sand_play'] as const
export type RequiredRoomArea = (typeof REQUIRED_ROOM_AREAS)[number]
export type OptionalRoomArea = (typeof OPTIONAL_ROOM_AREAS)[number]

/** Why a room falls short of the district standard; i18n keys under `room.reasons.`. */
export const ROOM_REASONS = [
  'not_set_up',
  'missing_individual',
  'missing_group',
  'missing_office',
  'small_individual',
  'small_group',
  'small_office',
  'no_mailbox',
  'few_hours',
] as const
export type RoomReason = (typeof ROOM_REASONS)[number]

/** Primary and secondary schools: the population of the room setup rate and of the 1-per-1,000 ratio. */
export const K12_TYPES: readonly SchoolType[] = ['primary', 'junior', 'senior', 'nine_year', 'twelve_year']
export function isK12(type: SchoolType): boolean {
  return K12_TYPES.includes(type)
}

const percent = z.number().int().min(0).max(100)
const m2 = z.number().min(0).max(1000)

/**
 * The district's local rules for staffing and rooms. Every figure here is data the bureau may edit,
 * never a constant in code; the defaults are the Futian plan's and the 2015 room guide's.
 */
export const staffingSettingsSchema = z.strictObject({
  /** required full-time posts = ⌈enrolment / studentsPerFullTime⌉ */
  studentsPerFullTime: z.number().int().min(100).max(10_000),
  /** training hours each team member should complete per school year */
  trainingHoursPerYear: z.number().min(0).max(500),
  /** certificates expiring within this many days are flagged */
  certificateWarningDays: z.number().int().min(1).max(365),
})
export type StaffingSettings = z.infer<typeof staffingSettingsSchema>

export const roomSettingsSchema = z.strictObject({
  /** setup-rate target per school year label; a year without one inherits the latest earlier target */
  targets: z.array(z.strictObject({ year: z.string().regex(/^\d{4}-\d{4}$/, 'validation.schoolYearLabel'), percent })).max(50),
  minIndividualM2: m2,
  minGroupM2: m2,
  minOfficeM2: m2,
  minOpenHoursPerWeek: z.number().min(0).max(80),
  requireMailbox: z.boolean(),
})
export type RoomSettings = z.infer<typeof roomSettingsSchema>

export const DEFAULT_STAFFING_SETTINGS: StaffingSettings = {
  studentsPerFullTime: 1000,
  trainingHoursPerYear: 24,
  certificateWarningDays: 90,
}

/** The target once a year has none of its own and no earlier year set one: every school has a room. */
export const FINAL_ROOM_TARGET = 100

export const DEFAULT_ROOM_SETTINGS: RoomSettings = {
  targets: [],
  minIndividualM2: 10,
  minGroupM2: 20,
  minOfficeM2: 0,
  minOpenHoursPerWeek: 10,
  requireMailbox: true,
}

export const DASHBOARD_FLAGS = ['shortfall', 'noTeacher', 'trainingBelow', 'expiring', 'notReported'] as const
export type DashboardFlag = (typeof DASHBOARD_FLAGS)[number]

export const ROOM_FLAGS = ['notSetUp', 'belowStandard', 'meetsStandard', 'notReported'] as const
export type RoomFlag = (typeof ROOM_FLAGS)[number]

/** Where a team member stands on the reference date; i18n keys under `staffing.`. */
export const MEMBER_STATUSES = ['inPost', 'notStarted', 'left'] as const
export type MemberStatus = (typeof MEMBER_STATUSES)[number]

/**
 * `inPost` is the server's verdict for the reference date; a member not in post either starts later
 * (still listed with the team) or has left (hidden unless asked for).
 */
export function memberStatus(member: { inPost: boolean; startsOn: string }, refDate: string): MemberStatus {
  if (member.inPost) return 'inPost'
  return member.startsOn > refDate ? 'notStarted' : 'left'
}
