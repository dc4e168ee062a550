import { describe, expect, it } from 'vitest'
import {
  ATTACHMENT_MAX_BYTES,
  ATTACHMENTS_PER_EVENT,
  DEFAULT_INDICATORS,
  DEFAULT_PROGRAMME_RULES,
  PROGRAMME_ITEMS,
  programmeRulesSchema,
  type AttachmentType,
  type Indicator,
  type ItemGap,
  type ItemStatus,
  type ProgrammeItem,
  type ProgrammeRules,
} from '../../shared/programme'
import {
  attachmentProblem,
  caseFollowUpStatus,
  clinicStatus,
  completedCount,
  eventGaps,
  eventsStatus,
  inReminderWindow,
  meetsShare,
  platformStatus,
  safeFileName,
  scoreBand,
  scoreSheet,
  sniffType,
  teamStatus,
  type EventEvidence,
  type TeamEvidence,
} from '../../server/rules/programme'

const RULES = DEFAULT_PROGRAMME_RULES
type TeamRule = ProgrammeRules['team']
type EventRule = ProgrammeRules['activity'] & { requireProblemsFound?: boolean }

describe('defaults', () => {
  it('lists the seven items in the plan order, and the default rules pass their own schema', () => {
    expect(PROGRAMME_ITEMS).toEqual(['team', 'activity', 'lecture', 'platform', 'caseFollowUp', 'clinic', 'drill'])
    expect(programmeRulesSchema.parse(RULES)).toEqual(RULES)
    expect(RULES.drill.requireProblemsFound).toBe(true)
    expect(RULES.reminderMonths).toBe(2)
  })
})

describe('meetsShare: part / whole ≥ percent %, in integers', () => {
  it.each([
    // 0 % is always met, even with nothing to divide by
    { part: 0, whole: 0, percent: 0, ok: true },
    { part: 0, whole: 10, percent: 0, ok: true },
    { part: 0, whole: 0, percent: -5, ok: true },
    // nothing to divide by: not met unless 0 % is asked
    { part: 0, whole: 0, percent: 1, ok: false },
    { part: 0, whole: 0, percent: 100, ok: false },
    { part: 3, whole: 0, percent: 50, ok: false },
    { part: 3, whole: -1, percent: 50, ok: false },
    // 2 of 3 is 66.67 %: meets 66, not 67 (no rounding involved)
    { part: 2, whole: 3, percent: 66, ok: true },
    { part: 2, whole: 3, percent: 67, ok: false },
    { part: 1, whole: 3, percent: 33, ok: true },
    { part: 1, whole: 3, percent: 34, ok: false },
    // exactly the percent passes, one below fails
    { part: 2, whole: 4, percent: 50, ok: true },
    { part: 1, whole: 4, percent: 50, ok: false },
    { part: 50, whole: 100, percent: 50, ok: true },
    { part: 49, whole: 100, percent: 50, ok: false },
    { part: 1, whole: 1, percent: 100, ok: true },
    { part: 0, whole: 1, percent: 100, ok: false },
    { part: 99, whole: 100, percent: 100, ok: false },
    { part: 100, whole: 100, percent: 100, ok: true },
    { part: 0, whole: 5, percent: 1, ok: false },
    { part: 1, whole: 100, percent: 1, ok: true },
  ])('$part of $whole against $percent % → $ok', ({ part, whole, percent, ok }) => {
    expect(meetsShare(part, whole, percent)).toBe(ok)
  })
})

