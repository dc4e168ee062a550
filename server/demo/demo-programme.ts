import { deflateSync } from 'node:zlib'
import type { Audience, DrillRole, EventKind, Indicator, ItemStatus } from '../../shared/programme'
import {
  bureauScoreInput,
  channelCreateInput,
  clinicSaveInput,
  eventCreateInput,
  roundCreateInput,
  selfEvaluationInput,
  teamSaveInput,
  type EventCreateInput,
} from '../../shared/programme-schemas'
import type { SchoolType } from '../../shared/roles'
import { addDays, referenceDate } from '../rules/staffing'
import type { Actor, ServiceContext } from '../services/context'
import { loadProgrammeSettings } from '../services/district-settings'
import { createRound, scoreSchool, setRoundStatus, submitSelfEvaluation } from '../services/evaluation'
import { addAttachment, addChannel, createEvent, saveClinic, saveTeam } from '../services/programme'
import { today as todayOf } from '../services/school-scope'
import { demoActors } from './demo-staffing'
import { intBetween, rng, pick, shuffled, minDate, maxDate, dateBetween } from './random'

/**
 * Demo evidence for the "seven ones" (七个一) programme and the half-yearly supervision evaluation
 * (督导评估), written through the same services a school admin and the bureau call. The story,
 * earliest year → latest: in the earliest year about a quarter of the schools complete all seven items,
 * in the middle year about three in five, and the current year is caught mid-way through its autumn term
 * (teams and channels mostly recorded, activities and lectures partly, drills mostly still to come).
 * Case follow-up (item 5) and clinic referrals are computed from the case records, never seeded here.
 * The three schools with demo accounts keep this year's drill and the open round's self-evaluation for
 * a demo user to do. Every title, organiser, hospital and attachment is synthetic (示例); attachments
 * are tiny generated placeholder images and a one-line PDF, stored through the service like any upload.
 */

/** Share of schools that complete all seven items in the earliest and the middle demo year. */
export const DEMO_ALL_SEVEN_SHARE = [0.25, 0.6] as const

type Item = 'team' | 'activity' | 'lecture' | 'platform' | 'clinic' | 'drill'
const ITEMS: readonly Item[] = ['team', 'activity', 'lecture', 'platform', 'clinic', 'drill']
type Plan = Record<Item, ItemStatus>

/** Chance an item is complete at a school that does not complete all seven (before the engagement adjustment), per past year. */
const PAST_ITEM_P: Record<Item, number>[] = [
  { team: 0.6, activity: 0.68, lecture: 0.6, platform: 0.78, clinic: 0.55, drill: 0.32 },
  { team: 0.78, activity: 0.8, lecture: 0.75, platform: 0.9, clinic: 0.75, drill: 0.55 },
]
/** Share of incomplete items that have some evidence (in progress rather than not started), per past year. */
const PAST_IN_PROGRESS = [0.5, 0.65]
/** The current year, part-way through the autumn term: [complete, in progress] chances per item. */
const CURRENT_ITEM_P: Record<Item, [number, number]> = {
  team: [0.85, 0.12],
  platform: [0.88, 0.07],
  clinic: [0.78, 0.14],
  activity: [0.5, 0.16],
  lecture: [0.42, 0.16],
  drill: [0.15, 0.1],
}
/** Self-evaluation submission rate of the closed rounds, in round order. */
const SUBMIT_RATE = [0.86, 0.9, 0.93, 0.96]

const HOSPITALS: [string, string][] = [
  ['示例·福田区慢性病防治院心理门诊', '儿童青少年心理门诊'],
  ['示例·深圳市康宁医院', '儿童青少年心理科'],
  ['示例·深圳市儿童医院心理科', '心理行为门诊'],
  ['示例·福田区妇幼保健院儿童保健科', '儿童心理保健门诊'],
]

