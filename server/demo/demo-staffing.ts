import type { SchoolType } from '../../shared/roles'
import {
  DEFAULT_ROOM_SETTINGS,
  DEFAULT_STAFFING_SETTINGS,
  isK12,
  type EmploymentType,
  type OptionalRoomArea,
  type TrainingLevel,
} from '../../shared/staffing'
import {
  certificateCreateInput,
  roomSaveInput,
  settingsUpdateInput,
  staffCreateInput,
  trainingCreateInput,
  type RoomSaveInput,
} from '../../shared/staffing-schemas'
import { addDays, referenceDate } from '../rules/staffing'
import { scopeFor, type Actor, type ServiceContext } from '../services/context'
import { updateDistrictSettings } from '../services/district-settings'
import { today as todayOf } from '../services/school-scope'
import { addCertificate, addTraining, createStaffMember, saveRoom } from '../services/staffing'
import { intBetween, rng, pick, shuffled, minDate, daysBetween, dateBetween } from './random'

/**
 * Demo psychology teams and counselling rooms for every demo school, written through the same
 * services a school admin calls. The story, earliest year → latest: the district starts below its
 * room and staffing targets, hires and builds over the years, and ends near target with a few gaps
 * left. Every name, course and room is synthetic (示例).
 */

/** Room setup-rate targets for the three demo years, earliest → latest (the Futian plan's 60 / 80 / 100 %). */
export const DEMO_ROOM_TARGETS = [60, 80, 100] as const

const SURNAMES = [
  '林',
  '陈',
  '黄',
  '张',
  '李',
  '王',
  '吴',
  '刘',
  '蔡',
  '杨',
  '郑',
  '许',
  '何',
  '周',
  '邓',
  '罗',
  '梁',
  '谢',
  '宋',
  '唐',
  '冯',
  '曾',
  '彭',
  '潘',
]
const ROOM_NAMES = ['心灵驿站', '阳光小屋', '心语轩', '知心屋', '心晴小屋', '向日葵心苑', '心航站', '悦心坊', '暖心港湾', '星语心苑']
const PRESCHOOL_ROOM_NAMES = ['童心小屋', '开心果乐园', '彩虹心房']

type Cert = { name: string; issuer: string; validYears: number | null; issued?: [number, number] }
const CERT_C: Cert = { name: '心理健康教育教师资格C证', issuer: '示例省教育厅（合成）', validYears: 5 }
const CERT_B: Cert = { name: '心理健康教育教师资格B证', issuer: '示例省教育厅（合成）', validYears: 5 }
const CERT_COUNSELLOR_3: Cert = {
  name: '心理咨询师（三级）',
  issuer: '人力资源和社会保障部（合成示例）',
  validYears: null,
  issued: [2009, 2017],
}
const CERT_COUNSELLOR_2: Cert = {
  name: '心理咨询师（二级）',
  issuer: '人力资源和社会保障部（合成示例）',
  validYears: null,
  issued: [2011, 2017],
}
const CERT_SOCIAL: Cert = { name: '社会工作者职业水平证书（中级）', issuer: '示例市民政局（合成）', validYears: null, issued: [2016, 2024] }
const CERT_PRESCHOOL: Cert = { name: '幼儿心理健康教育培训合格证', issuer: '示例区教育局（合成）', validYears: 3 }

const COURSES_K12: [string, TrainingLevel][] = [
  ['（示例）区中小学心理健康教育教师专题培训', 'district'],
  ['（示例）学生心理危机识别与干预', 'municipal'],
  ['（示例）团体心理辅导实务工作坊', 'district'],
  ['（示例）沙盘游戏辅导技术', 'municipal'],
  ['（示例）省中小学心理健康教育骨干教师研修', 'provincial'],
  ['（示例）全国中小学心理健康教育网络研修', 'national'],
  ['（示例）校本心理健康教育教研活动', 'school'],
  ['（示例）家校协同与家长心理辅导', 'district'],
]
const COURSES_WORKER: [string, TrainingLevel][] = [
  ['（示例）幼儿心理发展与家园共育', 'district'],
  ['（示例）特殊儿童情绪行为支持', 'municipal'],
  ['（示例）区心理健康教育工作者全员培训', 'district'],
  ['（示例）园本心理健康教育教研活动', 'school'],
]

