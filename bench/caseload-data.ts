/**
 * Synthetic caseload for `bench/caseload.ts`: schools, counsellors, students and cases written
 * through the same services a counsellor calls (project rule for demo and bench data), with the
 * clock moved so every case has a realistic history relative to a fixed "now". All text is synthetic.
 * Call it with a context whose `db` is an open transaction: the services join it.
 */
import { intBetween, rng } from '../server/demo/random'
import { createAccount } from '../server/services/account'
import { closeCase, openCase } from '../server/services/case'
import { addFollowUp, addNote, changeRiskLevel, completeTask } from '../server/services/case-work'
import { scopeFor, type Actor, type ServiceContext } from '../server/services/context'
import { createSchool, createStreet } from '../server/services/school'
import { createStudent } from '../server/services/student'
import { CASE_CATEGORIES, CASE_SOURCES, taskCompletion, VULNERABLE_FLAGS, type RiskLevel } from '../shared/cases'
import type { SchoolType } from '../shared/roles'

const DAY = 24 * 60 * 60_000
const PASSWORD = 'Bench-Caseload-2026'
const SURNAMES = ['林', '陈', '黄', '张', '李', '王', '吴', '刘', '蔡', '杨', '郑', '许', '何', '周', '邓', '罗']
const GIVEN = ['晓', '雨', '子涵', '浩', '欣怡', '宇', '思彤', '俊杰', '梓萱', '一诺', '嘉豪', '诗琪', '明轩', '可馨', '博文', '佳怡']
/** Share of cases opened at each level (cumulative thresholds below). */
const LEVELS: [RiskLevel, number][] = [
  ['crisis', 0.03],
  ['high', 0.15],
  ['watch', 0.45],
  ['routine', 0.37],
]

export interface SchoolPlan {
  code: string
  type: SchoolType
  grades: number[]
  classesPerGrade: number
  students: number
  cases: number
  /** share of cases that end up closed */
  closedShare: number
  counsellors: number
  seed: number
}

export interface GeneratedSchool {
  schoolId: number
  /** the first counsellor: the actor the bench reads the board as */
  counsellor: Actor
  students: number
  cases: { open: number; closed: number }
  tasks: number
  followUps: number
}

function pickLevel(x: number): RiskLevel {
  let acc = 0
  for (const [level, share] of LEVELS) {
    acc += share
    if (x < acc) return level
  }
  return 'routine'
}

/** A Shanghai calendar date (YYYY-MM-DD) of an instant. */
function day(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10)
}

