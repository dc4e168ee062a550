import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { CaseOpenInput } from '../../shared/case-schemas'
import {
  DEFAULT_INDICATORS,
  DEFAULT_PROGRAMME_RULES,
  PROGRAMME_ITEMS,
  type ItemStatus,
  type ProgrammeItem,
  type ProgrammeRules,
} from '../../shared/programme'
import { addAttachment } from '../../server/services/programme'
import { Clock, type Caller } from '../fixtures/caller'
import { caseInput, studentInput } from '../fixtures/cases'
import { targets, useTestDatabase } from '../fixtures/db'
import { makeSchool, makeYear } from '../fixtures/factories'
import {
  drillInput,
  eventInput,
  eventUpdate,
  jpegBytes,
  makeProgrammeUser,
  programmeCaller,
  teamClasses,
  useUploadDir,
  type ProgrammeUser,
} from '../fixtures/programme'

/** Monday 2 March 2026, 09:00 in Shanghai: inside school year 2025-2026. */
const T0 = '2026-03-02T01:00:00.000Z'

type Statuses = Record<ProgrammeItem, ItemStatus>
const NOTHING: Statuses = {
  team: 'not_started',
  activity: 'not_started',
  lecture: 'not_started',
  platform: 'not_started',
  caseFollowUp: 'complete',
  clinic: 'not_started',
  drill: 'not_started',
}
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T

