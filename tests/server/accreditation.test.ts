import { beforeAll, describe, expect, it } from 'vitest'
import { treePoints, type Tree } from '../../shared/accreditation'
import { DEFAULT_TREE } from '../../shared/accreditation-tree'
import { createContextInner, SYSTEM_ACTOR } from '../../server/services/context'
import { testKeys } from '../../server/services/keys'
import { runReminders } from '../../server/services/accreditation-titles'
import { callerFor, Clock, expectRefusal, HOUR, type Caller } from '../fixtures/caller'
import { makeSignedIn } from '../fixtures/cases'
import { countRows, targets, useTestDatabase } from '../fixtures/db'
import { makeSchool, makeStreet, makeYear } from '../fixtures/factories'

const DAY = 24 * HOUR
type Signed = Awaited<ReturnType<typeof makeSignedIn>>

/** Every point of the tree at `fraction` of its maximum, with overrides by code. */
function sheet(tree: Tree, fraction: number, over: Record<string, number> = {}) {
  return treePoints(tree).map((p) => ({
    code: p.code,
    score: over[p.code] ?? Math.round(p.maxScore * fraction),
    comment: `意见 ${p.code}`,
  }))
}

describe.each(targets)('feature-school accreditation on $name', (target) => {
  const t = useTestDatabase(target)
  const clock = new Clock('2026-03-02T02:00:00.000Z')
  let bureau: Signed
  let adminA: Signed
  let adminC: Signed
  let counsellorA: Signed
  let researcher: Signed
  const experts: Record<string, Signed> = {}
  let schoolA: number
  let schoolB: number
  let schoolC: number
  let schoolD: number
  let schoolE: number
  let appA: number
  const tree = DEFAULT_TREE
  const as = (s: Signed): Caller => callerFor(t.db, s.actor, { now: clock.now })

  beforeAll(async () => {
    await makeYear(t.db, 2025, true)
    const s1 = await makeStreet(t.db)
    const s2 = await makeStreet(t.db)
    const s3 = await makeStreet(t.db)
    schoolA = (await makeSchool(t.db, { streetId: s1 })).id
    schoolB = (await makeSchool(t.db, { streetId: s1 })).id // same street as A
    schoolC = (await makeSchool(t.db, { streetId: s2 })).id
    schoolD = (await makeSchool(t.db, { streetId: s3 })).id // in A's education group
    schoolE = (await makeSchool(t.db, { streetId: s3 })).id // unrelated
    bureau = await makeSignedIn(t.db, 'bureau', null, clock)
    adminA = await makeSignedIn(t.db, 'school_admin', schoolA, clock)
    adminC = await makeSignedIn(t.db, 'school_admin', schoolC, clock)
    counsellorA = await makeSignedIn(t.db, 'counsellor', schoolA, clock)
    researcher = await makeSignedIn(t.db, 'researcher', null, clock)
    for (const name of ['one', 'two', 'outsider', 'street', 'group', 'former', 'own'])
      experts[name] = await makeSignedIn(t.db, 'expert', null, clock)
    const settings = await as(bureau).accreditation.settings()
    await as(bureau).accreditation.updateSettings({ ...settings, groups: [{ name: '示例教育集团', schoolIds: [schoolA, schoolD] }] })
    const job = (who: string, schoolId: number, fromOn: string, toOn: string | null) =>
      as(bureau).accreditation.addEmployment({ accountId: experts[who]!.account.id, schoolId, fromOn, toOn })
    await job('one', schoolE, '2015-09-01', null)
    await job('two', schoolC, '2018-09-01', null)
    await job('outsider', schoolE, '2010-09-01', null)
    await job('street', schoolB, '2012-09-01', null)
    await job('group', schoolD, '2016-09-01', null)
    await job('former', schoolA, '2005-09-01', '2011-08-31')
    await job('former', schoolC, '2011-09-01', null)
    await job('own', schoolA, '2019-09-01', null)
  })

  it('a published tree is frozen; nobody applies before one is published', async () => {
    await expectRefusal(as(adminA).accreditation.open(), 'CONFLICT', 'accreditation.noPublishedVersion')
    const draft = await as(bureau).accreditation.createDraft()
    expect(draft.versionNo).toBe(1)
    await as(bureau).accreditation.updateDraft({ versionId: draft.id, tree })
    await as(bureau).accreditation.publish({ versionId: draft.id })
    await expectRefusal(as(bureau).accreditation.updateDraft({ versionId: draft.id, tree }), 'CONFLICT', 'accreditation.versionFrozen')
    await expectRefusal(as(bureau).accreditation.publish({ versionId: draft.id }), 'CONFLICT', 'accreditation.versionFrozen')
    await expectRefusal(
      as(bureau).accreditation.updateDraft({ versionId: draft.id, tree: [{ ...tree[0]!, weight: 10 }, ...tree.slice(1)] }),
      'BAD_REQUEST',
    )
  })

  it('the school self-assesses, cannot submit an incomplete file, and cannot edit after submitting', async () => {
    appA = (await as(adminA).accreditation.open()).id
    await expectRefusal(as(adminA).accreditation.open(), 'CONFLICT', 'accreditation.openExists')
    let d = await as(adminA).accreditation.schoolApplication({ applicationId: appA })
    expect(d.stage).toBe('draft')
    expect(d.system.frozen).toBe(false)
    expect(d.system.facts.map((f) => f.check)).toEqual(['staffing', 'room', 'sevenOnes', 'supervision', 'drills'])
    const points = sheet(tree, 0.9)
    await as(adminA).accreditation.saveSelf({ applicationId: appA, version: d.version, points: points.slice(0, 3) })
    await expectRefusal(as(adminA).accreditation.submit({ applicationId: appA }), 'BAD_REQUEST', 'accreditation.incomplete')
    await expectRefusal(
      as(adminA).accreditation.saveSelf({ applicationId: appA, version: d.version, points }),
      'CONFLICT',
      'conflict', // stale version
    )
    await expectRefusal(
      as(adminA).accreditation.saveSelf({ applicationId: appA, version: d.version + 1, points: [{ code: 'Z9', score: 1, comment: '' }] }),
      'BAD_REQUEST',
      'accreditation.unknownPoint',
    )
    await as(adminA).accreditation.saveSelf({ applicationId: appA, version: d.version + 1, points })
    await as(adminA).accreditation.submit({ applicationId: appA })
    d = await as(adminA).accreditation.schoolApplication({ applicationId: appA })
    expect(d.stage).toBe('submitted')
    expect(d.system.frozen).toBe(true)
    expect(d.self.comments['A1.1']).toBe('意见 A1.1')
    await expectRefusal(
      as(adminA).accreditation.saveSelf({ applicationId: appA, version: d.version, points }),
      'CONFLICT',
      'accreditation.notEditable',
    )
    await expectRefusal(as(adminA).accreditation.submit({ applicationId: appA }), 'CONFLICT', 'accreditation.notEditable')
    // another school's admin: as if it did not exist
    await expectRefusal(as(adminC).accreditation.schoolApplication({ applicationId: appA }), 'NOT_FOUND')
  })

  it('the bureau returns with reasons (the school is told and edits again), then accepts', async () => {
    await as(bureau).accreditation.returnApplication({ applicationId: appA, reason: '请补充危机干预演练记录' })
    const inbox = await t.db.selectFrom('inbox_item').select('kind').where('account_id', '=', adminA.account.id).execute()
    expect(inbox.map((i) => i.kind)).toContain('accreditation.returned')
    let d = await as(adminA).accreditation.schoolApplication({ applicationId: appA })
    expect([d.stage, d.returnedReason, d.system.frozen]).toEqual(['returned', '请补充危机干预演练记录', false])
    await as(adminA).accreditation.saveSelf({ applicationId: appA, version: d.version, points: sheet(tree, 0.9) })
    await as(adminA).accreditation.submit({ applicationId: appA })
    await as(bureau).accreditation.accept({ applicationId: appA })
    d = await as(adminA).accreditation.schoolApplication({ applicationId: appA })
    expect(d.stage).toBe('accepted')
  })

  it('refuses illegal stage transitions and writes nothing', async () => {
    const before = await countRows(t.db, 'accreditation_title')
    await expectRefusal(as(bureau).accreditation.accept({ applicationId: appA }), 'CONFLICT', 'accreditation.transition')
    await expectRefusal(
      as(bureau).accreditation.returnApplication({ applicationId: appA, reason: 'x' }),
      'CONFLICT',
      'accreditation.transition',
    )
    await expectRefusal(
      as(bureau).accreditation.visit({ applicationId: appA, visitedOn: '2026-03-01', observations: '现场' }),
      'CONFLICT',
      'accreditation.transition',
    )
    await expectRefusal(
      as(bureau).accreditation.decide({ applicationId: appA, decision: 'accredited', reason: 'x' }),
      'CONFLICT',
      'accreditation.transition',
    )
    expect(await countRows(t.db, 'accreditation_title')).toBe(before)
  })

  it('flags every seeded conflict of interest before assignment and needs an override reason', async () => {
    const rows = await as(bureau).accreditation.candidates({ applicationId: appA })
    const by = (who: string) => rows.find((r) => r.expertId === experts[who]!.account.id)!.conflicts
    expect({
      one: by('one'),
      two: by('two'),
      outsider: by('outsider'),
      street: by('street'),
      group: by('group'),
      former: by('former'),
      own: by('own'),
    }).toEqual({
      one: [],
      two: [],
      outsider: [],
      street: ['sameStreet'],
      group: ['sameGroup'],
      former: ['employment'],
      own: ['ownSchool', 'employment'],
    })
    await expectRefusal(
      as(bureau).accreditation.assign({ applicationId: appA, expertId: experts.street!.account.id }),
      'BAD_REQUEST',
      'accreditation.conflictNeedsReason',
    )
    await expectRefusal(
      as(bureau).accreditation.assign({ applicationId: appA, expertId: experts.street!.account.id, overrideReason: '   ' }),
      'BAD_REQUEST',
      'accreditation.conflictNeedsReason',
    )
    await expectRefusal(
      as(bureau).accreditation.assign({ applicationId: appA, expertId: adminA.account.id }),
      'BAD_REQUEST',
      'accreditation.notExpert',
    )
    await as(bureau).accreditation.assign({ applicationId: appA, expertId: experts.one!.account.id })
    await as(bureau).accreditation.assign({ applicationId: appA, expertId: experts.two!.account.id })
    await as(bureau).accreditation.assign({
      applicationId: appA,
      expertId: experts.street!.account.id,
      overrideReason: '全区仅此一名沙盘专家',
    })
    const d = await as(bureau).accreditation.application({ applicationId: appA })
    expect(d.stage).toBe('review')
    const street = d.panel!.sheets.find((s) => s.expertId === experts.street!.account.id)!
    expect([street.conflicts, street.overrideReason]).toEqual([['sameStreet'], '全区仅此一名沙盘专家'])
    await as(bureau).accreditation.unassign({ applicationId: appA, expertId: experts.street!.account.id })
    const inbox = await t.db.selectFrom('inbox_item').select('kind').where('account_id', '=', experts.one!.account.id).execute()
    expect(inbox.map((i) => i.kind)).toEqual(['accreditation.assigned'])
  })

  it('role × phase: experts score independently, never see an unassigned file, never edit after submitting', async () => {
    const one = as(experts.one!)
    const two = as(experts.two!)
    // an unassigned expert sees nothing, whatever id
    await expectRefusal(as(experts.outsider!).accreditation.review({ applicationId: appA }), 'NOT_FOUND')
    expect(await as(experts.outsider!).accreditation.assignments()).toEqual([])
    // other roles cannot use the expert's procedures at all
    await expectRefusal(as(counsellorA).accreditation.review({ applicationId: appA }), 'FORBIDDEN')
    await expectRefusal(as(researcher).accreditation.application({ applicationId: appA }), 'FORBIDDEN')
    await expectRefusal(as(adminA).accreditation.application({ applicationId: appA }), 'FORBIDDEN')
    await expectRefusal(one.accreditation.application({ applicationId: appA }), 'FORBIDDEN')

    await one.accreditation.saveSheet({ applicationId: appA, points: sheet(tree, 0.9).slice(0, 2) })
    await two.accreditation.saveSheet({ applicationId: appA, points: sheet(tree, 0.8) })
    // before submitting: own sheet only, no panel, no other expert's scores
    let view = await one.accreditation.review({ applicationId: appA })
    expect(view.panel).toBeNull()
    expect(view.mySheet!.scores['A1.1']).toBe(5)
    expect(JSON.stringify(view)).not.toContain('"expertId":' + experts.two!.account.id)
    await expectRefusal(one.accreditation.submitSheet({ applicationId: appA, points: [] }), 'BAD_REQUEST', 'accreditation.sheetIncomplete')
    // expert one fails starred B1.1 (2 of 10) and disagrees on D2.1
    await one.accreditation.submitSheet({ applicationId: appA, points: sheet(tree, 0.9, { 'B1.1': 2, 'D2.1': 2 }) })
    await expectRefusal(
      one.accreditation.saveSheet({ applicationId: appA, points: sheet(tree, 1) }),
      'CONFLICT',
      'accreditation.sheetSubmitted',
    )
    await expectRefusal(
      one.accreditation.submitSheet({ applicationId: appA, points: sheet(tree, 1) }),
      'CONFLICT',
      'accreditation.sheetSubmitted',
    )
    // after submitting: only submitted sheets of others (two has not submitted yet)
    view = await one.accreditation.review({ applicationId: appA })
    expect(view.panel!.sheets.map((s) => s.expertId)).toEqual([experts.one!.account.id])
    // two still sees nothing of one
    const twoView = await two.accreditation.review({ applicationId: appA })
    expect(twoView.panel).toBeNull()
    expect(twoView.mySheet!.scores['B1.1']).toBe(8)
    expect(JSON.stringify(twoView)).not.toContain(`"expertId":${experts.one!.account.id}`)
    await two.accreditation.submitSheet({ applicationId: appA, points: sheet(tree, 0.8, { 'B1.1': 4 }) })
    view = await one.accreditation.review({ applicationId: appA })
    expect(view.panel!.sheets).toHaveLength(2)
    expect(view.panel!.sheets.every((s) => s.conflicts.length === 0 && s.overrideReason == null)).toBe(true)
    // the bureau sees all, with the disagreement flag
    const b = await as(bureau).accreditation.application({ applicationId: appA })
    const d21 = b.panel!.points.find((p) => p.code === 'D2.1')!
    expect([d21.scores, d21.disagreement]).toEqual([[2, 8], true])
    expect(b.panel!.points.find((p) => p.code === 'A1.1')!.disagreement).toBe(false)
    expect(b.panel!.result.vetoed).toEqual(['B1.1']) // mean 3 of 10 < 60 %
    expect(b.indicators.find((i) => i.code === 'B1')).toMatchObject({ self: 14, panel: 7.5 })
  })

  it('the bureau opens a discussion only on a flagged point; the panel talks there', async () => {
    await expectRefusal(
      as(bureau).accreditation.openDiscussion({ applicationId: appA, code: 'A1.1', note: '请讨论' }),
      'BAD_REQUEST',
      'accreditation.notFlagged',
    )
    const { id } = await as(bureau).accreditation.openDiscussion({ applicationId: appA, code: 'D2.1', note: '两位专家分歧较大，请说明' })
    await as(experts.one!).accreditation.postExpert({ discussionId: id, text: '特色项目材料不足' })
    await expectRefusal(as(experts.outsider!).accreditation.postExpert({ discussionId: id, text: 'x' }), 'NOT_FOUND')
    const d = await as(experts.two!).accreditation.review({ applicationId: appA })
    expect(d.discussions[0]!.messages.map((m) => m.text)).toEqual(['两位专家分歧较大，请说明', '特色项目材料不足'])
  })

  it('after the visit, scores change only by reasoned deltas; a failed starred item blocks the title', async () => {
    await expectRefusal(
      as(experts.one!).accreditation.addDelta({ applicationId: appA, code: 'B1.1', delta: 5, reason: '现场核实' }),
      'CONFLICT',
      'accreditation.notAfterVisit',
    )
    await expectRefusal(
      as(bureau).accreditation.visit({ applicationId: appA, visitedOn: '2026-03-09', observations: '明天' }),
      'BAD_REQUEST',
      'accreditation.visitInFuture',
    )
    await as(bureau).accreditation.visit({ applicationId: appA, visitedOn: '2026-03-02', observations: '辅导室开放，值班记录完整。' })
    await expectRefusal(
      as(bureau).accreditation.decide({ applicationId: appA, decision: 'accredited', reason: '达标' }),
      'BAD_REQUEST',
      'accreditation.starredFailed',
    )
    await as(experts.one!).accreditation.addDelta({ applicationId: appA, code: 'B1.1', delta: 6, reason: '现场核实：购买服务岗位在岗' })
    await expectRefusal(
      as(experts.one!).accreditation.saveSheet({ applicationId: appA, points: sheet(tree, 1) }),
      'CONFLICT',
      'accreditation.sheetSubmitted',
    )
    const b = await as(bureau).accreditation.application({ applicationId: appA })
    const one = b.panel!.sheets.find((s) => s.expertId === experts.one!.account.id)!
    expect(one.scores['B1.1']).toBe(2) // the desk score stays as submitted
    expect(one.deltas.map((x) => [x.code, x.delta, x.reason])).toEqual([['B1.1', 6, '现场核实：购买服务岗位在岗']])
    expect(b.panel!.points.find((p) => p.code === 'B1.1')!.mean).toBe(6)
    expect(b.panel!.result.vetoed).toEqual([])
    // the school never sees the panel
    const s = await as(adminA).accreditation.schoolApplication({ applicationId: appA })
    expect([s.panel, s.discussions, s.mySheet]).toEqual([null, [], null])
  })

  it('accredits: a title from today for the validity years; reminders arrive 180/90/30 days before expiry, once', async () => {
    await as(bureau).accreditation.decide({ applicationId: appA, decision: 'accredited', reason: '各项指标达标，特色鲜明' })
    await expectRefusal(
      as(experts.two!).accreditation.addDelta({ applicationId: appA, code: 'A1.1', delta: 1, reason: 'x' }),
      'CONFLICT',
      'accreditation.notAfterVisit',
    )
    const ov = await as(bureau).accreditation.overview()
    const title = ov.titles.find((x) => x.schoolId === schoolA)!
    expect([title.startsOn, title.expiresOn, title.state]).toEqual(['2026-03-02', '2029-03-02', 'active'])
    expect(ov.activeCount).toBe(1)
    expect(ov.held.find((h) => h.year === 2026)).toEqual({ year: 2026, held: 1, target: 10 })
    expect(ov.board.find((b) => b.stage === 'decided')!.applications.map((a) => a.id)).toEqual([appA])
    // school A has no enrolment or room on the platform: nothing was met at the award, so nothing has fallen since
    expect(ov.flagged).toEqual([])
    // had the room been to standard at submission, its fall since the award flags the school for re-review
    const row = await t.db
      .selectFrom('accreditation_application')
      .select('system_evidence')
      .where('id', '=', appA)
      .executeTakeFirstOrThrow()
    const frozen = JSON.parse(row.system_evidence!) as { facts: { check: string; met: boolean }[] }
    for (const f of frozen.facts) if (f.check === 'room') f.met = true
    await t.db
      .updateTable('accreditation_application')
      .set({ system_evidence: JSON.stringify(frozen) })
      .where('id', '=', appA)
      .execute()
    expect((await as(bureau).accreditation.overview()).flagged).toEqual([
      { titleId: title.id, schoolId: schoolA, schoolName: expect.any(String), schoolNameEn: null, checks: ['room'] },
    ])

    const sys = () => createContextInner({ db: t.db, keys: testKeys(), actor: SYSTEM_ACTOR, now: clock.now })
    const reminders = async () =>
      (
        await t.db
          .selectFrom('inbox_item')
          .select(['kind', 'created_at'])
          .where('kind', 'in', ['accreditation.expiry', 'accreditation.expirySchool'])
          .execute()
      ).length
    // 2029-03-02 − 180 days = 2028-09-03 (Asia/Shanghai dates: 16:00 UTC the day before is already the 3rd there)
    await clock.during('2028-09-02T15:59:00.000Z', async () => expect(await runReminders(sys())).toBe(0))
    await clock.during('2028-09-02T16:00:00.000Z', async () => expect(await runReminders(sys())).toBe(1))
    await clock.during('2028-09-03T10:00:00.000Z', async () => expect(await runReminders(sys())).toBe(0))
    expect(await reminders()).toBe(2) // the bureau and the school admin
    // 2029-03-02 − 90 days = 2028-12-02, which starts at 16:00 UTC on 12-01
    await clock.during('2028-12-01T15:59:00.000Z', async () => expect(await runReminders(sys())).toBe(0))
    await clock.during('2028-12-01T16:00:00.000Z', async () => expect(await runReminders(sys())).toBe(1))
    await clock.during('2028-12-02T01:00:00.000Z', async () => expect(await runReminders(sys())).toBe(0))
    await clock.during('2029-01-31T01:00:00.000Z', async () => expect(await runReminders(sys())).toBe(1)) // − 30 = 2029-01-31
    await clock.during('2029-02-15T01:00:00.000Z', async () => expect(await runReminders(sys())).toBe(0))
    expect(await reminders()).toBe(6)
    // expired on its expiry date: it leaves the count
    await clock.during('2029-03-02T01:00:00.000Z', async () => {
      const later = await as(bureau).accreditation.overview()
      expect(later.activeCount).toBe(0)
    })
  })

  it('the school reapplies later: the previous panel now conflicts; a withdrawn title leaves the count', async () => {
    await clock.during('2026-04-01T02:00:00.000Z', async () => {
      const next = (await as(adminA).accreditation.open()).id
      const d = await as(adminA).accreditation.schoolApplication({ applicationId: next })
      await as(adminA).accreditation.saveSelf({ applicationId: next, version: d.version, points: sheet(tree, 1) })
      await as(adminA).accreditation.submit({ applicationId: next })
      await as(bureau).accreditation.accept({ applicationId: next })
      const rows = await as(bureau).accreditation.candidates({ applicationId: next })
      expect(rows.find((r) => r.expertId === experts.one!.account.id)!.conflicts).toEqual(['previousPanel'])
      expect(rows.find((r) => r.expertId === experts.two!.account.id)!.conflicts).toEqual(['previousPanel'])
      const title = (await as(bureau).accreditation.overview()).titles.find((x) => x.schoolId === schoolA)!
      await as(bureau).accreditation.withdrawTitle({ titleId: title.id, reason: '学校撤并' })
      await expectRefusal(
        as(bureau).accreditation.withdrawTitle({ titleId: title.id, reason: '再次' }),
        'CONFLICT',
        'accreditation.titleWithdrawn',
      )
      expect((await as(bureau).accreditation.overview()).activeCount).toBe(0)
    })
  })

  it('exports the review sheet and prints the decision record', async () => {
    const file = await as(bureau).accreditation.exportSheet({ applicationId: appA, format: 'csv', locale: 'zh-CN' })
    const text = Buffer.from(file.contentBase64, 'base64').toString('utf8')
    expect(text).toContain('B1.1')
    expect(text).toContain('2+6')
    const record = await as(bureau).accreditation.record({ applicationId: appA })
    expect(record.decision!.decision).toBe('accredited')
    expect(record.title!.expiresOn).toBe('2029-03-02')
    void schoolB
    void DAY
  })
})