describe('teamStatus (item 1)', () => {
  /** `n` recorded classes; the first `trained` have a trained head teacher, the first `peers` a peer supporter. */
  const classes = (n: number, trained: number, peers: number): TeamEvidence['classes'] =>
    Array.from({ length: n }, (_, i) => ({ headTeacherTrained: i < trained, peerSupporters: i < peers ? 1 + (i % 3) : 0 }))
  const team = (over: Partial<TeamEvidence>): TeamEvidence => ({
    setUpOn: null,
    classes: [],
    enrolmentClasses: null,
    psychTeachersInPost: 0,
    ...over,
  })
  const DATE = '2026-09-10'

  it.each([
    {
      name: 'nothing recorded → not started, only the missing date',
      e: team({}),
      out: { status: 'not_started', gaps: ['no_team_date'], classes: 0, peerClasses: 0, trainedHeadTeachers: 0 },
    },
    {
      name: 'nothing recorded, even with enrolment classes and a psychology teacher in post → not started',
      e: team({ enrolmentClasses: 24, psychTeachersInPost: 2 }),
      out: { status: 'not_started', gaps: ['no_team_date'], classes: 24, peerClasses: 0, trainedHeadTeachers: 0 },
    },
    {
      name: 'only a set-up date, no enrolment → in progress with every other gap (a share of nothing is not met)',
      e: team({ setUpOn: DATE }),
      out: {
        status: 'in_progress',
        gaps: ['no_psych_teacher', 'few_peer_classes', 'few_trained_head_teachers'],
        classes: 0,
        peerClasses: 0,
        trainedHeadTeachers: 0,
      },
    },
    {
      name: 'only a set-up date and a psychology teacher, 12 enrolment classes → the two class shares are short',
      e: team({ setUpOn: DATE, enrolmentClasses: 12, psychTeachersInPost: 1 }),
      out: {
        status: 'in_progress',
        gaps: ['few_peer_classes', 'few_trained_head_teachers'],
        classes: 12,
        peerClasses: 0,
        trainedHeadTeachers: 0,
      },
    },
    {
      name: 'classes all good but no set-up date → in progress, only the date missing',
      e: team({ classes: classes(4, 4, 4), psychTeachersInPost: 1 }),
      out: { status: 'in_progress', gaps: ['no_team_date'], classes: 4, peerClasses: 4, trainedHeadTeachers: 4 },
    },
    {
      name: 'recording 2 of 4 enrolment classes does not raise the share: 2 / 4 peer classes is short of 100 %',
      e: team({ setUpOn: DATE, classes: classes(2, 2, 2), enrolmentClasses: 4, psychTeachersInPost: 1 }),
      out: { status: 'in_progress', gaps: ['few_peer_classes'], classes: 4, peerClasses: 2, trainedHeadTeachers: 2 },
    },
    {
      name: 'recording 2 of 5 enrolment classes: 2 / 5 trained is below 50 % too',
      e: team({ setUpOn: DATE, classes: classes(2, 2, 2), enrolmentClasses: 5, psychTeachersInPost: 1 }),
      out: {
        status: 'in_progress',
        gaps: ['few_peer_classes', 'few_trained_head_teachers'],
        classes: 5,
        peerClasses: 2,
        trainedHeadTeachers: 2,
      },
    },
    {
      name: 'more classes recorded than enrolled: the recorded count is the denominator',
      e: team({ setUpOn: DATE, classes: classes(6, 3, 6), enrolmentClasses: 4, psychTeachersInPost: 1 }),
      out: { status: 'complete', gaps: [], classes: 6, peerClasses: 6, trainedHeadTeachers: 3 },
    },
    {
      name: 'more classes recorded than enrolled, 2 of 6 trained is short of 50 %',
      e: team({ setUpOn: DATE, classes: classes(6, 2, 6), enrolmentClasses: 4, psychTeachersInPost: 1 }),
      out: { status: 'in_progress', gaps: ['few_trained_head_teachers'], classes: 6, peerClasses: 6, trainedHeadTeachers: 2 },
    },
    {
      name: 'exactly 50 % trained (2 of 4) passes',
      e: team({ setUpOn: DATE, classes: classes(4, 2, 4), enrolmentClasses: 4, psychTeachersInPost: 1 }),
      out: { status: 'complete', gaps: [], classes: 4, peerClasses: 4, trainedHeadTeachers: 2 },
    },
    {
      name: 'one below 50 % trained (1 of 4) fails',
      e: team({ setUpOn: DATE, classes: classes(4, 1, 4), enrolmentClasses: 4, psychTeachersInPost: 1 }),
      out: { status: 'in_progress', gaps: ['few_trained_head_teachers'], classes: 4, peerClasses: 4, trainedHeadTeachers: 1 },
    },
    {
      name: '3 of 4 classes with a peer supporter is short of 100 %',
      e: team({ setUpOn: DATE, classes: classes(4, 4, 3), enrolmentClasses: null, psychTeachersInPost: 1 }),
      out: { status: 'in_progress', gaps: ['few_peer_classes'], classes: 4, peerClasses: 3, trainedHeadTeachers: 4 },
    },
    {
      name: 'all good → complete with no gaps',
      e: team({ setUpOn: DATE, classes: classes(30, 30, 30), enrolmentClasses: 30, psychTeachersInPost: 2 }),
      out: { status: 'complete', gaps: [], classes: 30, peerClasses: 30, trainedHeadTeachers: 30 },
    },
    {
      name: 'every gap at once, in the fixed order',
      e: team({ classes: classes(4, 1, 0) }),
      out: {
        status: 'in_progress',
        gaps: ['no_team_date', 'no_psych_teacher', 'few_peer_classes', 'few_trained_head_teachers'],
        classes: 4,
        peerClasses: 0,
        trainedHeadTeachers: 1,
      },
    },
  ])('$name', ({ e, out }) => {
    expect(teamStatus(e, RULES.team)).toEqual(out)
  })

  it('a class counts as a peer class with one peer supporter, not with none', () => {
    const e = team({
      setUpOn: DATE,
      psychTeachersInPost: 1,
      classes: [
        { headTeacherTrained: true, peerSupporters: 1 },
        { headTeacherTrained: true, peerSupporters: 0 },
        { headTeacherTrained: false, peerSupporters: 5 },
      ],
    })
    expect(teamStatus(e, RULES.team)).toMatchObject({ peerClasses: 2, trainedHeadTeachers: 2, gaps: ['few_peer_classes'] })
  })

  describe.each([
    { requirePsychTeacher: true, psychTeachersInPost: 0, gaps: ['no_psych_teacher'] },
    { requirePsychTeacher: true, psychTeachersInPost: 1, gaps: [] },
    { requirePsychTeacher: false, psychTeachersInPost: 0, gaps: [] },
    { requirePsychTeacher: false, psychTeachersInPost: 3, gaps: [] },
  ])('requirePsychTeacher $requirePsychTeacher with $psychTeachersInPost in post', ({ requirePsychTeacher, psychTeachersInPost, gaps }) => {
    it(`→ ${gaps.length ? gaps.join(', ') : 'complete'}`, () => {
      const out = teamStatus(team({ setUpOn: DATE, classes: classes(4, 4, 4), psychTeachersInPost }), {
        ...RULES.team,
        requirePsychTeacher,
      })
      expect(out.gaps).toEqual(gaps)
      expect(out.status).toBe(gaps.length ? 'in_progress' : 'complete')
    })
  })

  it.each<{ name: string; rule: TeamRule; e: TeamEvidence; status: ItemStatus; gaps: ItemGap[] }>([
    {
      name: 'percentages at 0 and no teacher required: a set-up date alone completes',
      rule: { peerClassPercent: 0, trainedHeadTeacherPercent: 0, requirePsychTeacher: false },
      e: team({ setUpOn: DATE }),
      status: 'complete',
      gaps: [],
    },
    {
      name: 'percentages at 0 still need a set-up date',
      rule: { peerClassPercent: 0, trainedHeadTeacherPercent: 0, requirePsychTeacher: false },
      e: team({ classes: classes(3, 0, 0) }),
      status: 'in_progress',
      gaps: ['no_team_date'],
    },
    {
      name: 'a district asking 67 % peer classes: 2 of 3 falls short',
      rule: { peerClassPercent: 67, trainedHeadTeacherPercent: 0, requirePsychTeacher: false },
      e: team({ setUpOn: DATE, classes: classes(3, 0, 2) }),
      status: 'in_progress',
      gaps: ['few_peer_classes'],
    },
    {
      name: 'a district asking 66 % peer classes: 2 of 3 is enough',
      rule: { peerClassPercent: 66, trainedHeadTeacherPercent: 0, requirePsychTeacher: false },
      e: team({ setUpOn: DATE, classes: classes(3, 0, 2) }),
      status: 'complete',
      gaps: [],
    },
    {
      name: 'a district asking 100 % trained head teachers',
      rule: { peerClassPercent: 0, trainedHeadTeacherPercent: 100, requirePsychTeacher: false },
      e: team({ setUpOn: DATE, classes: classes(10, 9, 0) }),
      status: 'in_progress',
      gaps: ['few_trained_head_teachers'],
    },
  ])('custom rule: $name', ({ rule, e, status, gaps }) => {
    expect(teamStatus(e, rule)).toMatchObject({ status, gaps })
  })
})

