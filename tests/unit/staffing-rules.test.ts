import { describe, expect, it } from 'vitest'
import { SCHOOL_TYPES, type SchoolType } from '../../shared/roles'
import {
  DEFAULT_ROOM_SETTINGS,
  DEFAULT_STAFFING_SETTINGS,
  FINAL_ROOM_TARGET,
  K12_TYPES,
  type EmploymentType,
  type RoomReason,
  type RoomSettings,
} from '../../shared/staffing'
import {
  addDays,
  certificateState,
  countPosts,
  inPostOn,
  rate,
  referenceDate,
  requiredFullTime,
  roomStandard,
  roomTargetFor,
  schoolStaffing,
  trainingMet,
  type PostCounts,
  type RoomFacts,
} from '../../server/rules/staffing'

const RATIO = DEFAULT_STAFFING_SETTINGS.studentsPerFullTime
const NON_K12: SchoolType[] = SCHOOL_TYPES.filter((t) => !K12_TYPES.includes(t))

describe('school types', () => {
  it('splits every school type into K12 (primary and secondary) and the rest (preschool, special)', () => {
    expect([...K12_TYPES].sort()).toEqual(['junior', 'nine_year', 'primary', 'senior', 'twelve_year'])
    expect([...NON_K12].sort()).toEqual(['preschool', 'special'])
    expect(RATIO).toBe(1000)
  })
})

describe('requiredFullTime: ⌈enrolment / ratio⌉', () => {
  it.each([
    { students: 0, ratio: 1000, required: 0 },
    { students: 1, ratio: 1000, required: 1 },
    { students: 999, ratio: 1000, required: 1 },
    { students: 1000, ratio: 1000, required: 1 },
    { students: 1001, ratio: 1000, required: 2 },
    { students: 2000, ratio: 1000, required: 2 },
    { students: 2001, ratio: 1000, required: 3 },
    { students: 12_345, ratio: 1000, required: 13 },
    { students: null, ratio: 1000, required: null },
    // the ratio is a setting, not a constant
    { students: 500, ratio: 500, required: 1 },
    { students: 501, ratio: 500, required: 2 },
    { students: 1000, ratio: 500, required: 2 },
    { students: 1001, ratio: 500, required: 3 },
    { students: 1001, ratio: 1500, required: 1 },
    { students: 1501, ratio: 1500, required: 2 },
  ])('primary school, $students students at 1 per $ratio → $required', ({ students, ratio, required }) => {
    expect(requiredFullTime('primary', students, ratio)).toBe(required)
  })

  describe.each(K12_TYPES.map((type) => ({ type })))('K12 type $type applies the ratio', ({ type }) => {
    it.each([
      { students: 999, required: 1 },
      { students: 1000, required: 1 },
      { students: 1001, required: 2 },
      { students: 0, required: 0 },
      { students: null, required: null },
    ])('$students students → $required', ({ students, required }) => {
      expect(requiredFullTime(type, students, RATIO)).toBe(required)
    })
  })

  describe.each(NON_K12.map((type) => ({ type })))('$type needs no full-time post', ({ type }) => {
    it.each([0, 1, 999, 1001, 5000, 100_000, null])('%s students → 0', (students) => {
      expect(requiredFullTime(type, students, RATIO)).toBe(0)
    })
  })
})

