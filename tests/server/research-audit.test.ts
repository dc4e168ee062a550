import JSZip from 'jszip'
import { beforeAll, describe, expect, it } from 'vitest'
import { caseUnits } from '../../server/repositories/research'
import { ageOn, anonymise, requiredK, termOf } from '../../server/rules/anonymise'
import { csvLine } from '../../server/rules/csv'
import { pseudonymiser } from '../../server/rules/pseudonym'
import { parseCsv } from '../../server/rules/roster-import'
import { uploadEthics } from '../../server/services/research'
import { HIERARCHY, writeRecordExtractCsv } from '../../server/services/research-extract'
import { decryptText } from '../../server/services/crypto'
import {
  AGGREGATE_DIMENSIONS,
  EXPORT_FILES,
  QUASI_IDENTIFIERS,
  RECORD_ATTRIBUTES,
  RESEARCH_DATASETS,
  type RecordAttribute,
} from '../../shared/research'
import type { ExportSpec } from '../../shared/research-schemas'
import { Clock, expectRefusal, type Caller } from '../fixtures/caller'
import { makeCounsellor, makeSignedIn, marker, type Counsellor } from '../fixtures/cases'
import { snapshotTables, targets, useTestDatabase } from '../fixtures/db'
import { makeSchool, makeStreet, makeYear } from '../fixtures/factories'
import { pdfBytes, programmeCaller, programmeContext, useUploadDir } from '../fixtures/programme'

/**
 * Issue 11's audits of the research exports, written like a statistical agency's own: k and ℓ of
 * every extract recounted from the delivered CSV, a linkage attack with what a school knows about
 * every student, a canary in every free-text and name field that must reach no generated file (the
 * workbook decompressed), the noise budget, and who may reach what.
 */

const LEVELS = ['watch', 'routine', 'high', 'watch', 'routine', 'crisis'] as const
const FROM = '2025-09-01'
const TO = '2026-03-01'

interface SourceStudent {
  id: number
  schoolId: number
  schoolType: string
  street: string
  grade: number
  sex: 'F' | 'M'
  birth: string | null
  studentNo: string
}

async function decode(caller: Caller, id: number) {
  const out: Record<string, Buffer> = {}
  for (const file of EXPORT_FILES) out[file] = Buffer.from((await caller.research.download({ id, file })).contentBase64, 'base64')
  return out
}
const csvOf = (b: Buffer) => parseCsv(b.toString('utf8').replace(/^\uFEFF/, ''))

/** Every text a file holds: CSV and JSON as they are, the workbook as every entry of its zip, decompressed. */
async function textsOf(files: Record<string, Buffer>): Promise<[string, string][]> {
  const out: [string, string][] = []
  for (const [name, bytes] of Object.entries(files)) {
    if (!name.endsWith('.xlsx')) {
      out.push([name, bytes.toString('utf8')])
      continue
    }
    const zip = await JSZip.loadAsync(bytes)
    for (const entry of Object.values(zip.files)) if (!entry.dir) out.push([`${name}!${entry.name}`, await entry.async('string')])
  }
  return out
}

