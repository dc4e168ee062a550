import ExcelJS from 'exceljs'
import { beforeAll, describe, expect, it } from 'vitest'
import { parseCsv } from '../../server/rules/roster-import'
import { uploadEthics } from '../../server/services/research'
import type { ExportSpec } from '../../shared/research-schemas'
import { EXPORT_FILES } from '../../shared/research'
import { Clock, expectRefusal, type Caller } from '../fixtures/caller'
import { makeCase, makeCounsellor, makeSignedIn, marker, type Counsellor } from '../fixtures/cases'
import { snapshotTables, targets, useTestDatabase } from '../fixtures/db'
import { makeSchool, makeStreet, makeYear } from '../fixtures/factories'
import { pdfBytes, programmeCaller, programmeContext, useUploadDir } from '../fixtures/programme'

const DAY = 86_400_000
const LEVELS = ['watch', 'routine', 'high', 'watch', 'routine'] as const

/** The files of an export as text: CSVs decoded, the workbook's every cell of every sheet. */
async function fileTexts(caller: Caller, id: number) {
  const out: Record<string, { csv?: string[][]; xlsx?: Record<string, string[][]>; raw: string; bytes: Buffer }> = {}
  for (const file of EXPORT_FILES) {
    const f = await caller.research.download({ id, file })
    const bytes = Buffer.from(f.contentBase64, 'base64')
    if (file.endsWith('.csv'))
      out[file] = { csv: parseCsv(bytes.toString('utf8').replace(/^\uFEFF/, '')), raw: bytes.toString('utf8'), bytes }
    else if (file.endsWith('.xlsx')) {
      const book = new ExcelJS.Workbook()
      await book.xlsx.load(bytes as unknown as ArrayBuffer)
      const sheets: Record<string, string[][]> = {}
      for (const ws of book.worksheets) {
        const rows: string[][] = []
        ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))))
        sheets[ws.name] = rows
      }
      out[file] = { xlsx: sheets, raw: JSON.stringify(sheets), bytes }
    } else out[file] = { raw: bytes.toString('utf8'), bytes }
  }
  return out
}

/** Second code path for k and ℓ: group the extract's rows by their quasi-identifier columns with a plain object. */
function classesOf(csv: string[][], quasi: string[], sensitive: string) {
  const [head, ...rows] = csv
  const qi = quasi.map((q) => head!.indexOf(q))
  const si = head!.indexOf(sensitive)
  const groups: Record<string, string[]> = {}
  for (const r of rows) (groups[qi.map((i) => r[i]).join('|')] ??= []).push(r[si]!)
  return Object.values(groups).map((g) => ({ size: g.length, distinct: new Set(g).size }))
}

