import type { Role, SchoolType } from '../../shared/roles'
import { createAccount } from '../services/account'
import type { ServiceContext } from '../services/context'
import { createSchool, createStreet, setEnrolment } from '../services/school'
import { createSchoolYear } from '../services/school-year'
import { generateDemoAccreditation } from './demo-accreditation'
import { generateDemoAssessment } from './demo-assessment'
import { generateDemoScreening } from './demo-screening'
import { generateDemoRoom } from './demo-room'
import { generateDemoCases } from './demo-cases'
import { generateDemoProgramme } from './demo-programme'
import { generateDemoStaffing } from './demo-staffing'
import { intBetween, rng } from './random'

/** Futian's ten streets (街道). The district is shaped like Futian; every school in it is synthetic. */
export const DEMO_STREETS = [
  ['yuanling', '园岭', 'Yuanling'],
  ['nanyuan', '南园', 'Nanyuan'],
  ['futian', '福田', 'Futian'],
  ['fubao', '福保', 'Fubao'],
  ['huaqiangbei', '华强北', 'Huaqiangbei'],
  ['shatou', '沙头', 'Shatou'],
  ['lianhua', '莲花', 'Lianhua'],
  ['huafu', '华富', 'Huafu'],
  ['meilin', '梅林', 'Meilin'],
  ['xiangmihu', '香蜜湖', 'Xiangmihu'],
] as const

interface TypeProfile {
  type: SchoolType
  share: number
  zh: string
  en: string
  code: string
  students: [number, number]
  perClass: number
}

const PROFILES: TypeProfile[] = [
  { type: 'primary', share: 0.42, zh: '小学', en: 'Primary School', code: 'P', students: [600, 2600], perClass: 45 },
  { type: 'junior', share: 0.14, zh: '初级中学', en: 'Junior Middle School', code: 'J', students: [500, 2000], perClass: 48 },
  { type: 'senior', share: 0.07, zh: '高级中学', en: 'Senior High School', code: 'S', students: [900, 3000], perClass: 50 },
  { type: 'nine_year', share: 0.12, zh: '九年一贯制学校', en: 'Nine-year School', code: 'N', students: [1200, 3500], perClass: 46 },
  { type: 'twelve_year', share: 0.04, zh: '十二年一贯制学校', en: 'Twelve-year School', code: 'T', students: [2200, 4200], perClass: 46 },
  { type: 'special', share: 0.02, zh: '特殊教育学校', en: 'Special Education School', code: 'X', students: [80, 320], perClass: 10 },
  { type: 'preschool', share: 0.19, zh: '幼儿园', en: 'Kindergarten', code: 'K', students: [150, 480], perClass: 30 },
]

const ORDINALS = ['第一', '第二', '第三', '第四', '第五', '第六', '第七', '第八', '第九', '第十']

export const DEMO_PASSWORD = 'Xinqiao-Demo-2026'
export const DEMO_SEED = 20190401

export interface DemoAccount {
  username: string
  role: Role
  displayName: string
  school: string | null
}

/** The school year containing `date`: 1 Sep – 31 Aug. */
export function schoolYearOf(date: Date): { label: string; startsOn: string; endsOn: string; start: number } {
  const y = date.getUTCFullYear()
  const start = date.getUTCMonth() >= 8 ? y : y - 1
  return { label: `${start}-${start + 1}`, startsOn: `${start}-09-01`, endsOn: `${start + 1}-08-31`, start }
}

/**
 * Generates the synthetic district through the same services a user calls: 10 streets, about 100
 * schools, three school years of enrolment, psychology teams and counselling rooms, and one demo
 * account per role.
 */
