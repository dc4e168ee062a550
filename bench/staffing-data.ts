/**
 * Synthetic district for `bench/staffing.ts`: streets, school years, schools of every type, their
 * enrolment, psychology teams (certificates, training) and counselling rooms, written through the
 * same services the bureau and the schools call (project rule for demo and bench data). All text is
 * synthetic. Call it with a context whose `db` is an open transaction: the services join it.
 *
 * Team, room and enrolment writes only accept a school-scoped actor (`ownSchoolId`). One real
 * school-admin account stands in for every school's admin: the actor of school X carries that
 * account's id with school X's scope. Creating 10,000 accounts would time the password hash, not
 * the dashboard's data.
 */
import { intBetween, rng } from '../server/demo/random'
import { createAccount } from '../server/services/account'
import { scopeFor, type Actor, type ServiceContext } from '../server/services/context'
import { createSchool, createStreet, setSchoolDisabled } from '../server/services/school'
import { createSchoolYear } from '../server/services/school-year'
import { addCertificate, addTraining, createStaffMember, saveRoom, setOwnEnrolment } from '../server/services/staffing'
import type { SchoolType } from '../shared/roles'
import { OPTIONAL_ROOM_AREAS, TRAINING_LEVELS, type EmploymentType } from '../shared/staffing'

const PASSWORD = 'Bench-Staffing-2026'
const DAY = 24 * 60 * 60_000

const STREETS = [
  ['yuanling', '园岭'],
  ['nanyuan', '南园'],
  ['futian', '福田'],
  ['fubao', '福保'],
  ['huaqiangbei', '华强北'],
  ['shatou', '沙头'],
  ['lianhua', '莲花'],
  ['huafu', '华富'],
  ['meilin', '梅林'],
  ['xiangmihu', '香蜜湖'],
] as const

/** The demo district's mix of school types (server/demo/demo.ts), with its enrolment ranges. */
const PROFILES: { type: SchoolType; share: number; zh: string; code: string; students: [number, number]; perClass: number }[] = [
  { type: 'primary', share: 0.42, zh: '小学', code: 'P', students: [600, 2600], perClass: 45 },
  { type: 'junior', share: 0.14, zh: '初级中学', code: 'J', students: [500, 2000], perClass: 48 },
  { type: 'senior', share: 0.07, zh: '高级中学', code: 'S', students: [900, 3000], perClass: 50 },
  { type: 'nine_year', share: 0.12, zh: '九年一贯制学校', code: 'N', students: [1200, 3500], perClass: 46 },
  { type: 'twelve_year', share: 0.04, zh: '十二年一贯制学校', code: 'T', students: [2200, 4200], perClass: 46 },
  { type: 'special', share: 0.02, zh: '特殊教育学校', code: 'X', students: [80, 320], perClass: 10 },
  { type: 'preschool', share: 0.19, zh: '幼儿园', code: 'K', students: [150, 480], perClass: 30 },
]
const K12 = new Set<SchoolType>(['primary', 'junior', 'senior', 'nine_year', 'twelve_year'])

export interface DistrictPlan {
  /** active schools, the number the dashboard lists */
  schools: number
  /** extra schools created and then disabled: the dashboard must leave them out */
  disabled: number
  seed: number
}

export interface GeneratedDistrict {
  currentYear: { id: number; label: string; startsOn: string; endsOn: string }
  years: { id: number; label: string }[]
  /** a bureau account: the actor the dashboards are read as */
  bureau: Actor
  schools: { active: number; disabled: number; byType: Partial<Record<SchoolType, number>> }
  calls: number
}

function addDaysIso(iso: string, days: number): string {
  return new Date(new Date(`${iso}T00:00:00Z`).getTime() + days * DAY).toISOString().slice(0, 10)
}

function pickProfile(x: number) {
  let acc = 0
  for (const p of PROFILES) {
    acc += p.share
    if (x < acc) return p
  }
  return PROFILES[0]!
}

/**
 * Four past-and-current school years (the last one current at `now`) and one future year, ten streets,
 * then per school: enrolment for 1–3 of the last three years (some skip the current one), about three
 * team members (mixed employment, some left, a few not yet started), certificates spread around the
 * warning window, training per member in the last two years, and room records in several years (a later year may
 * have none and inherits; a few schools already filed the future year, which must not count).
 * `base.actor` must be an admin.
 */