describe('eventGaps: what keeps one event from counting', () => {
  const DRILL = RULES.drill
  const ev = (participants: number, attachments: number, problemsFound?: string | null): EventEvidence => ({
    participants,
    attachments,
    problemsFound,
  })

  it.each<{ name: string; e: EventEvidence; rule: EventRule; gaps: ItemGap[] }>([
    { name: 'activity with one attachment counts', e: ev(0, 1), rule: RULES.activity, gaps: [] },
    { name: 'activity without an attachment', e: ev(200, 0), rule: RULES.activity, gaps: ['no_attachment'] },
    { name: 'lecture without an attachment', e: ev(50, 0), rule: RULES.lecture, gaps: ['no_attachment'] },
    {
      name: 'minAttachments 0: no attachment needed',
      e: ev(0, 0),
      rule: { minEvents: 1, minAttachments: 0, minParticipants: 0 },
      gaps: [],
    },
    {
      name: 'minAttachments 3 with 2',
      e: ev(0, 2),
      rule: { minEvents: 1, minAttachments: 3, minParticipants: 0 },
      gaps: ['no_attachment'],
    },
    { name: 'minAttachments 3 with 3', e: ev(0, 3), rule: { minEvents: 1, minAttachments: 3, minParticipants: 0 }, gaps: [] },
    {
      name: 'minParticipants 30 with 29',
      e: ev(29, 1),
      rule: { minEvents: 1, minAttachments: 1, minParticipants: 30 },
      gaps: ['few_participants'],
    },
    { name: 'minParticipants 30 with 30', e: ev(30, 1), rule: { minEvents: 1, minAttachments: 1, minParticipants: 30 }, gaps: [] },
    { name: 'minParticipants 30 with 31', e: ev(31, 1), rule: { minEvents: 1, minAttachments: 1, minParticipants: 30 }, gaps: [] },
    { name: 'drill with attachment and problems found counts', e: ev(40, 1, '报告链条第二环延误 5 分钟'), rule: DRILL, gaps: [] },
    { name: 'drill with attachment but empty problems found', e: ev(40, 1, ''), rule: DRILL, gaps: ['no_problems_found'] },
    {
      name: 'drill with attachment but whitespace-only problems found',
      e: ev(40, 1, '  \n\t　'),
      rule: DRILL,
      gaps: ['no_problems_found'],
    },
    { name: 'drill with attachment but null problems found', e: ev(40, 1, null), rule: DRILL, gaps: ['no_problems_found'] },
    { name: 'drill with attachment but no problems-found field', e: ev(40, 1), rule: DRILL, gaps: ['no_problems_found'] },
    {
      name: 'drill lacking everything, in the fixed order',
      e: ev(5, 0, ' '),
      rule: { ...DRILL, minParticipants: 10 },
      gaps: ['no_attachment', 'few_participants', 'no_problems_found'],
    },
    { name: 'drill rule not asking for problems found', e: ev(40, 1, ''), rule: { ...DRILL, requireProblemsFound: false }, gaps: [] },
    { name: 'an activity rule ignores problems found', e: ev(40, 1, null), rule: RULES.activity, gaps: [] },
  ])('$name → $gaps', ({ e, rule, gaps }) => {
    expect(eventGaps(e, rule)).toEqual(gaps)
  })
})

