import { beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_CONSENT } from '../../shared/assessment'
import { INSTRUMENTS, type InstrumentId } from '../../shared/instruments'
import { createContextInner, SYSTEM_ACTOR } from '../../server/services/context'
import { escalateOverdueAlerts } from '../../server/services/district-centre'
import { testKeys } from '../../server/services/keys'
import { auditedBy } from '../fixtures/audit'
import { callerFor, Clock, expectRefusal, HOUR, type Caller } from '../fixtures/caller'
import { dumpTables, makeCase, makeCounsellor, makeSignedIn, type Counsellor } from '../fixtures/cases'
import { targets, useTestDatabase } from '../fixtures/db'
import { makeSchool, unique } from '../fixtures/factories'

const MINUTE = 60_000
const DAY = 24 * HOUR
type SignedIn = Awaited<ReturnType<typeof makeSignedIn>>

function answers(ids: InstrumentId[], over: Record<string, Record<string, number>> = {}) {
  const out: Record<string, Record<string, number>> = {}
  for (const id of ids) {
    const def = INSTRUMENTS[id]
    const low = Math.min(...def.options.map((o) => o.value))
    out[id] = { ...Object.fromEntries(def.items.map((i) => [i.key, low])), ...over[id] }
  }
  return out
}
/** PHQ-9 item 9 answered 1: an alert whatever the total. */
const ALERTING = answers(['phq9'], { phq9: { phq9_9: 1 } })