describe.each(targets)('seven-ones completion statuses on $name', (target) => {
  const t = useTestDatabase(target)
  const uploads = useUploadDir()
  const clock = new Clock(T0)
  let lastYear: number
  let year: number
  let bureau: ProgrammeUser

  async function makeProgrammeSchool() {
    const school = await makeSchool(t.db)
    const admin = await makeProgrammeUser(t.db, 'school_admin', school.id, clock, uploads.path)
    const counsellor = await makeProgrammeUser(t.db, 'counsellor', school.id, clock, uploads.path)
    return { school, admin, counsellor }
  }

  /** A new student of the counsellor's school with a case the counsellor opened. */
  async function openCase(c: ProgrammeUser, over: Partial<CaseOpenInput> = {}, caller: Caller = c.caller) {
    const { id: studentId } = await caller.student.create(studentInput())
    return (await caller.case.open(caseInput(studentId, [c.accountId], { riskLevel: 'routine', openedOn: '2026-02-20', ...over }))).id
  }

  async function setRules(change: (r: ProgrammeRules) => void) {
    const rules = clone(DEFAULT_PROGRAMME_RULES)
    change(rules)
    await bureau.caller.programme.updateSettings({ rules, indicators: DEFAULT_INDICATORS })
  }

  beforeAll(async () => {
    lastYear = await makeYear(t.db, 2024)
    year = await makeYear(t.db, 2025, true)
    await makeYear(t.db, 2026)
    bureau = await makeProgrammeUser(t.db, 'bureau', null, clock, uploads.path)
  })

  afterEach(async () => {
    await bureau.caller.programme.updateSettings({ rules: DEFAULT_PROGRAMME_RULES, indicators: DEFAULT_INDICATORS })
  })

  it('starts a school with six items not started and case follow-up complete (no open case), for the school and the bureau alike', async () => {
    const { school, admin, counsellor } = await makeProgrammeSchool()
    for (const o of [
      await admin.caller.programme.overview({}),
      await counsellor.caller.programme.overview({ schoolYearId: year }),
      await bureau.caller.programme.overview({ schoolId: school.id }),
    ]) {
      expect(o.statuses).toEqual(NOTHING)
      expect(o.completed).toBe(1)
      expect(o.rules).toEqual(DEFAULT_PROGRAMME_RULES)
      expect(o.gaps).toEqual({
        team: ['no_team_date'],
        activity: ['no_event'],
        lecture: ['no_event'],
        platform: ['no_channel'],
        caseFollowUp: [],
        clinic: ['no_clinic'],
        drill: ['no_event'],
      })
      expect(o.refDate).toBe('2026-03-02')
    }
    // a past year is judged on its last day
    expect((await admin.caller.programme.overview({ schoolYearId: lastYear })).refDate).toBe('2025-08-31')
  })

  it('completes an activity or a lecture once one event has a photo, and only in its own year', async () => {
    const { admin, counsellor } = await makeProgrammeSchool()
    const { id: activityId } = await counsellor.caller.programme.createEvent(eventInput(year))
    const { id: lectureId } = await admin.caller.programme.createEvent(eventInput(year, { kind: 'lecture' }))
    let o = await admin.caller.programme.overview({})
    expect([o.statuses.activity, o.statuses.lecture]).toEqual(['in_progress', 'in_progress'])
    expect([o.gaps.activity, o.gaps.lecture]).toEqual([['no_attachment'], ['no_attachment']])

    await addAttachment(counsellor.ctx, { eventId: activityId, fileName: 'a.jpg', bytes: jpegBytes() })
    o = await admin.caller.programme.overview({})
    expect([o.statuses.activity, o.statuses.lecture]).toEqual(['complete', 'in_progress'])
    expect(o.gaps.activity).toEqual([])
    await addAttachment(admin.ctx, { eventId: lectureId, fileName: 'l.jpg', bytes: jpegBytes() })
    o = await admin.caller.programme.overview({})
    expect([o.statuses.activity, o.statuses.lecture]).toEqual(['complete', 'complete'])
    expect(o.completed).toBe(3)

    // last year's evidence does not count for this year, and this year's not for last year
    await clock.during('2025-05-26T02:00:00.000Z', async () => {
      const { id: oldId } = await admin.caller.programme.createEvent(
        eventInput(lastYear, { kind: 'drill', heldOn: '2025-05-25', problemsFound: '疏散路线不清' }),
      )
      await addAttachment(admin.ctx, { eventId: oldId, fileName: 'd.jpg', bytes: jpegBytes() })
    })
    expect((await admin.caller.programme.overview({})).statuses.drill).toBe('not_started')
    const old = await admin.caller.programme.overview({ schoolYearId: lastYear })
    expect(old.statuses).toEqual({ ...NOTHING, drill: 'complete' })
  })

  it('keeps a drill with a photo in progress until problems found are recorded', async () => {
    const { admin, counsellor } = await makeProgrammeSchool()
    const { id } = await counsellor.caller.programme.createEvent(drillInput(year, { problemsFound: '   ' }))
    let o = await admin.caller.programme.overview({})
    expect(o.statuses.drill).toBe('in_progress')
    expect(o.gaps.drill).toEqual(['no_attachment', 'no_problems_found'])

    await addAttachment(counsellor.ctx, { eventId: id, fileName: '演练.jpg', bytes: jpegBytes() })
    o = await admin.caller.programme.overview({})
    expect(o.statuses.drill).toBe('in_progress')
    expect(o.gaps.drill).toEqual(['no_problems_found'])

    await admin.caller.programme.updateEvent(
      eventUpdate(drillInput(year, { problemsFound: '报告链条过长，班主任未第一时间通知家长' }), id, 1),
    )
    o = await admin.caller.programme.overview({})
    expect(o.statuses.drill).toBe('complete')
    expect(o.gaps.drill).toEqual([])
  })

  it('judges the platform by reachable channels and the clinic by its agreement', async () => {
    const { admin, counsellor } = await makeProgrammeSchool()
    await counsellor.caller.programme.addChannel({ schoolYearId: year, kind: 'mailbox', name: '心理信箱', address: null, launchedOn: null })
    await admin.caller.programme.saveClinic({
      schoolYearId: year,
      hospital: '市康宁医院',
      clinicName: null,
      greenChannel: true,
      agreementOn: null,
    })
    let o = await admin.caller.programme.overview({})
    expect([o.statuses.platform, o.gaps.platform, o.statuses.clinic, o.gaps.clinic]).toEqual([
      'in_progress',
      ['no_channel'],
      'in_progress',
      ['no_agreement'],
    ])

    await counsellor.caller.programme.addChannel({
      schoolYearId: year,
      kind: 'wechat',
      name: '公众号',
      address: 'gh_xinqiao',
      launchedOn: '2025-09-01',
    })
    await admin.caller.programme.saveClinic({
      schoolYearId: year,
      hospital: '市康宁医院',
      clinicName: null,
      greenChannel: true,
      agreementOn: '2025-10-01',
    })
    o = await admin.caller.programme.overview({})
    expect([o.statuses.platform, o.statuses.clinic]).toEqual(['complete', 'complete'])
    expect(o.evidence.clinic.link?.version).toBe(2)
  })

  it('needs a set-up date, a psychology teacher in post, peer supporters in every class and enough trained head teachers for the team', async () => {
    const { school, admin } = await makeProgrammeSchool()
    const team = async () => {
      const o = await admin.caller.programme.overview({})
      return {
        status: o.statuses.team,
        gaps: o.gaps.team,
        classes: o.evidence.team.classCount,
        peers: o.evidence.team.peerClasses,
        trained: o.evidence.team.trainedHeadTeachers,
        teachers: o.evidence.team.psychTeachersInPost,
      }
    }
    await admin.caller.programme.saveTeam({ schoolYearId: year, setUpOn: null, note: null, classes: teamClasses(3, 3, 2) })
    expect(await team()).toEqual({
      status: 'in_progress',
      gaps: ['no_team_date', 'no_psych_teacher'],
      classes: 3,
      peers: 3,
      trained: 2,
      teachers: 0,
    })

    await admin.caller.programme.saveTeam({ schoolYearId: year, setUpOn: '2025-09-10', note: null, classes: teamClasses(3, 3, 2) })
    expect(await team()).toMatchObject({ status: 'in_progress', gaps: ['no_psych_teacher'] })

    // someone who left before today, or starts after it, is not in post
    await admin.caller.staffing.createMember({
      name: '已离职',
      employment: 'full_time',
      title: null,
      startsOn: '2019-09-01',
      endsOn: '2026-01-31',
    })
    await admin.caller.staffing.createMember({ name: '未入职', employment: 'part_time', title: null, startsOn: '2026-04-01', endsOn: null })
    expect(await team()).toMatchObject({ status: 'in_progress', gaps: ['no_psych_teacher'], teachers: 0 })
    await admin.caller.staffing.createMember({
      name: '王心怡',
      employment: 'part_time',
      title: '心理教师',
      startsOn: '2020-09-01',
      endsOn: null,
    })
    expect(await team()).toEqual({ status: 'complete', gaps: [], classes: 3, peers: 3, trained: 2, teachers: 1 })

    // the enrolment reports 4 classes: recording 3 does not shrink the denominator
    await admin.caller.staffing.setEnrolment({ schoolYearId: year, students: 160, classes: 4 })
    expect(await team()).toMatchObject({ status: 'in_progress', gaps: ['few_peer_classes'], classes: 4, peers: 3, trained: 2 })
    // 4 classes, one without a peer supporter
    await admin.caller.programme.saveTeam({ schoolYearId: year, setUpOn: '2025-09-10', note: null, classes: teamClasses(4, 3, 2) })
    expect(await team()).toMatchObject({ status: 'in_progress', gaps: ['few_peer_classes'] })
    // all have peers; 1 of 4 head teachers trained is below 50 %
    await admin.caller.programme.saveTeam({ schoolYearId: year, setUpOn: '2025-09-10', note: null, classes: teamClasses(4, 4, 1) })
    expect(await team()).toMatchObject({ status: 'in_progress', gaps: ['few_trained_head_teachers'], peers: 4, trained: 1 })
    await admin.caller.programme.saveTeam({ schoolYearId: year, setUpOn: '2025-09-10', note: null, classes: teamClasses(4, 4, 2) })
    expect(await team()).toEqual({ status: 'complete', gaps: [], classes: 4, peers: 4, trained: 2, teachers: 1 })
    // the bureau sees the same status
    expect((await bureau.caller.programme.overview({ schoolId: school.id })).statuses.team).toBe('complete')
  })

  describe('case follow-up, computed from cases', () => {
    it('is complete with open cases on plan, in progress with an overdue follow-up, and complete again once it is done', async () => {
      const { school, admin, counsellor } = await makeProgrammeSchool()
      const first = await openCase(counsellor)
      const second = await openCase(counsellor)
      await counsellor.caller.case.addFollowUp({ caseId: first, dueOn: '2026-03-10', purpose: '月度回访' })
      // due today is not overdue yet
      const { id: todayFu } = await counsellor.caller.case.addFollowUp({ caseId: second, dueOn: '2026-03-02', purpose: null })
      const follow = async (caller: Caller) => {
        const o = await caller.programme.overview(caller === bureau.caller ? { schoolId: school.id } : {})
        return { status: o.statuses.caseFollowUp, gaps: o.gaps.caseFollowUp, figures: o.evidence.caseFollowUp }
      }
      expect(await follow(counsellor.caller)).toEqual({
        status: 'complete',
        gaps: [],
        figures: { openCases: 2, onPlan: 2, overdueItems: 0, suppressed: false },
      })

      const { id: lateFu } = await counsellor.caller.case.addFollowUp({ caseId: second, dueOn: '2026-02-25', purpose: '逾期回访' })
      const late = {
        status: 'in_progress',
        gaps: ['cases_off_plan'],
        figures: { openCases: 2, onPlan: 1, overdueItems: 1, suppressed: false },
      }
      expect(await follow(counsellor.caller)).toEqual(late)
      expect(await follow(admin.caller)).toEqual(late)
      // the bureau sees the status, but not counts below 10 open cases
      expect(await follow(bureau.caller)).toEqual({
        ...late,
        figures: { openCases: null, onPlan: null, overdueItems: null, suppressed: true },
      })

      await counsellor.caller.case.completeFollowUp({ followUpId: lateFu, status: 'done' })
      expect(await follow(counsellor.caller)).toEqual({
        status: 'complete',
        gaps: [],
        figures: { openCases: 2, onPlan: 2, overdueItems: 0, suppressed: false },
      })

      // twelve days later the follow-ups due on 2 and 10 March are both overdue
      const later = programmeCaller(t.db, counsellor.actor, { now: () => new Date('2026-03-12T01:00:00.000Z'), uploadDir: uploads.path })
      expect(await follow(later)).toEqual({
        status: 'in_progress',
        gaps: ['cases_off_plan'],
        figures: { openCases: 2, onPlan: 0, overdueItems: 2, suppressed: false },
      })
      await later.case.completeFollowUp({ followUpId: todayFu, status: 'cancelled' })
      expect(await follow(later)).toMatchObject({ status: 'in_progress', figures: { openCases: 2, onPlan: 1, overdueItems: 1 } })
    })

    it('counts overdue risk-level tasks, and a school with every case closed is complete', async () => {
      const { counsellor } = await makeProgrammeSchool()
      const caseId = await openCase(counsellor, { riskLevel: 'watch', openedOn: '2026-03-02' })
      const at = (iso: string) => programmeCaller(t.db, counsellor.actor, { now: () => new Date(iso), uploadDir: uploads.path })
      const follow = async (caller: Caller) => {
        const o = await caller.programme.overview({})
        return [
          o.statuses.caseFollowUp,
          o.evidence.caseFollowUp.openCases,
          o.evidence.caseFollowUp.onPlan,
          o.evidence.caseFollowUp.overdueItems,
        ]
      }
      expect(await follow(counsellor.caller)).toEqual(['complete', 1, 1, 0])
      // watch: head-teacher monitoring due in 7 days, counselling in 14, the monthly review in 30
      const day20 = at('2026-03-20T01:00:00.000Z')
      expect(await follow(day20)).toEqual(['in_progress', 1, 0, 2])
      const file = await day20.case.byId({ id: caseId })
      for (const task of file.tasks.filter((x) => x.status === 'open' && x.dueAt < '2026-03-20'))
        await day20.case.completeTask({ taskId: task.id, status: 'done' })
      expect(await follow(day20)).toEqual(['complete', 1, 1, 0])

      const { version } = await day20.case.byId({ id: caseId })
      await day20.case.close({ caseId, version, outcome: '情绪稳定，结案' })
      expect(await follow(at('2026-06-01T01:00:00.000Z'))).toEqual(['complete', 0, 0, 0])
    })

    it('does not count a task as overdue before its due time on the Shanghai calendar', async () => {
      const { counsellor } = await makeProgrammeSchool()
      // opened at 07:30 on 25 February in Shanghai: head-teacher monitoring falls due at 07:30 on 4 March
      const opening = programmeCaller(t.db, counsellor.actor, { now: () => new Date('2026-02-24T23:30:00.000Z'), uploadDir: uploads.path })
      const caseId = await openCase(counsellor, { riskLevel: 'watch', openedOn: '2026-02-25' }, opening)
      // 07:00 on 4 March in Shanghai: nothing is due yet, as the case file itself says
      const early = programmeCaller(t.db, counsellor.actor, { now: () => new Date('2026-03-03T23:00:00.000Z'), uploadDir: uploads.path })
      const file = await early.case.byId({ id: caseId })
      expect(file.tasks.filter((x) => x.overdue)).toEqual([])
      expect(file.tasks.map((x) => x.dueAt)).toContain('2026-03-03T23:30:00.000Z')
      const o = await early.programme.overview({})
      expect(o.refDate).toBe('2026-03-04')
      expect([o.statuses.caseFollowUp, o.evidence.caseFollowUp]).toEqual([
        'complete',
        { openCases: 1, onPlan: 1, overdueItems: 0, suppressed: false },
      ])
    })

    it('shows the bureau the counts only when no count below 10 shows or can be subtracted, and accepts a lower on-plan share when the district sets one', async () => {
      const { school, counsellor } = await makeProgrammeSchool()
      const ids: number[] = []
      for (let i = 0; i < 10; i++) ids.push(await openCase(counsellor))
      for (const caseId of ids.slice(0, 4)) await counsellor.caller.case.addFollowUp({ caseId, dueOn: '2026-02-27', purpose: null })
      // 4 off plan could be worked out as 10 − 6: the bureau sees the status only
      const seen = await bureau.caller.programme.overview({ schoolId: school.id })
      expect([seen.statuses.caseFollowUp, seen.evidence.caseFollowUp]).toEqual([
        'in_progress',
        { openCases: null, onPlan: null, overdueItems: null, suppressed: true },
      ])

      await setRules((r) => {
        r.caseFollowUp.onPlanPercent = 60
      })
      expect((await bureau.caller.programme.overview({ schoolId: school.id })).statuses.caseFollowUp).toBe('complete')
      await setRules((r) => {
        r.caseFollowUp.onPlanPercent = 61
      })
      expect((await bureau.caller.programme.overview({ schoolId: school.id })).statuses.caseFollowUp).toBe('in_progress')

      // with all ten off plan, no count below 10 shows or can be derived from these figures: they are shown,
      // except what the district's case statistics hide (the same release decides both pages)
      for (const caseId of ids.slice(4)) await counsellor.caller.case.addFollowUp({ caseId, dueOn: '2026-02-27', purpose: null })
      const all = (await bureau.caller.programme.overview({ schoolId: school.id })).evidence.caseFollowUp
      expect(all.overdueItems).toBe(10)
      expect([10, null]).toContain(all.openCases)
      expect([0, null]).toContain(all.onPlan)
      const stats = await bureau.caller.case.districtStats({ dimension: 'risk_level' })
      const row = stats.rows.find((r) => r.schoolId === school.id)!
      // the open count is shown on the programme page exactly when the case statistics show it
      expect(all.openCases).toBe(row.total)
      expect(all.suppressed).toBe(all.openCases == null || all.onPlan == null)
    })
  })

  describe('clinic referrals', () => {
    it('counts hospital-clinic and green-channel referrals sent within the year', async () => {
      const { school, admin, counsellor } = await makeProgrammeSchool()
      const lastYearCase = await openCase(counsellor, { openedOn: '2025-06-01' })
      await counsellor.caller.case.addReferral({
        caseId: lastYearCase,
        kind: 'hospital_clinic',
        target: '市康宁医院',
        sentOn: '2025-08-31',
      })
      await counsellor.caller.case.addReferral({ caseId: lastYearCase, kind: 'green_channel', target: '市康宁医院', sentOn: '2025-09-01' })
      const caseId = await openCase(counsellor)
      await counsellor.caller.case.addReferral({ caseId, kind: 'hospital_clinic', target: '儿童医院', sentOn: '2026-02-21' })
      await counsellor.caller.case.addReferral({ caseId, kind: 'community_service', target: '社工站', sentOn: '2026-02-22' })
      await counsellor.caller.case.addReferral({ caseId, kind: 'other', target: '其他', sentOn: '2026-02-23' })
      // another school's referral is not this school's
      const other = await makeProgrammeSchool()
      const otherCase = await openCase(other.counsellor)
      await other.counsellor.caller.case.addReferral({
        caseId: otherCase,
        kind: 'green_channel',
        target: '市康宁医院',
        sentOn: '2026-02-21',
      })

      expect((await admin.caller.programme.overview({})).evidence.clinic.referrals).toBe(2)
      expect((await counsellor.caller.programme.overview({ schoolYearId: lastYear })).evidence.clinic.referrals).toBe(1)
      expect((await other.admin.caller.programme.overview({})).evidence.clinic.referrals).toBe(1)
      // referrals are evidence shown beside the clinic; the clinic's status comes from the link itself
      expect((await admin.caller.programme.overview({})).statuses.clinic).toBe('not_started')
      expect((await bureau.caller.programme.overview({ schoolId: school.id })).statuses.clinic).toBe('not_started')
    })

    it('withholds a school’s referral count from the bureau below the small-cell threshold, as it does the case counts', async () => {
      const { school, counsellor } = await makeProgrammeSchool()
      const caseId = await openCase(counsellor)
      await counsellor.caller.case.addReferral({ caseId, kind: 'green_channel', target: '市康宁医院', sentOn: '2026-02-21' })
      expect((await counsellor.caller.programme.overview({})).evidence.clinic.referrals).toBe(1)
      const seen = await bureau.caller.programme.overview({ schoolId: school.id })
      expect(seen.evidence.caseFollowUp).toMatchObject({ openCases: null, suppressed: true })
      // one referral to a psychiatric clinic at a named school is a case-derived cell with 0 < n < 10
      expect(seen.evidence.clinic.referrals).toBeNull()
    })
  })

  describe('district rules', () => {
    it('changes statuses when the bureau changes the completion rules, for the school and the bureau alike', async () => {
      const { school, admin, counsellor } = await makeProgrammeSchool()
      const { id: drillId } = await counsellor.caller.programme.createEvent(drillInput(year))
      await addAttachment(counsellor.ctx, { eventId: drillId, fileName: 'd.jpg', bytes: jpegBytes() })
      const { id: activityId } = await counsellor.caller.programme.createEvent(eventInput(year, { participants: 120 }))
      await addAttachment(counsellor.ctx, { eventId: activityId, fileName: 'a.jpg', bytes: jpegBytes() })
      const { id: lectureId } = await counsellor.caller.programme.createEvent(eventInput(year, { kind: 'lecture' }))
      await addAttachment(counsellor.ctx, { eventId: lectureId, fileName: 'l.jpg', bytes: jpegBytes() })
      await admin.caller.programme.addChannel({ schoolYearId: year, kind: 'wechat', name: '公众号', address: 'gh_x', launchedOn: null })
      await admin.caller.programme.saveClinic({
        schoolYearId: year,
        hospital: '市康宁医院',
        clinicName: null,
        greenChannel: true,
        agreementOn: null,
      })
      await admin.caller.programme.saveTeam({ schoolYearId: year, setUpOn: '2025-09-10', note: null, classes: teamClasses(2, 1, 0) })

      const both = async () => {
        const own = await admin.caller.programme.overview({})
        const seen = await bureau.caller.programme.overview({ schoolId: school.id })
        expect(seen.statuses).toEqual(own.statuses)
        expect(seen.rules).toEqual(own.rules)
        return own
      }
      let o = await both()
      expect(o.statuses).toEqual({
        team: 'in_progress',
        activity: 'complete',
        lecture: 'complete',
        platform: 'complete',
        caseFollowUp: 'complete',
        clinic: 'in_progress',
        drill: 'in_progress',
      })
      expect(o.gaps.team).toEqual(['no_psych_teacher', 'few_peer_classes', 'few_trained_head_teachers'])

      await setRules((r) => {
        r.drill.requireProblemsFound = false
        r.clinic.requireAgreementDate = false
        r.team = { requirePsychTeacher: false, peerClassPercent: 50, trainedHeadTeacherPercent: 0 }
      })
      o = await both()
      expect(o.rules.drill.requireProblemsFound).toBe(false)
      expect(o.statuses).toEqual({
        team: 'complete',
        activity: 'complete',
        lecture: 'complete',
        platform: 'complete',
        caseFollowUp: 'complete',
        clinic: 'complete',
        drill: 'complete',
      })
      expect(o.completed).toBe(PROGRAMME_ITEMS.length)

      await setRules((r) => {
        r.activity.minParticipants = 121
        r.lecture.minEvents = 2
        r.drill.minAttachments = 2
        r.platform.minChannels = 2
      })
      o = await both()
      expect(o.statuses).toMatchObject({ activity: 'in_progress', lecture: 'in_progress', platform: 'in_progress', drill: 'in_progress' })
      expect([o.gaps.activity, o.gaps.lecture, o.gaps.platform, o.gaps.drill]).toEqual([
        ['few_participants'],
        ['no_event'],
        ['no_channel'],
        ['no_attachment', 'no_problems_found'],
      ])

      // back to the defaults (afterEach does it too): the drill waits for problems found again
      await bureau.caller.programme.updateSettings({ rules: DEFAULT_PROGRAMME_RULES, indicators: DEFAULT_INDICATORS })
      expect((await both()).statuses.drill).toBe('in_progress')
    })
  })
})