describe('schoolStaffing', () => {
  const settings = { studentsPerFullTime: RATIO }
  const posts = (fullTime: number, partTime: number, purchased: number): PostCounts => ({ fullTime, partTime, purchased })

  it.each([
    {
      name: 'only part-time staff: none counted, the whole requirement is short, but there is a teacher',
      type: 'primary' as const,
      students: 1500,
      posts: posts(0, 3, 0),
      out: { required: 2, counted: 0, shortfall: 2, noTeacher: false, meetsRatio: false },
    },
    {
      name: 'a purchased post counts toward the ratio',
      type: 'junior' as const,
      students: 1500,
      posts: posts(1, 0, 1),
      out: { required: 2, counted: 2, shortfall: 0, noTeacher: false, meetsRatio: true },
    },
    {
      name: 'purchased posts alone can meet the ratio',
      type: 'senior' as const,
      students: 800,
      posts: posts(0, 0, 1),
      out: { required: 1, counted: 1, shortfall: 0, noTeacher: false, meetsRatio: true },
    },
    {
      name: 'part-time staff do not count toward the ratio next to full-time ones',
      type: 'nine_year' as const,
      students: 2500,
      posts: posts(1, 4, 0),
      out: { required: 3, counted: 1, shortfall: 2, noTeacher: false, meetsRatio: false },
    },
    {
      name: 'no staff at all',
      type: 'primary' as const,
      students: 1200,
      posts: posts(0, 0, 0),
      out: { required: 2, counted: 0, shortfall: 2, noTeacher: true, meetsRatio: false },
    },
    {
      name: 'a surplus never makes the shortfall negative',
      type: 'twelve_year' as const,
      students: 900,
      posts: posts(3, 1, 2),
      out: { required: 1, counted: 5, shortfall: 0, noTeacher: false, meetsRatio: true },
    },
    {
      name: 'exactly enough full-time posts',
      type: 'primary' as const,
      students: 2000,
      posts: posts(2, 0, 0),
      out: { required: 2, counted: 2, shortfall: 0, noTeacher: false, meetsRatio: true },
    },
    {
      name: 'one post short just above a multiple of the ratio',
      type: 'primary' as const,
      students: 2001,
      posts: posts(2, 0, 0),
      out: { required: 3, counted: 2, shortfall: 1, noTeacher: false, meetsRatio: false },
    },
    {
      name: 'enrolment not reported: nothing to judge the ratio on',
      type: 'primary' as const,
      students: null,
      posts: posts(1, 0, 0),
      out: { required: null, counted: 1, shortfall: null, noTeacher: false, meetsRatio: null },
    },
    {
      name: 'enrolment not reported and no staff: still flagged as without a teacher',
      type: 'junior' as const,
      students: null,
      posts: posts(0, 0, 0),
      out: { required: null, counted: 0, shortfall: null, noTeacher: true, meetsRatio: null },
    },
    {
      name: 'an empty school needs nobody',
      type: 'primary' as const,
      students: 0,
      posts: posts(0, 0, 0),
      out: { required: 0, counted: 0, shortfall: 0, noTeacher: true, meetsRatio: true },
    },
    {
      name: 'preschool with one part-time worker',
      type: 'preschool' as const,
      students: 600,
      posts: posts(0, 1, 0),
      out: { required: 0, counted: 0, shortfall: 0, noTeacher: false, meetsRatio: true },
    },
    {
      name: 'preschool with nobody: no ratio shortfall, but no mental-health worker either',
      type: 'preschool' as const,
      students: 600,
      posts: posts(0, 0, 0),
      out: { required: 0, counted: 0, shortfall: 0, noTeacher: true, meetsRatio: true },
    },
    {
      name: 'special school with a large enrolment and no full-time post',
      type: 'special' as const,
      students: 3000,
      posts: posts(0, 1, 0),
      out: { required: 0, counted: 0, shortfall: 0, noTeacher: false, meetsRatio: true },
    },
  ])('$name', ({ type, students, posts: p, out }) => {
    expect(schoolStaffing(type, students, p, settings)).toEqual(out)
  })

  it.each([
    { ratio: 1000, required: 2, shortfall: 1 },
    { ratio: 500, required: 3, shortfall: 2 },
    { ratio: 2000, required: 1, shortfall: 0 },
  ])('uses the district ratio from settings: 1,001 students at 1 per $ratio', ({ ratio, required, shortfall }) => {
    const s = schoolStaffing('primary', 1001, posts(1, 0, 0), { studentsPerFullTime: ratio })
    expect(s.required).toBe(required)
    expect(s.shortfall).toBe(shortfall)
    expect(s.meetsRatio).toBe(shortfall === 0)
  })
})

