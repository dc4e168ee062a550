import { beforeAll, describe, expect, it } from 'vitest'
import type { AuditAction, AuditEntity, AuditOutcome } from '../../shared/audit'
import type { AuditListInput } from '../../shared/schemas'
import { appendAudit } from '../../server/services/audit'
import { SYSTEM_ACTOR, type Actor } from '../../server/services/context'
import { testKeys } from '../../server/services/keys'
import { auditRows, headSeq } from '../fixtures/audit'
import { expectRefusal, type Caller } from '../fixtures/caller'
import { makeSignedIn } from '../fixtures/cases'
import { targets, useTestDatabase } from '../fixtures/db'
import { csvOf, workbookOf } from '../fixtures/exports'
import { makeSchool, makeYear } from '../fixtures/factories'

interface Event {
  at: string
  actor: Actor
  action: AuditAction
  entityType?: AuditEntity
  entityId?: number
  outcome?: AuditOutcome
  detail?: string
}

describe.each(targets)('the audit log’s filters and export on $name', (target) => {
  const t = useTestDatabase(target)
  let admin: Awaited<ReturnType<typeof makeSignedIn>>
  let bureau: Awaited<ReturnType<typeof makeSignedIn>>
  let counsellor: Awaited<ReturnType<typeof makeSignedIn>>
  let yearId: number
  /** the seq of each event below, by its key */
  const seqOf: Record<string, number> = {}

  /** Writes one event as it would have been written at `at`. */
  async function record(key: string, e: Event) {
    await appendAudit(
      t.db,
      { keys: testKeys(), actor: e.actor, requestId: `req-${key}`, now: () => new Date(e.at) },
      { action: e.action, outcome: e.outcome ?? 'ok', entityType: e.entityType, entityId: e.entityId, detail: e.detail },
    )
    seqOf[key] = await headSeq(t.db)
  }

  beforeAll(async () => {
    yearId = await makeYear(t.db, 2029, true)
    const school = await makeSchool(t.db)
    admin = await makeSignedIn(t.db, 'admin', null)
    bureau = await makeSignedIn(t.db, 'bureau', null)
    counsellor = await makeSignedIn(t.db, 'counsellor', school.id)
    // Shanghai is UTC+8: 15:59:59Z is 23:59:59 the same day there, 16:00:00Z already the next day.
    await record('c1', {
      at: '2030-03-01T01:00:00.000Z',
      actor: counsellor.actor,
      action: 'case.open',
      entityType: 'case',
      entityId: 1,
      detail: 'level:high',
    })
    await record('c2', {
      at: '2030-03-01T15:59:59.000Z',
      actor: counsellor.actor,
      action: 'case.risk_change',
      entityType: 'case',
      entityId: 1,
      detail: 'high>crisis',
    })
    await record('b1', {
      at: '2030-03-01T16:00:00.000Z',
      actor: bureau.actor,
      action: 'export.download',
      entityType: 'staffing',
      detail: `csv,year:${yearId},rows:12,flag:shortfall`,
    })
    await record('b2', {
      at: '2030-03-02T03:00:00.000Z',
      actor: bureau.actor,
      action: 'permission.denied',
      entityType: 'procedure',
      outcome: 'denied',
      detail: 'case.read',
    })
    await record('s1', {
      at: '2030-03-02T04:00:00.000Z',
      actor: SYSTEM_ACTOR,
      action: 'school.create',
      entityType: 'school',
      entityId: school.id,
    })
    await record('c3', {
      at: '2030-03-03T02:00:00.000Z',
      actor: counsellor.actor,
      action: 'case.note_add',
      entityType: 'case_note',
      entityId: 7,
      detail: 'case:1',
    })
    await record('a1', {
      at: '2030-03-04T16:30:00.000Z',
      actor: admin.actor,
      action: 'auth.login',
      entityType: 'account',
      outcome: 'failed',
      detail: 'wrong_password',
    })
  })

  const seqs = async (input: Partial<AuditListInput>, caller: Caller = admin.caller) =>
    (await caller.audit.list({ ...input } as AuditListInput)).rows.map(
      (r) => Object.entries(seqOf).find(([, s]) => s === r.seq)?.[0] ?? '?',
    )
  const inMarch = { from: '2030-03-01', to: '2030-03-31' }

  it('filters by person, the system included', async () => {
    expect(await seqs({ ...inMarch, actorId: counsellor.account.id })).toEqual(['c3', 'c2', 'c1'])
    expect(await seqs({ ...inMarch, actorId: bureau.account.id })).toEqual(['b2', 'b1'])
    expect(await seqs({ ...inMarch, actorId: 0 })).toEqual(['s1'])
  })

  it('filters by calendar days in Shanghai, both ends included', async () => {
    expect(await seqs({ from: '2030-03-01', to: '2030-03-01' })).toEqual(['c2', 'c1'])
    expect(await seqs({ from: '2030-03-02', to: '2030-03-02' })).toEqual(['s1', 'b2', 'b1'])
    expect(await seqs({ from: '2030-03-03' })).toEqual(['a1', 'c3'])
    expect(await seqs({ from: '2030-03-05' })).toEqual(['a1'])
    expect(await seqs({ to: '2030-03-01', from: '2030-02-28' })).toEqual(['c2', 'c1'])
    expect(await seqs({ from: '2030-03-06' })).toEqual([])
  })

  it('filters by an action or a group of actions, by entity and by outcome, together and paged', async () => {
    expect(await seqs({ ...inMarch, action: 'case.risk_change' })).toEqual(['c2'])
    expect(await seqs({ ...inMarch, action: 'case.' })).toEqual(['c3', 'c2', 'c1'])
    expect(await seqs({ ...inMarch, entityType: 'case' })).toEqual(['c2', 'c1'])
    expect(await seqs({ ...inMarch, outcome: 'denied' })).toEqual(['b2'])
    expect(await seqs({ ...inMarch, action: 'case.', entityType: 'case', actorId: counsellor.account.id, to: '2030-03-01' })).toEqual([
      'c2',
      'c1',
    ])
    const page2 = await admin.caller.audit.list({ ...inMarch, page: 2, pageSize: 3 })
    expect(page2.total).toBe(7)
    expect(page2.rows.map((r) => r.seq)).toEqual([seqOf.b2, seqOf.b1, seqOf.c2])
  })

  it('refuses a range that ends before it starts and an entity it does not know', async () => {
    await expectRefusal(admin.caller.audit.list({ from: '2030-03-02', to: '2030-03-01' } as AuditListInput), 'BAD_REQUEST')
    await expectRefusal(admin.caller.audit.list({ entityType: 'student_case' } as unknown as AuditListInput), 'BAD_REQUEST')
    await expectRefusal(admin.caller.audit.list({ from: '2030-3-1' } as AuditListInput), 'BAD_REQUEST')
  })

  it('lists everyone the log can be filtered by', async () => {
    const actors = await admin.caller.audit.actors()
    expect(actors.map((a) => a.id)).toEqual(expect.arrayContaining([admin.account.id, bureau.account.id, counsellor.account.id]))
    expect(actors.find((a) => a.id === counsellor.account.id)).toMatchObject({ username: counsellor.account.username, role: 'counsellor' })
  })

  it('exports the filtered log as the screen reads it, and records the export with its filters', async () => {
    const filters = { ...inMarch, action: 'case.' }
    const screen = await admin.caller.audit.list({ ...filters, pageSize: 100 })
    const before = await headSeq(t.db)
    const file = await admin.caller.audit.export({ ...filters, format: 'csv', locale: 'zh-CN' })
    expect(file.fileName).toBe('xinqiao-auditLog-2030-03-01-2030-03-31-个案（全部）.csv')
    const lines = csvOf(file)
    expect(lines[0]).toEqual(['序号', '时间', '操作人', '角色', '操作', '对象', '结果', '说明'])
    expect(lines.slice(1).map((l) => Number(l[0]))).toEqual(screen.rows.map((r) => r.seq))
    expect(lines.slice(1)).toEqual([
      [String(seqOf.c3), '2030-03-03 10:00:00', counsellor.account.username, '心理教师', '添加记录', '个案记录 #7', '成功', '个案 #1'],
      [
        String(seqOf.c2),
        '2030-03-01 23:59:59',
        counsellor.account.username,
        '心理教师',
        '调整风险等级',
        '个案 #1',
        '成功',
        '二级·高危 → 一级·危机',
      ],
      [
        String(seqOf.c1),
        '2030-03-01 09:00:00',
        counsellor.account.username,
        '心理教师',
        '建立个案',
        '个案 #1',
        '成功',
        '风险等级：二级·高危',
      ],
    ])
    const written = await auditRows(t.db, before)
    expect(written.map((r) => [r.action, r.entity_type, r.outcome, r.actor_id, r.detail])).toEqual([
      ['audit.export', 'auditLog', 'ok', admin.account.id, 'csv,rows:3,from:2030-03-01,to:2030-03-31,action:case.'],
    ])
    // the export is in the log it exports from
    expect((await admin.caller.audit.list({ action: 'audit.export' })).rows[0]).toMatchObject({ seq: before + 1, action: 'audit.export' })
  })

  it('exports in English as a workbook, naming the person and entity, details translated', async () => {
    const file = await admin.caller.audit.export({ ...inMarch, actorId: bureau.account.id, format: 'xlsx', locale: 'en' })
    expect(file.fileName).toBe(`xinqiao-auditLog-2030-03-01-2030-03-31-${bureau.account.username}.xlsx`)
    const [sheet, about] = await workbookOf(file)
    expect(sheet!.rows).toEqual([
      ['No.', 'Time', 'Actor', 'Role', 'Action', 'Entity', 'Outcome', 'Detail'],
      [
        seqOf.b2,
        '2030-03-02 11:00:00',
        bureau.account.username,
        'Education bureau',
        'Access denied',
        'Procedure',
        'Denied',
        'Needs permission: View case content',
      ],
      [
        seqOf.b1,
        '2030-03-02 00:00:00',
        bureau.account.username,
        'Education bureau',
        'Data exported',
        'Staffing',
        'OK',
        'CSV · School year 2029-2030 · Rows: 12 · Filter: Short of full-time staff',
      ],
    ])
    expect(about!.rows).toEqual(
      expect.arrayContaining([
        ['Person', bureau.account.username],
        ['From', '2030-03-01'],
        ['To', '2030-03-31'],
      ]),
    )
    const system = await admin.caller.audit.export({ ...inMarch, actorId: 0, format: 'csv', locale: 'en' })
    expect(
      csvOf(system)
        .slice(1)
        .map((l) => [l[2], l[4]]),
    ).toEqual([['System', 'School created']])
  })

  it('is only for those who read the log: the bureau and the schools are refused, and nothing is exported', async () => {
    for (const caller of [bureau.caller, counsellor.caller]) {
      await expectRefusal(caller.audit.export({ format: 'csv', locale: 'zh-CN' }), 'FORBIDDEN', 'forbidden')
      await expectRefusal(caller.audit.actors(), 'FORBIDDEN', 'forbidden')
    }
    expect((await admin.caller.audit.list({ action: 'audit.export', actorId: bureau.account.id })).total).toBe(0)
  })
})