describe.each(targets)('research projects on $name', (target) => {
  const t = useTestDatabase(target)
  const uploads = useUploadDir()
  const clock = new Clock('2026-03-02T02:00:00.000Z')
  const markers: string[] = []
  let counsellor: Counsellor
  let bureau: Caller
  let otherBureau: Caller
  let researcherA: Caller
  let researcherB: Caller
  let approverId: number
  let projectA: number
  let projectB: number
  let researcherAId: number
  let researcherBId: number

  const caller = (actor: Parameters<typeof programmeCaller>[1]) => programmeCaller(t.db, actor, { now: clock.now, uploadDir: uploads.path })
  const unchanged = async (
    work: () => Promise<unknown>,
    code: Parameters<typeof expectRefusal>[1],
    appCode?: Parameters<typeof expectRefusal>[2],
  ) => {
    const before = await snapshotTables(t.db)
    await expectRefusal(work(), code, appCode)
    expect(await snapshotTables(t.db)).toEqual(before)
  }
  const aggregate = (projectId: number, over: Partial<Extract<ExportSpec, { form: 'aggregate' }>> = {}): ExportSpec => ({
    projectId,
    dataset: 'cases',
    form: 'aggregate',
    rows: 'school_type',
    columns: 'risk_level',
    periodFrom: '2025-09-01',
    periodTo: '2026-03-01',
    ...over,
  })
  const record = (projectId: number): ExportSpec => ({
    projectId,
    dataset: 'cases',
    form: 'record',
    attributes: ['school', 'grade', 'sex', 'age', 'opened', 'status', 'categories'],
    periodFrom: '2025-09-01',
    periodTo: '2026-03-01',
  })

  beforeAll(async () => {
    await makeYear(t.db, 2025, true)
    const street = await makeStreet(t.db)
    const school = await makeSchool(t.db, { streetId: street, type: 'primary' })
    await makeSchool(t.db, { streetId: street, type: 'junior' })
    counsellor = await makeCounsellor(t.db, school.id, clock)
    for (let i = 0; i < 36; i++) {
      const name = marker('name')
      const concern = marker('concern')
      markers.push(name, concern)
      const { caseId } = await makeCase(
        counsellor,
        { riskLevel: LEVELS[i % LEVELS.length], openedOn: `2026-0${1 + (i % 2)}-${String(5 + (i % 20)).padStart(2, '0')}`, concern },
        { name, sex: i % 2 ? 'F' : 'M', birthDate: `201${3 + (i % 3)}-0${1 + (i % 9)}-15`, grade: 4 + (i % 3) },
      )
      const note = marker('note')
      markers.push(note)
      await counsellor.caller.case.addNote({ caseId, sessionDate: '2026-03-01', durationMin: 30, type: 'individual', text: note })
    }
    const b = await makeSignedIn(t.db, 'bureau', null)
    approverId = b.account.id
    bureau = caller(b.actor)
    otherBureau = caller((await makeSignedIn(t.db, 'bureau', null)).actor)
    const ra = await makeSignedIn(t.db, 'researcher', null)
    const rb = await makeSignedIn(t.db, 'researcher', null)
    researcherAId = ra.account.id
    researcherBId = rb.account.id
    researcherA = caller(ra.actor)
    researcherB = caller(rb.actor)
    const project = (title: string, researcherIds: number[]) => ({
      title,
      institution: '深圳大学心理学院',
      purpose: '中小学心理个案的风险等级分布研究',
      datasets: ['cases' as const, 'programme' as const],
      startsOn: '2026-03-01',
      endsOn: '2026-06-30',
      approverId,
      researcherIds,
    })
    projectA = (await bureau.research.create(project('项目甲', [researcherAId]))).id
    projectB = (await bureau.research.create(project('项目乙', [researcherBId]))).id
  })

  it('refuses work on a project before its ethics approval is on file, changing nothing', async () => {
    await unchanged(() => researcherA.research.preview(aggregate(projectA)), 'FORBIDDEN', 'research.ethicsMissing')
    const ctx = programmeContext(t.db, (await makeSignedIn(t.db, 'bureau', null)).actor, { now: clock.now, uploadDir: uploads.path })
    for (const id of [projectA, projectB]) await uploadEthics(ctx, { projectId: id, fileName: '伦理审查批件.pdf', bytes: pdfBytes(2048) })
    const listed = await bureau.research.projects()
    expect(listed.find((p) => p.id === projectA)).toMatchObject({
      state: 'active',
      ethics: { fileName: '伦理审查批件.pdf' },
      researchers: [{ id: researcherAId }],
    })
  })

  it('refuses a researcher or a non-bureau approver as people of the wrong role', async () => {
    const base = { title: 'x', institution: 'y', purpose: 'z', datasets: ['cases' as const], startsOn: '2026-03-01', endsOn: '2026-04-01' }
    await unchanged(
      () => bureau.research.create({ ...base, approverId: researcherAId, researcherIds: [] }),
      'BAD_REQUEST',
      'research.notBureau',
    )
    await unchanged(
      () => bureau.research.create({ ...base, approverId, researcherIds: [approverId] }),
      'BAD_REQUEST',
      'research.notResearcher',
    )
  })

  it('previews an aggregate table with what is hidden and why, but no values', async () => {
    const report = await researcherA.research.preview(aggregate(projectA))
    expect(report).toMatchObject({ dataset: 'cases', form: 'aggregate', threshold: 10, colLabels: ['crisis', 'high', 'watch', 'routine'] })
    expect(report.hidden!.length).toBe(report.rowLabels!.length)
    expect(
      report.cellsSuppressedPrimary! + report.cellsSuppressedZero! + report.cellsSuppressedChange! + report.cellsSuppressedComplementary!,
    ).toBe(report.hidden!.flat().filter(Boolean).length)
    expect(JSON.stringify(report)).not.toMatch(/"rows"|"cells":\[\[/)
  })

  it('previews a record-level extract: k = 10 because subjects are under 14, ℓ = 2, what was generalised and dropped', async () => {
    const report = await researcherA.research.preview(record(projectA))
    expect(report).toMatchObject({ kRequired: 10, lRequired: 2, recordsIn: 36 })
    expect(report.recordsOut! + report.recordsDropped!).toBe(36)
    if (report.recordsOut) expect(report.kAchieved).toBeGreaterThanOrEqual(10)
    expect(report.generalisation.map((g) => g.attribute)).toEqual(['school', 'grade', 'sex', 'age', 'opened'])
  })

  it('keeps to the allowlist and to the dataset registry', async () => {
    await unchanged(
      () => researcherA.research.preview(aggregate(projectA, { dataset: 'staffing', rows: 'street', columns: 'employment' })),
      'BAD_REQUEST',
      'research.datasetNotAllowed',
    )
    await unchanged(
      () => researcherA.research.preview({ ...record(projectA), dataset: 'programme' }),
      'BAD_REQUEST',
      'research.formNotAvailable',
    )
    await unchanged(
      () => researcherA.research.preview(aggregate(projectA, { columns: 'employment' })),
      'BAD_REQUEST',
      'research.formNotAvailable',
    )
  })

  let recordExport: number
  it('requests, is approved only by the project approver, and downloads CSV, XLSX, codebook and disclosure report', async () => {
    recordExport = (await researcherA.research.request(record(projectA))).id
    // No download before approval, and the other project's researcher does not even see it.
    await unchanged(() => researcherA.research.download({ id: recordExport, file: 'data.csv' }), 'CONFLICT', 'research.transition')
    await unchanged(() => researcherB.research.download({ id: recordExport, file: 'data.csv' }), 'NOT_FOUND', 'notFound')
    await unchanged(() => researcherB.research.preview(aggregate(projectA)), 'NOT_FOUND', 'notFound')
    await unchanged(() => researcherB.research.withdraw({ id: recordExport, version: 1 }), 'NOT_FOUND', 'notFound')
    expect((await researcherB.research.mine()).map((p) => p.id)).toEqual([projectB])
    // Another bureau officer is not this project's approver.
    await unchanged(
      () => otherBureau.research.decide({ id: recordExport, version: 1, decision: 'approve', note: '' }),
      'FORBIDDEN',
      'research.notApprover',
    )

    const review = await bureau.research.review({ id: recordExport })
    expect(review.canDecide).toBe(true)
    expect(review.sample.headers[0]).toBe('subject')
    await bureau.research.decide({ id: recordExport, version: 1, decision: 'approve', note: '' })
    // Approved is final: a second decision is a refused transition.
    await unchanged(
      () => bureau.research.decide({ id: recordExport, version: 2, decision: 'return', note: 'again' }),
      'CONFLICT',
      'research.transition',
    )

    const mine = (await researcherA.research.mine()).find((p) => p.id === projectA)!
    const ex = mine.exports.find((e) => e.id === recordExport)!
    expect(ex).toMatchObject({ status: 'approved', expired: false, files: [...EXPORT_FILES] })
    expect(Date.parse(ex.expiresAt!) - clock.now().getTime()).toBe(14 * DAY)

    const files = await fileTexts(researcherA, recordExport)
    const data = files['data.csv']!.csv!
    const head = data[0]!
    expect(head).toEqual(['subject', 'school', 'grade', 'sex', 'age', 'opened', 'risk_level', 'status', 'categories'])
    // k and ℓ on the delivered file, by a second code path.
    const classes = classesOf(data, ['school', 'grade', 'sex', 'age', 'opened'], 'risk_level')
    const disclosure = Object.fromEntries(files['disclosure.csv']!.csv!.slice(1).map(([k, v]) => [k, v]))
    expect(Number(disclosure.records_out)).toBe(data.length - 1)
    expect(Number(disclosure.records_in)).toBe(36)
    expect(Number(disclosure.k_required)).toBe(10)
    if (classes.length) {
      expect(Math.min(...classes.map((c) => c.size))).toBe(Number(disclosure.k_achieved))
      expect(Math.min(...classes.map((c) => c.size))).toBeGreaterThanOrEqual(10)
      expect(Math.min(...classes.map((c) => c.distinct))).toBeGreaterThanOrEqual(2)
    }
    // The codebook names every column; the workbook carries the same data and both explanations.
    expect(files['codebook.csv']!.csv!.slice(1).map((r) => r[0])).toEqual(head)
    expect(files['data.xlsx']!.xlsx!.data).toEqual(data)
    expect(Object.keys(files['data.xlsx']!.xlsx!)).toEqual(['data', 'codebook', 'disclosure'])
    // The manifest carries the times and the checksums of the data files.
    const manifest = JSON.parse(files['manifest.json']!.raw) as { files: { name: string; sha256: string }[]; approvedAt: string }
    expect(manifest.files.map((f) => f.name)).toEqual(['data.csv', 'data.xlsx', 'codebook.csv', 'disclosure.csv'])
    expect(manifest.approvedAt).toBe(clock.now().toISOString())
    // Canary: no name, concern or note text reaches any file.
    for (const [name, f] of Object.entries(files)) for (const m of markers) expect(f.raw.includes(m), `${m} in ${name}`).toBe(false)
    // Every download is audited.
    const downloads = await t.db.selectFrom('audit_event').select('detail').where('action', '=', 'research.export_download').execute()
    expect(downloads.length).toBeGreaterThanOrEqual(EXPORT_FILES.length)
  })

  it('gives byte-identical data files for identical inputs, and pseudonyms that do not join across projects', async () => {
    const again = (await researcherA.research.request(record(projectA))).id
    const other = (await researcherB.research.request(record(projectB))).id
    const sums = async (id: number) =>
      Object.fromEntries(
        (await t.db.selectFrom('research_export_file').select(['name', 'sha256']).where('export_id', '=', id).execute()).map((r) => [
          r.name,
          r.sha256,
        ]),
      )
    const first = await sums(recordExport)
    const second = await sums(again)
    for (const f of ['data.csv', 'data.xlsx', 'codebook.csv', 'disclosure.csv']) expect(second[f], f).toBe(first[f])
    await bureau.research.decide({ id: other, version: 1, decision: 'approve', note: '' })
    const subjects = async (c: Caller, id: number) => {
      const file = await c.research.download({ id, file: 'data.csv' })
      const rows = parseCsv(
        Buffer.from(file.contentBase64, 'base64')
          .toString('utf8')
          .replace(/^\uFEFF/, ''),
      )
      return new Set(rows.slice(1).map((r) => r[0]))
    }
    const a = await subjects(researcherA, recordExport)
    const b = await subjects(researcherB, other)
    expect(a.size).toBe(b.size)
    expect(a.size).toBeGreaterThan(0)
    expect([...a].filter((s) => b.has(s))).toEqual([])
  })

  it('returns with a note; the researcher resubmits or withdraws; nothing skips the approval', async () => {
    await unchanged(() => bureau.research.decide({ id: recordExport, version: 1, decision: 'return', note: '' }), 'BAD_REQUEST')
    const id = (await researcherA.research.request(aggregate(projectA))).id
    await bureau.research.decide({ id, version: 1, decision: 'return', note: '请按街道汇总' })
    await unchanged(() => researcherA.research.download({ id, file: 'data.csv' }), 'CONFLICT', 'research.transition')
    await unchanged(() => bureau.research.decide({ id, version: 2, decision: 'approve', note: '' }), 'CONFLICT', 'research.transition')
    const returned = (await researcherA.research.mine()).find((p) => p.id === projectA)!.exports.find((e) => e.id === id)!
    expect(returned).toMatchObject({ status: 'returned', note: '请按街道汇总', files: [] })
    await researcherA.research.resubmit({ id, version: 2, spec: aggregate(projectA, { rows: 'street' }) })
    await researcherA.research.withdraw({ id, version: 3 })
    await unchanged(() => researcherA.research.resubmit({ id, version: 4, spec: aggregate(projectA) }), 'CONFLICT', 'research.transition')
    expect(await t.db.selectFrom('research_export_file').select('id').where('export_id', '=', id).execute()).toEqual([])
  })

  it('publishes an aggregate table with hidden cells shown as hidden, and the totals protected', async () => {
    const id = (await researcherA.research.request(aggregate(projectA, { rows: 'grade_band' }))).id
    await bureau.research.decide({ id, version: 1, decision: 'approve', note: '同意' })
    const files = await fileTexts(researcherA, id)
    const data = files['data.csv']!.csv!
    expect(data[0]).toEqual(['grade_band', 'crisis', 'high', 'watch', 'routine', 'total'])
    for (const cell of data.slice(1).flatMap((r) => r.slice(1))) expect(cell === '—' || cell === '0' || Number(cell) >= 10).toBe(true)
    expect(files['disclosure.csv']!.raw).toContain('threshold,10')
    for (const m of markers) expect(files['data.xlsx']!.raw.includes(m)).toBe(false)
  })

  it('refuses a table whose period overlaps an earlier table of the same dataset without being the same period, changing nothing', async () => {
    // January–June minus January–May would be June's cases
    await unchanged(
      () => researcherA.research.preview(aggregate(projectA, { periodFrom: '2025-10-01' })),
      'BAD_REQUEST',
      'research.periodOverlap',
    )
    await unchanged(
      () => researcherA.research.request(aggregate(projectA, { periodTo: '2026-02-01' })),
      'BAD_REQUEST',
      'research.periodOverlap',
    )
    // the same period, or one that does not meet it, is fine
    await researcherA.research.preview(aggregate(projectA))
    await researcherA.research.preview(aggregate(projectA, { periodFrom: '2024-09-01', periodTo: '2025-08-31' }))
  })

  it('judges a later table against what the project already holds: a figure that moved by a few is hidden; a preview records nothing', async () => {
    const releases = async () =>
      t.db.selectFrom('disclosure_release').selectAll().where('audience', '=', `research:${projectA}`).orderBy('id').execute()
    const spec = aggregate(projectA, { rows: 'sex' })
    await researcherA.research.request(spec)
    const before = (await releases()).length
    await researcherA.research.preview(spec)
    expect((await releases()).length).toBe(before)
    for (let i = 0; i < 3; i++) await makeCase(counsellor, { riskLevel: 'routine', openedOn: '2026-02-20' }, { sex: 'F', grade: 5 })
    await researcherA.research.request(spec)
    const all = await releases()
    expect(all.length).toBe(before + 1)
    const hidden = new Map(JSON.parse(all.at(-1)!.hidden) as [string, string][])
    expect([...hidden.values()]).toContain('change')
    // the three new cases moved the girls' routine count, the girls' total and the routine total by 3
    for (const id of [...hidden.keys()].filter((k) => hidden.get(k) === 'change'))
      expect(id).toMatch(/^cases\|2025-09-01\.\.2026-03-01(\||$)/)
    expect(JSON.stringify(all)).not.toMatch(/name|concern|note/)
  })

  it('lets downloads expire, and ends access, the key and the files with the project period', async () => {
    await clock.during(new Date(clock.now().getTime() + 15 * DAY).toISOString(), async () => {
      await unchanged(() => researcherA.research.download({ id: recordExport, file: 'data.csv' }), 'FORBIDDEN', 'research.exportExpired')
    })
    await clock.during('2026-07-01T02:00:00.000Z', async () => {
      await unchanged(() => researcherA.research.preview(aggregate(projectA)), 'FORBIDDEN', 'research.notActive')
      await unchanged(() => researcherA.research.request(record(projectA)), 'FORBIDDEN', 'research.notActive')
      await unchanged(() => researcherA.research.download({ id: recordExport, file: 'data.csv' }), 'FORBIDDEN', 'research.notActive')
      const listed = await bureau.research.projects()
      expect(listed.find((p) => p.id === projectA)).toMatchObject({ state: 'ended' })
      const row = await t.db
        .selectFrom('research_project')
        .select(['key_enc', 'key_destroyed_at'])
        .where('id', '=', projectA)
        .executeTakeFirstOrThrow()
      expect(row.key_enc).toBeNull()
      expect(row.key_destroyed_at).not.toBeNull()
      const left = await t.db
        .selectFrom('research_export_file')
        .innerJoin('research_export', 'research_export.id', 'research_export_file.export_id')
        .select('research_export_file.id')
        .where('research_export.project_id', '=', projectA)
        .execute()
      expect(left).toEqual([])
    })
  })

  it('closing a project ends it at once and the extract can no longer be generated', async () => {
    const p = (await bureau.research.projects()).find((x) => x.id === projectB)!
    await bureau.research.close({ id: projectB, version: p.version })
    await unchanged(() => researcherB.research.request(record(projectB)), 'FORBIDDEN', 'research.notActive')
    const row = await t.db.selectFrom('research_project').select(['key_enc']).where('id', '=', projectB).executeTakeFirstOrThrow()
    expect(row.key_enc).toBeNull()
  })
})