export async function generateStaffingDistrict(base: ServiceContext, plan: DistrictPlan, now: Date): Promise<GeneratedDistrict> {
  const r = rng(plan.seed)
  let calls = 0
  const call = <T>(p: Promise<T>): Promise<T> => {
    calls++
    return p
  }
  const today = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10)
  const nowYear = Number(today.slice(0, 4))
  const currentStart = Number(today.slice(5, 7)) >= 9 ? nowYear : nowYear - 1

  const years: { id: number; label: string; startsOn: string; endsOn: string }[] = []
  for (let s = currentStart - 3; s <= currentStart + 1; s++) {
    const label = `${s}-${s + 1}`
    const y = { label, startsOn: `${s}-09-01`, endsOn: `${s + 1}-08-31` }
    const { id } = await call(createSchoolYear(base, { ...y, makeCurrent: s === currentStart }))
    years.push({ id, ...y })
  }
  const current = years[3]!
  const past = years.slice(0, 4)
  const future = years[4]!

  const streetIds: number[] = []
  for (const [i, [code, zh]] of STREETS.entries()) {
    streetIds.push(
      (await call(createStreet(base, { code: `bench-${code}`, nameZh: `${zh}（合成）`, nameEn: `Bench ${code}`, sortOrder: i + 1 }))).id,
    )
  }

  const byType: Partial<Record<SchoolType, number>> = {}
  let stand: number | null = null
  const total = plan.schools + plan.disabled
  for (let n = 0; n < total; n++) {
    const profile = pickProfile(r())
    const streetIdx = n % STREETS.length
    const { id: schoolId } = await call(
      createSchool(base, {
        code: `BS-${profile.code}${String(n + 1).padStart(5, '0')}`,
        name: `基准${STREETS[streetIdx]![1]}${n + 1}号${profile.zh}（合成）`,
        nameEn: `Bench ${profile.type} No. ${n + 1}`,
        type: profile.type,
        streetId: streetIds[streetIdx]!,
        isPublic: r() > 0.12,
        address: null,
      }),
    )
    if (n >= plan.schools) {
      await call(setSchoolDisabled(base, schoolId, true))
    } else {
      byType[profile.type] = (byType[profile.type] ?? 0) + 1
    }
    if (stand == null) {
      stand = (
        await call(
          createAccount(
            base,
            {
              username: 'bench.staffing.school',
              displayName: '学校管理员（合成）',
              role: 'school_admin',
              schoolId,
              password: PASSWORD,
            },
            { mustChangePassword: false },
          ),
        )
      ).id
    }
    const actor: Actor = {
      accountId: stand,
      sessionId: 0,
      username: 'bench.staffing.school',
      displayName: '学校管理员（合成）',
      role: 'school_admin',
      schoolId,
      mustChangePassword: false,
      scope: scopeFor('school_admin', schoolId),
    }
    const as: ServiceContext = { ...base, actor }
    // Past years are closed to a school's writes: their figures were entered while the year ran, so
    // they are written with the clock on the year's second-to-last day.
    const asIn = (y: { endsOn: string }): ServiceContext =>
      y.endsOn < today ? { ...as, now: () => new Date(`${addDaysIso(y.endsOn, -1)}T04:00:00.000Z`) } : as

    // Enrolment for the last three years: the earlier two each reported by 80 %, the current one by 88 % (at least one year each).
    let students = intBetween(r, profile.students[0], profile.students[1])
    let reported = 0
    for (const y of past.slice(1)) {
      const skip = y === current ? r() < 0.12 : r() < 0.2
      if (!skip || (y === current && reported === 0)) {
        const n0 = r() < 0.01 ? 0 : students
        await call(
          setOwnEnrolment(asIn(y), { schoolYearId: y.id, students: n0, classes: Math.max(n0 ? 1 : 0, Math.round(n0 / profile.perClass)) }),
        )
        reported++
      }
      students = Math.min(profile.students[1], Math.max(profile.students[0], Math.round(students * (1 + (r() * 0.06 - 0.02)))))
    }

    // The team: 1–5 members (mean 3), one school in twenty with nobody.
    const size = r() < 0.05 ? 0 : intBetween(r, 1, 5)
    for (let k = 0; k < size; k++) {
      const x = r()
      const employment: EmploymentType = x < 0.55 ? 'full_time' : x < 0.8 ? 'part_time' : 'purchased'
      // 20 % left already, 3 % leave later this year, 2 % have not started yet.
      const fate = r()
      const served = intBetween(r, 30, 10 * 365)
      const startsOn = fate >= 0.98 ? addDaysIso(today, intBetween(r, 1, 60)) : addDaysIso(today, -served)
      const endsOn =
        fate < 0.2 ? addDaysIso(startsOn, intBetween(r, 0, served - 1)) : fate < 0.23 ? addDaysIso(today, intBetween(r, 1, 150)) : null
      const { id: staffId } = await call(
        createStaffMember(as, {
          name: `心理教师${n + 1}-${k + 1}（合成）`,
          employment,
          title: r() < 0.5 ? '专职心理教师' : null,
          startsOn,
          endsOn,
        }),
      )
      const certs = intBetween(r, 0, 2)
      for (let c = 0; c < certs; c++) {
        // Expiry spread from a year ago to 2.5 years ahead (about one in fifteen inside the 90-day window), 15 % permanent.
        const expiresOn = r() < 0.15 ? null : addDaysIso(today, intBetween(r, -365, 900))
        const issuedOn =
          expiresOn == null ? addDaysIso(today, -intBetween(r, 100, 3000)) : addDaysIso(expiresOn, -intBetween(r, 3, 6) * 365)
        await call(
          addCertificate(as, {
            staffId,
            name: c === 0 ? '心理健康教育教师资格证（合成）' : '心理咨询培训证书（合成）',
            issuer: null,
            issuedOn,
            expiresOn,
          }),
        )
      }
      // Training in the last two years: none for one in ten, else 1–3 courses of 4–20 h (about half reach 24 h a year).
      for (const y of past.slice(2)) {
        const courses = r() < 0.1 ? 0 : intBetween(r, 1, 3)
        for (let c = 0; c < courses; c++) {
          await call(
            addTraining(asIn(y), {
              staffId,
              schoolYearId: y.id,
              course: `心理健康教育培训${c + 1}（合成）`,
              hours: intBetween(r, 8, 40) / 2,
              level: TRAINING_LEVELS[intBetween(r, 0, TRAINING_LEVELS.length - 1)]!,
              completedOn: addDaysIso(y.startsOn, intBetween(r, 10, 300)),
            }),
          )
        }
      }
    }

    // Rooms: 85 % of K12 schools (40 % of the others) filed a first record in one of the four years, then
    // re-filed in each later year with 40 %; 3 % have already filed next year's.
    if (r() < (K12.has(profile.type) ? 0.85 : 0.4)) {
      let setUp = r() < 0.7
      const first = intBetween(r, 0, past.length - 1)
      for (let i = first; i < past.length; i++) {
        if (i > first && r() >= 0.4) continue
        setUp = setUp || r() < 0.5
        await call(saveRoom(asIn(past[i]!), roomInput(r, past[i]!, setUp)))
      }
      if (r() < 0.03) await call(saveRoom(as, roomInput(r, future, true)))
    }
  }
  if (stand == null) throw new Error('no school generated')

  const { id: bureauId } = await call(
    createAccount(
      base,
      {
        username: 'bench.staffing.bureau',
        displayName: '区教育局（合成）',
        role: 'bureau',
        schoolId: null,
        password: PASSWORD,
      },
      { mustChangePassword: false },
    ),
  )
  const bureau: Actor = {
    accountId: bureauId,
    sessionId: 0,
    username: 'bench.staffing.bureau',
    displayName: '区教育局（合成）',
    role: 'bureau',
    schoolId: null,
    mustChangePassword: false,
    scope: scopeFor('bureau', null),
  }
  return {
    currentYear: current,
    years: years.map((y) => ({ id: y.id, label: y.label })),
    bureau,
    schools: { active: plan.schools, disabled: plan.disabled, byType },
    calls,
  }
}

function roomInput(r: () => number, year: { id: number; startsOn: string }, setUp: boolean) {
  const optional = OPTIONAL_ROOM_AREAS.filter(() => r() < 0.4)
  return {
    schoolYearId: year.id,
    version: null,
    isSetUp: setUp,
    setUpOn: setUp ? addDaysIso(year.startsOn, intBetween(r, 0, 200)) : null,
    displayName: setUp && r() < 0.5 ? '心灵驿站' : null,
    individualM2: r() < 0.1 ? null : intBetween(r, 6, 24),
    groupM2: r() < 0.1 ? null : intBetween(r, 12, 45),
    officeM2: r() < 0.15 ? null : intBetween(r, 5, 15),
    optionalAreas: optional,
    hasMailbox: r() < 0.85,
    weeklyOpenHours: intBetween(r, 4, 30),
  }
}