export async function generateDemoDistrict(ctx: ServiceContext, seed = DEMO_SEED, schoolCount = 100) {
  const r = rng(seed)
  const current = schoolYearOf(ctx.now())
  const yearIds: number[] = []
  const yearStarts = new Map<number, string>()
  for (let s = current.start - 2; s <= current.start; s++) {
    const { id } = await createSchoolYear(ctx, {
      label: `${s}-${s + 1}`,
      startsOn: `${s}-09-01`,
      endsOn: `${s + 1}-08-31`,
      makeCurrent: s === current.start,
    })
    yearIds.push(id)
    yearStarts.set(id, `${s}-09-01`)
  }

  const streetIds: number[] = []
  for (const [i, [code, zh, en]] of DEMO_STREETS.entries()) {
    streetIds.push((await createStreet(ctx, { code, nameZh: zh, nameEn: en, sortOrder: i + 1 })).id)
  }

  const schools: { id: number; name: string; type: SchoolType }[] = []
  const perStreetType = new Map<string, number>()
  const typeCounts = new Map<SchoolType, number>()
  for (let n = 0; n < schoolCount; n++) {
    const profile = pickProfile(r())
    const streetIdx = n % DEMO_STREETS.length
    const [, streetZh, streetEn] = DEMO_STREETS[streetIdx]!
    const key = `${streetIdx}:${profile.type}`
    const ordinal = (perStreetType.get(key) ?? 0) + 1
    perStreetType.set(key, ordinal)
    const typeNo = (typeCounts.get(profile.type) ?? 0) + 1
    typeCounts.set(profile.type, typeNo)
    const name = `示例·${streetZh}${ORDINALS[ordinal - 1] ?? `第${ordinal}`}${profile.zh}`
    const { id } = await createSchool(ctx, {
      code: `DEMO-${profile.code}${String(typeNo).padStart(3, '0')}`,
      name,
      nameEn: `Demo ${streetEn} ${profile.en} No. ${ordinal}`,
      type: profile.type,
      streetId: streetIds[streetIdx]!,
      isPublic: r() > 0.12,
      address: `示例路 ${intBetween(r, 1, 999)} 号（合成地址）`,
    })
    schools.push({ id, name, type: profile.type })
    let students = intBetween(r, profile.students[0], profile.students[1])
    for (const yearId of yearIds) {
      // Each year's enrolment is reported while that year is open (a closed year takes a correction).
      const reportedAt = new Date(`${yearStarts.get(yearId)}T02:00:00.000Z`)
      const at = reportedAt < ctx.now() ? reportedAt : ctx.now()
      await setEnrolment(
        { ...ctx, now: () => at },
        { schoolId: id, schoolYearId: yearId, students, classes: Math.max(1, Math.round(students / profile.perClass)) },
      )
      // Year-on-year drift stays inside the type's range (80–4,200 across the district).
      students = Math.min(profile.students[1], Math.max(profile.students[0], Math.round(students * (1 + (r() * 0.05 - 0.01)))))
    }
  }

  const accounts: DemoAccount[] = []
  async function account(username: string, role: Role, displayName: string, school: { id: number; name: string } | null) {
    await createAccount(
      ctx,
      { username, role, displayName, schoolId: school?.id ?? null, password: DEMO_PASSWORD },
      { mustChangePassword: false },
    )
    accounts.push({ username, role, displayName, school: school?.name ?? null })
  }
  await account('admin', 'admin', '系统管理员（示例）', null)
  await account('bureau', 'bureau', '区教育局德育科（示例）', null)
  const primary = schools.find((s) => s.type === 'primary')!
  const junior = schools.find((s) => s.type === 'junior')!
  const nine = schools.find((s) => s.type === 'nine_year')!
  for (const [i, school] of [primary, junior, nine].entries()) {
    await account(`school${i + 1}.admin`, 'school_admin', `学校管理员${i + 1}（示例）`, school)
    await account(`school${i + 1}.counsellor`, 'counsellor', `心理教师${i + 1}（示例）`, school)
  }
  await account('expert1', 'expert', '专家委员（示例）', null)
  await account('researcher1', 'researcher', '研究人员（示例）', null)
  await account('centre1', 'district_centre', '区心理辅导中心（示例）', null)

  // Psychology teams, certificates, training and counselling rooms for every school, through the school-scoped services.
  await generateDemoStaffing(ctx, schools, yearIds, seed + 100)

  // Students and a realistic spread of cases at the three demo schools, written as their counsellors.
  const GRADES: Partial<Record<SchoolType, number[]>> = { primary: [3, 4, 5, 6], junior: [7, 8, 9], nine_year: [5, 6, 7, 8] }
  for (const [i, school] of [primary, junior, nine].entries()) {
    const counsellor = await ctx.db
      .selectFrom('account')
      .select(['id', 'username', 'display_name'])
      .where('username', '=', `school${i + 1}.counsellor`)
      .executeTakeFirstOrThrow()
    await generateDemoCases(
      ctx,
      { id: counsellor.id, username: counsellor.username, displayName: counsellor.display_name, schoolId: school.id },
      GRADES[school.type] ?? [3, 4],
      seed + i + 1,
    )
  }

  // The seven-ones evidence for every school and year, and the half-yearly supervision rounds (case follow-up is read from the cases above).
  await generateDemoProgramme(ctx, schools, yearIds, seed + 200)

  // A synthetic teacher roster at the three demo schools and one open district assessment round.
  await generateDemoAssessment(
    ctx,
    [primary, junior, nine].map((s, i) => ({ id: s.id, admin: `school${i + 1}.admin`, counsellor: `school${i + 1}.counsellor` })),
    seed + 300,
  )

  // A district screening campaign with a knowledge quiz at the three demo schools, and last year's quiz.
  await generateDemoScreening(
    ctx,
    [primary, junior, nine].map((s, i) => ({ id: s.id, counsellor: `school${i + 1}.counsellor` })),
    seed + 400,
  )
  // Feature-school accreditation: the indicator tree, titles held, and applications at every stage.
  accounts.push(...(await generateDemoAccreditation(ctx, schools, 'school1.admin', seed + 400, DEMO_PASSWORD)))
  // The counselling rooms' daily work at the three demo schools: rotas, a term of appointments and visits, two groups.
  await generateDemoRoom(
    ctx,
    [primary, junior, nine].map((s, i) => ({ id: s.id, counsellor: `school${i + 1}.counsellor` })),
    seed + 400,
  )
  return { schools: schools.length, years: yearIds.length, accounts }
}

function pickProfile(x: number): TypeProfile {
  let acc = 0
  for (const p of PROFILES) {
    acc += p.share
    if (x < acc) return p
  }
  return PROFILES[0]!
}
