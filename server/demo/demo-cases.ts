import type { CaseCategory, RiskLevel } from '../../shared/cases'
import {
  addFollowUp,
  addNote,
  addNotification,
  addReferral,
  changeRiskLevel,
  completeTask,
  recordCrisis,
  addContact,
} from '../services/case-work'
import { taskCompletion } from '../../shared/cases'
import { closeCase, openCase } from '../services/case'
import { scopeFor, type Actor, type ServiceContext } from '../services/context'
import { createStudent } from '../services/student'
import { intBetween, rng } from './random'

const SURNAMES = ['林', '陈', '黄', '张', '李', '王', '吴', '刘', '蔡', '杨', '郑', '许', '何', '周', '邓', '罗']
const GIVEN = ['晓', '雨', '子涵', '浩', '欣怡', '宇', '思彤', '俊杰', '梓萱', '一诺', '嘉豪', '诗琪', '明轩', '可馨', '博文', '佳怡']
const CLASSES = ['1班', '2班']

const CONCERNS: Record<string, string> = {
  study: '（示例）近一个月作业拖欠，成绩明显下滑，上课注意力不集中。',
  interpersonal: '（示例）与同桌多次冲突，觉得班里没有朋友。',
  emotion: '（示例）情绪低落两周，常说“没意思”，睡眠变差。',
  family: '（示例）父母近期分居，学生在两个家之间往返，情绪波动大。',
  bullying: '（示例）反映在校车上被高年级同学推搡、起外号。',
  self_harm: '（示例）班主任发现手臂有划痕，学生承认近期有自伤行为。',
  school_refusal: '（示例）本学期已缺课 9 天，早上常说肚子疼不愿上学。',
  grief_trauma: '（示例）祖母上月去世，学生与祖母感情很深。',
}

interface Plan {
  category: CaseCategory
  level: RiskLevel
  daysAgo: number
  crisis?: boolean
  referral?: boolean
  closedDaysAgo?: number
}

const PLANS: Plan[] = [
  { category: 'emotion', level: 'high', daysAgo: 20, referral: true },
  { category: 'self_harm', level: 'high', daysAgo: 6, crisis: true, referral: true },
  { category: 'study', level: 'watch', daysAgo: 45 },
  { category: 'interpersonal', level: 'watch', daysAgo: 30 },
  { category: 'family', level: 'watch', daysAgo: 12 },
  { category: 'bullying', level: 'high', daysAgo: 3 },
  { category: 'school_refusal', level: 'watch', daysAgo: 60 },
  { category: 'grief_trauma', level: 'routine', daysAgo: 90, closedDaysAgo: 20 },
  { category: 'study', level: 'watch', daysAgo: 500, closedDaysAgo: 420 },
]

const DAY = 24 * 60 * 60_000

/**
 * Demo students and cases for one school, written through the services as that school's
 * counsellor, with the clock moved back so the history has realistic dates. All text is synthetic.
 */