interface YearInfo {
  id: number
  label: string
  startsOn: string
  endsOn: string
  ref: string
}
interface DemoSchool {
  id: number
  name: string
  type: SchoolType
}

interface MemberPlan {
  school: number
  name: string
  employment: EmploymentType
  title: string
  startsOn: string
  endsOn: string | null
  certs: { cert: Cert; issuedOn: string | null; expiresOn: string | null }[]
}

function shiftYears(date: string, years: number): string {
  const [y, md] = [Number(date.slice(0, 4)), date.slice(4)]
  return `${y + years}${md === '-02-29' ? '-02-28' : md}`
}
function inPost(m: Pick<MemberPlan, 'startsOn' | 'endsOn'>, date: string): boolean {
  return m.startsOn <= date && (m.endsOn == null || m.endsOn >= date)
}

/**
 * Who the seed writes as: the bureau sets the targets; a school with a demo school admin records its
 * own team and room; every other school's records are entered by the system actor (account 0, no
 * account row, so `*_by` columns stay empty) scoped to that school, through the same services and checks.
 */
export async function demoActors(db: ServiceContext['db']) {
  const rows = await db
    .selectFrom('account')
    .select(['id', 'username', 'display_name', 'role', 'school_id'])
    .where('role', 'in', ['bureau', 'school_admin'])
    .orderBy('id')
    .execute()
  const bureauRow = rows.find((a) => a.role === 'bureau')
  if (!bureauRow) throw new Error('demo staffing needs the demo bureau account')
  const bureau: Actor = {
    accountId: bureauRow.id,
    sessionId: 0,
    username: bureauRow.username,
    displayName: bureauRow.display_name,
    role: 'bureau',
    schoolId: null,
    mustChangePassword: false,
    scope: { kind: 'all' },
  }
  const own = new Map(rows.filter((a) => a.role === 'school_admin' && a.school_id != null).map((a) => [a.school_id!, a]))
  // Schools with a demo school admin write as that account; the others as the system, scoped to the school.
  const forSchool = (schoolId: number): Actor => {
    const who = own.get(schoolId)
    return {
      accountId: who?.id ?? 0,
      sessionId: 0,
      username: who?.username ?? 'system',
      displayName: who?.display_name ?? 'system',
      role: 'school_admin',
      schoolId,
      mustChangePassword: false,
      scope: scopeFor('school_admin', schoolId),
    }
  }
  return { bureau, forSchool, demoSchools: new Set(own.keys()) }
}

/**
 * Teams, certificates, training and rooms for the demo district. `yearIds` are the demo's school
 * years; the story needs three (earliest → latest) and reads each school's enrolment from the database.
 */
