import { beforeAll, describe, expect, it } from 'vitest'
import { addAttachment, openAttachment } from '../../server/services/programme'
import { encryptPlainAttachmentNames } from '../../server/services/attachment-names'
import { testKeys } from '../../server/services/keys'
import { attachmentDownloadName } from '../../server/rules/programme'
import { Clock } from '../fixtures/caller'
import { dumpTables, expectNoMarkers, marker } from '../fixtures/cases'
import { APP_TABLES, targets, useTestDatabase } from '../fixtures/db'
import { makeSchool, makeYear } from '../fixtures/factories'
import { eventInput, jpegBytes, makeProgrammeUser, pdfBytes, useUploadDir } from '../fixtures/programme'

/**
 * Probe finding: attachment original file names were stored in clear, and they may name a student
 * ("王小明-心理评估.pdf"). They are now encrypted like the file and the row keeps only the detected
 * type's extension; rows from before are converted on start.
 */
describe.each(targets)('attachment file names on $name', (target) => {
  const t = useTestDatabase(target)
  const uploads = useUploadDir()
  const clock = new Clock()
  let year: number

  beforeAll(async () => {
    const now = new Date(clock.t + 8 * 3600_000)
    year = await makeYear(t.db, now.getUTCMonth() >= 8 ? now.getUTCFullYear() : now.getUTCFullYear() - 1, true)
  })

  it('never stores the original name in clear, and shows it back to whoever may read the file', async () => {
    const school = await makeSchool(t.db)
    const admin = await makeProgrammeUser(t.db, 'school_admin', school.id, clock, uploads.path)
    const { id: eventId } = await admin.caller.programme.createEvent(eventInput(year))
    const name = marker('学生姓名')
    const { id } = await addAttachment(admin.ctx, { eventId, fileName: `${name}-签到表.exe`, bytes: pdfBytes(500) })
    expectNoMarkers(await dumpTables(t.db, APP_TABLES), [name], 'the database')
    const row = await t.db.selectFrom('programme_attachment').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(row.file_ext).toBe('pdf')
    const got = await openAttachment(admin.ctx, id)
    expect(got.fileName).toBe(`${name}-签到表.pdf`)
  })

  it('encrypts names stored before the change on start, once', async () => {
    const school = await makeSchool(t.db)
    const admin = await makeProgrammeUser(t.db, 'school_admin', school.id, clock, uploads.path)
    const { id: eventId } = await admin.caller.programme.createEvent(eventInput(year))
    const { id } = await addAttachment(admin.ctx, { eventId, fileName: 'x.jpg', bytes: jpegBytes(100) })
    // a row as the old code wrote it: plain name, no extension column
    const legacy = marker('旧文件名')
    await t.db
      .updateTable('programme_attachment')
      .set({ file_name: `${legacy}.JPG`, file_ext: null })
      .where('id', '=', id)
      .execute()
    expect(await openAttachment(admin.ctx, id)).toMatchObject({ fileName: `${legacy}.jpg` })

    expect(await encryptPlainAttachmentNames(t.db, testKeys())).toBe(1)
    expect(await encryptPlainAttachmentNames(t.db, testKeys())).toBe(0)
    expectNoMarkers(await dumpTables(t.db, APP_TABLES), [legacy], 'the database after conversion')
    const row = await t.db.selectFrom('programme_attachment').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(row.file_ext).toBe('jpg')
    expect(await openAttachment(admin.ctx, id)).toMatchObject({ fileName: `${legacy}.jpg` })
  })
})

describe('download name', () => {
  it.each([
    ['签到表.pdf', 'png', '签到表.png'],
    ['photo.JPG', 'jpg', 'photo.jpg'],
    ['report.exe', 'pdf', 'report.pdf'],
    ['no-extension', 'webp', 'no-extension.webp'],
    ['.pdf', 'pdf', 'attachment.pdf'],
    ['a.tar.gz', 'pdf', 'a.tar.pdf'],
  ])('%s as %s → %s', (original, ext, out) => {
    expect(attachmentDownloadName(original, ext)).toBe(out)
  })
})