export async function generateDemoCases(
  base: ServiceContext,
  counsellor: { id: number; username: string; displayName: string; schoolId: number },
  grades: number[],
  seed: number,
) {
  const r = rng(seed)
  const actor: Actor = {
    accountId: counsellor.id,
    sessionId: 0,
    username: counsellor.username,
    displayName: counsellor.displayName,
    role: 'counsellor',
    schoolId: counsellor.schoolId,
    mustChangePassword: false,
    scope: scopeFor('counsellor', counsellor.schoolId),
  }
  const realNow = base.now()
  const at = (daysAgo: number, hour = 10) => {
    const d = new Date(realNow.getTime() - daysAgo * DAY)
    d.setUTCHours(hour - 8, intBetween(r, 0, 59), 0, 0)
    return d
  }
  const ctxAt = (when: Date): ServiceContext => ({ ...base, actor, now: () => when })
  const day = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10)

  const studentIds: number[] = []
  let n = 0
  for (const grade of grades) {
    for (const className of CLASSES) {
      for (let k = 0; k < 8; k++) {
        n++
        const name = `${SURNAMES[intBetween(r, 0, SURNAMES.length - 1)]}${GIVEN[intBetween(r, 0, GIVEN.length - 1)]}（示例）`
        const { id } = await createStudent(ctxAt(at(600)), {
          studentNo: `S${counsellor.schoolId}${String(n).padStart(4, '0')}`,
          name,
          sex: r() < 0.5 ? 'F' : 'M',
          birthDate: `${2026 - 6 - grade}-${String(intBetween(r, 1, 12)).padStart(2, '0')}-${String(intBetween(r, 1, 28)).padStart(2, '0')}`,
          grade,
          className,
          guardianName: `${name.slice(0, 1)}家长（示例）`,
          guardianPhone: `138${String(intBetween(r, 0, 99_999_999)).padStart(8, '0')}`,
        })
        studentIds.push(id)
      }
    }
  }

  let opened = 0
  for (const [i, plan] of PLANS.entries()) {
    const studentId = studentIds[(i * 7 + 3) % studentIds.length]!
    const openedAt = at(plan.daysAgo, 9)
    const { id: caseId } = await openCase(ctxAt(openedAt), {
      studentId,
      source: (['head_teacher', 'self', 'parent', 'screening'] as const)[i % 4]!,
      categories: [plan.category],
      flags: i % 3 === 0 ? ['single_parent'] : [],
      concern: CONCERNS[plan.category] ?? '（示例）需要跟进。',
      riskLevel: plan.level,
      openedOn: day(openedAt),
      counsellorIds: [counsellor.id],
    })
    opened++
    const first = at(Math.max(plan.daysAgo - 1, 0), 15)
    await addNote(ctxAt(first), {
      caseId,
      sessionDate: day(first),
      durationMin: 40,
      type: 'individual',
      text: '（示例记录）初次面谈，建立关系，了解近况与支持系统，约定下次见面时间。',
      private: false,
    })
    await addContact(ctxAt(first), {
      caseId,
      kind: 'guardian_contact',
      relation: 'mother',
      method: 'phone',
      contactedAt: first.toISOString(),
      consentGiven: null,
      note: '（示例）电话告知家长学校关注情况。',
    })
    // Earlier tasks of older cases were dealt with on time; recent ones are still open on the board.
    if (plan.daysAgo > 10) {
      const tasks = await base.db
        .selectFrom('case_task')
        .select(['id', 'kind'])
        .where('case_id', '=', caseId)
        .where('status', '=', 'open')
        .execute()
      const doneAt = at(plan.daysAgo - 2, 16)
      for (const t of tasks) {
        // Each task is finished the way a counsellor would: a notification names who was told and when.
        const how = taskCompletion(t.kind)
        if (how === 'notification') {
          const guardian = t.kind === 'notify_guardian'
          await addNotification(ctxAt(doneAt), {
            caseId,
            taskId: t.id,
            recipient: guardian ? 'guardian' : 'principal',
            name: guardian ? '母亲（示例）' : '张某（示例）',
            at: new Date(doneAt.getTime() - 30 * 60_000).toISOString(),
          })
        } else if (how === 'referral' && !plan.referral) {
          await completeTask(ctxAt(doneAt), {
            taskId: t.id,
            status: 'not_applicable',
            reason: '（示例）家长已自行带学生就医，学校未另行转介。',
          })
        } else if (how === 'tick') await completeTask(ctxAt(doneAt), { taskId: t.id, status: 'done' })
      }
    }
    if (plan.referral) {
      await addReferral(ctxAt(at(plan.daysAgo - 1, 16)), {
        caseId,
        kind: 'hospital_clinic',
        target: '示例市儿童医院心理门诊（合成）',
        sentOn: day(at(plan.daysAgo - 1)),
      })
    }
    if (plan.crisis) {
      const when = at(plan.daysAgo - 2, 11)
      // Recorded half an hour later, once the student was safe and the calls were made.
      await recordCrisis(ctxAt(new Date(when.getTime() + 30 * 60_000)), {
        caseId,
        occurredAt: when.toISOString(),
        what: '（示例）课间在洗手间发现学生情绪崩溃，有自伤行为。',
        actions: '（示例）校医处理伤口，带至心理辅导室。',
        accompanied: true,
        accompaniedBy: '班主任（示例）',
        notified: [
          { recipient: 'principal', name: '张某（示例）', at: new Date(when.getTime() + 10 * 60_000).toISOString() },
          { recipient: 'guardian', name: '母亲（示例）', at: new Date(when.getTime() + 20 * 60_000).toISOString() },
        ],
      })
    }
    if (!plan.closedDaysAgo) {
      await addFollowUp(ctxAt(at(plan.daysAgo - 1)), {
        caseId,
        dueOn: day(at(plan.daysAgo > 20 ? 3 : -5)),
        purpose: '（示例）复谈，评估情绪与学业情况',
      })
    }
    if (plan.level === 'watch' && plan.daysAgo > 40 && !plan.closedDaysAgo) {
      const c = await base.db.selectFrom('student_case').select('version').where('id', '=', caseId).executeTakeFirstOrThrow()
      await changeRiskLevel(ctxAt(at(10)), {
        caseId,
        version: c.version,
        level: 'routine',
        reason: '（示例）情况稳定，出勤恢复，降为常规关注。',
      })
    }
    if (plan.closedDaysAgo) {
      const c = await base.db.selectFrom('student_case').select('version').where('id', '=', caseId).executeTakeFirstOrThrow()
      await closeCase(ctxAt(at(plan.closedDaysAgo)), {
        caseId,
        version: c.version,
        outcome: '（示例）目标达成，学生适应良好，结案并告知班主任继续关注。',
      })
    }
  }
  return { students: studentIds.length, cases: opened }
}