/** An event template; `months` (1–12) limits it to the time of year it belongs to. */
interface EventIdea {
  title: string
  summary: string
  audiences: Audience[]
  organiser: string
  months?: number[]
}
const ACTIVITIES: EventIdea[] = [
  {
    title: '（示例）“5·25”心理健康月：悦纳自我，快乐成长',
    summary: '（示例）心理健康月开幕式、心理游园、主题班会与手抄报评比，覆盖全体学生。',
    audiences: ['students'],
    organiser: '示例·心理组',
    months: [5],
  },
  {
    title: '（示例）5·25心理游园会',
    summary: '（示例）设置“情绪温度计”“压力气球”等互动摊位，学生以班级为单位参加。',
    audiences: ['students', 'staff'],
    organiser: '示例·德育处',
    months: [5],
  },
  {
    title: '（示例）“阳光心灵”心理情景剧展演',
    summary: '（示例）各年级选送心理情景剧，围绕同伴交往与学业压力，家长代表观摩。',
    audiences: ['students', 'parents'],
    organiser: '示例·团委',
    months: [4, 5, 6, 12],
  },
  {
    title: '（示例）心理健康主题班会周',
    summary: '（示例）各班围绕“认识情绪”开展主题班会，心理教师提供教案与课件。',
    audiences: ['students'],
    organiser: '示例·心理组',
  },
  {
    title: '（示例）“10·10”世界精神卫生日主题宣传',
    summary: '（示例）展板宣传、广播讲座与心理知识问答，介绍校内求助渠道。',
    audiences: ['students', 'staff'],
    organiser: '示例·心理组',
    months: [10],
  },
  {
    title: '（示例）新生入学适应团体辅导',
    summary: '（示例）起始年级分班开展团体辅导，帮助新生认识同学、熟悉校园。',
    audiences: ['students'],
    organiser: '示例·心理组',
    months: [9, 10],
  },
  {
    title: '（示例）“心晴”减压游园活动',
    summary: '（示例）期中考试后开展减压游园，设置放松训练与正念体验摊位。',
    audiences: ['students'],
    organiser: '示例·德育处',
    months: [11, 12, 1],
  },
  {
    title: '（示例）开学心理调适周',
    summary: '（示例）寒假后开学第一周开展心理调适主题活动，帮助学生恢复学习节奏。',
    audiences: ['students'],
    organiser: '示例·心理组',
    months: [2, 3],
  },
]
const PRESCHOOL_ACTIVITIES: EventIdea[] = [
  {
    title: '（示例）“我的情绪小怪兽”绘本故事会',
    summary: '（示例）各班开展情绪绘本阅读与涂色活动，帮助幼儿认识基本情绪。',
    audiences: ['students'],
    organiser: '示例·保教处',
  },
  {
    title: '（示例）亲子心理游戏开放日',
    summary: '（示例）邀请家长入园参加亲子合作游戏，观察幼儿社会交往。',
    audiences: ['students', 'parents'],
    organiser: '示例·保教处',
  },
]
const LECTURES: EventIdea[] = [
  {
    title: '（示例）青春期心理健康讲座',
    summary: '（示例）介绍青春期身心变化与常见困扰，讲解校内求助方式。',
    audiences: ['students'],
    organiser: '示例·心理组',
  },
  {
    title: '（示例）考前心理调适讲座',
    summary: '（示例）讲解考试焦虑的识别与放松方法，现场练习呼吸放松。',
    audiences: ['students'],
    organiser: '示例·心理组',
    months: [12, 1, 5, 6],
  },
  {
    title: '（示例）家长学校：如何与孩子沟通',
    summary: '（示例）面向家长讲解倾听与情绪陪伴，分享亲子沟通案例（均为虚构）。',
    audiences: ['parents'],
    organiser: '示例·家长学校',
  },
  {
    title: '（示例）识别孩子的心理危机信号',
    summary: '（示例）向家长介绍危机预警信号与学校转介流程、医院绿色通道。',
    audiences: ['parents'],
    organiser: '示例·家长学校',
  },
  {
    title: '（示例）班主任心理危机识别与应对培训',
    summary: '（示例）面向班主任讲解学生心理危机识别、报告流程与首次谈话要点。',
    audiences: ['staff'],
    organiser: '示例·德育处',
  },
  {
    title: '（示例）教师心理健康与压力管理',
    summary: '（示例）面向全体教职工的压力管理讲座，介绍教师心理支持资源。',
    audiences: ['staff'],
    organiser: '示例·工会',
  },
]
const PRESCHOOL_LECTURES: EventIdea[] = [
  {
    title: '（示例）幼小衔接中的心理准备',
    summary: '（示例）面向大班家长讲解入学适应与情绪准备。',
    audiences: ['parents'],
    organiser: '示例·家长学校',
  },
  {
    title: '（示例）幼儿分离焦虑的理解与应对',
    summary: '（示例）面向小班家长与保教人员，讲解入园分离焦虑的表现与应对。',
    audiences: ['parents', 'staff'],
    organiser: '示例·保教处',
  },
]
interface DrillIdea {
  title: string
  scenario: string
  roles: DrillRole[]
  problems: string
  improvements: string
}
const DRILLS: DrillIdea[] = [
  {
    title: '（示例）学生心理危机干预应急演练',
    scenario: '（示例）课间一名学生在教学楼顶层走廊边徘徊，情绪激动，疑似有轻生意图（模拟情景）。',
    roles: ['discoverer', 'reporter', 'crisis_group', 'counsellor', 'head_teacher', 'guardian_liaison', 'security'],
    problems: '（示例）德育处值班电话未接通，报告链延误约 2 分钟；现场围观学生疏散不够及时。',
    improvements: '（示例）危机干预小组通讯录设置 AB 角并张贴到各办公室；每学期开学前进行一次桌面推演。',
  },
  {
    title: '（示例）课堂突发自伤事件处置演练',
    scenario: '（示例）课堂上一名学生情绪失控并出现自伤行为，任课教师需稳定现场并报告（模拟情景）。',
    roles: ['discoverer', 'reporter', 'crisis_group', 'counsellor', 'medical', 'guardian_liaison'],
    problems: '（示例）任课教师不清楚校医室的最快路线；监护人联系记录未按时间顺序填写。',
    improvements: '（示例）在各楼层张贴应急路线与联系人；统一使用危机事件记录表并培训全体任课教师。',
  },
  {
    title: '（示例）学生离家出走危机联动演练',
    scenario: '（示例）家长来电称孩子留下字条后离家，学校与家长、社区联动寻找并评估风险（模拟情景）。',
    roles: ['reporter', 'crisis_group', 'head_teacher', 'guardian_liaison', 'counsellor', 'security'],
    problems: '（示例）与社区工作站的联络人未及时确认；返校后的心理评估安排不明确。',
    improvements: '（示例）与街道、社区签订联动协议并更新联络人；制定返校评估与复学计划模板。',
  },
]
const PRESCHOOL_DRILL: DrillIdea = {
  title: '（示例）幼儿园突发事件心理危机干预演练',
  scenario: '（示例）户外活动时一名幼儿突发严重情绪失控并伤及同伴，保教人员需安抚、隔离并联系家长（模拟情景）。',
  roles: ['discoverer', 'reporter', 'crisis_group', 'counsellor', 'head_teacher', 'guardian_liaison', 'medical'],
  problems: '（示例）保育员不清楚第一报告对象；两名家长的联系电话未及时更新。',
  improvements: '（示例）每班张贴报告流程图；每学期初核对家长联系方式并演练一次。',
}
const DRILL_ORGANISERS = ['示例·心理组', '示例·安全办', '示例·德育处']