describe('eventsStatus (items 2, 3 and 7)', () => {
  const ev = (participants: number, attachments: number, problemsFound?: string | null): EventEvidence => ({
    participants,
    attachments,
    problemsFound,
  })
  const TWO: EventRule = { minEvents: 2, minAttachments: 1, minParticipants: 20 }

  it.each<{ name: string; events: EventEvidence[]; rule: EventRule; status: ItemStatus; gaps: ItemGap[]; counting: number }>([
    { name: 'no events', events: [], rule: RULES.activity, status: 'not_started', gaps: ['no_event'], counting: 0 },
    { name: 'no drills', events: [], rule: RULES.drill, status: 'not_started', gaps: ['no_event'], counting: 0 },
    { name: 'one activity with a photo', events: [ev(300, 1)], rule: RULES.activity, status: 'complete', gaps: [], counting: 1 },
    {
      name: 'one activity without a photo',
      events: [ev(300, 0)],
      rule: RULES.activity,
      status: 'in_progress',
      gaps: ['no_attachment'],
      counting: 0,
    },
    {
      name: 'a drill with an attachment but empty problems found does not count',
      events: [ev(40, 2, '')],
      rule: RULES.drill,
      status: 'in_progress',
      gaps: ['no_problems_found'],
      counting: 0,
    },
    {
      name: 'a drill with an attachment but whitespace-only problems found does not count',
      events: [ev(40, 2, '   ')],
      rule: RULES.drill,
      status: 'in_progress',
      gaps: ['no_problems_found'],
      counting: 0,
    },
    {
      name: 'a drill with an attachment and problems found counts',
      events: [ev(40, 2, '家长联络人未接听，需备用号码')],
      rule: RULES.drill,
      status: 'complete',
      gaps: [],
      counting: 1,
    },
    {
      name: 'one counting drill among failing ones completes the item',
      events: [ev(40, 0, ''), ev(40, 1, '通讯录过期'), ev(40, 1, null)],
      rule: RULES.drill,
      status: 'complete',
      gaps: [],
      counting: 1,
    },
    {
      name: 'minAttachments 0: an event with no attachment counts',
      events: [ev(0, 0)],
      rule: { ...RULES.lecture, minAttachments: 0 },
      status: 'complete',
      gaps: [],
      counting: 1,
    },
    {
      name: 'minParticipants 20: 19 is short',
      events: [ev(19, 1)],
      rule: { ...TWO, minEvents: 1 },
      status: 'in_progress',
      gaps: ['few_participants'],
      counting: 0,
    },
    {
      name: 'minParticipants 20: 20 counts',
      events: [ev(20, 1)],
      rule: { ...TWO, minEvents: 1 },
      status: 'complete',
      gaps: [],
      counting: 1,
    },
    {
      name: 'minEvents 2, one counting and one close event: only what the close one lacks (fixing it completes the item)',
      events: [ev(25, 1), ev(19, 1)],
      rule: TWO,
      status: 'in_progress',
      gaps: ['few_participants'],
      counting: 1,
    },
    {
      name: 'minEvents 2 with a single event that does not count: "no_event" first, then what it lacks',
      events: [ev(19, 1)],
      rule: TWO,
      status: 'in_progress',
      gaps: ['no_event', 'few_participants'],
      counting: 0,
    },
    {
      name: 'minEvents 2 with one event, and it counts: only "no_event"',
      events: [ev(25, 1)],
      rule: TWO,
      status: 'in_progress',
      gaps: ['no_event'],
      counting: 1,
    },
    {
      name: 'minEvents 2 with two counting events',
      events: [ev(25, 1), ev(20, 3)],
      rule: TWO,
      status: 'complete',
      gaps: [],
      counting: 2,
    },
    {
      name: 'minEvents 2 with three counting events',
      events: [ev(25, 1), ev(20, 3), ev(21, 1)],
      rule: TWO,
      status: 'complete',
      gaps: [],
      counting: 3,
    },
    {
      name: 'gaps of the closest event (fewest gaps), not of the first one',
      events: [ev(5, 0, ''), ev(5, 1, ''), ev(40, 0, '签到表后补')],
      rule: { ...RULES.drill, minParticipants: 10 },
      status: 'in_progress',
      gaps: ['no_attachment'],
      counting: 0,
    },
    {
      name: 'closest event among several, the earliest of equally close ones',
      events: [ev(5, 0, 'x'), ev(40, 0, ''), ev(5, 1, '')],
      rule: { ...RULES.drill, minParticipants: 10 },
      status: 'in_progress',
      gaps: ['no_attachment', 'few_participants'],
      counting: 0,
    },
    {
      name: 'a counting drill and a close one, minEvents 2',
      events: [ev(5, 0, ''), ev(40, 1, '疏散路线拥堵'), ev(40, 1, ' ')],
      rule: { ...RULES.drill, minEvents: 2, minParticipants: 10 },
      status: 'in_progress',
      gaps: ['no_problems_found'],
      counting: 1,
    },
  ])('$name → $status $gaps', ({ events, rule, status, gaps, counting }) => {
    expect(eventsStatus(events, rule)).toEqual({ status, gaps, counting })
  })
})

describe('platformStatus (item 4)', () => {
  const ch = (...addresses: (string | null)[]) => addresses.map((address) => ({ address }))

  it.each<{ name: string; channels: { address: string | null }[]; minChannels: number; status: ItemStatus; gaps: ItemGap[] }>([
    { name: 'no channel', channels: [], minChannels: 1, status: 'not_started', gaps: ['no_channel'] },
    { name: 'a channel with no address', channels: ch(null), minChannels: 1, status: 'in_progress', gaps: ['no_channel'] },
    { name: 'a channel with an empty address', channels: ch(''), minChannels: 1, status: 'in_progress', gaps: ['no_channel'] },
    { name: 'a channel with a whitespace-only address', channels: ch('  \t'), minChannels: 1, status: 'in_progress', gaps: ['no_channel'] },
    { name: 'one reachable channel', channels: ch('0755-8888 1234'), minChannels: 1, status: 'complete', gaps: [] },
    {
      name: 'one reachable among unreachable ones',
      channels: ch(null, 'https://school.example/xinli', ' '),
      minChannels: 1,
      status: 'complete',
      gaps: [],
    },
    {
      name: 'two asked, one reachable',
      channels: ch('xinli@school.example', null),
      minChannels: 2,
      status: 'in_progress',
      gaps: ['no_channel'],
    },
    {
      name: 'two asked, two reachable',
      channels: ch('xinli@school.example', '公众号：福田心理'),
      minChannels: 2,
      status: 'complete',
      gaps: [],
    },
    { name: 'two asked, three reachable', channels: ch('a', 'b', 'c'), minChannels: 2, status: 'complete', gaps: [] },
  ])('$name (min $minChannels) → $status', ({ channels, minChannels, status, gaps }) => {
    expect(platformStatus(channels, { minChannels })).toEqual({ status, gaps })
  })
})

