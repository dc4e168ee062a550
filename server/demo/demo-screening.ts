import { codeSchema } from '../../shared/assessment'
import type { QuestionnaireDefinition } from '../../shared/screening'
import { shanghaiDate } from '../../shared/shanghai-time'
import { scopeFor, type Actor, type ServiceContext } from '../services/context'
import { markRead } from '../services/inbox'
import {
  createCampaign,
  campaignClasses,
  consentRoster,
  issueSlips,
  publishQuestionnaire,
  recordConsent,
  saveQuestionnaire,
  sessionStatus,
  startSession,
  endSessionService,
} from '../services/screening'
import { submitStudent } from '../services/screening-response'
import { listWarningsService, recordOutcome } from '../services/screening-warning'
import { intBetween, rng } from './random'

const DAY = 86_400_000

async function actorOf(ctx: ServiceContext, username: string): Promise<Actor> {
  const a = await ctx.db
    .selectFrom('account')
    .select(['id', 'username', 'display_name', 'role', 'school_id'])
    .where('username', '=', username)
    .executeTakeFirstOrThrow()
  return {
    accountId: a.id,
    sessionId: 0,
    username: a.username,
    displayName: a.display_name,
    role: a.role,
    schoolId: a.school_id,
    mustChangePassword: false,
    scope: scopeFor(a.role, a.school_id),
  }
}

const tf = [
  { value: 0, labelZh: '正确', labelEn: 'True' },
  { value: 1, labelZh: '错误', labelEn: 'False' },
]
const item = (n: number, zh: string, en: string, correct: 0 | 1) => ({
  key: `k${n}`,
  textZh: zh,
  textEn: en,
  options: tf,
  correct,
  critical: null,
})

/** A synthetic core-knowledge quiz (示例): ten true/false statements. */
export const DEMO_QUIZ: QuestionnaireDefinition = {
  kind: 'quiz',
  nameZh: '（示例）心理健康核心知识测验',
  nameEn: '(Demo) Core mental-health knowledge quiz',
  stemZh: '请判断下列说法是否正确。',
  stemEn: 'Is each statement true or false?',
  items: [
    item(1, '心理健康和身体健康同样重要。', 'Mental health matters as much as physical health.', 0),
    item(2, '情绪低落时向他人求助是软弱的表现。', 'Asking for help when you feel low is a sign of weakness.', 1),
    item(3, '规律作息和适量运动有助于保持良好情绪。', 'Regular sleep and exercise help keep a good mood.', 0),
    item(4, '有心理困扰的人只能靠自己挺过去。', 'People with psychological distress can only get through it alone.', 1),
    item(5, '学校心理辅导室会为来访同学保密。', "The school's counselling room keeps what students say confidential.", 0),
    item(6, '抑郁情绪一定会自己消失，不需要关注。', 'Low mood always goes away by itself and needs no attention.', 1),
    item(7, '发现同学有伤害自己的想法，应尽快告诉老师或家长。', 'If a classmate thinks of self-harm, tell a teacher or parent quickly.', 0),
    item(8, '心理问题是可以预防和治疗的。', 'Psychological problems can be prevented and treated.', 0),
    item(9, '压力越大，学习效率一定越高。', 'More stress always means more efficient study.', 1),
    item(10, '全国心理援助热线可以在需要时拨打。', 'A psychological support hotline can be called when needed.', 0),
  ],
  bands: [],
}

/**
 * A district screening campaign (示例) for the three demo schools, through the services: the bureau
 * publishes the demo quiz and creates the campaign (PHQ-9 and the quiz) for their grades; each school's
 * counsellor records consent slips (the right party for each age; some students without consent),
 * prints slips and runs class sessions; most consented students answer, one answer raises a critical
 * warning and some raise high or watch ones; one warning already became a case. A quiz campaign of the
 * previous school year gives the awareness dashboard a year-over-year comparison.
 */