describe('referenceDate', () => {
  const year = { startsOn: '2025-09-01', endsOn: '2026-08-31' }

  it.each([
    { name: 'today inside the year', today: '2026-03-15', expected: '2026-03-15' },
    { name: 'on the first day', today: '2025-09-01', expected: '2025-09-01' },
    { name: 'on the last day', today: '2026-08-31', expected: '2026-08-31' },
    { name: 'the day after a past year ends → its last day', today: '2026-09-01', expected: '2026-08-31' },
    { name: 'long after a past year → its last day', today: '2030-01-01', expected: '2026-08-31' },
    { name: 'the day before a future year starts → its first day', today: '2025-08-31', expected: '2025-09-01' },
    { name: 'long before a future year → its first day', today: '2020-05-05', expected: '2025-09-01' },
  ])('$name', ({ today, expected }) => {
    expect(referenceDate(year, today)).toBe(expected)
  })
})

describe('inPostOn', () => {
  const date = '2026-08-31'

  it.each([
    { name: 'started earlier, still employed', startsOn: '2024-09-01', endsOn: null, inPost: true },
    { name: 'started on the date', startsOn: date, endsOn: null, inPost: true },
    { name: 'starts the day after', startsOn: '2026-09-01', endsOn: null, inPost: false },
    { name: 'left mid-year', startsOn: '2024-09-01', endsOn: '2026-01-15', inPost: false },
    { name: 'left the day before', startsOn: '2024-09-01', endsOn: '2026-08-30', inPost: false },
    { name: 'the date is the last working day', startsOn: '2024-09-01', endsOn: date, inPost: true },
    { name: 'leaves later', startsOn: '2024-09-01', endsOn: '2027-01-31', inPost: true },
    { name: 'a one-day post on the date', startsOn: date, endsOn: date, inPost: true },
  ])('$name → $inPost', ({ startsOn, endsOn, inPost }) => {
    expect(inPostOn({ startsOn, endsOn }, date)).toBe(inPost)
  })
})

describe("countPosts on a school year's reference date", () => {
  type Member = { employment: EmploymentType; startsOn: string; endsOn: string | null }
  const year = { startsOn: '2025-09-01', endsOn: '2026-08-31' }
  const team: Member[] = [
    { employment: 'full_time', startsOn: '2020-09-01', endsOn: null }, // throughout
    { employment: 'full_time', startsOn: '2025-09-01', endsOn: '2026-01-31' }, // left mid-year
    { employment: 'full_time', startsOn: '2024-09-01', endsOn: '2026-08-31' }, // last day is the year's last day
    { employment: 'part_time', startsOn: '2023-02-01', endsOn: null }, // throughout
    { employment: 'part_time', startsOn: '2026-09-01', endsOn: null }, // starts next year
    { employment: 'purchased', startsOn: '2026-03-01', endsOn: '2026-12-31' }, // joined mid-year
    { employment: 'purchased', startsOn: '2025-09-01', endsOn: '2025-12-31' }, // a first-term contract
  ]

  it.each([
    { name: 'a past year is judged on its last day', today: '2027-03-01', expected: { fullTime: 2, partTime: 1, purchased: 1 } },
    { name: 'on the last day itself', today: '2026-08-31', expected: { fullTime: 2, partTime: 1, purchased: 1 } },
    {
      name: 'a running year is judged on today (mid-year leaver still in post)',
      today: '2026-01-31',
      expected: { fullTime: 3, partTime: 1, purchased: 0 },
    },
    { name: 'a running year in the first term', today: '2025-10-10', expected: { fullTime: 3, partTime: 1, purchased: 1 } },
    { name: 'a future year is judged on its first day', today: '2025-06-01', expected: { fullTime: 3, partTime: 1, purchased: 1 } },
  ])('$name', ({ today, expected }) => {
    expect(countPosts(team, referenceDate(year, today))).toEqual(expected)
  })

  it('counts nothing for an empty team', () => {
    expect(countPosts([], '2026-01-01')).toEqual({ fullTime: 0, partTime: 0, purchased: 0 })
  })

  it('leaves out someone who left mid-year once the year is over, so the school can fall short', () => {
    const members: Member[] = [{ employment: 'full_time', startsOn: '2025-09-01', endsOn: '2026-03-31' }]
    const posts = countPosts(members, referenceDate(year, '2026-10-01'))
    expect(posts).toEqual({ fullTime: 0, partTime: 0, purchased: 0 })
    expect(schoolStaffing('primary', 800, posts, { studentsPerFullTime: RATIO })).toMatchObject({ shortfall: 1, noTeacher: true })
  })
})