describe('caseFollowUpStatus (item 5)', () => {
  it.each([
    { openCases: 0, onPlan: 0, percent: 100, status: 'complete' },
    { openCases: 0, onPlan: 0, percent: 0, status: 'complete' },
    { openCases: 1, onPlan: 1, percent: 100, status: 'complete' },
    { openCases: 1, onPlan: 0, percent: 100, status: 'in_progress' },
    { openCases: 10, onPlan: 10, percent: 100, status: 'complete' },
    { openCases: 10, onPlan: 9, percent: 100, status: 'in_progress' },
    { openCases: 10, onPlan: 9, percent: 90, status: 'complete' },
    { openCases: 10, onPlan: 8, percent: 90, status: 'in_progress' },
    { openCases: 3, onPlan: 2, percent: 66, status: 'complete' },
    { openCases: 3, onPlan: 2, percent: 67, status: 'in_progress' },
    { openCases: 5, onPlan: 0, percent: 0, status: 'complete' },
  ] as const)('$onPlan of $openCases open cases on plan against $percent % → $status', ({ openCases, onPlan, percent, status }) => {
    const out = caseFollowUpStatus({ openCases, onPlan, overdueItems: openCases - onPlan }, { onPlanPercent: percent })
    expect(out).toEqual({ status, gaps: status === 'complete' ? [] : ['cases_off_plan'] })
  })

  it('is never "not started": no open case means nothing is pending', () => {
    expect(caseFollowUpStatus({ openCases: 0, onPlan: 0, overdueItems: 0 }, RULES.caseFollowUp).status).toBe('complete')
  })
})

describe('clinicStatus (item 6)', () => {
  const clinic = (agreementOn: string | null) => ({ hospital: '深圳市康宁医院', agreementOn })

  it.each([
    { name: 'no clinic, agreement required', c: null, require: true, status: 'not_started', gaps: ['no_clinic'] },
    { name: 'no clinic, agreement not required', c: null, require: false, status: 'not_started', gaps: ['no_clinic'] },
    { name: 'clinic without agreement, agreement required', c: clinic(null), require: true, status: 'in_progress', gaps: ['no_agreement'] },
    { name: 'clinic without agreement, agreement not required', c: clinic(null), require: false, status: 'complete', gaps: [] },
    { name: 'clinic with agreement, agreement required', c: clinic('2026-03-01'), require: true, status: 'complete', gaps: [] },
    { name: 'clinic with agreement, agreement not required', c: clinic('2026-03-01'), require: false, status: 'complete', gaps: [] },
  ])('$name → $status', ({ c, require, status, gaps }) => {
    expect(clinicStatus(c, { requireAgreementDate: require })).toEqual({ status, gaps })
  })
})

describe('completedCount', () => {
  const all = (status: ItemStatus) => Object.fromEntries(PROGRAMME_ITEMS.map((i) => [i, status])) as Record<ProgrammeItem, ItemStatus>

  it.each<{ name: string; statuses: Partial<Record<ProgrammeItem, ItemStatus>>; count: number }>([
    { name: 'nothing', statuses: {}, count: 0 },
    { name: 'all seven not started', statuses: all('not_started'), count: 0 },
    { name: 'all seven in progress', statuses: all('in_progress'), count: 0 },
    { name: 'all seven complete', statuses: all('complete'), count: 7 },
    { name: 'one complete', statuses: { clinic: 'complete' }, count: 1 },
    {
      name: 'a mix',
      statuses: {
        team: 'complete',
        activity: 'in_progress',
        lecture: 'complete',
        platform: 'not_started',
        caseFollowUp: 'complete',
        clinic: 'in_progress',
        drill: 'complete',
      },
      count: 4,
    },
  ])('$name → $count', ({ statuses, count }) => {
    expect(completedCount(statuses)).toBe(count)
  })
})

describe('inReminderWindow: the last N months of the school year, up to its last day', () => {
  it.each([
    // a year ending 2027-08-31, reminders in the last 2 months
    { endsOn: '2027-08-31', months: 2, today: '2026-09-01', inside: false },
    { endsOn: '2027-08-31', months: 2, today: '2027-06-30', inside: false },
    { endsOn: '2027-08-31', months: 2, today: '2027-07-02', inside: true },
    { endsOn: '2027-08-31', months: 2, today: '2027-08-15', inside: true },
    { endsOn: '2027-08-31', months: 2, today: '2027-08-31', inside: true },
    { endsOn: '2027-08-31', months: 2, today: '2027-09-01', inside: false },
    { endsOn: '2027-08-31', months: 2, today: '2028-08-01', inside: false },
    // 1 month: August (July has 31 days, so no month-length trouble)
    { endsOn: '2027-08-31', months: 1, today: '2027-07-31', inside: false },
    { endsOn: '2027-08-31', months: 1, today: '2027-08-01', inside: true },
    { endsOn: '2027-08-31', months: 1, today: '2027-08-31', inside: true },
    { endsOn: '2027-08-31', months: 1, today: '2027-09-01', inside: false },
    // 6 months: March to August
    { endsOn: '2027-08-31', months: 6, today: '2027-02-28', inside: false },
    { endsOn: '2027-08-31', months: 6, today: '2027-03-05', inside: true },
    { endsOn: '2027-08-31', months: 6, today: '2027-08-31', inside: true },
    { endsOn: '2027-08-31', months: 6, today: '2027-09-01', inside: false },
    // a year ending mid-month: the day after the same date N months earlier
    { endsOn: '2027-07-15', months: 2, today: '2027-05-15', inside: false },
    { endsOn: '2027-07-15', months: 2, today: '2027-05-16', inside: true },
    { endsOn: '2027-07-15', months: 2, today: '2027-07-15', inside: true },
    { endsOn: '2027-07-15', months: 2, today: '2027-07-16', inside: false },
    // across a calendar year
    { endsOn: '2028-01-15', months: 2, today: '2027-11-15', inside: false },
    { endsOn: '2028-01-15', months: 2, today: '2027-11-16', inside: true },
    { endsOn: '2027-12-31', months: 2, today: '2027-10-31', inside: false },
    { endsOn: '2027-12-31', months: 2, today: '2027-11-01', inside: true },
  ])('year ending $endsOn, $months months: $today → $inside', ({ endsOn, months, today, inside }) => {
    expect(inReminderWindow({ endsOn }, today, months)).toBe(inside)
  })

  // BUG: the start is computed as (same day N months earlier) + 1 day, via Date.UTC(y, m − N, d + 1). When the year
  // ends on the last day of a month and month − N has a different length, the day overflows: 2027-08-31 − 2 months is
  // "June 31" → July 1, + 1 → July 2, so July 1 is missed (and 6 months start on 3-04, not 3-01); a year ending on
  // June 30 starts on May 31, a day early. The window should start at (endsOn + 1 day) − N months.
  it.each([
    { endsOn: '2027-08-31', months: 2, today: '2027-07-01', inside: true },
    { endsOn: '2027-08-31', months: 6, today: '2027-03-01', inside: true },
    { endsOn: '2028-08-31', months: 6, today: '2028-03-01', inside: true },
    { endsOn: '2027-07-31', months: 1, today: '2027-07-01', inside: true },
    { endsOn: '2027-01-31', months: 2, today: '2026-12-01', inside: true },
    { endsOn: '2027-06-30', months: 1, today: '2027-05-31', inside: false },
  ])('month-end year end: $endsOn, $months months: $today → $inside', ({ endsOn, months, today, inside }) => {
    expect(inReminderWindow({ endsOn }, today, months)).toBe(inside)
  })
})