export async function generateDemoScreening(base: ServiceContext, schools: { id: number; counsellor: string }[], seed: number) {
  const r = rng(seed)
  const now = base.now()
  const as = async (username: string, when: Date) => ({ ...base, actor: await actorOf(base, username), now: () => when })
  const bureauThen = await as('bureau', new Date(now.getTime() - 400 * DAY))
  const { versionId } = await saveQuestionnaire(bureauThen, { definition: DEMO_QUIZ })
  await publishQuestionnaire(bureauThen, versionId)
  const quiz = `q${versionId}`

  const grades = [4, 5, 6, 7, 8, 9]
  const campaigns = [
    { at: new Date(now.getTime() - 365 * DAY), name: '（示例）上学年心理健康知识调查', instruments: [quiz], skill: 0.55 },
    { at: new Date(now.getTime() - 3 * DAY), name: '（示例）本学年学生心理健康筛查', instruments: ['phq9', quiz], skill: 0.62 },
  ]
  for (const [c, plan] of campaigns.entries()) {
    const bureau = await as('bureau', plan.at)
    const day = shanghaiDate(plan.at)
    const { id: campaignId } = await createCampaign(bureau, {
      name: plan.name,
      campaignDate: day,
      closesOn: shanghaiDate(new Date(plan.at.getTime() + 14 * DAY)),
      instruments: plan.instruments,
      grades,
      classNames: [],
      schoolIds: schools.map((s) => s.id),
    })
    for (const [k, school] of schools.entries()) {
      const counsellor = await as(school.counsellor, new Date(plan.at.getTime() + 3_600_000))
      const { classes } = await campaignClasses(counsellor, campaignId)
      for (const cls of classes) {
        const roster = await consentRoster(counsellor, { campaignId, grade: cls.grade, className: cls.className })
        for (const s of roster) {
          // About one in twelve families returns no slip: that student is simply not offered the questionnaire.
          if (r() < 0.08) continue
          await recordConsent(counsellor, { campaignId, studentId: s.studentId, party: s.required, slipDate: day })
        }
        const { slips } = await issueSlips(counsellor, { campaignId, grade: cls.grade, className: cls.className })
        const { id: sessionId } = await startSession(counsellor, { campaignId, grade: cls.grade, className: cls.className })
        const { classCode } = await sessionStatus(counsellor, sessionId)
        for (const [i, slip] of slips.entries()) {
          if (i > 0 && r() < 0.1) continue
          const answers: Record<string, Record<string, number>> = {}
          if (plan.instruments.includes('phq9')) {
            const heavy = r() < 0.12
            answers.phq9 = Object.fromEntries(
              Array.from({ length: 9 }, (_, n) => [`phq9_${n + 1}`, heavy ? intBetween(r, 1, 3) : intBetween(r, 0, 1)]),
            )
            // One critical answer at the first school, in its first class; item 9 is 0 everywhere else.
            answers.phq9.phq9_9 = c === 1 && k === 0 && cls === classes[0] && i === 0 ? 1 : 0
          }
          const skill = plan.skill + (cls.grade - 6) * 0.02
          answers[quiz] = Object.fromEntries(DEMO_QUIZ.items.map((it) => [it.key, r() < skill ? it.correct! : 1 - it.correct!]))
          const when = new Date(plan.at.getTime() + 2 * 3_600_000 + i * 60_000)
          await submitStudent(
            { ...base, actor: null, ip: 'demo', now: () => when },
            { classCode: classCode!, code: codeSchema.parse(slip.code), answers },
          )
        }
        await endSessionService(counsellor, sessionId)
      }
    }
    // This year's warnings: the first school's counsellor has interviewed two students.
    if (c === 1) {
      const counsellor = await as(schools[0]!.counsellor, new Date(now.getTime() - DAY))
      const open = await listWarningsService(counsellor, { status: 'open' })
      const critical = open.find((w) => w.level === 'critical')
      if (critical)
        await recordOutcome(counsellor, {
          id: critical.id,
          version: critical.version,
          interviewOn: shanghaiDate(counsellor.now()),
          notes: '（示例）当天完成二次访谈，学生表示近期有消极想法，已联系监护人。',
          outcome: 'case',
          riskLevel: 'high',
          categories: ['self_harm', 'emotion'],
        })
      const watch = open.find((w) => w.level === 'watch')
      if (watch)
        await recordOutcome(counsellor, {
          id: watch.id,
          version: watch.version,
          interviewOn: shanghaiDate(counsellor.now()),
          notes: '（示例）访谈后情绪平稳，近期考试压力较大，约定一个月后回访。',
          outcome: 'watch',
          categories: [],
        })
      for (const school of schools) await markRead(await as(school.counsellor, now), { all: true })
    }
  }
}