describe.each(targets)('research export audits on $name', (target) => {
  const t = useTestDatabase(target)
  const uploads = useUploadDir()
  const clock = new Clock('2026-03-02T02:00:00.000Z')
  const canaries: string[] = []
  const students: SourceStudent[] = []
  let counsellors: Counsellor[]
  let bureau: Caller
  let researcher: Caller
  let outsider: Caller
  let approverId: number
  let project: number
  let other: number

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
  /** A refusal by permission: audited as denied, nothing else written. */
  const denied = async (work: () => Promise<unknown>) => {
    const { audit_event: _a, audit_head: _h, ...before } = await snapshotTables(t.db)
    await expectRefusal(work(), 'FORBIDDEN')
    const { audit_event: _a2, audit_head: _h2, ...after } = await snapshotTables(t.db)
    expect(after).toEqual(before)
  }
  const record = (attributes: RecordAttribute[], projectId = project): ExportSpec => ({
    projectId,
    dataset: 'cases',
    form: 'record',
    attributes,
    periodFrom: FROM,
    periodTo: TO,
  })
  const aggregate = (over: Partial<Extract<ExportSpec, { form: 'aggregate' }>> = {}): ExportSpec => ({
    projectId: project,
    dataset: 'cases',
    form: 'aggregate',
    rows: 'school_type',
    columns: 'risk_level',
    periodFrom: FROM,
    periodTo: TO,
    ...over,
  })
  const approved = async (spec: ExportSpec) => {
    const { id } = await researcher.research.request(spec)
    await bureau.research.decide({ id, version: 1, decision: 'approve', note: '' })
    return id
  }
  const canary = (label: string) => {
    const m = marker(label)
    canaries.push(m)
    return m
  }

  beforeAll(async () => {
    await makeYear(t.db, 2025, true)
    const streetA = await makeStreet(t.db)
    const streetB = await makeStreet(t.db)
    const streetCode = async (id: number) =>
      (await t.db.selectFrom('street').select('code').where('id', '=', id).executeTakeFirstOrThrow()).code
    const schools = [
      { ...(await makeSchool(t.db, { streetId: streetA, type: 'primary' })), street: await streetCode(streetA), type: 'primary' },
      { ...(await makeSchool(t.db, { streetId: streetB, type: 'primary' })), street: await streetCode(streetB), type: 'primary' },
      { ...(await makeSchool(t.db, { streetId: streetA, type: 'junior' })), street: await streetCode(streetA), type: 'junior' },
    ]
    counsellors = []
    for (const s of schools) counsellors.push(await makeCounsellor(t.db, s.id, clock))
    // Students of every school, most with a case; each free-text and name field carries a canary.
    for (let i = 0; i < 90; i++) {
      const si = i % 3
      const c = counsellors[si]!
      const school = schools[si]!
      const grade = school.type === 'junior' ? 7 + (i % 3) : 3 + (i % 4)
      const sex = i % 2 ? 'F' : 'M'
      const birth =
        i % 17 === 0 ? null : `${2025 - grade - 6}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 27)).padStart(2, '0')}`
      const studentNo = `CNRY-${marker('').slice(7, 19)}`
      canaries.push(studentNo)
      const { id: studentId } = await c.caller.student.create({
        studentNo,
        name: canary('name'),
        sex,
        birthDate: birth,
        grade,
        className: canary('cls').slice(0, 20),
        guardianName: canary('guardian'),
        guardianPhone: `139${String(10_000_000 + i * 7919).slice(0, 8)}`,
      })
      students.push({ id: studentId, schoolId: school.id, schoolType: school.type, street: school.street, grade, sex, birth, studentNo })
      if (i % 9 === 8) continue // no case: still in the attacker's table
      const { id: caseId } = await c.caller.case.open({
        studentId,
        source: (['self', 'head_teacher', 'parent'] as const)[i % 3]!,
        categories: i % 4 ? ['emotion'] : ['emotion', 'study'],
        flags: [],
        concern: canary('concern'),
        riskLevel: LEVELS[i % LEVELS.length]!,
        openedOn: `${['2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02'][Math.floor(i / 3) % 6]}-${String(3 + (i % 20)).padStart(2, '0')}`,
        counsellorIds: [c.account.id],
      })
      await c.caller.case.addNote({ caseId, sessionDate: '2026-03-01', durationMin: 30, type: 'individual', text: canary('note') })
      if (i % 5 === 0) {
        await c.caller.case.addFollowUp({ caseId, dueOn: '2026-03-10', purpose: canary('followup') })
        await c.caller.case.addReferral({ caseId, kind: 'hospital_clinic', target: canary('hospital'), sentOn: '2026-03-01' })
        await c.caller.case.addContact({
          caseId,
          kind: 'guardian_contact',
          relation: 'mother',
          method: 'phone',
          contactedAt: '2026-03-01T08:00:00+08:00',
          consentGiven: null,
          note: canary('contact'),
        })
      }
      if (i % 7 === 0) {
        await c.caller.case.recordCrisis({
          caseId,
          occurredAt: '2026-03-01T09:00:00+08:00',
          what: canary('crisis'),
          actions: canary('actions'),
          accompanied: true,
          accompaniedBy: canary('accompanied').slice(0, 60),
          notified: [],
        })
      }
    }
    // Staffing and programme data with canaries in their names and free text.
    for (const [i, s] of schools.entries()) {
      const admin = caller((await makeSignedIn(t.db, 'school_admin', s.id)).actor)
      for (let j = 0; j < 4; j++)
        await admin.staffing.createMember({
          name: canary('staff').slice(0, 40),
          employment: j % 2 ? 'full_time' : 'part_time',
          title: canary('title').slice(0, 60),
          startsOn: '2025-09-01',
          endsOn: null,
        })
      const year = await t.db.selectFrom('school_year').select('id').where('is_current', '=', 1).executeTakeFirstOrThrow()
      for (let j = 0; j < 3; j++)
        await counsellors[i]!.caller.programme.createEvent({
          schoolYearId: year.id,
          kind: (['activity', 'lecture', 'drill'] as const)[j]!,
          heldOn: `2025-1${j}-1${i}`,
          title: canary('event').slice(0, 100),
          audiences: ['students'],
          grades: [],
          participants: 40,
          organiser: canary('organiser').slice(0, 60),
          summary: canary('summary'),
          roles: [],
          scenario: j === 2 ? canary('scenario') : null,
        })
    }
    const b = await makeSignedIn(t.db, 'bureau', null)
    approverId = b.account.id
    bureau = caller(b.actor)
    const r = await makeSignedIn(t.db, 'researcher', null)
    researcher = caller(r.actor)
    const o = await makeSignedIn(t.db, 'researcher', null)
    outsider = caller(o.actor)
    const base = {
      institution: '深圳大学心理学院',
      purpose: '中小学心理个案的风险等级分布研究',
      datasets: ['cases' as const, 'staffing' as const, 'programme' as const],
      startsOn: '2026-03-01',
      endsOn: '2026-08-31',
      approverId,
    }
    project = (await bureau.research.create({ ...base, title: '审计项目', researcherIds: [r.account.id], epsilonBudget: 1 })).id
    other = (await bureau.research.create({ ...base, title: '他人项目', researcherIds: [o.account.id] })).id
    const ctx = programmeContext(t.db, b.actor, { now: clock.now, uploadDir: uploads.path })
    for (const id of [project, other]) await uploadEthics(ctx, { projectId: id, fileName: '伦理审查批件.pdf', bytes: pdfBytes(1024) })
  }, 120_000)

  // ── k and ℓ ──────────────────────────────────────────────────────────────────────────────

  const ATTRIBUTE_SETS: RecordAttribute[][] = [
    [...RECORD_ATTRIBUTES],
    ['school', 'sex'],
    ['grade', 'age'],
    ['opened', 'status', 'source'],
    ['school', 'grade', 'sex', 'age', 'opened'],
    [],
  ]

  it('every extract reaches the k and ℓ its disclosure report claims, recounted from the CSV itself', async () => {
    for (const attributes of ATTRIBUTE_SETS) {
      const id = await approved(record(attributes))
      const files = await decode(researcher, id)
      const [head, ...rows] = csvOf(files['data.csv']!)
      const disclosure = Object.fromEntries(csvOf(files['disclosure.csv']!).slice(1)) as Record<string, string>
      // Independent recount: group the delivered rows by every quasi-identifier column present.
      const qi = head!.filter((h) => (QUASI_IDENTIFIERS as readonly string[]).includes(h)).map((h) => head!.indexOf(h))
      const si = head!.indexOf('risk_level')
      const classes: Record<string, { n: number; risk: Set<string> }> = {}
      for (const row of rows) {
        const c = (classes[JSON.stringify(qi.map((i) => row[i]))] ??= { n: 0, risk: new Set() })
        c.n += 1
        c.risk.add(row[si]!)
      }
      const sizes = Object.values(classes)
      expect(rows.length, attributes.join()).toBe(Number(disclosure.records_out))
      expect(Number(disclosure.records_in)).toBe(Number(disclosure.records_out) + Number(disclosure.records_dropped))
      expect(sizes.length).toBe(Number(disclosure.classes))
      expect(Number(disclosure.k_required)).toBe(10)
      if (rows.length) {
        expect(Math.min(...sizes.map((c) => c.n))).toBe(Number(disclosure.k_achieved))
        expect(Math.min(...sizes.map((c) => c.n))).toBeGreaterThanOrEqual(10)
        expect(Math.min(...sizes.map((c) => c.risk.size))).toBe(Number(disclosure.l_achieved))
        expect(Math.min(...sizes.map((c) => c.risk.size))).toBeGreaterThanOrEqual(2)
      }
      // No direct identifier column, ever.
      expect(head!.filter((h) => /name|student_no|phone|concern|note/i.test(h))).toEqual([])
    }
  })

  it('streams the same bytes as the in-memory path, with runs spilled to disk and merged', async () => {
    const spec = record([...RECORD_ATTRIBUTES]) as Extract<ExportSpec, { form: 'record' }>
    const id = await approved(spec)
    const delivered = (await decode(researcher, id))['data.csv']!
    const row = await t.db.selectFrom('research_project').select('key_enc').where('id', '=', project).executeTakeFirstOrThrow()
    const key = Buffer.from(
      decryptText(
        programmeContext(t.db, null, { now: clock.now, uploadDir: uploads.path }).keys,
        `research.project_key:${project}`,
        row.key_enc!,
      ),
      'hex',
    )
    for (const runSize of [1, 7, 1_000_000]) {
      let text = ''
      await writeRecordExtractCsv(t.db, spec, key, (s) => void (text += s), runSize)
      expect(Buffer.from(text, 'utf8').equals(delivered), `run size ${runSize}`).toBe(true)
    }
    // The reference: the former in-memory path, every record in one array, generalised by `anonymise`, sorted.
    const records = await caseUnits(t.db, FROM, TO)
    const ages = records.map((r) => ageOn(r.birth_date, r.opened_on))
    const quasiIds = QUASI_IDENTIFIERS.filter((q) => spec.attributes.includes(q))
    const result = anonymise({
      quasi: records.map((r, i) =>
        quasiIds.map((q) =>
          q === 'school'
            ? `${r.school_type}|${r.street}`
            : q === 'grade'
              ? String(r.grade)
              : q === 'sex'
                ? r.sex
                : q === 'age'
                  ? ages[i] == null
                    ? 'unknown'
                    : String(ages[i])
                  : r.opened_on,
        ),
      ),
      sensitive: records.map((r) => r.risk_level),
      hierarchies: quasiIds.map((q) => HIERARCHY[q]),
      k: requiredK(ages, 5, 10),
      l: 2,
      maxDroppedShare: 0.05,
    })
    const name = pseudonymiser(key)
    const rows: string[][] = []
    records.forEach((r, i) => {
      const g = result.rows[i]
      if (g)
        rows.push([
          name('student', r.student_id),
          ...g,
          r.risk_level,
          r.status,
          r.source,
          (JSON.parse(r.categories) as string[]).sort().join(';'),
        ])
    })
    rows.sort((a, b) => {
      const ka = [...a.slice(1), a[0]].join('\u0000')
      const kb = [...b.slice(1), b[0]].join('\u0000')
      return ka < kb ? -1 : ka > kb ? 1 : 0
    })
    const head = ['subject', ...quasiIds, 'risk_level', 'status', 'source', 'categories']
    const reference = Buffer.from('\uFEFF' + [head, ...rows].map(csvLine).join('\r\n') + '\r\n', 'utf8')
    expect(reference.equals(delivered)).toBe(true)
  })

  // ── linkage ──────────────────────────────────────────────────────────────────────────────

  it('a linkage attack with school × grade × sex × birth month of every student finds no unique match', async () => {
    const spec = record([...RECORD_ATTRIBUTES])
    const id = await approved(spec)
    const [head, ...rows] = csvOf((await decode(researcher, id))['data.csv']!)
    expect(rows.length).toBeGreaterThan(0)
    const col = (name: string) => head!.indexOf(name)
    // The attacker knows each student's school, grade, sex and birth month (not the day), and the period.
    const attacker = students.map((s) => ({ ...s, birthMonth: s.birth?.slice(0, 7) ?? null }))
    const lastDay = (ym: string) => new Date(Date.UTC(Number(ym.slice(0, 4)), Number(ym.slice(5, 7)), 0)).toISOString().slice(0, 10)
    /** Every age the student may have had on some day the row's opening value allows. */
    const agesSeen = new Map<string, (number | null)[]>()
    const possibleAges = (birthMonth: string | null, opened: string): (number | null)[] => {
      const cacheKey = `${birthMonth}|${opened}`
      if (!agesSeen.has(cacheKey)) agesSeen.set(cacheKey, agesOn(birthMonth, opened))
      return agesSeen.get(cacheKey)!
    }
    const agesOn = (birthMonth: string | null, opened: string): (number | null)[] => {
      if (!birthMonth) return [null]
      const days: string[] = []
      for (let d = new Date(`${FROM}T00:00:00Z`); d <= new Date(`${TO}T00:00:00Z`); d = new Date(d.getTime() + 86_400_000)) {
        const day = d.toISOString().slice(0, 10)
        if (opened === '*' || day.slice(0, 7) === opened || termOf(day) === opened || termOf(day).slice(0, 9) === opened) days.push(day)
      }
      const out = new Set<number | null>()
      for (const day of days) for (const b of [`${birthMonth}-01`, lastDay(birthMonth)]) out.add(ageOn(b, day))
      return [...out]
    }
    const generalisedAge = (age: number | null, level: string) => {
      for (let lv = 0; lv < HIERARCHY.age.levels; lv++)
        if (HIERARCHY.age.generalise(age == null ? 'unknown' : String(age), lv) === level) return true
      return false
    }
    const matches = (row: string[]) =>
      attacker.filter((s) => {
        const school = row[col('school')]!
        const okSchool = school === '*' || school === `${s.schoolType}|${s.street}` || school === s.schoolType
        const grade = row[col('grade')]!
        const okGrade = grade === '*' || grade === String(s.grade) || HIERARCHY.grade.generalise(String(s.grade), 1) === grade
        const sex = row[col('sex')]!
        const okSex = sex === '*' || sex === s.sex
        const okAge = possibleAges(s.birthMonth, row[col('opened')]!).some((a) => generalisedAge(a, row[col('age')]!))
        return okSchool && okGrade && okSex && okAge
      }).length
    const counts = rows.map(matches)
    expect(counts.filter((n) => n <= 1)).toEqual([])
    // and, stronger, every row hides among at least k students
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(10)
  })

  // ── canary ───────────────────────────────────────────────────────────────────────────────

  it('no canary nor student number reaches any file of any export form of any dataset (the workbook decompressed)', async () => {
    const specs: ExportSpec[] = [record([...RECORD_ATTRIBUTES]), record(['school', 'sex', 'status', 'source', 'categories'])]
    for (const [dataset, def] of Object.entries(RESEARCH_DATASETS))
      for (const rows of def.rows)
        for (const columns of def.columns) specs.push(aggregate({ dataset: dataset as keyof typeof RESEARCH_DATASETS, rows, columns }))
    expect(specs.length).toBeGreaterThan(AGGREGATE_DIMENSIONS.length)
    let checked = 0
    for (const spec of specs) {
      const id = await approved(spec)
      const review = await bureau.research.review({ id })
      const texts = [...(await textsOf(await decode(researcher, id))), ['review', JSON.stringify(review)] as [string, string]]
      for (const [where, text] of texts) {
        for (const c of canaries) expect(text.includes(c), `${c} in ${spec.dataset}/${spec.form} ${where}`).toBe(false)
        checked += 1
      }
    }
    // data.xlsx alone holds several zip entries per export: the check really looked inside.
    expect(checked).toBeGreaterThan(specs.length * EXPORT_FILES.length)
    expect(canaries.length).toBeGreaterThan(400)
  })

  // ── noise ───────────────────────────────────────────────────────────────────────────────

  it('noisy releases spend ε from the project budget on approval and a release beyond it is refused', async () => {
    const noisy = (epsilon: number) => aggregate({ rows: 'grade_band', epsilon })
    // The preview states the mechanism and ε, and still no values.
    const preview = await researcher.research.preview(noisy(0.4))
    expect(preview.noise).toMatchObject({ mechanism: 'discrete_laplace', epsilon: 0.4, sensitivity: 1 })
    expect(JSON.stringify(preview)).not.toMatch(/"rows"|"cells":\[\[/)
    // Overlapping categories: one case counts in up to one cell per category.
    expect((await researcher.research.preview(aggregate({ columns: 'category', epsilon: 0.4 }))).noise!.sensitivity).toBeGreaterThan(1)

    const first = (await researcher.research.request(noisy(0.4))).id
    const second = (await researcher.research.request(noisy(0.5))).id
    const third = (await researcher.research.request(noisy(0.3))).id // each fits alone; all three do not
    expect((await researcher.research.mine()).find((p) => p.id === project)).toMatchObject({ epsilonBudget: 1, epsilonSpent: 0 })
    await bureau.research.decide({ id: first, version: 1, decision: 'approve', note: '' })
    await bureau.research.decide({ id: second, version: 1, decision: 'approve', note: '' })
    // 0.4 + 0.5 spent: approving 0.3 more would pass 1.0; refused, nothing written.
    await unchanged(
      () => bureau.research.decide({ id: third, version: 1, decision: 'approve', note: '' }),
      'FORBIDDEN',
      'research.budgetExceeded',
    )
    // A new request that cannot fit is refused at once, preview included.
    await unchanged(() => researcher.research.request(noisy(0.2)), 'FORBIDDEN', 'research.budgetExceeded')
    await unchanged(() => researcher.research.preview(noisy(0.2)), 'FORBIDDEN', 'research.budgetExceeded')
    // What fits still goes through; a release without noise spends nothing.
    const fourth = (await researcher.research.request(noisy(0.1))).id
    await bureau.research.decide({ id: fourth, version: 1, decision: 'approve', note: '' })
    await approved(aggregate({ rows: 'grade_band' }))

    const ledger = await t.db.selectFrom('research_noise_spend').selectAll().where('project_id', '=', project).orderBy('id').execute()
    expect(ledger.map((l) => [l.export_id, l.epsilon_milli, l.spent_by])).toEqual([
      [first, 400, approverId],
      [second, 500, approverId],
      [fourth, 100, approverId],
    ])
    const listed = (await bureau.research.projects()).find((p) => p.id === project)!
    expect(listed).toMatchObject({ epsilonBudget: 1, epsilonSpent: 1 })
    // The budget cannot be lowered below what was spent; it can be raised, and then the waiting request fits.
    const edit = {
      id: project,
      version: listed.version,
      title: listed.title,
      institution: listed.institution,
      purpose: listed.purpose,
      datasets: listed.datasets,
      startsOn: listed.startsOn,
      endsOn: listed.endsOn,
      approverId,
      researcherIds: listed.researchers.map((r) => r.id),
    }
    await unchanged(() => bureau.research.update({ ...edit, epsilonBudget: 0.5 }), 'BAD_REQUEST', 'research.budgetBelowSpent')
    await bureau.research.update({ ...edit, epsilonBudget: 1.3 })
    await bureau.research.decide({ id: third, version: 1, decision: 'approve', note: '' })
    expect((await bureau.research.projects()).find((p) => p.id === project)).toMatchObject({ epsilonBudget: 1.3, epsilonSpent: 1.3 })

    // The files state the mechanism and ε; hidden cells stay hidden; totals add up over the published noisy cells.
    const files = await decode(researcher, first)
    const disclosure = Object.fromEntries(csvOf(files['disclosure.csv']!).slice(1)) as Record<string, string>
    expect(disclosure).toMatchObject({ noise_mechanism: 'discrete_laplace', noise_epsilon: '0.4', noise_sensitivity: '1' })
    expect(
      csvOf(files['codebook.csv']!)
        .slice(2)
        .every((r) => r[4]!.includes('ε = 0.4')),
    ).toBe(true)
    const report = (await researcher.research.mine()).find((p) => p.id === project)!.exports.find((e) => e.id === first)!
    expect(report.epsilon).toBe(0.4)
    const [, ...table] = csvOf(files['data.csv']!)
    table.slice(0, -1).forEach((row, i) => {
      row.slice(1, -1).forEach((cell, j) => expect(cell === '—', `cell ${i},${j}`).toBe(report.report!.hidden![i]![j]!))
      const cells = row.slice(1, -1)
      if (!cells.includes('—') && row.at(-1) !== '—') expect(cells.reduce((a, c) => a + Number(c), 0)).toBe(Number(row.at(-1)))
    })
    // A project without a budget offers no noisy release.
    await unchanged(() => outsider.research.preview({ ...noisy(0.1), projectId: other }), 'FORBIDDEN', 'research.budgetExceeded')
  })

  // ── permissions ──────────────────────────────────────────────────────────────────────────

  it('a researcher reaches only approved exports of own projects, and no step can be skipped', async () => {
    const requested = (await researcher.research.request(aggregate())).id
    const otherExport = (await outsider.research.request({ ...aggregate(), projectId: other })).id
    // Not approved yet: no download, whoever asks.
    await unchanged(() => researcher.research.download({ id: requested, file: 'data.csv' }), 'CONFLICT', 'research.transition')
    // Someone else's project does not exist for this researcher, in any step.
    await unchanged(() => researcher.research.download({ id: otherExport, file: 'data.csv' }), 'NOT_FOUND', 'notFound')
    await unchanged(() => researcher.research.withdraw({ id: otherExport, version: 1 }), 'NOT_FOUND', 'notFound')
    await unchanged(() => researcher.research.resubmit({ id: otherExport, version: 1, spec: aggregate() }), 'NOT_FOUND', 'notFound')
    await unchanged(() => researcher.research.request({ ...aggregate(), projectId: other }), 'NOT_FOUND', 'notFound')
    expect((await researcher.research.mine()).map((p) => p.id)).toEqual([project])
    // A researcher cannot act as the bureau, and the bureau cannot act as a researcher.
    await denied(() => researcher.research.decide({ id: requested, version: 1, decision: 'approve', note: '' }))
    await denied(() => researcher.research.review({ id: requested }))
    await denied(() => researcher.research.queue())
    await denied(() => bureau.research.download({ id: requested, file: 'data.csv' }))
    await denied(() => bureau.research.request(aggregate()))
    // Resubmitting what was not returned, or approving what was withdrawn, is a refused transition.
    await unchanged(() => researcher.research.resubmit({ id: requested, version: 1, spec: aggregate() }), 'CONFLICT', 'research.transition')
    await researcher.research.withdraw({ id: requested, version: 1 })
    await unchanged(
      () => bureau.research.decide({ id: requested, version: 2, decision: 'approve', note: '' }),
      'CONFLICT',
      'research.transition',
    )
    await unchanged(() => researcher.research.download({ id: requested, file: 'data.csv' }), 'CONFLICT', 'research.transition')
    // Approved for the other project: still invisible here.
    await bureau.research.decide({ id: otherExport, version: 1, decision: 'approve', note: '' })
    await unchanged(() => researcher.research.download({ id: otherExport, file: 'manifest.json' }), 'NOT_FOUND', 'notFound')
  })
})