async function generateSchool(base: ServiceContext, streetId: number, plan: SchoolPlan, now: Date): Promise<GeneratedSchool> {
  const r = rng(plan.seed)
  const { id: schoolId } = await createSchool(base, {
    code: `BENCH-${plan.code}`,
    name: `基准测试学校${plan.code}（合成）`,
    nameEn: `Bench School ${plan.code}`,
    type: plan.type,
    streetId,
    isPublic: true,
    address: null,
  })
  const counsellors: Actor[] = []
  for (let k = 1; k <= plan.counsellors; k++) {
    const username = `bench.${plan.code.toLowerCase()}.c${k}`
    const displayName = `心理教师${plan.code}-${k}（合成）`
    const { id } = await createAccount(
      base,
      { username, displayName, role: 'counsellor', schoolId, password: PASSWORD },
      { mustChangePassword: false },
    )
    counsellors.push({
      accountId: id,
      sessionId: 0,
      username,
      displayName,
      role: 'counsellor',
      schoolId,
      mustChangePassword: false,
      scope: scopeFor('counsellor', schoolId),
    })
  }
  const as = (actor: Actor, when: Date): ServiceContext => ({ ...base, actor, now: () => when })
  const ago = (days: number, hour = 10) => {
    const d = new Date(now.getTime() - days * DAY)
    d.setUTCHours(hour - 8, intBetween(r, 0, 59), 0, 0)
    return d.getTime() > now.getTime() ? new Date(now.getTime() - 60_000) : d
  }

  const enrolled = ago(700)
  const studentIds: number[] = []
  for (let n = 0; n < plan.students; n++) {
    const grade = plan.grades[n % plan.grades.length]!
    const className = `${(Math.floor(n / plan.grades.length) % plan.classesPerGrade) + 1}班`
    const name = `${SURNAMES[intBetween(r, 0, SURNAMES.length - 1)]}${GIVEN[intBetween(r, 0, GIVEN.length - 1)]}（合成）`
    const { id } = await createStudent(as(counsellors[0]!, enrolled), {
      studentNo: `${plan.code}${String(n + 1).padStart(6, '0')}`,
      name,
      sex: r() < 0.5 ? 'F' : 'M',
      birthDate: null,
      grade,
      className,
      guardianName: null,
      guardianPhone: `139${String(intBetween(r, 0, 99_999_999)).padStart(8, '0')}`,
    })
    studentIds.push(id)
  }

  // Distinct students for the cases (a student has at most one open case), spread over grades and classes.
  for (let i = studentIds.length - 1; i > 0; i--) {
    const j = intBetween(r, 0, i)
    ;[studentIds[i], studentIds[j]] = [studentIds[j]!, studentIds[i]!]
  }

  const out: GeneratedSchool = {
    schoolId,
    counsellor: counsellors[0]!,
    students: studentIds.length,
    cases: { open: 0, closed: 0 },
    tasks: 0,
    followUps: 0,
  }
  for (let i = 0; i < plan.cases; i++) {
    const owner = counsellors[i % counsellors.length]!
    const team =
      r() < 0.25 && counsellors.length > 1 ? [owner.accountId, counsellors[(i + 1) % counsellors.length]!.accountId] : [owner.accountId]
    const closing = r() < plan.closedShare
    const daysAgo = closing ? intBetween(r, 120, 600) : intBetween(r, 0, 240)
    const level = pickLevel(r())
    const categories = [CASE_CATEGORIES[intBetween(r, 0, CASE_CATEGORIES.length - 1)]!]
    if (r() < 0.35) categories.push(CASE_CATEGORIES[intBetween(r, 0, CASE_CATEGORIES.length - 1)]!)
    const openedAt = ago(daysAgo, 9)
    const { id: caseId } = await openCase(as(owner, openedAt), {
      studentId: studentIds[i]!,
      source: CASE_SOURCES[i % CASE_SOURCES.length]!,
      categories,
      flags: r() < 0.2 ? [VULNERABLE_FLAGS[intBetween(r, 0, VULNERABLE_FLAGS.length - 1)]!] : [],
      concern: '（合成）基准测试用的个案关注描述。',
      riskLevel: level,
      openedOn: day(openedAt),
      counsellorIds: team,
    })
    const firstSession = ago(Math.max(daysAgo - 1, 0), 15)
    if (r() < 0.3) {
      await addNote(as(owner, firstSession), {
        caseId,
        sessionDate: day(firstSession),
        durationMin: 40,
        type: 'individual',
        text: '（合成记录）初次面谈。',
        private: false,
      })
    }
    // Older cases had their opening tasks dealt with, most of them; the rest stay open (and overdue).
    if (daysAgo > 14 && r() < 0.7) {
      const open = await base.db
        .selectFrom('case_task')
        .select(['id', 'kind'])
        .where('case_id', '=', caseId)
        .where('status', '=', 'open')
        .execute()
      // A notification or referral task is done only by recording it (not generated here): those stay open.
      for (const t of open.filter((t) => taskCompletion(t.kind) === 'tick'))
        await completeTask(as(owner, ago(daysAgo - 2, 16)), { taskId: t.id, status: 'done' })
    }
    if (!closing && level === 'watch' && daysAgo > 60 && r() < 0.3) {
      const c = await base.db.selectFrom('student_case').select('version').where('id', '=', caseId).executeTakeFirstOrThrow()
      await changeRiskLevel(as(owner, ago(intBetween(r, 1, 30))), {
        caseId,
        version: c.version,
        level: 'routine',
        reason: '（合成）情况稳定。',
      })
    }
    // Follow-ups on 60 % of cases, due between a week after opening and a month from now: the past ones are overdue.
    if (r() < 0.6) {
      const plannedAt = ago(Math.max(daysAgo - 1, 0), 16)
      const earliest = Math.max(daysAgo - 7, -30)
      await addFollowUp(as(owner, plannedAt), {
        caseId,
        dueOn: day(new Date(now.getTime() - intBetween(r, -30, earliest) * DAY)),
        purpose: r() < 0.5 ? '（合成）复谈' : null,
      })
    }
    if (closing) {
      const c = await base.db.selectFrom('student_case').select('version').where('id', '=', caseId).executeTakeFirstOrThrow()
      await closeCase(as(owner, ago(daysAgo - intBetween(r, 30, 110), 17)), { caseId, version: c.version, outcome: '（合成）结案。' })
      out.cases.closed++
    } else {
      out.cases.open++
    }
  }
  const count = async (table: 'case_task' | 'case_follow_up') =>
    Number(
      (
        await base.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('school_id', '=', schoolId)
          .executeTakeFirstOrThrow()
      ).n,
    )
  out.tasks = await count('case_task')
  out.followUps = await count('case_follow_up')
  return out
}

/** One street, then each planned school with its counsellors, students and cases. `base.actor` must be an admin. */
export async function generateCaseload(base: ServiceContext, plans: SchoolPlan[], now: Date): Promise<GeneratedSchool[]> {
  const { id: streetId } = await createStreet(base, { code: 'BENCH', nameZh: '基准街道（合成）', nameEn: 'Bench Street', sortOrder: 1 })
  const out: GeneratedSchool[] = []
  for (const plan of plans) out.push(await generateSchool(base, streetId, plan, now))
  return out
}
