import { beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_CONSENT } from '../../shared/assessment'
import { INSTRUMENTS, type InstrumentId } from '../../shared/instruments'
import { auditedBy } from '../fixtures/audit'
import { callerFor, Clock, expectRefusal, HOUR, type Caller } from '../fixtures/caller'
import { makeSignedIn } from '../fixtures/cases'
import { countRows, rawExec, snapshotTables, targets, useTestDatabase } from '../fixtures/db'
import { makeSchool, unique } from '../fixtures/factories'
import { attackRelease } from '../fixtures/disclosure'

const b64 = (text: string) => Buffer.from(text).toString('base64')
const DAY = 24 * HOUR

type Answers = Record<string, Record<string, number>>
/** Every item of each instrument answered with the scale's lowest value, with overrides. */
function answers(ids: InstrumentId[], over: Answers = {}): Answers {
  const out: Answers = {}
  for (const id of ids) {
    const def = INSTRUMENTS[id]
    const low = Math.min(...def.options.map((o) => o.value))
    out[id] = { ...Object.fromEntries(def.items.map((i) => [i.key, low])), ...over[id] }
  }
  return out
}

function teacherInput(over: Record<string, unknown> = {}) {
  return {
    staffNo: unique('T'),
    name: `教师${unique('')}`,
    sex: 'F' as const,
    birthYear: 1985,
    subject: '语文',
    phone: '13900001111',
    ...over,
  }
}