describe('scoreSheet', () => {
  const SMALL: Indicator[] = [
    { code: 'A1', nameZh: '甲', nameEn: 'A', maxScore: 10 },
    { code: 'B1', nameZh: '乙', nameEn: 'B', maxScore: 5 },
  ]
  const fullMarks = Object.fromEntries(DEFAULT_INDICATORS.map((i) => [i.code, i.maxScore]))

  it('the default indicators add up to 100', () => {
    expect(DEFAULT_INDICATORS.reduce((s, i) => s + i.maxScore, 0)).toBe(100)
    expect(scoreSheet(fullMarks, DEFAULT_INDICATORS)).toEqual({ ok: true, total: 100 })
  })

  it.each<{ name: string; scores: Record<string, number>; out: ReturnType<typeof scoreSheet> }>([
    { name: 'all scored', scores: { A1: 8, B1: 4 }, out: { ok: true, total: 12 } },
    { name: '0 and max accepted', scores: { A1: 0, B1: 5 }, out: { ok: true, total: 5 } },
    { name: 'all zero', scores: { A1: 0, B1: 0 }, out: { ok: true, total: 0 } },
    { name: 'half points accepted', scores: { A1: 7.5, B1: 0.5 }, out: { ok: true, total: 8 } },
    { name: 'max minus a half', scores: { A1: 9.5, B1: 4.5 }, out: { ok: true, total: 14 } },
    { name: 'missing code', scores: { A1: 8 }, out: { ok: false, bad: ['B1'] } },
    { name: 'nothing scored', scores: {}, out: { ok: false, bad: ['A1', 'B1'] } },
    { name: 'over max by a half', scores: { A1: 10.5, B1: 5 }, out: { ok: false, bad: ['A1'] } },
    { name: 'over max', scores: { A1: 8, B1: 6 }, out: { ok: false, bad: ['B1'] } },
    { name: 'negative', scores: { A1: -1, B1: 5 }, out: { ok: false, bad: ['A1'] } },
    { name: 'negative half', scores: { A1: -0.5, B1: 5 }, out: { ok: false, bad: ['A1'] } },
    { name: 'a quarter point', scores: { A1: 0.25, B1: 5 }, out: { ok: false, bad: ['A1'] } },
    { name: 'three quarters', scores: { A1: 8, B1: 3.75 }, out: { ok: false, bad: ['B1'] } },
    { name: 'a tenth', scores: { A1: 7.1, B1: 5 }, out: { ok: false, bad: ['A1'] } },
    { name: 'NaN', scores: { A1: Number.NaN, B1: 5 }, out: { ok: false, bad: ['A1'] } },
    { name: 'Infinity', scores: { A1: 8, B1: Number.POSITIVE_INFINITY }, out: { ok: false, bad: ['B1'] } },
    { name: 'unknown extra code', scores: { A1: 8, B1: 5, Z9: 1 }, out: { ok: false, bad: ['Z9'] } },
    { name: 'wrong case is an unknown code and a missing one', scores: { a1: 8, B1: 5 }, out: { ok: false, bad: ['A1', 'a1'] } },
    {
      name: 'every kind at once: indicators in order, then unknown codes',
      scores: { B1: 0.25, X: 1, Y: 2 },
      out: { ok: false, bad: ['A1', 'B1', 'X', 'Y'] },
    },
  ])('$name', ({ scores, out }) => {
    expect(scoreSheet(scores, SMALL)).toEqual(out)
  })

  it('a code named like an Object property is still missing when not scored', () => {
    const list: Indicator[] = [
      { code: 'toString', nameZh: '甲', nameEn: 'A', maxScore: 10 },
      { code: 'constructor', nameZh: '乙', nameEn: 'B', maxScore: 10 },
    ]
    expect(scoreSheet({}, list)).toEqual({ ok: false, bad: ['toString', 'constructor'] })
    expect(scoreSheet({ toString: 3, constructor: 4.5 }, list)).toEqual({ ok: true, total: 7.5 })
  })

  it('a string sneaking in as a score is refused', () => {
    expect(scoreSheet({ A1: '8' as unknown as number, B1: 5 }, SMALL)).toEqual({ ok: false, bad: ['A1'] })
  })
})

