import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { ZodError } from 'zod'
import type { AuditEventRow } from '../../db/schema'
import { ATTACHMENT_MAX_BYTES, ATTACHMENTS_PER_EVENT } from '../../shared/programme'
import type { EventCreateInput } from '../../shared/programme-schemas'
import { addAttachment, openAttachment, removeAttachment, removeEvent } from '../../server/services/programme'
import { auditRows, headSeq } from '../fixtures/audit'
import { Clock, expectRefusal } from '../fixtures/caller'
import type { AppError } from '../../server/services/errors'
import { marker } from '../fixtures/cases'
import { APP_TABLES, snapshotTables, targets, useTestDatabase } from '../fixtures/db'
import { makeSchool, makeYear } from '../fixtures/factories'
import { decryptBytes, decryptText } from '../../server/services/crypto'
import { testKeys } from '../../server/services/keys'
import { sniffType } from '../../server/rules/programme'
import {
  drillInput,
  eventInput,
  eventUpdate,
  fileMode,
  jpegBytes,
  makeProgrammeUser,
  pdfBytes,
  pngBytes,
  teamClasses,
  textBytes,
  useUploadDir,
  type ProgrammeUser,
} from '../fixtures/programme'

/** Monday 2 March 2026, 09:00 in Shanghai: inside school year 2025-2026. */
const T0 = '2026-03-02T01:00:00.000Z'
/** What a stored file is called: a random UUID and the extension of the sniffed type, nothing the user typed. */
const STORAGE_KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.(jpg|png|webp|pdf)$/
/** Audit details of programme writes carry kinds, ids and counts only. */
const CODED_DETAIL = /^[a-z0-9_/:,.-]*$/

