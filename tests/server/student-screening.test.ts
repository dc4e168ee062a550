import { beforeAll, describe, expect, it } from 'vitest'
import type { QuestionnaireDefinition } from '../../shared/screening'
import { purgeScreeningAnswers } from '../../server/services/screening'
import { callerFor, Clock, expectRefusal, HOUR, type Caller } from '../fixtures/caller'
import { makeSignedIn, studentInput } from '../fixtures/cases'
import { rawExec, snapshotTables, targets, useTestDatabase } from '../fixtures/db'
import { makeSchool, unique } from '../fixtures/factories'

const DAY = 24 * HOUR
type Signed = Awaited<ReturnType<typeof makeSignedIn>>

const opts = (n: number) => Array.from({ length: n }, (_, v) => ({ value: v, labelZh: `选项${v}`, labelEn: `Option ${v}` }))
const QUIZ: QuestionnaireDefinition = {
  kind: 'quiz',
  nameZh: '心理健康核心知识',
  nameEn: 'Core mental-health knowledge',
  stemZh: '',
  stemEn: '',
  items: Array.from({ length: 5 }, (_, i) => ({
    key: `k${i + 1}`,
    textZh: `知识题${i + 1}`,
    textEn: `Question ${i + 1}`,
    options: opts(3),
    correct: 2,
    critical: null,
  })),
  bands: [],
}
const phq9 = (over: Record<string, number> = {}) => ({
  ...Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`phq9_${i + 1}`, 0])),
  ...over,
})
/** Quiz answers with `correct` of the five right. */
const quizAnswers = (correct: number) => Object.fromEntries(QUIZ.items.map((item, i) => [item.key, i < correct ? 2 : 0]))