describe('scoreBand', () => {
  it.each([
    { total: 100, max: 100, band: 'excellent' },
    { total: 90, max: 100, band: 'excellent' },
    { total: 89.5, max: 100, band: 'good' },
    { total: 80, max: 100, band: 'good' },
    { total: 79.5, max: 100, band: 'pass' },
    { total: 60, max: 100, band: 'pass' },
    { total: 59.5, max: 100, band: 'improve' },
    { total: 0, max: 100, band: 'improve' },
    // a 40-point sheet: 36 / 32 / 24 are the 90 / 80 / 60 % lines
    { total: 40, max: 40, band: 'excellent' },
    { total: 36, max: 40, band: 'excellent' },
    { total: 35.5, max: 40, band: 'good' },
    { total: 32, max: 40, band: 'good' },
    { total: 31.5, max: 40, band: 'pass' },
    { total: 24, max: 40, band: 'pass' },
    { total: 23.5, max: 40, band: 'improve' },
    // a 30-point sheet: 27 / 24 / 18
    { total: 27, max: 30, band: 'excellent' },
    { total: 26.5, max: 30, band: 'good' },
    { total: 24, max: 30, band: 'good' },
    { total: 23.5, max: 30, band: 'pass' },
    { total: 18, max: 30, band: 'pass' },
    { total: 17.5, max: 30, band: 'improve' },
    // no sheet to score against
    { total: 0, max: 0, band: 'improve' },
    { total: 5, max: 0, band: 'improve' },
  ] as const)('$total of $max → $band', ({ total, max, band }) => {
    expect(scoreBand(total, max)).toBe(band)
  })

  it('agrees with exact integer arithmetic on every half-point total of every sheet up to 400 points', () => {
    const exact = (t2: number, max: number) =>
      t2 * 5 >= 9 * max ? 'excellent' : t2 * 5 >= 8 * max ? 'good' : t2 * 5 >= 6 * max ? 'pass' : 'improve'
    const wrong: string[] = []
    for (let max = 1; max <= 400; max++) {
      for (let t2 = 0; t2 <= 2 * max; t2++) if (scoreBand(t2 / 2, max) !== exact(t2, max)) wrong.push(`${t2 / 2}/${max}`)
    }
    expect(wrong).toEqual([])
  })
})

describe('sniffType: the type from the first bytes', () => {
  const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0))
  const bytes = (...parts: (number[] | string)[]) => new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? ascii(p) : p)))

  it.each<{ name: string; head: Uint8Array; type: AttachmentType | null }>([
    { name: 'JPEG (JFIF)', head: bytes([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10], 'JFIF'), type: 'image/jpeg' },
    { name: 'JPEG (Exif)', head: bytes([0xff, 0xd8, 0xff, 0xe1]), type: 'image/jpeg' },
    { name: 'JPEG, exactly the three signature bytes', head: bytes([0xff, 0xd8, 0xff]), type: 'image/jpeg' },
    { name: 'JPEG cut short', head: bytes([0xff, 0xd8]), type: null },
    { name: 'PNG', head: bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d], 'IHDR'), type: 'image/png' },
    { name: 'PNG with a damaged signature', head: bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0b]), type: null },
    { name: 'WebP (RIFF….WEBP)', head: bytes('RIFF', [0x24, 0x10, 0x00, 0x00], 'WEBPVP8 '), type: 'image/webp' },
    { name: 'RIFF that is WAVE', head: bytes('RIFF', [0x24, 0x10, 0x00, 0x00], 'WAVEfmt '), type: null },
    { name: 'RIFF that is AVI', head: bytes('RIFF', [0x24, 0x10, 0x00, 0x00], 'AVI LIST'), type: null },
    { name: 'RIFF header alone', head: bytes('RIFF'), type: null },
    { name: 'RIFF cut inside WEBP', head: bytes('RIFF', [0, 0, 0, 0], 'WEB'), type: null },
    { name: 'PDF', head: bytes('%PDF-1.7\n%âãÏÓ'), type: 'application/pdf' },
    { name: '%PDF without the dash', head: bytes('%PDF1.7'), type: null },
    { name: 'Windows executable (MZ)', head: bytes('MZ', [0x90, 0x00, 0x03, 0x00]), type: null },
    { name: 'ELF executable', head: bytes([0x7f], 'ELF', [0x02, 0x01]), type: null },
    { name: 'ZIP (e.g. a .docx)', head: bytes('PK', [0x03, 0x04]), type: null },
    { name: 'plain text', head: bytes('hello, this is not a photo'), type: null },
    { name: 'HTML', head: bytes('<!DOCTYPE html><html>'), type: null },
    { name: 'SVG (script-capable, not accepted)', head: bytes('<svg xmlns="http://www.w3.org/2000/svg">'), type: null },
    { name: 'a JPEG signature not at the start', head: bytes([0x00, 0xff, 0xd8, 0xff]), type: null },
    { name: 'empty array', head: new Uint8Array(0), type: null },
  ])('$name → $type', ({ head, type }) => {
    expect(sniffType(head)).toBe(type)
  })
})

describe('attachmentProblem', () => {
  const MAX = ATTACHMENT_MAX_BYTES
  const PER = ATTACHMENTS_PER_EVENT

  it('the limits are 5 MiB and 10 per event', () => {
    expect(MAX).toBe(5 * 1024 * 1024)
    expect(PER).toBe(10)
  })

  it.each<{
    name: string
    size: number
    type: AttachmentType | null
    existing: number
    maxPerEvent: number
    problem: ReturnType<typeof attachmentProblem>
  }>([
    { name: 'empty file', size: 0, type: 'image/jpeg', existing: 0, maxPerEvent: PER, problem: 'empty' },
    { name: 'empty comes first', size: 0, type: null, existing: PER, maxPerEvent: PER, problem: 'empty' },
    { name: 'one byte', size: 1, type: 'image/png', existing: 0, maxPerEvent: PER, problem: null },
    { name: 'exactly the maximum', size: MAX, type: 'application/pdf', existing: 0, maxPerEvent: PER, problem: null },
    { name: 'one byte over', size: MAX + 1, type: 'application/pdf', existing: 0, maxPerEvent: PER, problem: 'tooLarge' },
    { name: 'too large comes before the type', size: MAX + 1, type: null, existing: PER, maxPerEvent: PER, problem: 'tooLarge' },
    { name: 'unknown type', size: 1000, type: null, existing: 0, maxPerEvent: PER, problem: 'unsupportedType' },
    { name: 'unknown type comes before the count', size: 1000, type: null, existing: PER, maxPerEvent: PER, problem: 'unsupportedType' },
    { name: 'one below the per-event limit', size: 1000, type: 'image/webp', existing: PER - 1, maxPerEvent: PER, problem: null },
    { name: 'at the per-event limit', size: 1000, type: 'image/webp', existing: PER, maxPerEvent: PER, problem: 'tooMany' },
    { name: 'over the per-event limit', size: 1000, type: 'image/webp', existing: PER + 3, maxPerEvent: PER, problem: 'tooMany' },
    { name: 'a limit of 1: the first', size: 1000, type: 'image/jpeg', existing: 0, maxPerEvent: 1, problem: null },
    { name: 'a limit of 1: the second', size: 1000, type: 'image/jpeg', existing: 1, maxPerEvent: 1, problem: 'tooMany' },
    { name: 'a limit of 0', size: 1000, type: 'image/jpeg', existing: 0, maxPerEvent: 0, problem: 'tooMany' },
  ])('$name → $problem', ({ size, type, existing, maxPerEvent, problem }) => {
    expect(attachmentProblem(size, type, existing, maxPerEvent)).toBe(problem)
  })
})