describe.each(targets)('seven-ones evidence and attachments on $name', (target) => {
  const t = useTestDatabase(target)
  const uploads = useUploadDir()
  const clock = new Clock(T0)
  let lastYear: number
  let year: number
  let bureau: ProgrammeUser

  async function audited(fn: () => Promise<unknown>): Promise<AuditEventRow[]> {
    const seq = await headSeq(t.db)
    await fn()
    return auditRows(t.db, seq)
  }

  /** Every table except the audit trail (a refused permission leaves its own audit row, nothing else). */
  async function dataSnapshot() {
    const all = await snapshotTables(t.db)
    return Object.fromEntries(APP_TABLES.filter((x) => x !== 'audit_event' && x !== 'audit_head').map((x) => [x, all[x]]))
  }

  async function makeProgrammeSchool() {
    const school = await makeSchool(t.db)
    const admin = await makeProgrammeUser(t.db, 'school_admin', school.id, clock, uploads.path)
    const counsellor = await makeProgrammeUser(t.db, 'counsellor', school.id, clock, uploads.path)
    return { school, admin, counsellor }
  }

  const attachmentRows = (eventId: number) =>
    t.db.selectFrom('programme_attachment').selectAll().where('event_id', '=', eventId).orderBy('id').execute()

  beforeAll(async () => {
    lastYear = await makeYear(t.db, 2024)
    year = await makeYear(t.db, 2025, true)
    bureau = await makeProgrammeUser(t.db, 'bureau', null, clock, uploads.path)
  })

  describe('evidence writes', () => {
    it('lets the school admin and a counsellor record the team, events of each kind, channels and the clinic, one coded audit row each', async () => {
      const { school, admin, counsellor } = await makeProgrammeSchool()
      const secrets = [
        marker('note'),
        marker('title'),
        marker('summary'),
        marker('scenario'),
        marker('problems'),
        marker('improve'),
        marker('channel'),
        marker('hospital'),
        marker('contact'),
      ]
      const [note, title, summary, scenario, problems, improvements, channelName, hospital, contact] = secrets as [
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
      ]
      const one = (rows: AuditEventRow[], action: string, entityType: string, entityId: number | string, detail?: string) => {
        expect(rows.map((r) => [r.action, r.outcome, r.entity_type, r.entity_id, r.school_id])).toEqual([
          [action, 'ok', entityType, String(entityId), school.id],
        ])
        const d = rows[0]!.detail ?? ''
        expect(d).toMatch(CODED_DETAIL)
        if (detail !== undefined) expect(d).toBe(detail)
        for (const s of secrets) expect(JSON.stringify(rows[0])).not.toContain(s)
      }

      one(
        await audited(() =>
          admin.caller.programme.saveTeam({ schoolYearId: year, setUpOn: '2025-09-10', note, classes: teamClasses(3, 3, 2) }),
        ),
        'programme.team_save',
        'programme_team',
        school.id,
        `year:${year},classes:3`,
      )

      let activityId = 0
      one(
        await audited(async () => {
          activityId = (await counsellor.caller.programme.createEvent(eventInput(year, { title, summary }))).id
        }),
        'programme.event_create',
        'programme_event',
        activityId,
        'activity',
      )
      let lectureId = 0
      one(
        await audited(async () => {
          lectureId = (
            await admin.caller.programme.createEvent(
              eventInput(year, {
                kind: 'lecture',
                heldOn: '2025-12-01',
                title: '家长讲座',
                audiences: ['parents', 'parents'],
                grades: [6, 1, 6],
                participants: 80,
              }),
            )
          ).id
        }),
        'programme.event_create',
        'programme_event',
        lectureId,
        'lecture',
      )
      let drillId = 0
      one(
        await audited(async () => {
          drillId = (
            await counsellor.caller.programme.createEvent(
              drillInput(year, { scenario, problemsFound: problems, improvements, roles: ['reporter', 'discoverer', 'reporter'] }),
            )
          ).id
        }),
        'programme.event_create',
        'programme_event',
        drillId,
        'drill',
      )

      one(
        await audited(() =>
          admin.caller.programme.updateEvent(
            eventUpdate(
              drillInput(year, { scenario, problemsFound: problems, improvements, responseMinutes: 4, participants: 35 }),
              drillId,
              1,
            ),
          ),
        ),
        'programme.event_update',
        'programme_event',
        drillId,
        'drill',
      )

      let channelId = 0
      one(
        await audited(async () => {
          channelId = (
            await counsellor.caller.programme.addChannel({
              schoolYearId: year,
              kind: 'wechat',
              name: channelName,
              address: 'gh_xinqiao',
              launchedOn: '2025-09-15',
            })
          ).id
        }),
        'programme.channel_add',
        'programme_channel',
        channelId,
        'wechat',
      )
      const { id: mailboxId } = await admin.caller.programme.addChannel({
        schoolYearId: year,
        kind: 'mailbox',
        name: '心理信箱',
        address: null,
        launchedOn: null,
      })

      one(
        await audited(() =>
          admin.caller.programme.saveClinic({
            schoolYearId: year,
            hospital,
            clinicName: '儿童青少年心理门诊',
            greenChannel: true,
            agreementOn: '2025-10-01',
            contactName: contact,
            contactPhone: '0755-8383 8383',
          }),
        ),
        'programme.clinic_save',
        'programme_clinic',
        school.id,
        `year:${year}`,
      )

      const o = await admin.caller.programme.overview({})
      expect(o.school.id).toBe(school.id)
      expect(o.year.id).toBe(year)
      expect(o.evidence.team).toMatchObject({
        setUpOn: '2025-09-10',
        note,
        version: 1,
        classCount: 3,
        peerClasses: 3,
        trainedHeadTeachers: 2,
      })
      expect(o.evidence.team.classes).toEqual(teamClasses(3, 3, 2))
      expect(o.evidence.activity.map((e) => [e.id, e.title, e.summary, e.audiences, e.grades, e.participants, e.version])).toEqual([
        [activityId, title, summary, ['students'], [4, 5], 120, 1],
      ])
      // duplicates dropped, grades sorted
      expect(o.evidence.lecture.map((e) => [e.id, e.audiences, e.grades])).toEqual([[lectureId, ['parents'], [1, 6]]])
      expect(
        o.evidence.drill.map((e) => [
          e.id,
          e.scenario,
          e.roles,
          e.responseMinutes,
          e.problemsFound,
          e.improvements,
          e.participants,
          e.version,
        ]),
      ).toEqual([[drillId, scenario, ['discoverer', 'reporter', 'crisis_group', 'counsellor'], 4, problems, improvements, 35, 2]])
      expect(o.evidence.platform.map((c) => [c.id, c.kind, c.name, c.address])).toEqual([
        [channelId, 'wechat', channelName, 'gh_xinqiao'],
        [mailboxId, 'mailbox', '心理信箱', null],
      ])
      expect(o.evidence.clinic.link).toMatchObject({
        hospital,
        greenChannel: true,
        agreementOn: '2025-10-01',
        contactName: contact,
        version: 1,
      })

      one(
        await audited(() => counsellor.caller.programme.removeChannel({ id: channelId })),
        'programme.channel_remove',
        'programme_channel',
        channelId,
      )
      one(
        await audited(() => counsellor.caller.programme.removeClinic({ schoolYearId: year })),
        'programme.clinic_remove',
        'programme_clinic',
        school.id,
        `year:${year}`,
      )
      one(
        await audited(() => admin.caller.programme.removeEvent({ id: lectureId })),
        'programme.event_remove',
        'programme_event',
        lectureId,
        'files:0',
      )
      const after = await counsellor.caller.programme.overview({})
      expect(after.evidence.platform.map((c) => c.id)).toEqual([mailboxId])
      expect(after.evidence.clinic.link).toBeNull()
      expect(after.evidence.lecture).toEqual([])

      // saving the team again replaces the class list and bumps the version
      await counsellor.caller.programme.saveTeam({ schoolYearId: year, setUpOn: null, note: null, classes: teamClasses(1) })
      expect((await admin.caller.programme.overview({})).evidence.team).toMatchObject({
        setUpOn: null,
        note: null,
        version: 2,
        classes: teamClasses(1),
      })
      // no secret ever reached the audit trail
      const trail = JSON.stringify(await auditRows(t.db))
      for (const s of secrets) expect(trail).not.toContain(s)
    })

    it('drops drill-only fields from activities and lectures, also when a drill is turned into an activity', async () => {
      const { admin } = await makeProgrammeSchool()
      const drillish = {
        scenario: '场景',
        roles: ['medical', 'security'] as EventCreateInput['roles'],
        responseMinutes: 9,
        problemsFound: '发现的问题',
        improvements: '改进措施',
      }
      const { id: activityId } = await admin.caller.programme.createEvent(eventInput(year, drillish))
      const { id: lectureId } = await admin.caller.programme.createEvent(eventInput(year, { ...drillish, kind: 'lecture' }))
      const { id: drillId } = await admin.caller.programme.createEvent(drillInput(year, drillish))
      await admin.caller.programme.updateEvent(eventUpdate(drillInput(year, { ...drillish, kind: 'activity' }), drillId, 1))

      const rows = await t.db
        .selectFrom('programme_event')
        .select(['id', 'kind', 'scenario', 'roles', 'response_minutes', 'problems_found', 'improvements'])
        .where('id', 'in', [activityId, lectureId, drillId])
        .orderBy('id')
        .execute()
      expect(rows.map((r) => ({ ...r, response_minutes: r.response_minutes == null ? null : Number(r.response_minutes) }))).toEqual([
        { id: activityId, kind: 'activity', scenario: null, roles: '[]', response_minutes: null, problems_found: null, improvements: null },
        { id: lectureId, kind: 'lecture', scenario: null, roles: '[]', response_minutes: null, problems_found: null, improvements: null },
        { id: drillId, kind: 'activity', scenario: null, roles: '[]', response_minutes: null, problems_found: null, improvements: null },
      ])
      const o = await admin.caller.programme.overview({})
      expect(o.evidence.drill).toEqual([])
      for (const e of [...o.evidence.activity, ...o.evidence.lecture]) {
        expect([e.scenario, e.roles, e.responseMinutes, e.problemsFound, e.improvements]).toEqual([null, [], null, null, null])
      }
    })

    it('refuses an event dated outside its school year with programme.dateOutsideYear, on create and on update, writing nothing', async () => {
      const { admin, counsellor } = await makeProgrammeSchool()
      const { id } = await admin.caller.programme.createEvent(eventInput(year))
      // the first day of the year is inside it; its last day is too, but it has not come yet: evidence is of what happened
      await admin.caller.programme.createEvent(eventInput(year, { heldOn: '2025-09-01' }))
      await expectRefusal(
        admin.caller.programme.createEvent(eventInput(year, { heldOn: '2026-08-31' })),
        'BAD_REQUEST',
        'programme.dateInFuture',
      )
      const before = await snapshotTables(t.db)
      for (const heldOn of ['2025-08-31', '2026-09-01', '2019-05-25']) {
        await expectRefusal(
          counsellor.caller.programme.createEvent(eventInput(year, { heldOn })),
          'BAD_REQUEST',
          'programme.dateOutsideYear',
        )
        await expectRefusal(
          counsellor.caller.programme.createEvent(drillInput(year, { heldOn })),
          'BAD_REQUEST',
          'programme.dateOutsideYear',
        )
        await expectRefusal(
          admin.caller.programme.updateEvent(eventUpdate(eventInput(year, { heldOn }), id, 1)),
          'BAD_REQUEST',
          'programme.dateOutsideYear',
        )
      }
      // an event of last year dated in last year is fine; the same date filed under this year is not
      await expectRefusal(
        admin.caller.programme.createEvent(eventInput(year, { heldOn: '2025-05-25' })),
        'BAD_REQUEST',
        'programme.dateOutsideYear',
      )
      expect(await snapshotTables(t.db)).toEqual(before)
      await clock.during('2025-05-26T02:00:00.000Z', () =>
        admin.caller.programme.createEvent(eventInput(lastYear, { heldOn: '2025-05-25' })),
      )
      expect((await admin.caller.programme.overview({ schoolYearId: lastYear })).evidence.activity.map((e) => e.heldOn)).toEqual([
        '2025-05-25',
      ])
    })

    it('keeps a past school year as history: the school can no longer add, change or remove its evidence', async () => {
      const { admin, counsellor } = await makeProgrammeSchool()
      const { id } = await clock.during('2025-05-26T02:00:00.000Z', () =>
        admin.caller.programme.createEvent(eventInput(lastYear, { heldOn: '2025-05-25' })),
      )
      const { id: channelId } = await clock.during('2025-05-26T02:00:00.000Z', () =>
        admin.caller.programme.addChannel({
          schoolYearId: lastYear,
          kind: 'wechat',
          name: '心桥公众号',
          address: null,
          launchedOn: '2025-03-01',
        }),
      )
      const before = await snapshotTables(t.db)
      for (const [label, attempt] of [
        ['create an event', () => counsellor.caller.programme.createEvent(eventInput(lastYear, { heldOn: '2025-05-20' }))],
        ['update an event', () => admin.caller.programme.updateEvent(eventUpdate(eventInput(lastYear, { heldOn: '2025-05-24' }), id, 1))],
        ['remove an event', () => admin.caller.programme.removeEvent({ id })],
        [
          'save the team',
          () => admin.caller.programme.saveTeam({ schoolYearId: lastYear, setUpOn: '2024-09-10', note: null, classes: teamClasses(1) }),
        ],
        [
          'add a channel',
          () =>
            admin.caller.programme.addChannel({
              schoolYearId: lastYear,
              kind: 'wechat',
              name: '补录',
              address: null,
              launchedOn: '2025-03-01',
            }),
        ],
        ['remove a channel', () => admin.caller.programme.removeChannel({ id: channelId })],
      ] as const) {
        const error = await expectRefusal(attempt(), 'FORBIDDEN', 'schoolYear.closed')
        expect((error as AppError).params, label).toEqual({ year: '2024-2025' })
      }
      expect(await snapshotTables(t.db)).toEqual(before)
    })

    it('refuses a team with the same class twice with BAD_REQUEST and keeps the saved team', async () => {
      const { admin } = await makeProgrammeSchool()
      await admin.caller.programme.saveTeam({ schoolYearId: year, setUpOn: '2025-09-10', note: null, classes: teamClasses(2) })
      const before = await snapshotTables(t.db)
      const dup = [...teamClasses(2), { grade: 1, className: '1班', headTeacherTrained: false, peerSupporters: 0 }]
      const error = await expectRefusal(
        admin.caller.programme.saveTeam({ schoolYearId: year, setUpOn: '2025-09-10', note: null, classes: dup }),
        'BAD_REQUEST',
      )
      expect((error.cause as ZodError).issues.map((i) => i.message)).toContain('validation.duplicateClass')
      expect(await snapshotTables(t.db)).toEqual(before)
      expect((await admin.caller.programme.overview({})).evidence.team.classes).toEqual(teamClasses(2))
    })

    it('refuses a stale version of an event with CONFLICT and keeps the newer save', async () => {
      const { admin, counsellor } = await makeProgrammeSchool()
      const { id } = await admin.caller.programme.createEvent(eventInput(year))
      await counsellor.caller.programme.updateEvent(eventUpdate(eventInput(year, { title: '第一次修改' }), id, 1))
      const before = await snapshotTables(t.db)
      const rows = await audited(() =>
        expectRefusal(
          admin.caller.programme.updateEvent(eventUpdate(eventInput(year, { title: '过期的修改' }), id, 1)),
          'CONFLICT',
          'conflict',
        ),
      )
      expect(rows).toEqual([])
      await expectRefusal(
        admin.caller.programme.updateEvent(eventUpdate(eventInput(year, { title: '未来的版本' }), id, 3)),
        'CONFLICT',
        'conflict',
      )
      expect(await snapshotTables(t.db)).toEqual(before)
      expect((await admin.caller.programme.overview({})).evidence.activity.map((e) => [e.title, e.version])).toEqual([['第一次修改', 2]])
    })
  })

  describe('isolation between schools and the bureau', () => {
    it('answers another school’s admin and counsellor NOT_FOUND for the first school’s evidence, writing no row and no file', async () => {
      const a = await makeProgrammeSchool()
      const b = await makeProgrammeSchool()
      const { id: eventId } = await a.counsellor.caller.programme.createEvent(eventInput(year))
      const { id: attId } = await addAttachment(a.counsellor.ctx, { eventId, fileName: '照片.jpg', bytes: jpegBytes() })
      const { id: channelId } = await a.admin.caller.programme.addChannel({
        schoolYearId: year,
        kind: 'hotline',
        name: '热线',
        address: '12355',
        launchedOn: null,
      })
      const filesBefore = await uploads.files()
      const before = await snapshotTables(t.db)

      for (const stranger of [b.admin, b.counsellor]) {
        await expectRefusal(stranger.caller.programme.overview({ schoolId: a.school.id }), 'NOT_FOUND', 'notFound')
        await expectRefusal(
          stranger.caller.programme.updateEvent(eventUpdate(eventInput(year, { title: '越权' }), eventId, 1)),
          'NOT_FOUND',
          'notFound',
        )
        await expectRefusal(stranger.caller.programme.removeEvent({ id: eventId }), 'NOT_FOUND', 'notFound')
        await expectRefusal(stranger.caller.programme.removeAttachment({ id: attId }), 'NOT_FOUND', 'notFound')
        await expectRefusal(stranger.caller.programme.removeChannel({ id: channelId }), 'NOT_FOUND', 'notFound')
        await expectRefusal(openAttachment(stranger.ctx, attId), 'NOT_FOUND', 'notFound')
        await expectRefusal(removeAttachment(stranger.ctx, attId), 'NOT_FOUND', 'notFound')
        await expectRefusal(removeEvent(stranger.ctx, eventId), 'NOT_FOUND', 'notFound')
        await expectRefusal(addAttachment(stranger.ctx, { eventId, fileName: '越权.jpg', bytes: jpegBytes() }), 'NOT_FOUND', 'notFound')
        // a foreign id is answered exactly like a missing one
        await expectRefusal(stranger.caller.programme.removeEvent({ id: 999_999 }), 'NOT_FOUND', 'notFound')
        await expectRefusal(openAttachment(stranger.ctx, 999_999), 'NOT_FOUND', 'notFound')
      }
      expect(await snapshotTables(t.db)).toEqual(before)
      expect(await uploads.files()).toEqual(filesBefore)
      // the stranger's own page shows nothing of the first school
      const own = await b.admin.caller.programme.overview({})
      expect(own.school.id).toBe(b.school.id)
      expect([own.evidence.activity, own.evidence.platform]).toEqual([[], []])
    })

    it('lets the bureau read any school’s overview and attachment but refuses every write with FORBIDDEN', async () => {
      const a = await makeProgrammeSchool()
      const { id: eventId } = await a.admin.caller.programme.createEvent(eventInput(year))
      const bytes = pngBytes(300)
      const { id: attId } = await addAttachment(a.admin.ctx, { eventId, fileName: '签到表.png', bytes })
      const { id: channelId } = await a.admin.caller.programme.addChannel({
        schoolYearId: year,
        kind: 'hotline',
        name: '热线',
        address: '12355',
        launchedOn: null,
      })

      const seen = await bureau.caller.programme.overview({ schoolId: a.school.id })
      expect(seen.school.id).toBe(a.school.id)
      expect(seen.evidence.activity.map((e) => [e.id, e.files.map((f) => [f.id, f.fileName, f.mimeType, f.sizeBytes])])).toEqual([
        [eventId, [[attId, '签到表.png', 'image/png', 300]]],
      ])
      expect(Buffer.from((await openAttachment(bureau.ctx, attId)).bytes).equals(Buffer.from(bytes))).toBe(true)
      await expectRefusal(bureau.caller.programme.overview({}), 'BAD_REQUEST')
      await expectRefusal(bureau.caller.programme.overview({ schoolId: 999_999 }), 'NOT_FOUND', 'notFound')

      const filesBefore = await uploads.files()
      const before = await dataSnapshot()
      const writes: [string, () => Promise<unknown>][] = [
        ['saveTeam', () => bureau.caller.programme.saveTeam({ schoolYearId: year, setUpOn: null, note: null, classes: [] })],
        ['createEvent', () => bureau.caller.programme.createEvent(eventInput(year))],
        ['updateEvent', () => bureau.caller.programme.updateEvent(eventUpdate(eventInput(year), eventId, 1))],
        ['removeEvent', () => bureau.caller.programme.removeEvent({ id: eventId })],
        ['removeAttachment', () => bureau.caller.programme.removeAttachment({ id: attId })],
        [
          'addChannel',
          () => bureau.caller.programme.addChannel({ schoolYearId: year, kind: 'other', name: 'x', address: null, launchedOn: null }),
        ],
        ['removeChannel', () => bureau.caller.programme.removeChannel({ id: channelId })],
        [
          'saveClinic',
          () =>
            bureau.caller.programme.saveClinic({
              schoolYearId: year,
              hospital: 'x',
              clinicName: null,
              greenChannel: false,
              agreementOn: null,
            }),
        ],
        ['removeClinic', () => bureau.caller.programme.removeClinic({ schoolYearId: year })],
      ]
      for (const [name, write] of writes) {
        const rows = await audited(() => expectRefusal(write(), 'FORBIDDEN', 'forbidden'))
        expect(
          rows.map((r) => [r.action, r.outcome, r.entity_id]),
          name,
        ).toEqual([['permission.denied', 'denied', `programme.${name}`]])
      }
      // the service refuses the bureau on its own too (the upload route calls it directly)
      await expectRefusal(addAttachment(bureau.ctx, { eventId, fileName: 'x.jpg', bytes: jpegBytes() }), 'FORBIDDEN', 'forbidden')
      await expectRefusal(removeAttachment(bureau.ctx, attId), 'FORBIDDEN', 'forbidden')
      await expectRefusal(removeEvent(bureau.ctx, eventId), 'FORBIDDEN', 'forbidden')
      expect(await dataSnapshot()).toEqual(before)
      expect(await uploads.files()).toEqual(filesBefore)
    })
  })

  describe('attachments', () => {
    it('accepts JPEG, PNG and PDF by their bytes, stores them 0600 under random names, and reads them back audited', async () => {
      const { school, admin, counsellor } = await makeProgrammeSchool()
      const { id: eventId } = await counsellor.caller.programme.createEvent(eventInput(year))
      const files = [
        { fileName: '活动照片.JPG', bytes: jpegBytes(1000), type: 'image/jpeg' },
        // the name says PDF, the bytes say PNG: the bytes win
        { fileName: 'x.pdf', bytes: pngBytes(2000), type: 'image/png' },
        { fileName: '签到表.pdf', bytes: pdfBytes(3000), type: 'application/pdf' },
        // a path in the name is cut to its last part and never reaches the disk
        { fileName: '../../etc/passwd.jpg', bytes: jpegBytes(40), type: 'image/jpeg' },
      ]
      const ids: number[] = []
      for (const [i, f] of files.entries()) {
        const user = i % 2 ? admin : counsellor
        const rows = await audited(async () => {
          const saved = await addAttachment(user.ctx, { eventId, fileName: f.fileName, bytes: f.bytes })
          expect(saved).toMatchObject({ mimeType: f.type, sizeBytes: f.bytes.length })
          ids.push(saved.id)
        })
        expect(rows.map((r) => [r.action, r.outcome, r.entity_type, r.entity_id, r.school_id, r.detail])).toEqual([
          ['programme.attachment_add', 'ok', 'programme_attachment', String(ids[i]), school.id, `${f.type},bytes:${f.bytes.length}`],
        ])
        expect(rows[0]!.actor_id).toBe(user.accountId)
      }

      const stored = await attachmentRows(eventId)
      // the original name is stored encrypted, bound to its file (probe finding: names may name a student)
      const originalName = (r: (typeof stored)[number]) =>
        decryptText(testKeys(), `programme.attachment.name:${r.storage_key}`, r.file_name)
      expect(stored.map((r) => [r.id, originalName(r), r.file_ext, r.mime_type, r.size_bytes, r.school_id])).toEqual([
        [ids[0], '活动照片.JPG', 'jpg', 'image/jpeg', 1000, school.id],
        [ids[1], 'x.pdf', 'png', 'image/png', 2000, school.id],
        [ids[2], '签到表.pdf', 'pdf', 'application/pdf', 3000, school.id],
        [ids[3], 'passwd.jpg', 'jpg', 'image/jpeg', 40, school.id],
      ])
      for (const r of stored) expect(r.file_name).not.toMatch(/活动|签到|passwd|x\.pdf/)
      // shown and downloaded under the original stem with the detected type's extension
      const shownNames = ['活动照片.jpg', 'x.png', '签到表.pdf', 'passwd.jpg']
      for (const [i, r] of stored.entries()) {
        expect(r.storage_key).toMatch(STORAGE_KEY)
        expect(r.storage_key.endsWith({ 'image/jpeg': '.jpg', 'image/png': '.png', 'application/pdf': '.pdf' }[files[i]!.type]!)).toBe(true)
        expect(r.sha256).toBe(createHash('sha256').update(files[i]!.bytes).digest('hex'))
        const path = join(uploads.path, r.storage_key)
        expect(await fileMode(path)).toBe(0o600)
        // encrypted at rest: the file holds neither the upload nor its signature, and opens only under its own name
        const raw = await readFile(path)
        expect(raw.equals(Buffer.from(files[i]!.bytes))).toBe(false)
        expect(sniffType(raw.subarray(0, 16))).toBeNull()
        expect(decryptBytes(testKeys(), `programme.attachment:${r.storage_key}`, raw).equals(Buffer.from(files[i]!.bytes))).toBe(true)
        const other = stored[(i + 1) % stored.length]!.storage_key
        expect(() => decryptBytes(testKeys(), `programme.attachment:${other}`, raw)).toThrow()
      }
      const onDisk = await uploads.files()
      for (const r of stored) expect(onDisk).toContain(r.storage_key)
      for (const name of onDisk) expect(name).toMatch(STORAGE_KEY)

      // the overview lists them with the (cleaned) names and sniffed types
      const o = await admin.caller.programme.overview({})
      expect(o.evidence.activity[0]!.attachments).toBe(4)
      expect(o.evidence.activity[0]!.files.map((f) => [f.id, f.fileName, f.mimeType, f.sizeBytes])).toEqual(
        stored.map((r, i) => [r.id, shownNames[i], r.mime_type, r.size_bytes]),
      )

      for (const [i, id] of ids.entries()) {
        let got: Awaited<ReturnType<typeof openAttachment>> | undefined
        const rows = await audited(async () => {
          got = await openAttachment(i % 2 ? counsellor.ctx : admin.ctx, id)
        })
        expect(got!.mimeType).toBe(files[i]!.type)
        expect(got!.fileName).toBe(shownNames[i])
        expect(Buffer.from(got!.bytes).equals(Buffer.from(files[i]!.bytes))).toBe(true)
        expect(rows.map((r) => [r.action, r.outcome, r.entity_type, r.entity_id, r.school_id])).toEqual([
          ['programme.attachment_read', 'ok', 'programme_attachment', String(id), school.id],
        ])
      }

      // removing one attachment removes its row and its file
      const gone = stored[1]!
      const rows = await audited(() => removeAttachment(admin.ctx, gone.id))
      expect(rows.map((r) => [r.action, r.entity_id])).toEqual([['programme.attachment_remove', String(gone.id)]])
      expect((await attachmentRows(eventId)).map((r) => r.id)).toEqual([ids[0], ids[2], ids[3]])
      expect(await uploads.files()).not.toContain(gone.storage_key)
      await expectRefusal(openAttachment(admin.ctx, gone.id), 'NOT_FOUND', 'notFound')
    })

    it('refuses a renamed text file, an empty file, one over 5 MiB and an 11th attachment, writing no row and no file', async () => {
      const { admin, counsellor } = await makeProgrammeSchool()
      const { id: eventId } = await admin.caller.programme.createEvent(eventInput(year))
      const { id: otherEventId } = await admin.caller.programme.createEvent(eventInput(year, { kind: 'lecture' }))
      const filesBefore = await uploads.files()
      const before = await snapshotTables(t.db)
      const refusals: [string, Uint8Array, string][] = [
        ['notes.jpg', textBytes(), 'attachment.unsupportedType'],
        ['script.png', new Uint8Array(Buffer.from('#!/bin/sh\nrm -rf /\n')), 'attachment.unsupportedType'],
        ['empty.jpg', new Uint8Array(0), 'attachment.empty'],
        ['big.jpg', jpegBytes(ATTACHMENT_MAX_BYTES + 1), 'attachment.tooLarge'],
      ]
      for (const [fileName, bytes, code] of refusals) {
        const rows = await audited(() =>
          expectRefusal(addAttachment(counsellor.ctx, { eventId, fileName, bytes }), 'BAD_REQUEST', code as never),
        )
        expect(rows, fileName).toEqual([])
      }
      expect(await snapshotTables(t.db)).toEqual(before)
      expect(await uploads.files()).toEqual(filesBefore)

      // exactly 5 MiB is allowed; then up to ten in all
      await addAttachment(counsellor.ctx, { eventId, fileName: 'max.jpg', bytes: jpegBytes(ATTACHMENT_MAX_BYTES) })
      for (let i = 1; i < ATTACHMENTS_PER_EVENT; i++)
        await addAttachment(i % 2 ? admin.ctx : counsellor.ctx, { eventId, fileName: `p${i}.png`, bytes: pngBytes(100 + i) })
      expect(await attachmentRows(eventId)).toHaveLength(ATTACHMENTS_PER_EVENT)
      const filesAtLimit = await uploads.files()
      expect(filesAtLimit).toHaveLength(filesBefore.length + ATTACHMENTS_PER_EVENT)
      const atLimit = await snapshotTables(t.db)
      await expectRefusal(
        addAttachment(admin.ctx, { eventId, fileName: 'eleventh.jpg', bytes: jpegBytes() }),
        'BAD_REQUEST',
        'attachment.tooMany',
      )
      expect(await snapshotTables(t.db)).toEqual(atLimit)
      expect(await uploads.files()).toEqual(filesAtLimit)
      // the limit is per event
      await addAttachment(admin.ctx, { eventId: otherEventId, fileName: 'other.jpg', bytes: jpegBytes() })
      expect(await attachmentRows(otherEventId)).toHaveLength(1)
    })

    it('keeps to ten attachments when uploads to nearly full events race each other, leaving no stray file', async () => {
      const { admin, counsellor } = await makeProgrammeSchool()
      // three events with nine attachments each, then eight uploads to each at once
      const events: number[] = []
      for (let n = 0; n < 3; n++) {
        const { id } = await admin.caller.programme.createEvent(eventInput(year, { title: `活动${n}` }))
        for (let i = 1; i < ATTACHMENTS_PER_EVENT; i++)
          await addAttachment(admin.ctx, { eventId: id, fileName: `p${i}.jpg`, bytes: jpegBytes(100 + i) })
        events.push(id)
      }
      const outcomes = await Promise.all(
        events.map(async (eventId) => {
          const settled = await Promise.allSettled(
            Array.from({ length: 8 }, (_, i) =>
              addAttachment(i % 2 ? admin.ctx : counsellor.ctx, { eventId, fileName: `race${i}.png`, bytes: pngBytes(500 + i) }),
            ),
          )
          for (const o of settled)
            if (o.status === 'rejected') expect((o.reason as { appCode?: string }).appCode).toBe('attachment.tooMany')
          return { rows: (await attachmentRows(eventId)).length, accepted: settled.filter((o) => o.status === 'fulfilled').length }
        }),
      )
      expect(outcomes).toEqual(events.map(() => ({ rows: ATTACHMENTS_PER_EVENT, accepted: 1 })))
      // every file on disk belongs to a row
      const keys = new Set((await t.db.selectFrom('programme_attachment').select('storage_key').execute()).map((r) => r.storage_key))
      expect((await uploads.files()).filter((f) => !keys.has(f))).toEqual([])
    })

    it('removes an event with its attachment rows and files', async () => {
      const { admin, counsellor } = await makeProgrammeSchool()
      const { id: eventId } = await counsellor.caller.programme.createEvent(drillInput(year, { problemsFound: '无' }))
      const { id: keptId } = await counsellor.caller.programme.createEvent(eventInput(year))
      for (const bytes of [jpegBytes(), pngBytes(), pdfBytes()]) await addAttachment(counsellor.ctx, { eventId, fileName: 'f', bytes })
      await addAttachment(counsellor.ctx, { eventId: keptId, fileName: 'kept.jpg', bytes: jpegBytes() })
      const keys = (await attachmentRows(eventId)).map((r) => r.storage_key)
      const kept = (await attachmentRows(keptId)).map((r) => r.storage_key)
      expect(keys).toHaveLength(3)
      for (const k of [...keys, ...kept]) expect(await uploads.files()).toContain(k)

      const rows = await audited(() => removeEvent(admin.ctx, eventId))
      expect(rows.map((r) => [r.action, r.entity_type, r.entity_id, r.detail])).toEqual([
        ['programme.event_remove', 'programme_event', String(eventId), 'files:3'],
      ])
      expect(await attachmentRows(eventId)).toEqual([])
      expect(await t.db.selectFrom('programme_event').select('id').where('id', '=', eventId).execute()).toEqual([])
      const onDisk = await uploads.files()
      for (const k of keys) expect(onDisk).not.toContain(k)
      // the other event and its file are untouched
      expect(onDisk).toContain(kept[0])
      expect((await admin.caller.programme.overview({})).evidence.activity.map((e) => [e.id, e.attachments])).toEqual([[keptId, 1]])
    })
  })
})