describe.each(targets)('student screening on $name', (target) => {
  const t = useTestDatabase(target)
  const clock = new Clock('2026-09-10T01:00:00.000Z')
  let schoolA: number
  let schoolB: number
  let counsellorA: Signed
  let counsellorA2: Signed
  let counsellorB: Signed
  let adminA: Signed
  let bureau: Signed
  let quizRef: string
  const publicCaller = (ip = '10.1.0.1'): Caller => callerFor(t.db, null, { now: clock.now, ip })

  beforeAll(async () => {
    schoolA = (await makeSchool(t.db, { type: 'nine_year' })).id
    schoolB = (await makeSchool(t.db)).id
    counsellorA = await makeSignedIn(t.db, 'counsellor', schoolA, clock)
    counsellorA2 = await makeSignedIn(t.db, 'counsellor', schoolA, clock)
    counsellorB = await makeSignedIn(t.db, 'counsellor', schoolB, clock)
    adminA = await makeSignedIn(t.db, 'school_admin', schoolA, clock)
    bureau = await makeSignedIn(t.db, 'bureau', null, clock)
    const saved = await bureau.caller.screening.saveQuestionnaire({ definition: QUIZ })
    expect(saved.problems).toEqual([])
    await bureau.caller.screening.publishQuestionnaire({ versionId: saved.versionId })
    quizRef = `q${saved.versionId}`
  })

  /** A class of `n` students (given birth date) in a fresh class name of grade 8 at `counsellor`'s school. */
  async function makeClass(counsellor: Signed, n: number, birthDate = '2012-01-01') {
    const className = `${unique('')}班`
    const ids: number[] = []
    for (let i = 0; i < n; i++)
      ids.push((await counsellor.caller.student.create(studentInput({ grade: 8, className, birthDate, sex: i % 2 ? 'M' : 'F' }))).id)
    return { className, ids }
  }

  async function campaign(counsellor: Signed, instruments: string[]) {
    return (
      await counsellor.caller.screening.createCampaign({
        name: unique('心理筛查'),
        campaignDate: '2026-09-10',
        closesOn: '2026-09-30',
        instruments,
        grades: [8],
      })
    ).id
  }

  /** Consent for every student, slips, a running session: the codes and the class code. */
  async function ready(
    counsellor: Signed,
    campaignId: number,
    cls: { className: string; ids: number[] },
    party: 'guardian' | 'student' = 'student',
    slipDate = '2026-09-09',
  ) {
    for (const studentId of cls.ids) await counsellor.caller.screening.recordConsent({ campaignId, studentId, party, slipDate })
    const slips = await counsellor.caller.screening.issueSlips({ campaignId, grade: 8, className: cls.className })
    const { id: sessionId } = await counsellor.caller.screening.startSession({ campaignId, grade: 8, className: cls.className })
    const status = await counsellor.caller.screening.session({ sessionId })
    return { slips: slips.slips, sessionId, classCode: status.classCode! }
  }

  describe('questionnaires', () => {
    it('freezes a published version: a change makes version 2, and only a complete definition publishes', async () => {
      const first = await bureau.caller.screening.saveQuestionnaire({ definition: { ...QUIZ, nameZh: unique('测验') } })
      const list = await bureau.caller.screening.questionnaires()
      const q = list.find((x) => x.latest.id === first.versionId)!
      await bureau.caller.screening.publishQuestionnaire({ versionId: first.versionId })
      await expectRefusal(
        bureau.caller.screening.publishQuestionnaire({ versionId: first.versionId }),
        'CONFLICT',
        'screening.versionFrozen',
      )
      const second = await bureau.caller.screening.saveQuestionnaire({
        questionnaireId: q.questionnaireId,
        definition: { ...QUIZ, nameZh: '第二版' },
      })
      expect(second.versionId).not.toBe(first.versionId)
      const stored = await t.db
        .selectFrom('screening_questionnaire_version')
        .selectAll()
        .where('id', '=', first.versionId)
        .executeTakeFirstOrThrow()
      expect(JSON.parse(stored.definition).nameZh).not.toBe('第二版')
      const broken = await bureau.caller.screening.saveQuestionnaire({
        questionnaireId: q.questionnaireId,
        definition: { ...QUIZ, items: [{ ...QUIZ.items[0]!, correct: null }] },
      })
      expect(broken.versionId).toBe(second.versionId)
      expect(broken.problems).toEqual(['correctMissing'])
      await expectRefusal(
        bureau.caller.screening.publishQuestionnaire({ versionId: second.versionId }),
        'BAD_REQUEST',
        'screening.definitionInvalid',
      )
    })

    it('refuses a campaign with a draft questionnaire', async () => {
      const draft = await bureau.caller.screening.saveQuestionnaire({ definition: QUIZ })
      await expectRefusal(campaign(counsellorA, [`q${draft.versionId}`]), 'BAD_REQUEST', 'screening.instrumentUnknown')
    })
  })

  describe('campaigns', () => {
    it('keeps a counsellor to their own school and lets the bureau name schools', async () => {
      await expectRefusal(
        counsellorA.caller.screening.createCampaign({
          name: 'x',
          campaignDate: '2026-09-10',
          closesOn: '2026-09-30',
          instruments: ['phq9'],
          grades: [8],
          schoolIds: [schoolB],
        }),
        'BAD_REQUEST',
        'screening.schoolNotAllowed',
      )
      const { id } = await bureau.caller.screening.createCampaign({
        name: unique('区级筛查'),
        campaignDate: '2026-09-10',
        closesOn: '2026-09-30',
        instruments: ['phq9', quizRef],
        grades: [7, 8, 9],
        schoolIds: [schoolA, schoolB],
      })
      expect((await counsellorB.caller.screening.campaigns()).map((c) => c.id)).toContain(id)
      expect((await adminA.caller.screening.campaigns()).find((c) => c.id === id)).toMatchObject({
        district: true,
        schoolYear: '2026-2027',
      })
      await expectRefusal(
        adminA.caller.screening.createCampaign({
          name: 'x',
          campaignDate: '2026-09-10',
          closesOn: '2026-09-30',
          instruments: ['phq9'],
          grades: [8],
        }),
        'FORBIDDEN',
      )
    })
  })

  describe('consent', () => {
    it.each([
      ['13 at the campaign date: the guardian', '2013-01-01', 'guardian', 'student', 'screening.consentGuardian'],
      ['14 at the campaign date: the student', '2012-09-10', 'student', 'guardian', 'screening.consentStudent'],
    ] as const)('%s', async (_, birthDate, right, wrong, error) => {
      const cls = await makeClass(counsellorA, 1, birthDate)
      const campaignId = await campaign(counsellorA, ['phq9'])
      const studentId = cls.ids[0]!
      await expectRefusal(
        counsellorA.caller.screening.recordConsent({ campaignId, studentId, party: wrong, slipDate: '2026-09-09' }),
        'BAD_REQUEST',
        error,
      )
      const roster = await counsellorA.caller.screening.consents({ campaignId, grade: 8, className: cls.className })
      expect(roster[0]).toMatchObject({ required: right, consent: null, valid: false })
      await counsellorA.caller.screening.recordConsent({ campaignId, studentId, party: right, slipDate: '2026-09-09' })
      const after = await counsellorA.caller.screening.consents({ campaignId, grade: 8, className: cls.className })
      expect(after[0]).toMatchObject({
        valid: true,
        consent: { party: right, slipDate: '2026-09-09', recordedBy: expect.stringContaining('counsellor') },
      })
    })

    it('never offers the questionnaire without consent, and stops a withdrawn one, without counting a refusal', async () => {
      const cls = await makeClass(counsellorA, 3)
      const campaignId = await campaign(counsellorA, ['phq9'])
      await counsellorA.caller.screening.recordConsent({ campaignId, studentId: cls.ids[0]!, party: 'student', slipDate: '2026-09-09' })
      await counsellorA.caller.screening.recordConsent({ campaignId, studentId: cls.ids[1]!, party: 'student', slipDate: '2026-09-09' })
      const slips = await counsellorA.caller.screening.issueSlips({ campaignId, grade: 8, className: cls.className })
      expect(slips.slips.map((s) => s.studentId).sort()).toEqual([cls.ids[0], cls.ids[1]].sort())
      const { id: sessionId } = await counsellorA.caller.screening.startSession({ campaignId, grade: 8, className: cls.className })
      const { classCode } = await counsellorA.caller.screening.session({ sessionId })
      await counsellorA.caller.screening.withdrawConsent({ campaignId, studentId: cls.ids[1]! })
      const withdrawnSlip = slips.slips.find((s) => s.studentId === cls.ids[1])!
      await expectRefusal(
        publicCaller().screeningRespond.open({ classCode: classCode!, code: withdrawnSlip.code }),
        'BAD_REQUEST',
        'screening.notOffered',
      )
      expect((await counsellorA.caller.screening.issueSlips({ campaignId, grade: 8, className: cls.className })).slips).toEqual([])
      const status = await counsellorA.caller.screening.session({ sessionId })
      expect(status).toMatchObject({ consented: 1, withCode: 2, finished: 0 })
      const respondents = await t.db.selectFrom('screening_respondent').select('student_id').where('campaign_id', '=', campaignId).execute()
      expect(respondents.map((r) => r.student_id)).not.toContain(cls.ids[2])
    })
  })

  describe('answering in class', () => {
    it('saves progress, takes one submission, and shows the counsellor counts only', async () => {
      const cls = await makeClass(counsellorA, 2)
      const campaignId = await campaign(counsellorA, ['phq9', quizRef])
      const { slips, sessionId, classCode } = await ready(counsellorA, campaignId, cls)
      const code = slips[0]!.code
      const opened = await publicCaller().screeningRespond.open({ classCode: classCode.toLowerCase(), code })
      expect(opened.instruments.map((i) => i.ref)).toEqual(['phq9', quizRef])
      expect(JSON.stringify(opened)).not.toMatch(/correct|band|critical/)
      await publicCaller().screeningRespond.save({ classCode, code, answers: { phq9: { phq9_1: 1 } } })
      expect((await publicCaller().screeningRespond.open({ classCode, code })).draft).toEqual({ phq9: { phq9_1: 1 } })
      expect(await counsellorA.caller.screening.session({ sessionId })).toMatchObject({ inProgress: 1, finished: 0 })
      const done = await publicCaller().screeningRespond.submit({
        classCode,
        code,
        answers: { phq9: phq9({ phq9_1: 1 }), [quizRef]: quizAnswers(5) },
      })
      expect(done.thanks).toBe(true)
      expect(JSON.stringify(done)).not.toMatch(/band|minimal|total|score/i)
      const status = await counsellorA.caller.screening.session({ sessionId })
      expect(status).toMatchObject({ finished: 1, inProgress: 0, consented: 2 })
      expect(JSON.stringify(status)).not.toMatch(/answers|phq9_/)
      await expectRefusal(
        publicCaller().screeningRespond.submit({ classCode, code, answers: { phq9: phq9(), [quizRef]: quizAnswers(5) } }),
        'CONFLICT',
        'assessment.codeUsed',
      )
      await expectRefusal(publicCaller().screeningRespond.open({ classCode, code }), 'CONFLICT', 'assessment.codeUsed')
    })

    it('refuses a class code without a personal code, and a slip of another class', async () => {
      const cls1 = await makeClass(counsellorA, 1)
      const cls2 = await makeClass(counsellorA, 1)
      const campaignId = await campaign(counsellorA, ['phq9'])
      const one = await ready(counsellorA, campaignId, cls1)
      const two = await ready(counsellorA, campaignId, cls2)
      await expectRefusal(publicCaller().screeningRespond.open({ classCode: one.classCode, code: '' }), 'BAD_REQUEST')
      await expectRefusal(publicCaller().screeningRespond.open({ classCode: one.classCode } as never), 'BAD_REQUEST')
      await expectRefusal(
        publicCaller().screeningRespond.open({ classCode: one.classCode, code: two.slips[0]!.code }),
        'NOT_FOUND',
        'screening.codesInvalid',
      )
      await expectRefusal(
        publicCaller().screeningRespond.open({ classCode: 'ZZZZZZ', code: one.slips[0]!.code }),
        'NOT_FOUND',
        'screening.codesInvalid',
      )
      // After the session ends its class code opens nothing.
      await counsellorA.caller.screening.endSession({ sessionId: one.sessionId })
      await expectRefusal(
        publicCaller().screeningRespond.open({ classCode: one.classCode, code: one.slips[0]!.code }),
        'NOT_FOUND',
        'screening.codesInvalid',
      )
      const audit = await t.db
        .selectFrom('audit_event')
        .select('detail')
        .where('action', '=', 'screening.code_open')
        .where('outcome', '=', 'failed')
        .execute()
      expect(audit.map((a) => a.detail)).toEqual(expect.arrayContaining(['other_class', 'unknown_class_code']))
      expect(audit.every((a) => !String(a.detail).includes(one.slips[0]!.code.slice(0, 4)))).toBe(true)
    })
  })

  it('lets a whole school mistype behind one address more often than one teacher, then throttles', async () => {
    const cls = await makeClass(counsellorA, 1)
    const campaignId = await campaign(counsellorA, ['phq9'])
    const { slips } = await ready(counsellorA, campaignId, cls)
    const school = publicCaller('10.9.9.9')
    for (let i = 0; i < 30; i++)
      await expectRefusal(
        school.screeningRespond.open({ classCode: 'ZZZZZZ', code: slips[0]!.code }),
        'NOT_FOUND',
        'screening.codesInvalid',
      )
    await t.db
      .insertInto('login_failure')
      .values(Array.from({ length: 100 }, () => ({ kind: 'code' as const, key: '10.9.9.9', at: clock.now().toISOString() })))
      .execute()
    await expectRefusal(school.screeningRespond.open({ classCode: 'ZZZZZZ', code: slips[0]!.code }), 'TOO_MANY_REQUESTS')
  })

  describe('warnings', () => {
    it('raises a critical warning in the same transaction as the submission, in every counsellor inbox of the school', async () => {
      const cls = await makeClass(counsellorA, 1)
      const campaignId = await campaign(counsellorA, ['phq9'])
      const { slips, classCode } = await ready(counsellorA, campaignId, cls)
      const code = slips[0]!.code
      const before = await snapshotTables(t.db)
      await rawExec(t.db, 'alter table inbox_item rename to inbox_item_away')
      try {
        await expect(publicCaller().screeningRespond.submit({ classCode, code, answers: { phq9: phq9({ phq9_9: 1 }) } })).rejects.toThrow()
      } finally {
        await rawExec(t.db, 'alter table inbox_item_away rename to inbox_item')
      }
      const after = await snapshotTables(t.db)
      for (const table of ['screening_respondent', 'screening_result', 'screening_warning', 'inbox_item'] as const)
        expect(after[table], table).toEqual(before[table])
      const unreadB = await counsellorB.caller.inbox.unread()
      await publicCaller().screeningRespond.submit({ classCode, code, answers: { phq9: phq9({ phq9_9: 1 }) } })
      const warning = await t.db.selectFrom('screening_warning').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow()
      expect(warning).toMatchObject({ level: 'critical', school_id: schoolA, outcome: null })
      for (const c of [counsellorA, counsellorA2]) {
        const inbox = await c.caller.inbox.list({})
        expect(inbox.items[0]).toMatchObject({
          kind: 'screening.critical',
          entityId: warning.id,
          link: `/school/screening/warnings/${warning.id}`,
        })
      }
      expect(await counsellorB.caller.inbox.unread()).toBe(unreadB)
    })

    it('turns a warning into a case in one step, linked both ways, with the audit trail', async () => {
      const cls = await makeClass(counsellorA, 1)
      const campaignId = await campaign(counsellorA, ['phq9'])
      const { slips, classCode } = await ready(counsellorA, campaignId, cls)
      await publicCaller().screeningRespond.submit({
        classCode,
        code: slips[0]!.code,
        answers: { phq9: phq9({ phq9_1: 3, phq9_2: 3, phq9_3: 3, phq9_4: 3, phq9_5: 3 }) },
      })
      const list = await counsellorA.caller.screening.warnings({})
      const w = list.find((x) => x.student?.id === cls.ids[0])!
      expect(w).toMatchObject({ level: 'high', outcome: null })
      const detail = await counsellorA.caller.screening.warning({ id: w.id })
      expect(detail.results[0]).toMatchObject({ instrument: 'phq9', band: 'moderately_severe', total: 15 })
      await expectRefusal(
        counsellorA.caller.screening.recordOutcome({
          id: w.id,
          version: w.version,
          interviewOn: '2026-09-11',
          notes: '访谈',
          outcome: 'case',
        }),
        'BAD_REQUEST',
        'screening.interviewDate',
      )
      const out = await counsellorA.caller.screening.recordOutcome({
        id: w.id,
        version: w.version,
        interviewOn: '2026-09-10',
        notes: '二次访谈：情绪低落两周',
        outcome: 'case',
      })
      expect(out.caseId).toBeTruthy()
      const file = await counsellorA.caller.case.byId({ id: out.caseId! })
      expect(file).toMatchObject({ source: 'screening' })
      expect(JSON.stringify(file)).toContain('PHQ-9')
      expect(JSON.stringify(file)).toContain('中重度')
      expect(await counsellorA.caller.screening.warningOfCase({ caseId: out.caseId! })).toMatchObject({ id: w.id, level: 'high' })
      expect((await counsellorA.caller.screening.warning({ id: w.id })).caseId).toBe(out.caseId)
      await expectRefusal(
        counsellorA.caller.screening.recordOutcome({
          id: w.id,
          version: w.version + 1,
          interviewOn: '2026-09-10',
          notes: 'x',
          outcome: 'watch',
        }),
        'BAD_REQUEST',
        'screening.outcomeRecorded',
      )
      const trail = await t.db
        .selectFrom('audit_event')
        .select(['action', 'entity_id', 'detail'])
        .where('action', 'in', ['screening.warning_outcome', 'case.open'])
        .where('entity_id', 'in', [String(w.id), String(out.caseId)])
        .execute()
      expect(trail.map((r) => r.action).sort()).toEqual(['case.open', 'screening.warning_outcome'])
      expect(trail.find((r) => r.action === 'screening.warning_outcome')!.detail).toBe(`warning:case,case:${out.caseId}`)
    })

    it('keeps warnings from other schools, the school admin and the bureau', async () => {
      const warning = await t.db.selectFrom('screening_warning').select('id').where('school_id', '=', schoolA).executeTakeFirstOrThrow()
      await expectRefusal(counsellorB.caller.screening.warning({ id: warning.id }), 'NOT_FOUND')
      expect(await counsellorB.caller.screening.warnings({ status: 'all' })).toEqual([])
      for (const who of [adminA, bureau]) {
        await expectRefusal(who.caller.screening.warnings({}), 'FORBIDDEN')
        await expectRefusal(who.caller.screening.warning({ id: warning.id }), 'FORBIDDEN')
      }
    })
  })

  describe('knowledge awareness', () => {
    it('gives each school and the district exactly the share at or above the pass mark, by grade and year', async () => {
      // A school year of its own, so the test knows every quiz answer in it.
      await clock.during('2025-10-10T01:00:00.000Z', async () => {
        const school = (await makeSchool(t.db)).id
        const c = await makeSignedIn(t.db, 'counsellor', school, clock)
        const passes = [5, 5, 4, 3, 3, 3, 5, 4, 3, 3, 3, 5, 2, 1, 0, 2, 1, 2, 0, 1, 2, 2, 4, 3]
        const cls = await makeClass(c, passes.length, '2011-01-01')
        const { id: campaignId } = await c.caller.screening.createCampaign({
          name: unique('知识知晓率调查'),
          campaignDate: '2025-10-10',
          closesOn: '2025-10-20',
          instruments: [quizRef],
          grades: [8],
        })
        const { slips, classCode } = await ready(c, campaignId, cls, 'student', '2025-10-09')
        for (const [i, slip] of slips.entries())
          await publicCaller(`10.2.0.${i}`).screeningRespond.submit({
            classCode,
            code: slip.code,
            answers: { [quizRef]: quizAnswers(passes[i]!) },
          })
        const settings = await bureau.caller.screening.settings()
        // Independent: a student is aware with correct / 5 ≥ pass mark.
        const passed = passes.filter((n) => (n / QUIZ.items.length) * 100 >= settings.passMarkPercent).length
        expect(passed).toBeGreaterThanOrEqual(10)
        expect(passes.length - passed).toBeGreaterThanOrEqual(10)
        const dash = await bureau.caller.screening.awareness({ schoolYear: '2025-2026' })
        expect(dash.target).toBe(80)
        expect(dash.district).toEqual({
          year: '2025-2026',
          passed,
          answered: passes.length,
          rate: Math.round((passed / passes.length) * 1000) / 10,
        })
        expect(dash.schools.find((s) => s.schoolId === school)).toMatchObject({ passed, answered: passes.length })
        expect(dash.grades).toEqual([{ grade: 8, passed, answered: passes.length, rate: dash.district!.rate }])
        const drill = await bureau.caller.screening.awarenessSchool({ schoolYear: '2025-2026', schoolId: school })
        expect(drill.grades).toEqual([{ grade: 8, passed, answered: passes.length, rate: dash.district!.rate }])
        const file = await bureau.caller.screening.exportAwareness({ schoolYear: '2025-2026', format: 'csv', locale: 'en' })
        expect(Buffer.from(file.contentBase64, 'base64').toString('utf8')).toContain(String(dash.district!.rate))
      })
    })

    it('hides a small school’s figures', async () => {
      const dash = await bureau.caller.screening.awareness({ schoolYear: '2026-2027' })
      for (const s of dash.schools) for (const v of [s.passed, s.answered]) if (v != null) expect(v === 0 || v >= 10).toBe(true)
    })
  })

  describe('bureau distribution', () => {
    it('shows participation and warning levels only as figures of 0 or at least 10, never a student', async () => {
      const { id } = await bureau.caller.screening.createCampaign({
        name: unique('区级筛查'),
        campaignDate: '2026-09-10',
        closesOn: '2026-09-30',
        instruments: ['phq9'],
        grades: [8],
        schoolIds: [schoolA],
      })
      const cls = await makeClass(counsellorA, 12)
      const { slips, classCode } = await ready(counsellorA, id, cls)
      for (const [i, slip] of slips.entries())
        await publicCaller(`10.3.0.${i}`).screeningRespond.submit({ classCode, code: slip.code, answers: { phq9: phq9() } })
      const d = await bureau.caller.screening.distribution({ campaignId: id })
      expect(d.participation.rows[0]!.cells).toEqual([12, 0])
      expect(d.bySchool.rows[0]!.cells).toEqual([12, 0, 0, 0])
      expect(d.byGradeBand.rows.find((r) => r.key === 'junior')!.cells[0]).toBe(12)
      // six girls and six boys: hidden
      expect(d.bySex.rows.map((r) => r.cells[0])).toEqual([null, null])
      expect(JSON.stringify(d)).not.toMatch(/student|name_enc|code/i)
    })
  })

  describe('retention', () => {
    it('purges item answers after the retention period and keeps bands, warnings and cases', async () => {
      const before = await t.db
        .selectFrom('screening_result')
        .select(['id', 'band', 'total'])
        .where('answers_enc', 'is not', null)
        .execute()
      expect(before.length).toBeGreaterThan(0)
      expect((await purgeScreeningAnswers(t.db, new Date(clock.t + 30 * DAY))).answers).toBe(0)
      const out = await purgeScreeningAnswers(t.db, new Date(clock.t + 400 * DAY))
      expect(out.answers).toBeGreaterThanOrEqual(before.length)
      const after = await t.db.selectFrom('screening_result').select(['id', 'band', 'total', 'answers_enc', 'answers_purged_at']).execute()
      expect(after.every((r) => r.answers_enc == null && r.answers_purged_at != null)).toBe(true)
      for (const r of before) expect(after.find((a) => a.id === r.id)).toMatchObject({ band: r.band, total: r.total })
      const w = (await counsellorA.caller.screening.warnings({ status: 'done' }))[0]!
      const detail = await counsellorA.caller.screening.warning({ id: w.id })
      expect(detail.results[0]).toMatchObject({ answersPurged: true, answers: null })
      expect(detail.interviewNotes).toBeTruthy()
    })
  })
})