describe('addDays', () => {
  it.each([
    { from: '2026-03-10', days: 0, to: '2026-03-10' },
    { from: '2026-03-10', days: 1, to: '2026-03-11' },
    { from: '2026-01-31', days: 1, to: '2026-02-01' },
    { from: '2026-04-30', days: 1, to: '2026-05-01' },
    { from: '2026-12-31', days: 1, to: '2027-01-01' },
    { from: '2028-02-28', days: 1, to: '2028-02-29' },
    { from: '2028-02-29', days: 1, to: '2028-03-01' },
    { from: '2027-02-28', days: 1, to: '2027-03-01' },
    { from: '2100-02-28', days: 1, to: '2100-03-01' },
    { from: '2000-02-28', days: 1, to: '2000-02-29' },
    { from: '2026-01-01', days: 90, to: '2026-04-01' },
    { from: '2028-01-01', days: 90, to: '2028-03-31' },
    { from: '2026-01-01', days: 365, to: '2027-01-01' },
    { from: '2028-01-01', days: 365, to: '2028-12-31' },
    { from: '2026-03-01', days: -1, to: '2026-02-28' },
    { from: '2028-03-01', days: -1, to: '2028-02-29' },
  ])('$from + $days → $to', ({ from, days, to }) => {
    expect(addDays(from, days)).toBe(to)
  })
})

describe('certificateState', () => {
  const today = '2026-05-20'
  const warn = DEFAULT_STAFFING_SETTINGS.certificateWarningDays

  it.each([
    { name: 'no expiry date', expiresOn: null, warningDays: warn, state: 'permanent' },
    { name: 'expired long ago', expiresOn: '2020-01-01', warningDays: warn, state: 'expired' },
    { name: 'expired yesterday', expiresOn: '2026-05-19', warningDays: warn, state: 'expired' },
    { name: 'expiring today', expiresOn: today, warningDays: warn, state: 'expiring' },
    { name: 'expiring tomorrow', expiresOn: '2026-05-21', warningDays: warn, state: 'expiring' },
    { name: 'expiring exactly at today + warning days', expiresOn: addDays(today, warn), warningDays: warn, state: 'expiring' },
    { name: 'expiring at today + 90 (literal date)', expiresOn: '2026-08-18', warningDays: 90, state: 'expiring' },
    { name: 'expiring at today + warning days + 1', expiresOn: addDays(today, warn + 1), warningDays: warn, state: 'valid' },
    { name: 'expiring at today + 91 (literal date)', expiresOn: '2026-08-19', warningDays: 90, state: 'valid' },
    { name: 'far in the future', expiresOn: '2035-01-01', warningDays: warn, state: 'valid' },
    { name: 'a 1-day window: tomorrow is expiring', expiresOn: '2026-05-21', warningDays: 1, state: 'expiring' },
    { name: 'a 1-day window: the day after tomorrow is valid', expiresOn: '2026-05-22', warningDays: 1, state: 'valid' },
    { name: 'a 30-day window across a month end', expiresOn: '2026-06-19', warningDays: 30, state: 'expiring' },
    { name: 'a 30-day window, one day past it', expiresOn: '2026-06-20', warningDays: 30, state: 'valid' },
  ])('$name → $state', ({ expiresOn, warningDays, state }) => {
    expect(certificateState(expiresOn, today, warningDays)).toBe(state)
  })

  it.each([
    { today: '2028-01-30', expiresOn: '2028-02-29', state: 'expiring' },
    { today: '2028-01-30', expiresOn: '2028-03-01', state: 'valid' },
    { today: '2027-01-30', expiresOn: '2027-03-01', state: 'expiring' },
    { today: '2027-01-30', expiresOn: '2027-03-02', state: 'valid' },
  ])('a 30-day window from $today: $expiresOn → $state (leap years counted)', ({ today: t, expiresOn, state }) => {
    expect(certificateState(expiresOn, t, 30)).toBe(state)
  })
})