/** Grades a school type teaches (0 is kindergarten). */
const GRADES: Record<SchoolType, number[]> = {
  primary: [1, 2, 3, 4, 5, 6],
  junior: [7, 8, 9],
  senior: [10, 11, 12],
  nine_year: [1, 2, 3, 4, 5, 6, 7, 8, 9],
  twelve_year: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
  special: [1, 2, 3, 4, 5, 6, 7, 8, 9],
  preschool: [0],
}

interface DemoSchool {
  id: number
  name: string
  type: SchoolType
}
interface YearInfo {
  id: number
  label: string
  startsOn: string
  endsOn: string
  start: number
  ref: string
}

/** Winter and summer holidays and the May Day and National Day weeks (month-day ranges), when schools hold no events. */
const HOLIDAYS: [string, string][] = [
  ['01-18', '02-22'],
  ['05-01', '05-05'],
  ['07-10', '08-31'],
  ['10-01', '10-07'],
]
/** A school day between `from` and `to`: a weekday outside the holidays (the plain date when the window has none). */
function schoolDay(r: () => number, from: string, to: string): string {
  let d = dateBetween(r, from, to)
  for (let tries = 0; tries < 30; tries++) {
    const md = d.slice(5)
    const weekday = new Date(`${d}T00:00:00Z`).getUTCDay()
    if (weekday !== 0 && weekday !== 6 && !HOLIDAYS.some(([a, b]) => md >= a && md <= b)) return d
    d = dateBetween(r, from, to)
  }
  return d
}
const clamp01 = (x: number) => Math.min(1, Math.max(0, x))

// ── tiny synthetic attachments ───────────────────────────────────────────────────────────────

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

/** A 64×48 RGB PNG: a solid colour with a lighter band, the placeholder for an event photo. */
export function placeholderPng([red, green, blue]: readonly [number, number, number], width = 64, height = 48): Buffer {
  const row = width * 3 + 1
  const raw = Buffer.alloc(row * height)
  for (let y = 0; y < height; y++) {
    const light = y >= height * 0.6 && y < height * 0.8
    for (let x = 0; x < width; x++) {
      const at = y * row + 1 + x * 3
      raw[at] = light ? 255 - ((255 - red) >> 2) : red
      raw[at + 1] = light ? 255 - ((255 - green) >> 2) : green
      raw[at + 2] = light ? 255 - ((255 - blue) >> 2) : blue
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
    const out = Buffer.alloc(body.length + 8)
    out.writeUInt32BE(data.length, 0)
    body.copy(out, 4)
    out.writeUInt32BE(crc32(body), body.length + 4)
    return out
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 2, 0, 0, 0], 8) // 8-bit RGB, deflate, no filter method, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/** A one-page PDF with one line of text (ASCII, built-in font), the placeholder for a scanned sign-in sheet. */
export function placeholderPdf(line: string): Buffer {
  const text = line.replace(/[^\x20-\x7e]/g, '?').replace(/[()\\]/g, '\\$&')
  const stream = `BT /F1 16 Tf 72 770 Td (${text}) Tj ET`
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ]
  let body = '%PDF-1.4\n'
  const offsets: number[] = []
  for (const [i, o] of objects.entries()) {
    offsets.push(body.length)
    body += `${i + 1} 0 obj\n${o}\nendobj\n`
  }
  const xref = body.length
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.from(body, 'ascii')
}