describe.each(targets)('teacher assessments on $name', (target) => {
  const t = useTestDatabase(target)
  const clock = new Clock('2026-03-02T01:00:00.000Z')
  let schoolA: number
  let schoolB: number
  let counsellorA: Awaited<ReturnType<typeof makeSignedIn>>
  let counsellorA2: Awaited<ReturnType<typeof makeSignedIn>>
  let adminA: Awaited<ReturnType<typeof makeSignedIn>>
  let counsellorB: Awaited<ReturnType<typeof makeSignedIn>>
  let adminB: Awaited<ReturnType<typeof makeSignedIn>>
  let bureau: Awaited<ReturnType<typeof makeSignedIn>>
  let expert: Awaited<ReturnType<typeof makeSignedIn>>
  let researcher: Awaited<ReturnType<typeof makeSignedIn>>
  let sysAdmin: Awaited<ReturnType<typeof makeSignedIn>>
  const publicCaller = (ip = '10.0.0.1'): Caller => callerFor(t.db, null, { now: clock.now, ip })

  beforeAll(async () => {
    schoolA = (await makeSchool(t.db)).id
    schoolB = (await makeSchool(t.db)).id
    counsellorA = await makeSignedIn(t.db, 'counsellor', schoolA, clock)
    counsellorA2 = await makeSignedIn(t.db, 'counsellor', schoolA, clock)
    adminA = await makeSignedIn(t.db, 'school_admin', schoolA, clock)
    counsellorB = await makeSignedIn(t.db, 'counsellor', schoolB, clock)
    adminB = await makeSignedIn(t.db, 'school_admin', schoolB, clock)
    bureau = await makeSignedIn(t.db, 'bureau', null, clock)
    expert = await makeSignedIn(t.db, 'expert', null, clock)
    researcher = await makeSignedIn(t.db, 'researcher', null, clock)
    sysAdmin = await makeSignedIn(t.db, 'admin', null, clock)
  })

  /** A round of school A's own, open now for a week, with a fresh teacher; returns the teacher's code. */
  async function roundWithCode(instruments: InstrumentId[] = ['phq9', 'gad7'], opener = adminA, school = schoolA) {
    const teacher = await opener.caller.teacher.create(teacherInput())
    const round = await opener.caller.assessment.openRound({
      name: unique('教师心理评估'),
      opensAt: new Date(clock.t - HOUR).toISOString(),
      closesAt: new Date(clock.t + 7 * DAY).toISOString(),
      instruments,
      schoolIds: [school],
      consentZh: DEFAULT_CONSENT['zh-CN'],
      consentEn: DEFAULT_CONSENT.en,
      recurrence: 'term',
    })
    const issued = await opener.caller.assessment.issueCodes({ roundId: round.id })
    const slip = issued.slips.find((s) => s.teacherId === teacher.id)!
    return { roundId: round.id, teacherId: teacher.id, code: slip.code, slips: issued.slips }
  }

  describe('teacher roster', () => {
    it('lets a counsellor add, list and edit teachers, with the name and phone encrypted at rest and each step audited', async () => {
      const name = `欧阳${unique('')}`
      const rows = await auditedBy(t.db, () => counsellorA.caller.teacher.create(teacherInput({ name, staffNo: 'A-100' })))
      expect(rows.map((r) => r.action)).toEqual(['teacher.create'])
      const list = await counsellorA.caller.teacher.list({ search: '欧阳' })
      expect(list.rows.map((r) => r.name)).toContain(name)
      const stored = await t.db.selectFrom('teacher').selectAll().where('staff_no', '=', 'A-100').executeTakeFirstOrThrow()
      expect(JSON.stringify(stored)).not.toContain(name)
      expect(JSON.stringify(stored)).not.toContain('13900001111')
      const row = list.rows.find((r) => r.name === name)!
      const updated = await adminA.caller.teacher.update({
        ...teacherInput({ staffNo: 'A-100', name }),
        id: row.id,
        version: row.version,
        subject: '数学',
      })
      expect(updated.subject).toBe('数学')
      await expectRefusal(
        counsellorA.caller.teacher.update({ ...teacherInput({ staffNo: 'A-100', name }), id: row.id, version: row.version }),
        'CONFLICT',
        'conflict',
      )
    })

    it('refuses a staff number already on the roster, and keeps schools apart', async () => {
      await counsellorA.caller.teacher.create(teacherInput({ staffNo: 'DUP-1' }))
      await expectRefusal(counsellorA.caller.teacher.create(teacherInput({ staffNo: 'DUP-1' })), 'CONFLICT', 'teacher.numberTaken')
      const other = await counsellorB.caller.teacher.create(teacherInput({ staffNo: 'DUP-1' }))
      await expectRefusal(counsellorA.caller.teacher.update({ ...teacherInput(), id: other.id, version: 1 }), 'NOT_FOUND', 'notFound')
      const listA = await counsellorA.caller.teacher.list({})
      expect(listA.rows.some((r) => r.id === other.id)).toBe(false)
    })

    it('previews an import with every problem and writes nothing, then commits a clean file', async () => {
      const p = unique('IMP')
      const bad = `工号,姓名,性别,出生年份,任教学科,手机\r\n${p}-1,王老师,女,1980,语文,\r\n${p}-1,李老师,男,19x0,,\r\n${p}-3,,X,,,\r\n`
      const before = await snapshotTables(t.db)
      const preview = await adminA.caller.teacher.import({ fileName: 'teachers.csv', contentBase64: b64(bad), commit: false })
      expect(preview.valid).toBe(1)
      expect(preview.problems.map((x) => [x.row, x.field, x.code])).toEqual([
        [3, 'birthYear', 'year'],
        [3, 'staffNo', 'duplicateInFile'],
        [4, 'sex', 'sex'],
        [4, 'name', 'required'],
      ])
      await expectRefusal(
        adminA.caller.teacher.import({ fileName: 'teachers.csv', contentBase64: b64(bad), commit: true }),
        'BAD_REQUEST',
        'import.hasProblems',
      )
      const after = await snapshotTables(t.db)
      expect(after.teacher).toEqual(before.teacher)
      const good = `\uFEFF工号,姓名,性别,出生年份,任教学科\r\n${p}-1,王老师,女,1980-05-06,语文\r\n${p}-2,李老师,男,1979年,体育\r\n`
      const done = await adminA.caller.teacher.import({ fileName: 'teachers.csv', contentBase64: b64(good), commit: true })
      expect(done.committed).toBe(2)
      expect(done.sample.map((r) => [r.staffNo, r.birthYear])).toEqual([
        [`${p}-1`, 1980],
        [`${p}-2`, 1979],
      ])
    })
  })

  describe('rounds', () => {
    it("opens a school admin's round for its own school only, inviting every current teacher", async () => {
      const input = {
        name: '本校教师评估',
        opensAt: '2026-03-01T00:00:00+08:00',
        closesAt: '2026-03-20T00:00:00+08:00',
        instruments: ['phq9' as const],
        schoolIds: [schoolB],
        consentZh: DEFAULT_CONSENT['zh-CN'],
        consentEn: DEFAULT_CONSENT.en,
        recurrence: 'none' as const,
      }
      await expectRefusal(adminA.caller.assessment.openRound(input), 'BAD_REQUEST', 'assessment.schoolNotAllowed')
      const { id } = await adminA.caller.assessment.openRound({ ...input, schoolIds: [] })
      const invited = await countRowsWhere('assessment_respondent', 'round_id', id)
      const teachers = (await counsellorA.caller.teacher.list({ pageSize: 200 })).total
      expect(invited).toBe(teachers)
      await expectRefusal(adminA.caller.assessment.nextRound({ roundId: id }), 'BAD_REQUEST', 'assessment.noRecurrence')
    })

    it("opens the bureau's district round for the schools it names and creates the next one a term later, once", async () => {
      await expectRefusal(
        bureau.caller.assessment.openRound({
          name: '全区教师评估',
          opensAt: '2026-03-01T00:00:00+08:00',
          closesAt: '2026-03-20T00:00:00+08:00',
          instruments: ['phq9', 'who5'],
          schoolIds: [],
          consentZh: DEFAULT_CONSENT['zh-CN'],
          consentEn: DEFAULT_CONSENT.en,
          recurrence: 'term',
        }),
        'BAD_REQUEST',
        'assessment.schoolsRequired',
      )
      const { id } = await bureau.caller.assessment.openRound({
        name: '全区教师评估',
        opensAt: '2026-03-01T00:00:00+08:00',
        closesAt: '2026-03-20T00:00:00+08:00',
        instruments: ['phq9', 'who5'],
        schoolIds: [schoolA, schoolB],
        consentZh: DEFAULT_CONSENT['zh-CN'],
        consentEn: DEFAULT_CONSENT.en,
        recurrence: 'term',
      })
      await expectRefusal(adminA.caller.assessment.nextRound({ roundId: id }), 'NOT_FOUND', 'notFound')
      const next = await bureau.caller.assessment.nextRound({ roundId: id })
      const round = await bureau.caller.assessment.round({ roundId: next.id })
      expect([round.opensAt, round.closesAt]).toEqual(['2026-08-31T16:00:00.000Z', '2026-09-19T16:00:00.000Z'])
      expect(round.instruments).toEqual(['phq9', 'who5'])
      await expectRefusal(bureau.caller.assessment.nextRound({ roundId: id }), 'CONFLICT', 'assessment.nextExists')
      const seenByB = await adminB.caller.assessment.rounds()
      expect(seenByB.map((r) => r.id)).toEqual(expect.arrayContaining([id, next.id]))
    })
  })

  async function countRowsWhere(
    table: 'assessment_respondent' | 'assessment_alert' | 'assessment_result' | 'inbox_item',
    col: string,
    v: number,
  ) {
    const r = await t.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(col as never, '=', v as never)
      .executeTakeFirstOrThrow()
    return Number(r.n)
  }

  describe('codes and answering without an account', () => {
    it('issues each teacher one code, shown once and stored only as a hash', async () => {
      const { roundId, code, slips } = await roundWithCode()
      expect(code).toMatch(/^[2-9A-HJKMNP-Z]{4}(-[2-9A-HJKMNP-Z]{4}){3}$/)
      expect(new Set(slips.map((s) => s.code)).size).toBe(slips.length)
      const dump = await dumpTablesText()
      for (const s of slips) expect(dump).not.toContain(s.code.replace(/-/g, ''))
      const again = await adminA.caller.assessment.issueCodes({ roundId })
      expect(again.slips).toEqual([])
    })

    it('opens with the consent, saves answers as they go and resumes them with the same code', async () => {
      const { code } = await roundWithCode(['phq9'])
      const p = publicCaller()
      const opened = await p.respond.open({ code: code.toLowerCase().replace(/-/g, ' ') })
      expect(opened.consentZh).toContain('不作为考核依据')
      expect(opened.instruments).toEqual(['phq9'])
      expect(opened.draft).toEqual({})
      await p.respond.save({ code, answers: { phq9: { phq9_1: 2, phq9_2: 1 } } })
      const resumed = await publicCaller('10.9.9.9').respond.open({ code })
      expect(resumed.draft).toEqual({ phq9: { phq9_1: 2, phq9_2: 1 } })
      const raw = await t.db.selectFrom('assessment_respondent').select('draft_enc').where('draft_enc', 'is not', null).execute()
      expect(raw.every((r) => !r.draft_enc!.includes('phq9_1'))).toBe(true)
    })

    it('refuses out-of-range, unknown and missing answers with a clear message and changes nothing', async () => {
      const { code } = await roundWithCode(['phq9'])
      const p = publicCaller()
      const before = await snapshotTables(t.db)
      await expectRefusal(p.respond.save({ code, answers: { phq9: { phq9_1: 4 } } }), 'BAD_REQUEST', 'assessment.badAnswers')
      await expectRefusal(p.respond.save({ code, answers: { gad7: { gad7_1: 1 } } }), 'BAD_REQUEST', 'assessment.badAnswers')
      const partial = answers(['phq9'])
      delete partial.phq9!.phq9_5
      await expectRefusal(p.respond.submit({ code, answers: partial, contactMe: false }), 'BAD_REQUEST', 'assessment.unanswered')
      const after = await snapshotTables(t.db)
      for (const table of ['assessment_respondent', 'assessment_result', 'assessment_alert', 'inbox_item'] as const)
        expect(after[table], table).toEqual(before[table])
    })

    it('submits once: the teacher sees their own bands, and the code is spent (a second tab changes nothing)', async () => {
      const { code } = await roundWithCode(['phq9', 'gad7'])
      const p = publicCaller()
      const a = answers(['phq9', 'gad7'], { phq9: { phq9_1: 2, phq9_2: 2, phq9_3: 2 }, gad7: { gad7_1: 3 } })
      const [first, second] = await Promise.allSettled([
        p.respond.submit({ code, answers: a, contactMe: false }),
        publicCaller('10.0.0.2').respond.submit({ code, answers: a, contactMe: false }),
      ])
      const ok = [first, second].filter((x) => x.status === 'fulfilled')
      expect(ok).toHaveLength(1)
      const result = (ok[0] as PromiseFulfilledResult<Awaited<ReturnType<Caller['respond']['submit']>>>).value
      expect(result.scores.map((s) => [s.instrument, s.total, s.band])).toEqual([
        ['phq9', 6, 'mild'],
        ['gad7', 3, 'minimal'],
      ])
      expect(result.help.hotline).toBe('12356')
      expect(result.help.counsellors).toHaveLength(2)
      const refused = [first, second].find((x) => x.status === 'rejected') as PromiseRejectedResult
      expect(refused.reason.appCode).toBe('assessment.codeUsed')
      const before = await snapshotTables(t.db)
      await expectRefusal(p.respond.submit({ code, answers: a, contactMe: false }), 'CONFLICT', 'assessment.codeUsed')
      await expectRefusal(p.respond.open({ code }), 'CONFLICT', 'assessment.codeUsed')
      const after = await snapshotTables(t.db)
      expect(after.assessment_result).toEqual(before.assessment_result)
      expect(after.assessment_respondent).toEqual(before.assessment_respondent)
    })

    it('refuses a code before the window opens and after it closes, changing nothing', async () => {
      const teacher = await adminB.caller.teacher.create(teacherInput())
      const round = await adminB.caller.assessment.openRound({
        name: '下周评估',
        opensAt: new Date(clock.t + DAY).toISOString(),
        closesAt: new Date(clock.t + 3 * DAY).toISOString(),
        instruments: ['who5'],
        schoolIds: [],
        consentZh: '同意书',
        consentEn: 'Consent',
        recurrence: 'none',
      })
      const code = (await adminB.caller.assessment.issueCodes({ roundId: round.id })).slips.find((s) => s.teacherId === teacher.id)!.code
      const p = publicCaller()
      await expectRefusal(p.respond.open({ code }), 'BAD_REQUEST', 'assessment.notOpenYet')
      await clock.during(new Date(clock.t + 3 * DAY).toISOString(), async () => {
        const before = await snapshotTables(t.db)
        await expectRefusal(
          p.respond.submit({ code, answers: answers(['who5']), contactMe: false }),
          'BAD_REQUEST',
          'assessment.roundClosed',
        )
        const after = await snapshotTables(t.db)
        expect(after.assessment_respondent).toEqual(before.assessment_respondent)
        expect(after.assessment_result).toEqual(before.assessment_result)
        await expectRefusal(adminB.caller.assessment.issueCodes({ roundId: round.id }), 'BAD_REQUEST', 'assessment.roundClosed')
      })
    })

    it("keeps each code to its own round: last term's code does not answer this term's round", async () => {
      const teacher = await adminB.caller.teacher.create(teacherInput())
      const base = { instruments: ['who5' as const], schoolIds: [], consentZh: '同意书', consentEn: 'Consent', recurrence: 'none' as const }
      const old = await adminB.caller.assessment.openRound({
        ...base,
        name: '上学期',
        opensAt: new Date(clock.t - 2 * DAY).toISOString(),
        closesAt: new Date(clock.t + DAY).toISOString(),
      })
      const oldCode = (await adminB.caller.assessment.issueCodes({ roundId: old.id })).slips.find((s) => s.teacherId === teacher.id)!.code
      await clock.during(new Date(clock.t + 2 * DAY).toISOString(), async () => {
        const cur = await adminB.caller.assessment.openRound({
          ...base,
          name: '本学期',
          opensAt: clock.now().toISOString(),
          closesAt: new Date(clock.t + DAY).toISOString(),
        })
        const newCode = (await adminB.caller.assessment.issueCodes({ roundId: cur.id })).slips.find((s) => s.teacherId === teacher.id)!.code
        expect(newCode).not.toBe(oldCode)
        await expectRefusal(
          publicCaller().respond.submit({ code: oldCode, answers: answers(['who5']), contactMe: false }),
          'BAD_REQUEST',
          'assessment.roundClosed',
        )
        const opened = await publicCaller().respond.open({ code: newCode })
        expect(opened.roundName).toBe('本学期')
      })
    })

    it('reissues a lost code: the old one stops working, the new one resumes the same answers', async () => {
      const { roundId, teacherId, code } = await roundWithCode(['phq9'])
      await publicCaller().respond.save({ code, answers: { phq9: { phq9_1: 1 } } })
      const re = await counsellorA.caller.assessment.reissueCode({ roundId, teacherId })
      const fresh = re.slips[0]!.code
      await expectRefusal(publicCaller().respond.open({ code }), 'NOT_FOUND', 'assessment.codeInvalid')
      expect((await publicCaller().respond.open({ code: fresh })).draft).toEqual({ phq9: { phq9_1: 1 } })
      await expectRefusal(counsellorB.caller.assessment.reissueCode({ roundId, teacherId }), 'NOT_FOUND', 'notFound')
    })

    it('answers an unknown code with the same clear refusal on every step, writing only the audit row and the failure count', async () => {
      const unknown = 'ZZZZ-ZZZZ-ZZZZ-ZZZ2'
      const before = await snapshotTables(t.db)
      await expectRefusal(publicCaller('10.77.0.1').respond.open({ code: unknown }), 'NOT_FOUND', 'assessment.codeInvalid')
      await expectRefusal(publicCaller('10.77.0.1').respond.save({ code: unknown, answers: {} }), 'NOT_FOUND', 'assessment.codeInvalid')
      await expectRefusal(
        publicCaller('10.77.0.1').respond.submit({ code: unknown, answers: answers(['phq9']), contactMe: false }),
        'NOT_FOUND',
        'assessment.codeInvalid',
      )
      const after = await snapshotTables(t.db)
      for (const table of ['assessment_respondent', 'assessment_result', 'assessment_alert', 'inbox_item'] as const)
        expect(after[table], table).toEqual(before[table])
      expect(after.login_failure.count).toBe(before.login_failure.count + 3)
      await expectRefusal(publicCaller().respond.open({ code: 'not a code' }), 'BAD_REQUEST')
    })

    it('throttles unknown codes per network address, like sign-in, and audits without the code', async () => {
      const ip = '10.66.0.1'
      for (let i = 0; i < 20; i++)
        await expectRefusal(
          publicCaller(ip).respond.open({ code: `ABCD-EFGH-JKMN-${String(2000 + i).replace(/[01]/g, '2')}` }),
          'NOT_FOUND',
          'assessment.codeInvalid',
        )
      const { code } = await roundWithCode(['who5'])
      await expectRefusal(publicCaller(ip).respond.open({ code }), 'TOO_MANY_REQUESTS', 'assessment.throttled')
      expect((await publicCaller('10.66.0.2').respond.open({ code })).instruments).toEqual(['who5'])
      const rows = await t.db.selectFrom('audit_event').select('detail').where('action', '=', 'assessment.code_open').execute()
      expect(rows.every((r) => !String(r.detail).includes('ABCD'))).toBe(true)
    })
  })

  describe('alerts', () => {
    it('raises an alert for PHQ-9 item 9 = 1 with a total of 1 and puts it in every counsellor inbox of the school in the same transaction', async () => {
      const { code } = await roundWithCode(['phq9'])
      const unreadB = await counsellorB.caller.inbox.unread()
      await publicCaller().respond.submit({ code, answers: answers(['phq9'], { phq9: { phq9_9: 1 } }), contactMe: false })
      const alert = await t.db.selectFrom('assessment_alert').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow()
      expect(alert).toMatchObject({ is_alert: 1, reasons: 'phq9_item9', school_id: schoolA, acknowledged_at: null })
      for (const c of [counsellorA, counsellorA2]) {
        const inbox = await c.caller.inbox.list({})
        expect(inbox.items[0]).toMatchObject({
          kind: 'assessment.alert',
          entityId: alert.id,
          link: `/school/assessment/alerts/${alert.id}`,
        })
      }
      expect(await counsellorB.caller.inbox.unread()).toBe(unreadB)
    })

    it('stores nothing of a submission whose alert cannot be delivered: the code still works', async () => {
      const { code } = await roundWithCode(['phq9'])
      const before = await snapshotTables(t.db)
      await rawExec(t.db, 'alter table inbox_item rename to inbox_item_away')
      try {
        await expect(
          publicCaller().respond.submit({ code, answers: answers(['phq9'], { phq9: { phq9_9: 2 } }), contactMe: false }),
        ).rejects.toThrow()
      } finally {
        await rawExec(t.db, 'alter table inbox_item_away rename to inbox_item')
      }
      const after = await snapshotTables(t.db)
      for (const table of ['assessment_respondent', 'assessment_result', 'assessment_alert', 'inbox_item'] as const)
        expect(after[table], table).toEqual(before[table])
      const done = await publicCaller().respond.submit({ code, answers: answers(['phq9'], { phq9: { phq9_9: 2 } }), contactMe: false })
      expect(done.scores[0]!.total).toBe(2)
    })

    it('raises an alert for a band at or above the district setting, a contact request for the checkbox, and nothing otherwise', async () => {
      const n0 = await countRows(t.db, 'assessment_alert')
      const low = await roundWithCode(['gad7'])
      await publicCaller().respond.submit({
        code: low.code,
        answers: answers(['gad7'], { gad7: { gad7_1: 3, gad7_2: 3 } }),
        contactMe: false,
      })
      expect(await countRows(t.db, 'assessment_alert')).toBe(n0)
      const severe = await roundWithCode(['gad7'])
      const all3 = Object.fromEntries(INSTRUMENTS.gad7.items.map((i) => [i.key, 3]))
      await publicCaller().respond.submit({ code: severe.code, answers: { gad7: all3 }, contactMe: false })
      const a = await t.db.selectFrom('assessment_alert').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow()
      expect([a.is_alert, a.reasons]).toEqual([1, 'band:gad7'])
      const contact = await roundWithCode(['who5'])
      await publicCaller().respond.submit({ code: contact.code, answers: answers(['who5']), contactMe: true })
      const c = await t.db.selectFrom('assessment_alert').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow()
      expect([c.is_alert, c.reasons]).toEqual([0, 'contact'])
      expect((await counsellorA.caller.inbox.list({})).items[0]).toMatchObject({ kind: 'assessment.contact', entityId: c.id })
    })

    it('lets the handler acknowledge, see the results, record support and follow-ups, and close with an outcome; all audited', async () => {
      const { code, teacherId } = await roundWithCode(['phq9'])
      await publicCaller().respond.submit({ code, answers: answers(['phq9'], { phq9: { phq9_9: 1, phq9_2: 3 } }), contactMe: true })
      const list = await counsellorA.caller.assessment.alerts({})
      const item = list.find((x) => x.teacher?.id === teacherId)!
      expect(item).toMatchObject({ isAlert: true, reasons: ['phq9_item9', 'contact'], acknowledgedAt: null })
      await expectRefusal(
        counsellorA.caller.assessment.addSupport({ alertId: item.id, kind: 'contact', onDate: '2026-03-02', text: '电话联系' }),
        'BAD_REQUEST',
        'assessment.notAcknowledged',
      )
      const ack = await auditedBy(t.db, () => counsellorA2.caller.assessment.acknowledge({ id: item.id }))
      expect(ack.map((r) => [r.action, r.actor_id])).toEqual([['assessment.alert_acknowledge', counsellorA2.account.id]])
      expect((await counsellorA.caller.assessment.acknowledge({ id: item.id })).already).toBe(true)
      const secret = `约谈记录${unique('')}`
      await counsellorA.caller.assessment.addSupport({ alertId: item.id, kind: 'contact', onDate: '2026-03-02', text: secret })
      await expectRefusal(
        counsellorA.caller.assessment.addSupport({ alertId: item.id, kind: 'contact', onDate: '2026-03-09', text: '未来' }),
        'BAD_REQUEST',
        'assessment.contactInFuture',
      )
      const fu = await counsellorA.caller.assessment.addSupport({
        alertId: item.id,
        kind: 'follow_up',
        onDate: '2026-03-09',
        text: '一周后随访',
      })
      await counsellorA.caller.assessment.completeSupport({ id: fu.id })
      const detail = await counsellorA.caller.assessment.alert({ id: item.id })
      expect(detail.handler).toBe(counsellorA2.account.username.replace(/^/, 'Test '))
      expect(detail.results[0]).toMatchObject({ instrument: 'phq9', total: 4, band: 'minimal' })
      expect(detail.results[0]!.answers.phq9_9).toBe(1)
      expect(detail.supports.map((s) => [s.kind, s.text, s.doneAt != null])).toEqual([
        ['contact', secret, false],
        ['follow_up', '一周后随访', true],
      ])
      expect(await dumpTablesText()).not.toContain(secret)
      const closed = await counsellorA.caller.assessment.closeAlert({ id: item.id, version: detail.version, outcome: '已疏导，情绪平稳' })
      expect(closed.closedAt).not.toBeNull()
      expect(closed.outcome).toBe('已疏导，情绪平稳')
      await expectRefusal(
        counsellorA.caller.assessment.closeAlert({ id: item.id, version: closed.version, outcome: 'x' }),
        'BAD_REQUEST',
        'assessment.alertClosed',
      )
      await expectRefusal(counsellorB.caller.assessment.alert({ id: item.id }), 'NOT_FOUND', 'notFound')
    })
  })

  describe('the firewall', () => {
    it('gives a school admin and the bureau participation counts only, from the round’s one release through the disclosure module', async () => {
      const teacherNames: string[] = []
      for (let i = 0; i < 9; i++) {
        const name = `参与${unique('')}`
        teacherNames.push(name)
        await adminB.caller.teacher.create(teacherInput({ name }))
      }
      const round = await adminB.caller.assessment.openRound({
        name: '参与率',
        opensAt: new Date(clock.t - HOUR).toISOString(),
        closesAt: new Date(clock.t + DAY).toISOString(),
        instruments: ['phq9'],
        schoolIds: [],
        consentZh: '同意书',
        consentEn: 'Consent',
        recurrence: 'none',
      })
      const slips = (await adminB.caller.assessment.issueCodes({ roundId: round.id })).slips
      expect(slips.length).toBeGreaterThanOrEqual(10)
      /** What the list shows agrees with the round's results (one release), and no small figure shows or follows from the two. */
      const check = async (who: typeof adminB) => {
        const rounds = await who.caller.assessment.rounds()
        const r = rounds.find((x) => x.id === round.id)!
        const agg = await who.caller.assessment.aggregates({ roundId: round.id })
        expect(r.participation).toEqual({ answered: agg.participation.columnTotals[0], invited: agg.participation.total })
        for (const v of [r.participation.answered, r.participation.invited, ...agg.participation.columnTotals]) {
          if (v != null) expect(v === 0 || v >= agg.threshold).toBe(true)
        }
        const { answered, invited } = r.participation
        if (answered != null && invited != null) expect(invited - answered === 0 || invited - answered >= agg.threshold).toBe(true)
        const text = JSON.stringify(rounds)
        for (const s of slips) expect(text).not.toContain(s.name)
        expect(text).not.toMatch(/phq9_9|severe|minimal|alert/i)
        return r.participation
      }
      await publicCaller().respond.submit({ code: slips[0]!.code, answers: answers(['phq9'], { phq9: { phq9_9: 3 } }), contactMe: true })
      for (const who of [adminB, bureau]) expect((await check(who)).answered).toBeNull()
      for (const s of slips.slice(1, 10))
        await publicCaller().respond.submit({ code: s.code, answers: answers(['phq9']), contactMe: false })
      const ten = await check(adminB)
      await check(bureau)
      // Ten answered: shown unless showing it would reveal a small number of teachers who did not answer.
      if (slips.length - 10 === 0 || slips.length - 10 >= 10) expect(ten.answered).toBe(10)
      else expect(ten.answered == null || ten.invited == null).toBe(true)
    })

    it('gives the round’s aggregates through the disclosure module: participation and bands per school, small groups hidden, nothing narrowable', async () => {
      const school = (await makeSchool(t.db)).id
      const admin = await makeSignedIn(t.db, 'school_admin', school, clock)
      const names: string[] = []
      for (let i = 0; i < 14; i++) {
        const name = `汇总${unique('')}`
        names.push(name)
        await admin.caller.teacher.create(teacherInput({ name }))
      }
      const round = await bureau.caller.assessment.openRound({
        name: '汇总轮次',
        opensAt: new Date(clock.t - HOUR).toISOString(),
        closesAt: new Date(clock.t + DAY).toISOString(),
        instruments: ['phq9'],
        schoolIds: [school],
        consentZh: '同意书',
        consentEn: 'Consent',
        recurrence: 'none',
      })
      const slips = (await admin.caller.assessment.issueCodes({ roundId: round.id })).slips
      expect(slips).toHaveLength(14)
      // 11 answer: ten with no symptoms, one with many (a band of one)
      for (let i = 0; i < 11; i++) {
        const heavy: Record<string, Record<string, number>> = i === 0
          ? { phq9: Object.fromEntries(INSTRUMENTS.phq9.items.map((it) => [it.key, 3])) }
          : {}
        await publicCaller(`10.9.0.${i}`).respond.submit({ code: slips[i]!.code, answers: answers(['phq9'], heavy), contactMe: false })
      }
      const rows = await auditedBy(t.db, () => bureau.caller.assessment.aggregates({ roundId: round.id }))
      expect(rows.map((r) => r.action)).toEqual(['assessment.aggregates_read'])
      const agg = await bureau.caller.assessment.aggregates({ roundId: round.id })
      expect(agg.participation.rows.map((r) => r.schoolId)).toEqual([school])
      const p = agg.participation.rows[0]!
      // 11 answered of 14: the 3 who did not are a small count, hidden, and so is what would give it away
      expect(p.cells[1]).toBeNull()
      expect([p.cells[0], p.total].filter((v) => v != null).length).toBeLessThan(2)
      const phq = agg.instruments[0]!
      expect(phq.instrument).toBe('phq9')
      const bandRow = phq.rows[0]!
      const severe = phq.columns.indexOf('severe')
      expect(bandRow.cells[severe]).toBeNull()
      const shown = [...p.cells, p.total, ...bandRow.cells, bandRow.total, ...phq.columnTotals, phq.total].filter(
        (v): v is number => v != null,
      )
      expect(shown.filter((v) => v > 0 && v < 10)).toEqual([])
      const text = JSON.stringify(agg)
      for (const n of names) expect(text).not.toContain(n)
      // an independent attacker holding both tables (one school: its row, the columns, the link answered = band total)
      const cols = phq.columns
      const entries = [
        { id: 'a', value: 0 },
        { id: 'n', value: 0 },
        { id: 'inv', value: 0 },
        ...cols.map((c) => ({ id: `b:${c}`, value: 0 })),
        { id: 'bt', value: 0 },
      ]
      const constraints = [
        { parts: ['a', 'n'], total: 'inv' },
        { parts: cols.map((c) => `b:${c}`), total: 'bt' },
        { parts: ['bt'], total: 'a' },
      ]
      const published = new Map<string, number>()
      const put = (id: string, v: number | null) => v != null && published.set(id, v)
      put('a', p.cells[0]!)
      put('n', p.cells[1]!)
      put('inv', p.total)
      cols.forEach((c, j) => put(`b:${c}`, bandRow.cells[j] ?? phq.columnTotals[j] ?? null))
      put('bt', bandRow.total ?? phq.total)
      const proven = await attackRelease({ entries, constraints }, published)
      expect([...proven].filter(([, iv]) => iv.hi - iv.lo < 10).map(([id, iv]) => `${id} ∈ [${iv.lo}, ${iv.hi}]`)).toEqual([])
      // the school sees its own school only, from its own release; another school sees nothing of this round
      const own = await admin.caller.assessment.aggregates({ roundId: round.id })
      expect(own.participation.rows.map((r) => r.schoolId)).toEqual([school])
      await expectRefusal(adminA.caller.assessment.aggregates({ roundId: round.id }), 'NOT_FOUND', 'notFound')
      for (const who of [expert, researcher, sysAdmin])
        await expectRefusal(who.caller.assessment.aggregates({ roundId: round.id }), 'FORBIDDEN', 'forbidden')
    })

    it('refuses every alert procedure to a school admin, the bureau, an expert, a researcher and the system admin', async () => {
      for (const who of [adminA, bureau, expert, researcher, sysAdmin]) {
        await expectRefusal(who.caller.assessment.alerts({}), 'FORBIDDEN', 'forbidden')
        await expectRefusal(who.caller.assessment.alert({ id: 1 }), 'FORBIDDEN', 'forbidden')
      }
      for (const who of [expert, researcher, sysAdmin, bureau]) await expectRefusal(who.caller.teacher.list({}), 'FORBIDDEN', 'forbidden')
    })
  })

  it("dates a contact by the handler's calendar day in Shanghai, also in the hours when UTC is still on the day before", async () => {
    // 2026-03-02T17:30Z is 01:30 on 3 March in Shanghai
    await clock.during('2026-03-02T17:30:00.000Z', async () => {
      const { code } = await roundWithCode(['phq9'])
      await publicCaller().respond.submit({ code, answers: answers(['phq9'], { phq9: { phq9_9: 1 } }), contactMe: false })
      const a = await t.db.selectFrom('assessment_alert').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()
      await counsellorA.caller.assessment.acknowledge({ id: a.id })
      await counsellorA.caller.assessment.addSupport({ alertId: a.id, kind: 'contact', onDate: '2026-03-03', text: '凌晨来电' })
      await expectRefusal(
        counsellorA.caller.assessment.addSupport({ alertId: a.id, kind: 'follow_up', onDate: '2026-03-02', text: '早于预警' }),
        'BAD_REQUEST',
        'assessment.beforeAlert',
      )
    })
  })

  describe('district settings', () => {
    it('lets the bureau set the alert band per questionnaire and the hotline the teacher is shown, audited', async () => {
      const settings = await bureau.caller.assessment.settings()
      expect(settings.hotline).toBe('12356')
      const rows = await auditedBy(t.db, () =>
        bureau.caller.assessment.updateSettings({
          ...settings,
          alertBands: { ...settings.alertBands, who5: 'poor' },
          hotline: '0755-00000000',
        }),
      )
      expect(rows.map((r) => [r.action, r.detail])).toEqual([['district.settings_update', 'assessment']])
      const { code } = await roundWithCode(['who5'])
      const done = await publicCaller().respond.submit({ code, answers: answers(['who5']), contactMe: false })
      expect(done.help.hotline).toBe('0755-00000000')
      const a = await t.db.selectFrom('assessment_alert').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow()
      expect([a.is_alert, a.reasons]).toEqual([1, 'band:who5'])
      await expectRefusal(adminA.caller.assessment.updateSettings(settings), 'FORBIDDEN', 'forbidden')
      await bureau.caller.assessment.updateSettings(settings)
    })
  })

  /** Every row of every table as text (to prove a secret is not stored in clear). */
  async function dumpTablesText(): Promise<string> {
    const out: string[] = []
    for (const table of [
      'teacher',
      'assessment_respondent',
      'assessment_result',
      'assessment_alert',
      'assessment_support',
      'audit_event',
      'inbox_item',
    ] as const)
      out.push(JSON.stringify(await t.db.selectFrom(table).selectAll().execute()))
    return out.join('\n')
  }
})