describe('trainingMet', () => {
  it.each([
    { hours: 24, required: 24, met: true },
    { hours: 23.5, required: 24, met: false },
    { hours: 23, required: 24, met: false },
    { hours: 0, required: 24, met: false },
    { hours: 24.5, required: 24, met: true },
    { hours: 60, required: 24, met: true },
    { hours: 40, required: 40, met: true },
    { hours: 39.9, required: 40, met: false },
    { hours: 0, required: 0, met: true },
  ])('$hours h against $required h → $met', ({ hours, required, met }) => {
    expect(trainingMet(hours, { trainingHoursPerYear: required })).toBe(met)
  })

  it('defaults to 24 hours a year', () => {
    expect(trainingMet(24, DEFAULT_STAFFING_SETTINGS)).toBe(true)
    expect(trainingMet(23.9, DEFAULT_STAFFING_SETTINGS)).toBe(false)
  })
})

describe('roomStandard', () => {
  const settings: Omit<RoomSettings, 'targets'> = {
    minIndividualM2: 10,
    minGroupM2: 20,
    minOfficeM2: 8,
    minOpenHoursPerWeek: 10,
    requireMailbox: true,
  }
  const good: RoomFacts = {
    isSetUp: true,
    individualM2: 12,
    groupM2: 30,
    officeM2: 10,
    hasMailbox: true,
    weeklyOpenHours: 15,
  }

  it.each<{ name: string; room: RoomFacts | null; s?: Partial<Omit<RoomSettings, 'targets'>>; reasons: RoomReason[] }>([
    { name: 'a room meeting every rule', room: good, reasons: [] },
    { name: 'no room record', room: null, reasons: ['not_set_up'] },
    { name: 'a record marked not set up', room: { ...good, isSetUp: false }, reasons: ['not_set_up'] },
    {
      name: 'not set up wins over everything else missing',
      room: { isSetUp: false, individualM2: null, groupM2: null, officeM2: null, hasMailbox: false, weeklyOpenHours: 0 },
      reasons: ['not_set_up'],
    },
    // each required area missing
    { name: 'no individual room', room: { ...good, individualM2: null }, reasons: ['missing_individual'] },
    { name: 'individual room of size 0', room: { ...good, individualM2: 0 }, reasons: ['missing_individual'] },
    { name: 'no group room', room: { ...good, groupM2: null }, reasons: ['missing_group'] },
    { name: 'group room of size 0', room: { ...good, groupM2: 0 }, reasons: ['missing_group'] },
    { name: 'no office', room: { ...good, officeM2: null }, reasons: ['missing_office'] },
    { name: 'office of size 0', room: { ...good, officeM2: 0 }, reasons: ['missing_office'] },
    // below minimum size
    { name: 'individual room below minimum', room: { ...good, individualM2: 9.9 }, reasons: ['small_individual'] },
    { name: 'group room below minimum', room: { ...good, groupM2: 19 }, reasons: ['small_group'] },
    { name: 'office below minimum', room: { ...good, officeM2: 7.5 }, reasons: ['small_office'] },
    // exactly the minimum passes
    { name: 'individual room exactly the minimum', room: { ...good, individualM2: 10 }, reasons: [] },
    { name: 'group room exactly the minimum', room: { ...good, groupM2: 20 }, reasons: [] },
    { name: 'office exactly the minimum', room: { ...good, officeM2: 8 }, reasons: [] },
    // no minimum size: present still means a size above 0
    { name: 'no office minimum, office of 0 m²', room: { ...good, officeM2: 0 }, s: { minOfficeM2: 0 }, reasons: ['missing_office'] },
    {
      name: 'no office minimum, office not recorded',
      room: { ...good, officeM2: null },
      s: { minOfficeM2: 0 },
      reasons: ['missing_office'],
    },
    { name: 'no office minimum, any office of some size', room: { ...good, officeM2: 0.5 }, s: { minOfficeM2: 0 }, reasons: [] },
    {
      name: 'no individual minimum, individual room of 0 m²',
      room: { ...good, individualM2: 0 },
      s: { minIndividualM2: 0 },
      reasons: ['missing_individual'],
    },
    // mailbox
    { name: 'no mailbox when one is required', room: { ...good, hasMailbox: false }, reasons: ['no_mailbox'] },
    { name: 'no mailbox when none is required', room: { ...good, hasMailbox: false }, s: { requireMailbox: false }, reasons: [] },
    { name: 'a mailbox when none is required', room: good, s: { requireMailbox: false }, reasons: [] },
    // opening hours
    { name: 'open fewer hours than the minimum', room: { ...good, weeklyOpenHours: 9.5 }, reasons: ['few_hours'] },
    { name: 'never open', room: { ...good, weeklyOpenHours: 0 }, reasons: ['few_hours'] },
    { name: 'open exactly the minimum', room: { ...good, weeklyOpenHours: 10 }, reasons: [] },
    { name: 'never open with no minimum', room: { ...good, weeklyOpenHours: 0 }, s: { minOpenHoursPerWeek: 0 }, reasons: [] },
    // several reasons together, in a stable order: individual, group, office, mailbox, hours
    {
      name: 'set up with nothing recorded',
      room: { isSetUp: true, individualM2: null, groupM2: null, officeM2: null, hasMailbox: false, weeklyOpenHours: 0 },
      reasons: ['missing_individual', 'missing_group', 'missing_office', 'no_mailbox', 'few_hours'],
    },
    {
      name: 'every area too small, no mailbox, too few hours',
      room: { isSetUp: true, individualM2: 5, groupM2: 10, officeM2: 4, hasMailbox: false, weeklyOpenHours: 2 },
      reasons: ['small_individual', 'small_group', 'small_office', 'no_mailbox', 'few_hours'],
    },
    {
      name: 'mixed missing and small areas keep the area order',
      room: { ...good, individualM2: 5, groupM2: null, officeM2: 3 },
      reasons: ['small_individual', 'missing_group', 'small_office'],
    },
    {
      name: 'a missing office and few hours',
      room: { ...good, officeM2: null, weeklyOpenHours: 4 },
      reasons: ['missing_office', 'few_hours'],
    },
  ])('$name → $reasons', ({ room, s, reasons }) => {
    const out = roomStandard(room, { ...settings, ...s })
    expect(out.reasons).toEqual(reasons)
    expect(out.meets).toBe(reasons.length === 0)
  })

  it('returns the same reasons in the same order on every call', () => {
    const room: RoomFacts = { isSetUp: true, individualM2: 0, groupM2: 5, officeM2: null, hasMailbox: false, weeklyOpenHours: 1 }
    const first = roomStandard(room, settings).reasons
    expect(first).toEqual(['missing_individual', 'small_group', 'missing_office', 'no_mailbox', 'few_hours'])
    expect(roomStandard({ ...room }, { ...settings }).reasons).toEqual(first)
  })

  it.each<{ name: string; room: RoomFacts; reasons: RoomReason[] }>([
    {
      name: "the guide's smallest room",
      room: { isSetUp: true, individualM2: 10, groupM2: 20, officeM2: 1, hasMailbox: true, weeklyOpenHours: 10 },
      reasons: [],
    },
    {
      name: 'no office at all (minimum 0 still needs one)',
      room: { isSetUp: true, individualM2: 10, groupM2: 20, officeM2: 0, hasMailbox: true, weeklyOpenHours: 10 },
      reasons: ['missing_office'],
    },
    {
      name: 'no mailbox (required by default)',
      room: { isSetUp: true, individualM2: 10, groupM2: 20, officeM2: 6, hasMailbox: false, weeklyOpenHours: 10 },
      reasons: ['no_mailbox'],
    },
  ])('with the default settings: $name → $reasons', ({ room, reasons }) => {
    expect(roomStandard(room, DEFAULT_ROOM_SETTINGS)).toEqual({ meets: reasons.length === 0, reasons })
  })
})