// ── who writes ──────────────────────────────────────────────────────────────────────────────

/**
 * Teams, events with attachments, channels and clinic links for every demo school and year, then the
 * supervision rounds: four closed rounds over the two past years and the current year's first round,
 * open, with about a third of the schools' self-evaluations in.
 */
export async function generateDemoProgramme(
  base: ServiceContext,
  schools: readonly DemoSchool[],
  yearIds: readonly number[],
  seed: number,
) {
  const r = rng(seed)
  const today = todayOf(base)
  const realNow = base.now()
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
    start: Number(y.starts_on.slice(0, 4)),
    ref: referenceDate({ startsOn: y.starts_on, endsOn: y.ends_on }, today),
  }))
  const enrolment = await base.db
    .selectFrom('enrolment')
    .select(['school_id', 'school_year_id', 'students', 'classes'])
    .where('school_year_id', 'in', [...yearIds])
    .execute()
  const enrolmentOf = (schoolId: number, yearId: number) =>
    enrolment.find((e) => e.school_id === schoolId && e.school_year_id === yearId) ?? { students: 0, classes: 1 }
  const codes = new Map((await base.db.selectFrom('school').select(['id', 'code']).execute()).map((s) => [s.id, s.code]))
  // Item 1 needs a psychology teacher in post on the year's reference date; only such schools can complete all seven.
  const staff = await base.db.selectFrom('staff_member').select(['school_id', 'starts_on', 'ends_on']).execute()
  const staffed = (schoolId: number, date: string) =>
    staff.some((m) => m.school_id === schoolId && m.starts_on <= date && (m.ends_on == null || m.ends_on >= date))

  const actorsOf = await demoActors(base.db)
  const at = (date: string, hour = 10): Date => {
    const d = new Date(`${minDate(date, today)}T${String(hour - 8).padStart(2, '0')}:${String(intBetween(r, 0, 59)).padStart(2, '0')}:00Z`)
    return d < realNow ? d : realNow
  }
  const actors = new Map<number, Actor>()
  const asSchool = (schoolId: number, when: Date): ServiceContext => {
    let actor = actors.get(schoolId)
    if (!actor) actors.set(schoolId, (actor = actorsOf.forSchool(schoolId)))
    return { ...base, actor, now: () => when }
  }
  const asBureau = (when: Date): ServiceContext => ({ ...base, actor: actorsOf.bureau, now: () => when })

  const photos = (
    [
      [70, 130, 180],
      [96, 160, 110],
      [230, 150, 70],
      [150, 110, 190],
    ] as const
  ).map((c) => placeholderPng(c))
  const signIn = placeholderPdf('Xinqiao demo - synthetic sign-in sheet (no real names)')

  // ── plan: each school's status per item and year ─────────────────────────────────────────────
  const engagement = new Map(schools.map((s) => [s.id, r()]))
  const plans: Map<number, Plan>[] = []
  for (const [k, y] of years.entries()) {
    const plan = new Map<number, Plan>()
    plans.push(plan)
    if (y.startsOn > today) continue
    const past = y.endsOn < today
    if (past) {
      const p = PAST_ITEM_P[Math.min(k, PAST_ITEM_P.length - 1)]!
      const inProgress = PAST_IN_PROGRESS[Math.min(k, PAST_IN_PROGRESS.length - 1)]!
      const share = DEMO_ALL_SEVEN_SHARE[Math.min(k, DEMO_ALL_SEVEN_SHARE.length - 1)]!
      // The most engaged staffed schools, with some noise, complete everything.
      const ranked = schools
        .filter((s) => staffed(s.id, y.ref))
        .map((s) => ({ id: s.id, score: engagement.get(s.id)! + r() * 0.35 }))
        .sort((a, b) => b.score - a.score)
      const full = new Set(ranked.slice(0, Math.round(schools.length * share)).map((s) => s.id))
      for (const s of schools) {
        const e = engagement.get(s.id)!
        const statuses = {} as Plan
        for (const item of ITEMS) {
          statuses[item] =
            full.has(s.id) || r() < clamp01(p[item] + (e - 0.5) * 0.4) ? 'complete' : r() < inProgress ? 'in_progress' : 'not_started'
        }
        if (!full.has(s.id) && ITEMS.every((i) => statuses[i] === 'complete')) {
          // Not among the schools that finish everything: one item (most often the drill) stays open.
          statuses[pick(r, ['drill', 'drill', 'clinic', 'lecture', 'activity', 'team'] as const)] =
            r() < inProgress ? 'in_progress' : 'not_started'
        }
        plan.set(s.id, statuses)
      }
    } else {
      for (const s of schools) {
        const e = engagement.get(s.id)!
        const statuses = {} as Plan
        for (const item of ITEMS) {
          const [pc, pi] = CURRENT_ITEM_P[item]
          const x = r()
          const c = clamp01(pc + (e - 0.5) * 0.3)
          statuses[item] = x < c ? 'complete' : x < c + pi ? 'in_progress' : 'not_started'
        }
        // The schools with demo accounts still have this year's drill to run, for a demo user to record.
        if (actorsOf.demoSchools.has(s.id)) statuses.drill = 'not_started'
        plan.set(s.id, statuses)
      }
    }
  }

  // ── write the evidence, year by year, as each school ──────────────────────────────────────────
  const counts = { teams: 0, events: 0, attachments: 0, channels: 0, clinics: 0, rounds: 0, selfEvaluations: 0, scores: 0 }
  const attach = async (ctx: ServiceContext, eventId: number, kind: EventKind, withSheet: boolean) => {
    await addAttachment(ctx, {
      eventId,
      fileName: `${kind === 'drill' ? '演练现场' : kind === 'lecture' ? '讲座现场' : '活动照片'}（示例）.png`,
      bytes: pick(r, photos),
    })
    counts.attachments++
    if (withSheet) {
      await addAttachment(ctx, { eventId, fileName: '签到表（示例）.pdf', bytes: signIn })
      counts.attachments++
    }
  }
  const lastDay = addDays(today, -1)
  /** The latest day evidence of year `y` can carry: its last day, or yesterday for the running year. */
  const latestIn = (y: YearInfo) => minDate(y.endsOn, lastDay)

  // A clinic agreement, once signed, stands in later years with the same hospital; a channel keeps its launch date.
  const standing = new Map<number, { hospital: [string, string]; agreementOn: string | null; contactName: string; contactPhone: string }>()
  const launchedOn = new Map<string, string>()
  for (const [k, y] of years.entries()) {
    if (y.startsOn > lastDay) continue
    const current = y.endsOn >= today
    for (const school of schools) {
      const plan = plans[k]!.get(school.id)!
      const { students, classes } = enrolmentOf(school.id, y.id)
      const grades = GRADES[school.type]
      const preschool = school.type === 'preschool'
      const code = codes.get(school.id) ?? String(school.id)
      const ctxAt = (date: string, hour = 16) => asSchool(school.id, at(date, hour))

      // Item 1, the team: the class list from the enrolment's class count, each with its peer supporters and head teacher.
      if (plan.team !== 'not_started') {
        const list: { grade: number; className: string }[] = []
        const per = Math.floor(classes / grades.length)
        let extra = classes - per * grades.length
        for (const grade of grades) {
          const n = per + (extra-- > 0 ? 1 : 0)
          for (let c = 1; c <= n; c++) {
            const className = preschool ? `${['小', '中', '大'][Math.min(2, Math.floor(((c - 1) * 3) / n))]}${c}班` : `${c}班`
            list.push({ grade, className })
          }
        }
        const complete = plan.team === 'complete'
        const gap = complete ? null : pick(r, ['peer', 'trained', 'date'] as const)
        const trainedShare = gap === 'trained' ? 0.15 + r() * 0.3 : 0.55 + r() * 0.45
        const trained = new Set(
          shuffled(
            r,
            list.map((_, i) => i),
          ).slice(
            0,
            Math.min(list.length, gap === 'trained' ? Math.floor(list.length * trainedShare) : Math.ceil(list.length * trainedShare)),
          ),
        )
        const noPeer = new Set(
          gap === 'peer'
            ? shuffled(
                r,
                list.map((_, i) => i),
              ).slice(0, Math.max(1, Math.round(list.length * (0.1 + r() * 0.4))))
            : [],
        )
        const setUpOn = gap === 'date' ? null : schoolDay(r, addDays(y.startsOn, 3), minDate(addDays(y.startsOn, 35), latestIn(y)))
        await saveTeam(
          ctxAt(setUpOn ?? dateBetween(r, addDays(y.startsOn, 7), minDate(addDays(y.startsOn, 40), latestIn(y))), 15),
          teamSaveInput.parse({
            schoolYearId: y.id,
            setUpOn,
            note: preschool
              ? '（示例）园长任组长，保教主任与心理健康教育工作者参加；各班由家长志愿者担任心理联络员。'
              : '（示例）校长任组长，德育处、心理教师与班主任代表参加；各班选配心理委员。',
            classes: list.map((c, i) => ({
              ...c,
              headTeacherTrained: trained.has(i),
              peerSupporters: noPeer.has(i) ? 0 : preschool ? 1 : intBetween(r, 1, 2),
            })),
          }),
        )
        counts.teams++
      }

      // Items 2, 3 and 7: dated events; one with a photo counts, a drill also needs its problems written up.
      const window = (kind: EventKind): [string, string] => {
        if (current) return [addDays(y.startsOn, kind === 'drill' ? 25 : 7), latestIn(y)]
        if (kind === 'activity')
          return r() < 0.7 ? [`${y.start + 1}-05-10`, `${y.start + 1}-05-31`] : [addDays(y.startsOn, 30), `${y.start + 1}-06-30`]
        return [addDays(y.startsOn, 14), `${y.start + 1}-06-30`]
      }
      const ideas = (kind: Exclude<EventKind, 'drill'>, date: string): EventIdea[] => {
        const list = kind === 'lecture' ? (preschool ? PRESCHOOL_LECTURES : LECTURES) : preschool ? PRESCHOOL_ACTIVITIES : ACTIVITIES
        const month = Number(date.slice(5, 7))
        return list.filter((i) => !i.months || i.months.includes(month))
      }
      const cap = Math.max(20, students)
      for (const kind of ['activity', 'lecture', 'drill'] as const) {
        const status = plan[kind]
        if (status === 'not_started') continue
        const [from, to] = window(kind)
        if (to < from) continue
        const n = status === 'complete' ? (current ? intBetween(r, 1, 2) : intBetween(r, 1, 3)) : intBetween(r, 1, kind === 'drill' ? 1 : 2)
        const dates = Array.from({ length: n }, () => schoolDay(r, from, to)).sort()
        // In an incomplete drill item, either the photos are missing or the write-up is.
        const drillGap = status === 'complete' ? null : pick(r, ['no_attachment', 'no_problems'] as const)
        for (const [e, heldOn] of dates.entries()) {
          const counts1 = status === 'complete' && e === 0
          let input: EventCreateInput
          if (kind === 'drill') {
            const d = preschool ? PRESCHOOL_DRILL : pick(r, DRILLS)
            input = eventCreateInput.parse({
              schoolYearId: y.id,
              kind,
              heldOn,
              title: d.title,
              audiences: ['staff', 'students'],
              grades: shuffled(r, grades).slice(0, Math.min(grades.length, intBetween(r, 1, 3))),
              participants: intBetween(r, 30, Math.min(cap, 160)),
              organiser: pick(r, DRILL_ORGANISERS),
              summary: '（示例）按学校心理危机干预预案完成发现、报告、处置、家校沟通与转介各环节。',
              scenario: d.scenario,
              roles: d.roles,
              responseMinutes: intBetween(r, 3, 15) + (r() < 0.5 ? 0.5 : 0),
              problemsFound: drillGap === 'no_problems' && e === 0 ? null : d.problems,
              improvements: drillGap === 'no_problems' && e === 0 ? null : d.improvements,
            })
          } else {
            const idea = pick(r, ideas(kind, heldOn))
            input = eventCreateInput.parse({
              schoolYearId: y.id,
              kind,
              heldOn,
              title: idea.title,
              audiences: idea.audiences,
              grades: idea.audiences.includes('students') ? shuffled(r, grades).slice(0, intBetween(r, 1, grades.length)) : [],
              participants:
                kind === 'lecture' ? intBetween(r, 30, Math.min(cap, 400)) : intBetween(r, Math.min(cap, 80), Math.min(cap, 1500)),
              organiser: idea.organiser,
              summary: idea.summary,
            })
          }
          const entered = dateBetween(r, heldOn, minDate(addDays(heldOn, 5), latestIn(y)))
          const ctx = ctxAt(entered, 17)
          const { id } = await createEvent(ctx, input)
          counts.events++
          const photo = counts1 || (status === 'complete' && r() < 0.2) || (kind === 'drill' && drillGap === 'no_problems')
          if (photo) await attach(ctx, id, kind, kind !== 'drill' && counts1 && r() < 0.2)
        }
      }

      // Item 4, the information platform: channels students and parents can reach.
      if (plan.platform !== 'not_started') {
        const recordedOn = dateBetween(r, addDays(y.startsOn, 5), minDate(addDays(y.startsOn, 40), latestIn(y)))
        // Launched once, some years back or by the time it is first recorded.
        const launched = (kind: string, from: number) => {
          const key = `${school.id}:${kind}`
          if (!launchedOn.has(key)) launchedOn.set(key, schoolDay(r, `${years[0]!.start - from}-09-01`, recordedOn))
          return launchedOn.get(key)!
        }
        const channels =
          plan.platform === 'complete'
            ? [
                {
                  kind: 'school_site' as const,
                  name: '学校官网“心理健康”专栏（示例）',
                  address: `https://demo.example/${code.toLowerCase()}/xinli`,
                  launchedOn: launched('site', 4),
                },
                ...(r() < 0.7
                  ? [
                      {
                        kind: 'wechat' as const,
                        name: '“示例·心语”微信公众号',
                        address: `微信公众号：示例心语${code.slice(5)}`,
                        launchedOn: launched('wechat', 3),
                      },
                    ]
                  : []),
                ...(!preschool && r() < 0.6
                  ? [
                      {
                        kind: 'mailbox' as const,
                        name: '心理信箱（示例）',
                        address: '心理辅导室门口（每周一、四开箱）',
                        launchedOn: launched('mailbox', 5),
                      },
                    ]
                  : []),
              ]
            : [{ kind: 'wechat' as const, name: '“示例·心语”微信公众号（筹建中）', address: null, launchedOn: null }]
        for (const c of channels) {
          await addChannel(ctxAt(recordedOn, 11), channelCreateInput.parse({ schoolYearId: y.id, ...c }))
          counts.channels++
        }
      }

      // Item 6, the clinic link: a hospital with a signed agreement (a standing one is carried over), or one still being agreed.
      if (plan.clinic !== 'not_started') {
        const before = standing.get(school.id)
        const hospital = before?.hospital ?? (preschool ? pick(r, [HOSPITALS[0]!, HOSPITALS[3]!]) : pick(r, HOSPITALS.slice(0, 3)))
        const agreementOn =
          plan.clinic === 'complete'
            ? (before?.agreementOn ?? schoolDay(r, addDays(y.startsOn, 10), minDate(addDays(y.startsOn, 120), latestIn(y))))
            : null
        const contactName = before?.contactName ?? `示例·${pick(r, ['周', '吴', '郑', '冯', '陈'])}医生`
        const contactPhone = before?.contactPhone ?? `0755-0000${intBetween(r, 1000, 9999)}`
        // Recorded when signed, or early in the year for a standing or pending agreement.
        const recordedOn = agreementOn && agreementOn >= y.startsOn ? agreementOn : addDays(y.startsOn, intBetween(r, 10, 60))
        await saveClinic(
          ctxAt(minDate(recordedOn, latestIn(y)), 14),
          clinicSaveInput.parse({
            schoolYearId: y.id,
            hospital: hospital[0],
            clinicName: hospital[1],
            greenChannel: plan.clinic === 'complete' || r() < 0.5,
            agreementOn,
            contactName,
            contactPhone,
          }),
        )
        counts.clinics++
        standing.set(school.id, { hospital, agreementOn, contactName, contactPhone })
      }
    }
  }

  // ── supervision rounds: first and second half of each year, scored against the district's indicators ──
  const { indicators } = await loadProgrammeSettings(base.db)
  const ranked = (ids: readonly number[], noise: number) =>
    ids
      .map((id) => ({ id, score: engagement.get(id)! + r() * noise }))
      .sort((a, b) => b.score - a.score)
      .map((x) => x.id)
  // The usual windows (November–December, mid-May–June), except that the demo always has one round
  // open today whatever the date it is seeded on: the latest round that has begun stays open for at
  // least two more weeks, and early in a school year its first round opens early.
  const windows: { k: number; y: YearInfo; half: '1' | '2'; opensOn: string; dueOn: string }[] = []
  for (const [k, y] of years.entries()) {
    windows.push({ k, y, half: '1', opensOn: `${y.start}-11-01`, dueOn: `${y.start}-12-31` })
    windows.push({ k, y, half: '2', opensOn: `${y.start + 1}-05-15`, dueOn: `${y.start + 1}-06-30` })
  }
  const current = years.at(-1)!
  const firstOfCurrent = windows.find((w) => w.y === current && w.half === '1')!
  if (firstOfCurrent.opensOn > today) firstOfCurrent.opensOn = maxDate(current.startsOn, addDays(today, -14))
  const begun = windows.filter((w) => w.opensOn <= today)
  const latest = begun.at(-1)
  if (latest && latest.dueOn < addDays(today, 14)) latest.dueOn = addDays(today, 14)
  let roundNo = 0
  for (const { k, y, half, opensOn, dueOn } of begun) {
    const plan = plans[k]!
    const { id: roundId } = await createRound(
      asBureau(at(addDays(opensOn, -7), 9)),
      roundCreateInput.parse({
        title: `（示例）${y.label}学年${half === '1' ? '第一学期' : '第二学期'}心理健康教育督导评估`,
        schoolYearId: y.id,
        half,
        opensOn,
        dueOn,
      }),
    )
    counts.rounds++
    const closed = dueOn < today
    const ids = schools.map((s) => s.id)
    // Closed rounds: most schools submitted, the least engaged are the stragglers. The open round: about a third so far,
    // leaving the schools with demo accounts to submit themselves.
    const submitters = closed
      ? ranked(ids, 0.6).slice(0, Math.round(ids.length * SUBMIT_RATE[Math.min(roundNo, SUBMIT_RATE.length - 1)]!))
      : lastDay >= opensOn
        ? ranked(
            ids.filter((id) => !actorsOf.demoSchools.has(id)),
            0.8,
          ).slice(0, Math.round(ids.length / 3))
        : []
    const submittedOn = new Map(
      submitters.map((id) => [id, closed ? schoolDay(r, maxDate(opensOn, addDays(dueOn, -30)), dueOn) : schoolDay(r, opensOn, lastDay)]),
    )
    for (const id of [...submittedOn.keys()].sort((a, b) => submittedOn.get(a)!.localeCompare(submittedOn.get(b)!))) {
      const sheet = scoreSheetFor(indicators, plan.get(id)!, engagement.get(id)!, half, 'self', r)
      await submitSelfEvaluation(
        asSchool(id, at(submittedOn.get(id)!, 16)),
        selfEvaluationInput.parse({ roundId, version: null, scores: sheet, summary: selfSummary(plan.get(id)!) }),
      )
      counts.selfEvaluations++
    }
    // The bureau scores after the deadline in a closed round; in the open one it has started on the earliest submissions.
    const toScore = closed
      ? submitters.filter(() => r() < 0.97)
      : [...submittedOn.entries()]
          .filter(([, d]) => d <= addDays(today, -3))
          .sort((a, b) => a[1].localeCompare(b[1]))
          .slice(0, 5)
          .map(([id]) => id)
    for (const id of toScore) {
      const scoredOn = closed
        ? schoolDay(r, addDays(dueOn, 1), minDate(addDays(dueOn, 20), lastDay))
        : schoolDay(r, addDays(submittedOn.get(id)!, 1), lastDay)
      const sheet = scoreSheetFor(indicators, plan.get(id)!, engagement.get(id)!, half, 'bureau', r)
      await scoreSchool(
        asBureau(at(scoredOn, 15)),
        bureauScoreInput.parse({
          roundId,
          schoolId: id,
          version: submittedOn.has(id) ? 1 : null,
          scores: sheet,
          comment: bureauComment(plan.get(id)!),
        }),
      )
      counts.scores++
    }
    if (closed) await setRoundStatus(asBureau(at(minDate(addDays(dueOn, 25), lastDay), 11)), { roundId, version: 1 }, 'closed')
    roundNo++
  }
  return counts
}