export async function generateDemoStaffing(base: ServiceContext, schools: readonly DemoSchool[], yearIds: readonly number[], seed: number) {
  const r = rng(seed)
  const today = todayOf(base)
  const yearRows = await base.db
    .selectFrom('school_year')
    .select(['id', 'label', 'starts_on', 'ends_on'])
    .where('id', 'in', [...yearIds])
    .orderBy('starts_on')
    .execute()
  const years: YearInfo[] = yearRows.map((y) => ({
    id: y.id,
    label: y.label,
    startsOn: y.starts_on,
    endsOn: y.ends_on,
    ref: referenceDate({ startsOn: y.starts_on, endsOn: y.ends_on }, today),
  }))
  const last = years.length - 1
  const yearAt = (k: number) => years[Math.max(0, Math.min(k, last))]!
  const enrolment = await base.db
    .selectFrom('enrolment')
    .select(['school_id', 'school_year_id', 'students'])
    .where('school_year_id', 'in', [...yearIds])
    .execute()
  const studentsOf = (schoolId: number, yearId: number) =>
    enrolment.find((e) => e.school_id === schoolId && e.school_year_id === yearId)?.students ?? 0

  // The bureau's local rules: the room targets rise 60 → 80 → 100 % over the demo years.
  const at = (date: string, hour = 10) =>
    new Date(`${minDate(date, today)}T${String(hour - 8).padStart(2, '0')}:${String(intBetween(r, 0, 59)).padStart(2, '0')}:00Z`)
  const actorsOf = await demoActors(base.db)
  const bureau: ServiceContext = { ...base, actor: actorsOf.bureau, now: () => at(years[0]!.startsOn, 9) }
  await updateDistrictSettings(
    bureau,
    settingsUpdateInput.parse({
      staffing: DEFAULT_STAFFING_SETTINGS,
      rooms: {
        ...DEFAULT_ROOM_SETTINGS,
        targets: years.map((y, k) => ({ year: y.label, percent: DEMO_ROOM_TARGETS[Math.min(k, DEMO_ROOM_TARGETS.length - 1)]! })),
      },
    }),
  )

  // ── plan the teams ─────────────────────────────────────────────────────────────────────────
  // A post "from year k" is in post on year k's reference date and not before: k = 0 is an
  // established teacher, later k are the hires that close the gap.
  const startFor = (k: number): string => {
    if (k <= 0) {
      const s = Number(years[0]!.startsOn.slice(0, 4))
      return r() < 0.7 ? `${intBetween(r, s - 10, s)}-09-01` : dateBetween(r, `${s - 10}-09-01`, addDays(years[0]!.ref, -60))
    }
    const y = yearAt(k)
    const latest = addDays(y.ref, -1)
    return r() < 0.5 && y.startsOn <= latest ? y.startsOn : dateBetween(r, y.startsOn, minDate(addDays(y.startsOn, 280), latest))
  }
  const plans: MemberPlan[] = []
  const k12 = schools
    .map((s, i) => ({ s, i }))
    .filter(({ s }) => isK12(s.type))
    .map(({ i }) => i)
  const others = schools
    .map((s, i) => ({ s, i }))
    .filter(({ s }) => !isK12(s.type))
    .map(({ i }) => i)

  // Quotas, so the story holds whatever the shuffle: schools with nobody at all in the earliest year.
  const order = shuffled(r, k12)
  const neverStaffed = new Set(order.slice(0, 1))
  const lostTeacher = new Set(order.slice(1, 2))
  const firstHireIn = new Map<number, number>([
    ...order.slice(2, 6).map((i) => [i, 1] as const),
    ...order.slice(6, 9).map((i) => [i, 2] as const),
  ])
  const otherOrder = shuffled(r, others)
  const workerFrom = new Map<number, number>([
    ...otherOrder.slice(0, 1).map((i) => [i, 1] as const),
    ...otherOrder.slice(1, 2).map((i) => [i, 2] as const),
  ])

  const namesBySchool = new Map<number, string[]>()
  const nextName = (school: number) => {
    let pool = namesBySchool.get(school)
    if (!pool) namesBySchool.set(school, (pool = shuffled(r, SURNAMES)))
    return `示例·${pool.pop() ?? pick(r, SURNAMES)}老师`
  }
  const member = (
    school: number,
    employment: EmploymentType,
    title: string,
    startsOn: string,
    endsOn: string | null = null,
  ): MemberPlan => {
    const m: MemberPlan = { school, name: nextName(school), employment, title, startsOn, endsOn, certs: [] }
    plans.push(m)
    return m
  }
  const latestRequired = (i: number) => Math.ceil(studentsOf(schools[i]!.id, years[last]!.id) / 1000)
  const counted: MemberPlan[] = []

  for (const i of k12) {
    if (neverStaffed.has(i)) continue
    if (lostTeacher.has(i)) {
      // The only (part-time) teacher left over the summer and the post is still vacant.
      member(i, 'part_time', '兼职心理教师（班主任）', startFor(0), addDays(yearAt(1).endsOn, -45))
      continue
    }
    const first = firstHireIn.get(i) ?? 0
    const required = latestRequired(i)
    // Most schools reach the ratio by the latest year; some are still one post short.
    const posts = Math.max(1, required - (required >= 2 && r() < 0.05 ? 1 : 0))
    if (first === 2 && r() < 0.34) {
      member(i, 'part_time', '兼职心理教师（德育处）', startFor(2))
      continue
    }
    let hasEarly = false
    for (let p = 0; p < posts; p++) {
      let k: number
      if (first > 0) k = p === 0 ? first : Math.max(first, r() < 0.45 ? 1 : 2)
      else if (p === 0) k = r() < 0.8 ? 0 : r() < 0.6 ? 1 : 2
      else k = r() < 0.36 ? 0 : r() < 0.52 ? 1 : 2
      if (k === 0) hasEarly = true
      const purchased = r() < (k === 0 ? 0.05 : 0.25)
      counted.push(
        member(
          i,
          purchased ? 'purchased' : 'full_time',
          purchased ? pick(r, ['购买服务·驻校心理咨询师', '购买服务·驻校社工']) : p === 0 ? '专职心理教师（心理组长）' : '专职心理教师',
          startFor(k),
        ),
      )
    }
    // Part-time teachers (often head teachers) cover schools before the first full-time hire arrives.
    if (first === 0 && (!hasEarly || r() < 0.3))
      member(i, 'part_time', pick(r, ['兼职心理教师（班主任）', '兼职心理教师（德育主任）']), startFor(0))
  }
  // Preschool and special schools: one mental-health worker, mostly part-time; special schools sometimes two.
  for (const i of others) {
    const k = workerFrom.get(i) ?? 0
    const special = schools[i]!.type === 'special'
    const n = special && r() < 0.5 ? 2 : 1
    for (let p = 0; p < n; p++) {
      const x = r()
      const employment: EmploymentType = x < 0.62 ? 'part_time' : x < 0.85 ? 'full_time' : 'purchased'
      const title =
        employment === 'part_time'
          ? special
            ? '心理健康教育工作者（康复教师兼任）'
            : '兼职心理健康教育工作者（保教主任）'
          : employment === 'full_time'
            ? '专职心理健康教育工作者'
            : special
              ? '购买服务·驻校社工'
              : '购买服务·驻园心理健康教育工作者'
      member(i, employment, title, startFor(p === 0 ? k : Math.max(k, 1)))
    }
  }

  // A few leavers. Three posts filled in the middle year had a predecessor who left mid-way through
  // the earliest year; one teacher left mid-year and was replaced within the year; two left this
  // year and are not yet replaced.
  const middleHires = shuffled(
    r,
    counted.filter((m) => m.startsOn >= yearAt(1).startsOn && m.startsOn <= yearAt(1).endsOn && m.employment === 'full_time'),
  )
  for (const m of middleHires.slice(0, 3)) {
    const s = Number(years[0]!.startsOn.slice(0, 4))
    member(
      m.school,
      'full_time',
      '专职心理教师',
      `${intBetween(r, s - 8, s - 1)}-09-01`,
      dateBetween(r, addDays(years[0]!.startsOn, 90), addDays(years[0]!.ref, -60)),
    )
  }
  const established = shuffled(
    r,
    counted.filter((m) => m.startsOn < years[0]!.startsOn && m.employment === 'full_time'),
  )
  for (const m of established.slice(0, 1)) {
    const left = dateBetween(r, addDays(yearAt(1).startsOn, 100), addDays(yearAt(1).startsOn, 140))
    m.endsOn = left
    member(m.school, 'full_time', m.title, addDays(left, intBetween(r, 30, 60)))
  }
  if (daysBetween(yearAt(last).startsOn, today) > 20) {
    for (const m of established.slice(1, 3)) m.endsOn = dateBetween(r, addDays(yearAt(last).startsOn, 14), addDays(today, -5))
  }

  // ── certificates ──────────────────────────────────────────────────────────────────────────
  const give = (m: MemberPlan, cert: Cert) => {
    if (cert.validYears == null) {
      const [from, to] = cert.issued ?? [2012, 2020]
      m.certs.push({ cert, issuedOn: dateBetween(r, `${from}-01-01`, `${to}-12-31`), expiresOn: null })
    } else {
      // Valid well beyond the warning window; the handful that lapse soon are chosen below.
      const expiresOn = dateBetween(r, addDays(today, 130), addDays(shiftYears(today, cert.validYears), -40))
      m.certs.push({ cert, issuedOn: shiftYears(expiresOn, -cert.validYears), expiresOn })
    }
  }
  for (const m of plans) {
    const x = r()
    if (!isK12(schools[m.school]!.type)) {
      if (x < 0.5) give(m, CERT_PRESCHOOL)
      else if (x < 0.7) give(m, CERT_C)
      continue
    }
    if (m.employment === 'full_time') {
      if (x < 0.28) give(m, CERT_B)
      else if (x < 0.9) give(m, CERT_C)
      if (r() < 0.3) give(m, CERT_COUNSELLOR_3)
    } else if (m.employment === 'purchased') {
      give(m, x < 0.5 ? CERT_COUNSELLOR_2 : CERT_SOCIAL)
      if (r() < 0.2) give(m, CERT_C)
    } else if (x < 0.45) {
      give(m, CERT_C)
    }
  }
  const lapsing = shuffled(
    r,
    plans.filter((m) => inPost(m, today)).flatMap((m) => m.certs.filter((c) => c.expiresOn != null)),
  )
  for (const [n, c] of lapsing.slice(0, 8).entries()) {
    c.expiresOn = n < 6 ? addDays(today, intBetween(r, 7, 85)) : addDays(today, -intBetween(r, 10, 80))
    c.issuedOn = shiftYears(c.expiresOn, -(c.cert.validYears ?? 5))
  }

  // ── write the teams, school by school, as that school's admin ────────────────────────────────
  const actors = new Map<number, Actor>()
  const asSchool = (i: number, when: Date): ServiceContext => {
    let actor = actors.get(i)
    if (!actor) actors.set(i, (actor = actorsOf.forSchool(schools[i]!.id)))
    return { ...base, actor, now: () => when }
  }
  // Team records are entered when a teacher joins, or at the start of the earliest year for those already in post.
  const enteredOn = (m: MemberPlan) => (m.startsOn < years[0]!.startsOn ? addDays(years[0]!.startsOn, intBetween(r, 7, 30)) : m.startsOn)
  let certificates = 0
  let training = 0
  for (const m of plans) {
    const entered = enteredOn(m)
    const ctx = asSchool(m.school, at(entered))
    const { id } = await createStaffMember(
      ctx,
      staffCreateInput.parse({ name: m.name, employment: m.employment, title: m.title, startsOn: m.startsOn, endsOn: m.endsOn }),
    )
    for (const c of m.certs) {
      await addCertificate(
        ctx,
        certificateCreateInput.parse({
          staffId: id,
          name: c.cert.name,
          issuer: c.cert.issuer,
          issuedOn: c.issuedOn,
          expiresOn: c.expiresOn,
        }),
      )
      certificates++
    }
    // Training per school year the member worked in, around the 24-hour requirement; some fall short.
    const courses = isK12(schools[m.school]!.type) ? COURSES_K12 : COURSES_WORKER
    for (const [k, y] of years.entries()) {
      const from = m.startsOn > y.startsOn ? m.startsOn : y.startsOn
      const to = minDate(m.endsOn ?? y.endsOn, minDate(y.endsOn, addDays(today, -1)))
      if (from > to) continue
      const partial = m.endsOn != null && m.endsOn < y.ref
      const lateStart = daysBetween(y.startsOn, m.startsOn) > 120
      const below = partial || r() < (lateStart ? 0.5 : k === last ? 0.15 : 0.12)
      let remaining = below ? pick(r, [6, 8, 12, 16, 18, 20]) : pick(r, [24, 24, 24, 26, 28, 30, 32, 36, 40])
      while (remaining > 0) {
        let hours = Math.min(remaining, pick(r, [8, 12, 16, 24]))
        if (remaining - hours < 4) hours = remaining
        remaining -= hours
        const [course, level] = pick(r, courses)
        const completedOn = dateBetween(r, from, to)
        await addTraining(
          asSchool(m.school, at(completedOn, 17)),
          trainingCreateInput.parse({ staffId: id, schoolYearId: y.id, course, hours, level, completedOn }),
        )
        training++
      }
    }
  }

  // ── rooms ──────────────────────────────────────────────────────────────────────────────────
  // Primary and secondary schools set up their rooms over the years (quotas give the setup rates);
  // a room can be set up yet fall short of the standard, and most shortcomings get fixed later.
  const roomOrder = shuffled(
    r,
    k12.filter((i) => !neverStaffed.has(i)),
  )
  const n = k12.length
  const cut = [Math.round(n * 0.53), Math.round(n * 0.77), Math.round(n * 0.95)]
  const roomFrom = new Map<number, number>()
  for (const [pos, i] of roomOrder.entries())
    roomFrom.set(
      i,
      cut.findIndex((c) => pos < c),
    )
  for (const i of others) roomFrom.set(i, schools[i]!.type === 'special' ? 0 : r() < 0.4 ? intBetween(r, 0, last) : -1)
  for (const i of neverStaffed) roomFrom.set(i, -1)

  const ISSUES = ['no_mailbox', 'few_hours', 'small_group', 'missing_group', 'small_individual'] as const
  type Issue = (typeof ISSUES)[number]
  const notReportedEarly = new Set(
    shuffled(
      r,
      k12.filter((i) => roomFrom.get(i) !== 0),
    ).slice(0, 2),
  )
  const skipsMiddle = new Set(
    shuffled(
      r,
      k12.filter((i) => roomFrom.get(i) === 0),
    ).slice(0, 6),
  )
  const fixesWithinYear = new Set<number>()
  let mailboxGap = false
  let rooms = 0
  for (const [i, school] of schools.entries()) {
    const from = roomFrom.get(i) ?? -1
    const preschool = school.type === 'preschool'
    const base0 = {
      displayName: pick(r, preschool ? PRESCHOOL_ROOM_NAMES : ROOM_NAMES),
      individualM2: intBetween(r, preschool ? 8 : 12, 24),
      groupM2: intBetween(r, 24, 60),
      officeM2: intBetween(r, 8, 16),
      optionalAreas: shuffled(r, ['testing', 'relaxation', 'self_help', 'sand_play'] as OptionalRoomArea[]).slice(0, intBetween(r, 0, 3)),
      weeklyOpenHours: intBetween(r, 10, 20),
      setUpOn:
        from < 0
          ? null
          : from === 0
            ? dateBetween(r, `${Number(years[0]!.startsOn.slice(0, 4)) - 7}-09-01`, addDays(years[0]!.ref, -30))
            : dateBetween(r, yearAt(from).startsOn, addDays(yearAt(from).ref, -1)),
    }
    let issues: Issue[] = from >= 0 && !preschool && r() < (from === 0 ? 0.4 : 0.3) ? [pick(r, ISSUES)] : []
    if (issues.length && r() < 0.25) issues = [...new Set([...issues, pick(r, ISSUES)])]
    // One room set up this year still waits for its mailbox, so the current year shows that reason too.
    const awaitsMailbox = from === last && !mailboxGap && !preschool
    if (awaitsMailbox) {
      mailboxGap = true
      issues = ['no_mailbox']
    }
    for (const [k, y] of years.entries()) {
      if (k === 0 && notReportedEarly.has(i)) continue
      if (k === 1 && skipsMiddle.has(i)) continue
      if (k > 0 && k > from && from >= 0) issues = issues.filter(() => r() < 0.45)
      const setUp = from >= 0 && from <= k
      const room = (list: Issue[]): RoomSaveInput =>
        roomSaveInput.parse(
          setUp
            ? {
                schoolYearId: y.id,
                version: null,
                isSetUp: true,
                setUpOn: base0.setUpOn,
                displayName: base0.displayName,
                individualM2: list.includes('small_individual') ? intBetween(r, 6, 9) : base0.individualM2,
                groupM2: list.includes('missing_group') ? null : list.includes('small_group') ? intBetween(r, 12, 18) : base0.groupM2,
                officeM2: base0.officeM2,
                optionalAreas: base0.optionalAreas,
                hasMailbox: !list.includes('no_mailbox'),
                weeklyOpenHours: list.includes('few_hours') ? intBetween(r, 4, 8) : base0.weeklyOpenHours,
              }
            : {
                schoolYearId: y.id,
                version: null,
                isSetUp: false,
                setUpOn: null,
                displayName: null,
                individualM2: null,
                groupM2: null,
                officeM2: null,
                optionalAreas: [],
                hasMailbox: false,
                weeklyOpenHours: 0,
              },
        )
      // A school's yearly record is filed early in the year; a room set up during the year is recorded then.
      const filedOn =
        setUp && from === k && k > 0 ? base0.setUpOn! : dateBetween(r, addDays(y.startsOn, 10), minDate(addDays(y.startsOn, 45), y.ref))
      const saved = await saveRoom(asSchool(i, at(filedOn, 15)), room(issues))
      rooms++
      // This year a few schools fixed their shortcoming after filing, replacing the year's record.
      if (k === last && setUp && issues.length && !awaitsMailbox && fixesWithinYear.size < 3 && filedOn < addDays(today, -14)) {
        fixesWithinYear.add(i)
        issues = []
        await saveRoom(asSchool(i, at(dateBetween(r, addDays(filedOn, 7), addDays(today, -1)), 16)), {
          ...room(issues),
          version: saved.version,
        })
      }
    }
  }
  return { staff: plans.length, certificates, training, rooms }
}