describe('safeFileName', () => {
  it.each([
    { name: 'plain name kept', input: 'photo.jpg', out: 'photo.jpg' },
    { name: 'Chinese name kept', input: '5·25心理健康月活动照片（一）.jpg', out: '5·25心理健康月活动照片（一）.jpg' },
    { name: 'spaces inside kept, outside trimmed', input: '  心理 讲座 签到表.pdf  ', out: '心理 讲座 签到表.pdf' },
    { name: 'Unix path stripped', input: '../../etc/passwd', out: 'passwd' },
    { name: 'Windows path stripped', input: 'C:\\Users\\李老师\\Desktop\\演练签到表.pdf', out: '演练签到表.pdf' },
    { name: 'mixed separators stripped', input: 'a/b\\c/d.png', out: 'd.png' },
    { name: 'UNC path stripped', input: '\\\\server\\share\\scan.pdf', out: 'scan.pdf' },
    { name: 'trailing separator → default', input: 'folder/', out: 'attachment' },
    { name: 'empty → default', input: '', out: 'attachment' },
    { name: 'blank → default', input: '   ', out: 'attachment' },
    { name: 'only quotes → default', input: '""', out: 'attachment' },
    { name: 'only control characters → default', input: '\u0000\u0001\u001f\u007f', out: 'attachment' },
    { name: 'only forbidden characters → default', input: '<>|:*?"', out: 'attachment' },
    { name: 'header injection: CR LF and colon removed', input: 'a.pdf\r\nSet-Cookie: x=1', out: 'a.pdfSet-Cookie x=1' },
    { name: 'double quotes removed', input: 'evil".pdf"', out: 'evil.pdf' },
    { name: 'NUL and tab removed', input: 'a\u0000b\tc.jpg', out: 'abc.jpg' },
    { name: 'DEL removed', input: 'a\u007fb.jpg', out: 'ab.jpg' },
    { name: 'Windows-reserved characters removed', input: 'a<b>c|d:e*f?g.pdf', out: 'abcdefg.pdf' },
    { name: 'a path whose last part is only control characters → default', input: 'dir/\u0007\u0008', out: 'attachment' },
  ])('$name', ({ input, out }) => {
    expect(safeFileName(input)).toBe(out)
  })

  it.each([
    { name: '120 ASCII characters kept whole', input: `${'a'.repeat(116)}.pdf`, length: 120, start: 'aaaa', end: 'a.pdf' },
    { name: '121 ASCII characters lose the first', input: `b${'a'.repeat(116)}.pdf`, length: 120, start: 'aaaa', end: 'a.pdf' },
    { name: 'a long ASCII name keeps its extension', input: `${'x'.repeat(500)}.jpeg`, length: 120, start: 'xxxx', end: 'x.jpeg' },
    { name: 'a long Chinese name keeps its extension', input: `${'心理健康教育'.repeat(40)}.png`, length: 120, start: '', end: '育.png' },
    { name: 'a long path is stripped before bounding', input: `${'d/'.repeat(300)}签到表.pdf`, length: 7, start: '签到表', end: '.pdf' },
  ])('bounded: $name', ({ input, length, start, end }) => {
    const out = safeFileName(input)
    expect(out).toHaveLength(length)
    expect(out.startsWith(start)).toBe(true)
    expect(out.endsWith(end)).toBe(true)
  })

  // BUG: the name is bounded with slice(-120) in UTF-16 code units, so a cut through a surrogate pair (an emoji, a rare
  // CJK character outside the BMP) leaves a lone surrogate at the start: the string is not well-formed, and
  // encodeURIComponent (what a `filename*=UTF-8''…` download header needs) throws "URI malformed".
  // BUG: C1 control characters (U+0080–U+009F) are control characters too, but only U+0000–U+001F and U+007F are removed.
  it.each([
    { name: 'an emoji cut in half at the 120 bound', input: `😀${'a'.repeat(115)}.jpg` },
    { name: 'a CJK extension-B character cut in half at the 120 bound', input: `𠀀${'文'.repeat(115)}.pdf` },
  ])('well-formed after bounding: $name', ({ input }) => {
    const out = safeFileName(input)
    expect(() => encodeURIComponent(out)).not.toThrow()
  })

  it('removes C1 control characters', () => {
    expect(safeFileName('a\u0085b\u009bc.pdf')).not.toMatch(/[\u0080-\u009f]/)
  })

  it('a whole emoji within the bound is kept', () => {
    const out = safeFileName(`😀${'a'.repeat(114)}.jpg`)
    expect(out).toHaveLength(120)
    expect(out.startsWith('😀')).toBe(true)
    expect(() => encodeURIComponent(out)).not.toThrow()
  })
})