const ITEM_ZH: Record<Item, string> = {
  team: '队伍建设',
  activity: '主题活动',
  lecture: '心理讲座',
  platform: '信息平台',
  clinic: '门诊链接',
  drill: '危机干预演练',
}
const COMMENTS: Record<Item, string> = {
  team: '（示例）建议补齐班级心理委员配备，提高班主任心理健康培训覆盖面。',
  activity: '（示例）主题活动形式较单一，建议结合“5·25”心理健康月丰富内容并留存过程资料。',
  lecture: '（示例）建议增加面向家长的心理讲座，做好签到与照片留存。',
  platform: '（示例）建议完善校园网心理专栏，公示求助渠道。',
  clinic: '（示例）建议尽快与医院心理门诊签订转介协议，明确绿色通道流程。',
  drill: '（示例）危机干预演练需补充问题复盘与改进措施记录。',
}
const weakest = (plan: Plan) => ITEMS.filter((i) => plan[i] === 'not_started')[0] ?? ITEMS.filter((i) => plan[i] === 'in_progress')[0]

function selfSummary(plan: Plan): string {
  const done = ITEMS.filter((i) => plan[i] === 'complete').length
  const open = ITEMS.filter((i) => plan[i] !== 'complete').map((i) => ITEM_ZH[i])
  return `（示例）对照“七个一”逐项自查：除个案跟进外已完成 ${done} 项${open.length ? `，${open.join('、')}仍在推进` : ''}。`
}