describe.each(targets)('the district centre on $name', (target) => {
  const t = useTestDatabase(target)
  // Monday 2 March 2026, 09:00 in Shanghai.
  const clock = new Clock('2026-03-02T01:00:00.000Z')
  let withCounsellor: number
  let without: number
  let counsellor: Counsellor
  let adminWith: SignedIn
  let adminWithout: SignedIn
  let centre: SignedIn
  let centre2: SignedIn
  let bureau: SignedIn
  let sysAdmin: SignedIn
  const publicCaller = (): Caller => callerFor(t.db, null, { now: clock.now, ip: `10.9.${Math.floor(Math.random() * 250)}.1` })
  const escalate = (at: Date) =>
    escalateOverdueAlerts(createContextInner({ db: t.db, keys: testKeys(), actor: SYSTEM_ACTOR, now: () => at }))

  beforeAll(async () => {
    withCounsellor = (await makeSchool(t.db)).id
    without = (await makeSchool(t.db)).id
    counsellor = await makeCounsellor(t.db, withCounsellor, clock)
    adminWith = await makeSignedIn(t.db, 'school_admin', withCounsellor, clock)
    adminWithout = await makeSignedIn(t.db, 'school_admin', without, clock)
    centre = await makeSignedIn(t.db, 'district_centre', null, clock)
    centre2 = await makeSignedIn(t.db, 'district_centre', null, clock)
    bureau = await makeSignedIn(t.db, 'bureau', null, clock)
    sysAdmin = await makeSignedIn(t.db, 'admin', null, clock)
  })

  /** A fresh teacher of the admin's school in a fresh open round; submits `a` with their code and returns the alert id (if any). */
  async function submitAs(admin: SignedIn, a = ALERTING, contactMe = false): Promise<number | null> {
    const teacher = await admin.caller.teacher.create({ staffNo: unique('T'), name: `教师${unique('')}`, sex: 'M', birthYear: 1980 })
    const round = await admin.caller.assessment.openRound({
      name: unique('教师心理评估'),
      opensAt: new Date(clock.t - HOUR).toISOString(),
      closesAt: new Date(clock.t + 30 * DAY).toISOString(),
      instruments: ['phq9'],
      schoolIds: [],
      consentZh: DEFAULT_CONSENT['zh-CN'],
      consentEn: DEFAULT_CONSENT.en,
      recurrence: 'none',
    })
    const slip = (await admin.caller.assessment.issueCodes({ roundId: round.id })).slips.find((s) => s.teacherId === teacher.id)!
    await publicCaller().respond.submit({ code: slip.code, answers: a, contactMe })
    const row = await t.db
      .selectFrom('assessment_alert')
      .innerJoin('assessment_respondent', 'assessment_respondent.id', 'assessment_alert.respondent_id')
      .select('assessment_alert.id')
      .where('assessment_respondent.person_id', '=', teacher.id)
      .where('assessment_alert.round_id', '=', round.id)
      .executeTakeFirst()
    return row?.id ?? null
  }

  const inboxOf = async (who: { caller: Caller }) => (await who.caller.inbox.list({ page: 1, unreadOnly: false })).items
  const has = async (who: { caller: Caller }, kind: string, id: number) =>
    (await inboxOf(who)).some((i) => i.kind === kind && i.entityType === 'assessment_alert' && i.entityId === id)

  describe('routing', () => {
    it('sends an alert of a school with a counsellor to the counsellor only', async () => {
      const id = (await submitAs(adminWith))!
      expect(await has(counsellor, 'assessment.alert', id)).toBe(true)
      expect(await has(centre, 'assessment.alert', id)).toBe(false)
      expect((await counsellor.caller.assessment.alert({ id })).atCentre).toBe(false)
      await expectRefusal(centre.caller.assessment.alert({ id }), 'NOT_FOUND', 'notFound')
    })

    it('sends an alert of a school without a counsellor to every centre account, audited as routed', async () => {
      let id = 0
      const rows = await auditedBy(t.db, async () => {
        id = (await submitAs(adminWithout))!
      })
      expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(['assessment.alert_raise', 'assessment.alert_route']))
      for (const c of [centre, centre2]) expect(await has(c, 'assessment.alert', id)).toBe(true)
      const list = await centre.caller.assessment.alerts({ status: 'open' })
      expect(list.find((a) => a.id === id)).toMatchObject({ atCentre: true, isAlert: true })
      // the centre handles it like a counsellor: acknowledge, read the results, record support
      expect((await centre.caller.assessment.acknowledge({ id })).already).toBe(false)
      const alert = await centre.caller.assessment.alert({ id })
      expect(alert.acknowledgedAt).toBeTruthy()
      expect(alert.results[0]!.answers.phq9_9).toBe(1)
    })

    it('lets the bureau route a school with a counsellor to the centre, audited; the counsellor then never sees the alert', async () => {
      const set = await auditedBy(t.db, () => bureau.caller.centre.setRouting({ schoolId: withCounsellor, toCentre: true }))
      expect(set.map((r) => [r.action, r.detail, String(r.entity_id)])).toEqual([
        ['assessment.routing_set', 'centre', String(withCounsellor)],
      ])
      const overview = await bureau.caller.centre.routing()
      expect(overview.find((r) => r.schoolId === withCounsellor)).toMatchObject({ routed: true, hasCounsellor: true, handler: 'centre' })
      expect(overview.find((r) => r.schoolId === without)).toMatchObject({ routed: false, hasCounsellor: false, handler: 'centre' })
      const id = (await submitAs(adminWith))!
      expect(await has(centre, 'assessment.alert', id)).toBe(true)
      expect(await has(counsellor, 'assessment.alert', id)).toBe(false)
      await expectRefusal(counsellor.caller.assessment.alert({ id }), 'NOT_FOUND', 'notFound')
      expect((await counsellor.caller.assessment.alerts({ status: 'all' })).map((a) => a.id)).not.toContain(id)
      await bureau.caller.centre.setRouting({ schoolId: withCounsellor, toCentre: false })
      const back = (await submitAs(adminWith))!
      expect(await has(counsellor, 'assessment.alert', back)).toBe(true)
      expect(await has(centre, 'assessment.alert', back)).toBe(false)
    })

    it('keeps routing to the bureau and the centre to its own work', async () => {
      await expectRefusal(adminWith.caller.centre.setRouting({ schoolId: withCounsellor, toCentre: true }), 'FORBIDDEN', 'forbidden')
      await expectRefusal(counsellor.caller.centre.routing(), 'FORBIDDEN', 'forbidden')
      await expectRefusal(centre.caller.centre.setRouting({ schoolId: without, toCentre: true }), 'FORBIDDEN', 'forbidden')
      for (const call of [
        () => centre.caller.case.board({ status: 'open' }),
        () => centre.caller.student.list({}),
        () => centre.caller.teacher.list({}),
        () => centre.caller.assessment.rounds(),
        () => centre.caller.school.list({}),
      ])
        await expectRefusal(call() as Promise<unknown>, 'FORBIDDEN', 'forbidden')
      await expectRefusal(bureau.caller.centre.setRouting({ schoolId: 999_999, toCentre: true }), 'NOT_FOUND', 'notFound')
    })
  })

  describe('escalation', () => {
    it('escalates an alert nobody acknowledged within 2 working hours to the centre, once, audited', async () => {
      clock.t = Date.parse('2026-03-02T03:00:00.000Z') // Monday 11:00 in Shanghai
      const id = (await submitAs(adminWith))!
      // 2 working hours from 11:00 run over the lunch break: the deadline is 15:00 (07:00Z).
      await escalate(new Date('2026-03-02T06:59:00.000Z'))
      expect(await has(centre, 'assessment.escalated', id)).toBe(false)
      await expectRefusal(centre.caller.assessment.alert({ id }), 'NOT_FOUND', 'notFound')
      const rows = await auditedBy(t.db, () => escalate(new Date('2026-03-02T07:00:00.000Z')))
      const mine = rows.filter((r) => String(r.entity_id) === String(id))
      expect(mine.map((r) => [r.action, r.actor_id])).toEqual([['assessment.alert_escalate', 0]])
      for (const c of [centre, centre2]) expect(await has(c, 'assessment.escalated', id)).toBe(true)
      const seen = await centre.caller.assessment.alert({ id })
      expect(seen.escalatedAt).toBe('2026-03-02T07:00:00.000Z')
      expect(seen.atCentre).toBe(true)
      // the school's counsellor still has it and may still acknowledge it
      expect((await counsellor.caller.assessment.alerts({ status: 'open' })).find((a) => a.id === id)?.escalatedAt).toBeTruthy()
      // a second run escalates nothing twice
      const again = await auditedBy(t.db, () => escalate(new Date('2026-03-03T07:00:00.000Z')))
      expect(again.filter((r) => String(r.entity_id) === String(id))).toEqual([])
      expect((await inboxOf(centre)).filter((i) => i.kind === 'assessment.escalated' && i.entityId === id)).toHaveLength(1)
      await counsellor.caller.assessment.acknowledge({ id })
    })

    it('counts only working hours: an alert on Friday afternoon escalates on Monday morning', async () => {
      clock.t = Date.parse('2026-03-06T08:30:00.000Z') // Friday 16:30 in Shanghai
      const id = (await submitAs(adminWith))!
      await escalate(new Date('2026-03-08T12:00:00.000Z')) // Sunday
      expect(
        (await t.db.selectFrom('assessment_alert').select('escalated_at').where('id', '=', id).executeTakeFirstOrThrow()).escalated_at,
      ).toBeNull()
      await escalate(new Date('2026-03-09T01:29:00.000Z')) // Monday 09:29
      expect(
        (await t.db.selectFrom('assessment_alert').select('escalated_at').where('id', '=', id).executeTakeFirstOrThrow()).escalated_at,
      ).toBeNull()
      await escalate(new Date('2026-03-09T01:30:00.000Z')) // Monday 09:30: 1 h on Friday + 1 h on Monday
      expect(
        (await t.db.selectFrom('assessment_alert').select('escalated_at').where('id', '=', id).executeTakeFirstOrThrow()).escalated_at,
      ).toBe('2026-03-09T01:30:00.000Z')
    })

    it('does not escalate an acknowledged alert, a closed one, or a request to be contacted', async () => {
      clock.t = Date.parse('2026-03-10T01:00:00.000Z')
      const acknowledged = (await submitAs(adminWith))!
      await counsellor.caller.assessment.acknowledge({ id: acknowledged })
      const contact = (await submitAs(adminWith, answers(['phq9']), true))!
      await escalate(new Date('2026-03-20T01:00:00.000Z'))
      const rows = await t.db
        .selectFrom('assessment_alert')
        .select(['id', 'escalated_at'])
        .where('id', 'in', [acknowledged, contact])
        .execute()
      expect(rows.map((r) => r.escalated_at)).toEqual([null, null])
    })

    it('follows the district setting', async () => {
      const s = await bureau.caller.assessment.settings()
      await bureau.caller.assessment.updateSettings({ ...s, escalateAfterWorkingHours: 0.5 })
      clock.t = Date.parse('2026-03-11T01:00:00.000Z') // Wednesday 09:00
      const id = (await submitAs(adminWith))!
      await escalate(new Date('2026-03-11T01:29:59.000Z'))
      expect(
        (await t.db.selectFrom('assessment_alert').select('escalated_at').where('id', '=', id).executeTakeFirstOrThrow()).escalated_at,
      ).toBeNull()
      await escalate(new Date('2026-03-11T01:30:00.000Z'))
      expect(
        (await t.db.selectFrom('assessment_alert').select('escalated_at').where('id', '=', id).executeTakeFirstOrThrow()).escalated_at,
      ).not.toBeNull()
      await bureau.caller.assessment.updateSettings(s)
    })
  })

  describe('break-glass', () => {
    let caseId: number
    const reason = '学生家长来电称孩子有自伤计划，值班需立即了解个案情况'
    beforeAll(async () => {
      clock.t = Date.parse('2026-03-12T01:00:00.000Z')
      caseId = (await makeCase(counsellor, { openedOn: '2026-03-01', concern: '破窗测试关注内容' })).caseId
    })

    it('refuses an opening without a real reason, writing nothing', async () => {
      const before = await t.db
        .selectFrom('break_glass')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
      await expectRefusal(centre.caller.breakGlass.open({ caseId, reason: '看看' }), 'BAD_REQUEST')
      await expectRefusal(centre.caller.breakGlass.open({ caseId, reason: '\u200b'.repeat(30) }), 'BAD_REQUEST')
      const after = await t.db
        .selectFrom('break_glass')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
      expect(Number(after.n)).toBe(Number(before.n))
    })

    it('opens a case to the centre with a reason for the set time: flagged, the counsellors told, then closed again', async () => {
      await expectRefusal(centre.caller.case.byId({ id: caseId }), 'FORBIDDEN', 'forbidden')
      let opened: { id: number; expiresAt: string } = { id: 0, expiresAt: '' }
      const rows = await auditedBy(t.db, async () => {
        opened = await centre.caller.breakGlass.open({ caseId, reason })
      })
      expect(rows.map((r) => [r.action, r.detail, String(r.entity_id), r.school_id])).toEqual([
        ['case.break_glass_open', 'break_glass', String(caseId), withCounsellor],
      ])
      expect(opened.expiresAt).toBe(new Date(clock.t + 60 * MINUTE).toISOString())
      expect((await inboxOf(counsellor)).some((i) => i.kind === 'case.break_glass' && i.entityId === caseId)).toBe(true)
      const reads = await auditedBy(t.db, async () => {
        const got = await centre.caller.breakGlass.read({ id: opened.id })
        expect(got.file.concern).toBe('破窗测试关注内容')
      })
      expect(reads.map((r) => [r.action, r.detail])).toEqual([
        ['case.break_glass_read', 'break_glass'],
        ['case.read', expect.any(String)],
      ])
      // nobody else's grant, and not after it ends
      await expectRefusal(centre2.caller.breakGlass.read({ id: opened.id }), 'NOT_FOUND', 'notFound')
      clock.advance(60 * MINUTE)
      const late = await auditedBy(t.db, () => centre.caller.breakGlass.read({ id: opened.id }))
      expect(late.map((r) => [r.action, r.outcome])).toEqual([['case.break_glass_read', 'denied']])
      await expectRefusal(centre.caller.breakGlass.read({ id: opened.id }), 'FORBIDDEN', 'breakGlass.expired')
      expect((await centre.caller.breakGlass.mine()).find((g) => g.id === opened.id)).toMatchObject({ active: false, reason })
      // the reason is encrypted at rest
      expect(await dumpTables(t.db, ['break_glass'])).not.toContain('自伤计划')
    })

    it('lets an admin open one too, follows the district setting, and refuses counsellors, school admins and the bureau', async () => {
      await bureau.caller.breakGlass.updateSettings({ minutes: 15 })
      const g = await sysAdmin.caller.breakGlass.open({ caseId, reason })
      expect(g.expiresAt).toBe(new Date(clock.t + 15 * MINUTE).toISOString())
      await bureau.caller.breakGlass.updateSettings({ minutes: 60 })
      for (const who of [counsellor, adminWith, bureau])
        await expectRefusal(who.caller.breakGlass.open({ caseId, reason }), 'FORBIDDEN', 'forbidden')
      await expectRefusal(sysAdmin.caller.breakGlass.open({ caseId: 999_999, reason }), 'NOT_FOUND', 'notFound')
    })

    it('lists every opening for the bureau’s review with its reason, and marks one reviewed once', async () => {
      const list = await bureau.caller.breakGlass.review({ filter: 'unreviewed' })
      const mine = list.filter((r) => r.caseId === caseId)
      expect(mine.map((r) => r.openedByRole).sort()).toEqual(['admin', 'district_centre'])
      expect(mine.every((r) => r.reason === reason && r.reviewedAt == null)).toBe(true)
      const rows = await auditedBy(t.db, () => bureau.caller.breakGlass.markReviewed({ id: mine[0]!.id }))
      expect(rows.map((r) => r.action)).toEqual(['case.break_glass_review'])
      expect((await bureau.caller.breakGlass.markReviewed({ id: mine[0]!.id })).already).toBe(true)
      expect((await bureau.caller.breakGlass.review({ filter: 'unreviewed' })).map((r) => r.id)).not.toContain(mine[0]!.id)
      expect((await bureau.caller.breakGlass.review({ filter: 'all' })).find((r) => r.id === mine[0]!.id)?.reviewedAt).toBeTruthy()
      await expectRefusal(centre.caller.breakGlass.review({ filter: 'all' }), 'FORBIDDEN', 'forbidden')
    })
  })
})