describe('roomTargetFor', () => {
  const targets = [
    { year: '2026-2027', percent: 80 },
    { year: '2024-2025', percent: 50 },
    { year: '2028-2029', percent: 95 },
    { year: '2025-2026', percent: 65 },
  ]

  it.each([
    { name: 'a year with its own target', year: '2025-2026', expected: 65 },
    { name: 'the earliest year with a target', year: '2024-2025', expected: 50 },
    { name: 'the latest year with a target', year: '2028-2029', expected: 95 },
    { name: 'a gap year inherits the latest earlier target, not the later one', year: '2027-2028', expected: 80 },
    { name: 'a year after every target inherits the last one', year: '2031-2032', expected: 95 },
    { name: 'a year before every target gets the final target', year: '2023-2024', expected: FINAL_ROOM_TARGET },
  ])('$name ($year → $expected)', ({ year, expected }) => {
    expect(roomTargetFor(year, targets)).toBe(expected)
  })

  it.each([
    { name: 'no targets at all', targets: [], year: '2025-2026', expected: 100 },
    { name: 'only later targets', targets: [{ year: '2027-2028', percent: 70 }], year: '2025-2026', expected: 100 },
    {
      name: 'a target of 0 % is a target, not a missing one',
      targets: [{ year: '2025-2026', percent: 0 }],
      year: '2025-2026',
      expected: 0,
    },
    { name: 'a 0 % target is inherited', targets: [{ year: '2024-2025', percent: 0 }], year: '2026-2027', expected: 0 },
    {
      name: 'the order of the array does not matter (descending)',
      targets: [
        { year: '2026-2027', percent: 90 },
        { year: '2025-2026', percent: 70 },
        { year: '2024-2025', percent: 40 },
      ],
      year: '2025-2026',
      expected: 70,
    },
    {
      name: 'the order of the array does not matter (latest earlier year listed first)',
      targets: [
        { year: '2025-2026', percent: 70 },
        { year: '2022-2023', percent: 30 },
        { year: '2024-2025', percent: 60 },
      ],
      year: '2026-2027',
      expected: 70,
    },
  ])('$name → $expected', ({ targets: ts, year, expected }) => {
    expect(roomTargetFor(year, ts)).toBe(expected)
  })

  it('uses the final target of 100 %', () => {
    expect(FINAL_ROOM_TARGET).toBe(100)
    expect(roomTargetFor('2025-2026', DEFAULT_ROOM_SETTINGS.targets)).toBe(100)
  })

  it('gives the same answer for every ordering of the same targets', () => {
    const perms = [
      targets,
      [...targets].reverse(),
      [...targets].sort((a, b) => a.year.localeCompare(b.year)),
      [...targets].sort((a, b) => b.percent - a.percent),
    ]
    for (const ts of perms) {
      expect(
        ['2023-2024', '2024-2025', '2025-2026', '2026-2027', '2027-2028', '2028-2029', '2030-2031'].map((y) => roomTargetFor(y, ts)),
      ).toEqual([100, 50, 65, 80, 80, 95, 95])
    }
  })
})

describe('rate', () => {
  it.each([
    { part: 0, whole: 0, expected: null },
    { part: 3, whole: 0, expected: null },
    { part: 0, whole: -1, expected: null },
    { part: 0, whole: 3, expected: 0 },
    { part: 1, whole: 3, expected: 33.3 },
    { part: 2, whole: 3, expected: 66.7 },
    { part: 3, whole: 3, expected: 100 },
    { part: 1, whole: 2, expected: 50 },
    { part: 1, whole: 8, expected: 12.5 },
    { part: 1, whole: 6, expected: 16.7 },
    { part: 5, whole: 6, expected: 83.3 },
    { part: 1, whole: 7, expected: 14.3 },
    { part: 199, whole: 200, expected: 99.5 },
    { part: 1999, whole: 2000, expected: 100 },
    { part: 1, whole: 1000, expected: 0.1 },
    { part: 1, whole: 2001, expected: 0 },
  ])('$part of $whole → $expected', ({ part, whole, expected }) => {
    expect(rate(part, whole)).toBe(expected)
  })
})