function bureauComment(plan: Plan): string {
  const w = weakest(plan)
  return w ? COMMENTS[w] : '（示例）“七个一”工作扎实，过程资料齐全，建议总结特色经验在全区交流。'
}

/** Indicators that mirror one of the seven items; the others follow the school's overall engagement. */
const INDICATOR_ITEMS: Record<string, Item[]> = {
  A2: ['team'],
  B1: ['activity'],
  B2: ['lecture'],
  C2: ['drill', 'clinic'],
  A1: ['platform'],
}
const STATUS_BONUS: Record<ItemStatus, number> = { complete: 0.12, in_progress: 0, not_started: -0.15 }

/**
 * A score sheet in half points, higher for engaged schools and for items complete in the year; the
 * first half weighs the year's evidence less, and schools rate themselves a little above the bureau.
 */
function scoreSheetFor(
  indicators: readonly Indicator[],
  plan: Plan,
  engagement: number,
  half: '1' | '2',
  who: 'self' | 'bureau',
  r: () => number,
): Record<string, number> {
  const done = ITEMS.filter((i) => plan[i] === 'complete').length
  const weight = half === '1' ? 0.75 : 1
  // A school's own day: the whole sheet runs a little high or low, beyond each indicator's own noise.
  const day = (r() - 0.5) * 0.1
  return Object.fromEntries(
    indicators.map((ind) => {
      const items = INDICATOR_ITEMS[ind.code] ?? []
      const bonus = items.length ? items.reduce((n, i) => n + STATUS_BONUS[plan[i]], 0) / items.length : 0
      const q = 0.5 + 0.2 * engagement + 0.035 * done * weight + bonus * weight + (who === 'self' ? 0.05 : 0) + day + (r() - 0.5) * 0.1
      return [ind.code, Math.round(ind.maxScore * clamp01(q) * 2) / 2]
    }),
  )
}
