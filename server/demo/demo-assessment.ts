import { codeSchema, DEFAULT_CONSENT } from '../../shared/assessment'
import { INSTRUMENTS, type InstrumentId } from '../../shared/instruments'
import { issueCodes, openRound } from '../services/assessment'
import { acknowledgeAlert, addSupport, listAlertsService } from '../services/assessment-alert'
import { submitByCode } from '../services/assessment-response'
import { markRead } from '../services/inbox'
import { shanghaiDate } from '../../shared/shanghai-time'
import { scopeFor, SYSTEM_ACTOR, type Actor, type ServiceContext } from '../services/context'
import { createTeacher } from '../services/teacher'
import { intBetween, pick, rng } from './random'

const DAY = 86_400_000
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林']
const GIVEN = ['静', '敏', '伟', '芳', '磊', '洋', '婷', '军', '杰', '娟', '涛', '明', '霞', '超', '华', '红', '平', '刚']
const SUBJECTS = ['语文', '数学', '英语', '物理', '化学', '生物', '历史', '地理', '道德与法治', '体育', '音乐', '美术', '信息技术', '科学']

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

/** Answers leaning to the calm end of each scale, as most teachers give; PHQ-9 item 9 at `item9`. */
function demoAnswers(r: () => number, instruments: InstrumentId[], item9: number) {
  const answers: Record<string, Record<string, number>> = {}
  for (const id of instruments) {
    const def = INSTRUMENTS[id]
    const values = def.options.map((o) => o.value)
    const lean = id === 'who5' ? values.slice(2) : values.slice(0, 2)
    answers[id] = Object.fromEntries(def.items.map((item) => [item.key, pick(r, r() < 0.85 ? lean : values)]))
  }
  if (answers.phq9) answers.phq9.phq9_9 = item9
  return answers
}

/**
 * A synthetic teacher roster (名字带“示例”) for the three demo schools, two past district rounds (a year
 * and a term ago) and one open one, written through the services: teachers by each school admin, rounds by
 * the bureau, codes issued by the schools, and about half of the teachers answering through the public
 * service, one of them with an answer that raises an alert and one asking to be contacted; the counsellors
 * have picked both up. A fourth demo school has no counsellor: its teachers' open round raised an alert that
 * went to the district centre (centre1) and nobody has acknowledged yet, so it escalates on start.
 */
export async function generateDemoAssessment(
  base: ServiceContext,
  schools: { id: number; admin: string; counsellor: string }[],
  seed: number,
) {
  const r = rng(seed)
  const now = base.now()
  const as = async (username: string, when = now) => ({ ...base, actor: await actorOf(base, username), now: () => when })
  let staffNo = 0
  for (const school of schools) {
    const ctx = await as(school.admin, new Date(now.getTime() - 30 * DAY))
    const count = intBetween(r, 22, 30)
    for (let i = 0; i < count; i++) {
      staffNo++
      await createTeacher(ctx, {
        staffNo: `T${school.id}${String(staffNo).padStart(4, '0')}`,
        name: `${pick(r, SURNAMES)}${pick(r, GIVEN)}${r() < 0.4 ? pick(r, GIVEN) : ''}（示例）`,
        sex: r() < 0.7 ? 'F' : 'M',
        birthYear: intBetween(r, 1968, 2001),
        subject: pick(r, SUBJECTS),
        phone: null,
      })
    }
  }

  const instruments: InstrumentId[] = ['phq9', 'gad7', 'who5']
  const respondent = { ...base, actor: null, ip: 'demo' }
  // Two past rounds, so the year-over-year charts have something to compare; their alerts were handled then.
  for (const [name, daysAgo] of [
    ['（示例）上学年教师心理健康评估', 365],
    ['（示例）上学期教师心理健康评估', 180],
  ] as const) {
    const opened = new Date(now.getTime() - daysAgo * DAY)
    const past = await openRound(await as('bureau', opened), {
      name,
      opensAt: opened.toISOString(),
      closesAt: new Date(opened.getTime() + 14 * DAY).toISOString(),
      instruments,
      schoolIds: schools.map((s) => s.id),
      consentZh: DEFAULT_CONSENT['zh-CN'],
      consentEn: DEFAULT_CONSENT.en,
      recurrence: 'none',
    })
    for (const school of schools) {
      const { slips } = await issueCodes(await as(school.admin, new Date(opened.getTime() + 3_600_000)), past.id)
      for (const slip of slips.filter(() => r() < 0.6)) {
        const when = new Date(opened.getTime() + intBetween(r, 2, 300) * 3_600_000)
        await submitByCode(
          { ...respondent, now: () => when },
          { code: codeSchema.parse(slip.code), answers: demoAnswers(r, instruments, 0), contactMe: false },
        )
      }
      const handler = await as(school.counsellor, new Date(opened.getTime() + 13 * DAY))
      for (const alert of await listAlertsService(handler, { status: 'open' })) await acknowledgeAlert(handler, alert.id)
    }
  }

  const bureau = await as('bureau', new Date(now.getTime() - 3 * DAY))
  const { id: roundId } = await openRound(bureau, {
    name: '（示例）本学期教师心理健康评估',
    opensAt: new Date(now.getTime() - 3 * DAY).toISOString(),
    closesAt: new Date(now.getTime() + 11 * DAY).toISOString(),
    instruments,
    schoolIds: schools.map((s) => s.id),
    consentZh: DEFAULT_CONSENT['zh-CN'],
    consentEn: DEFAULT_CONSENT.en,
    recurrence: 'term',
  })

  for (const [k, school] of schools.entries()) {
    const ctx = await as(school.admin, new Date(now.getTime() - 3 * DAY + 3_600_000))
    const { slips } = await issueCodes(ctx, roundId)
    const answering = slips.filter(() => r() < 0.55)
    for (const [i, slip] of answering.entries()) {
      // PHQ-9 item 9 is left at 0 except for the one demo alert at the first school.
      const answers = demoAnswers(r, instruments, k === 0 && i === 0 ? 1 : 0)
      const when = new Date(now.getTime() - intBetween(r, 1, 60) * 3_600_000)
      await submitByCode({ ...respondent, now: () => when }, { code: codeSchema.parse(slip.code), answers, contactMe: k === 1 && i === 0 })
    }
  }
  // Each school's counsellor has already picked up its alert: acknowledged, a first contact recorded, the inbox read.
  for (const school of schools) {
    const ctx = await as(school.counsellor, new Date(now.getTime() - 30 * 60_000))
    for (const alert of await listAlertsService(ctx, { status: 'open' })) {
      await acknowledgeAlert(ctx, alert.id)
      await addSupport(ctx, {
        alertId: alert.id,
        kind: 'contact',
        onDate: shanghaiDate(ctx.now()),
        text: '（示例）已电话联系，约定本周内面谈。',
      })
    }
    await markRead(ctx, { all: true })
  }
  await demoCentreAlert(base, schools, instruments, r)
  return { roundId }
}

/** A demo school without a counsellor: its teachers (entered by the system) answer a school round; one alert goes to the centre. */
async function demoCentreAlert(base: ServiceContext, schools: { id: number }[], instruments: InstrumentId[], r: () => number) {
  const now = base.now()
  const school = await base.db
    .selectFrom('school')
    .leftJoin('account', (j) => j.onRef('account.school_id', '=', 'school.id').on('account.role', '=', 'counsellor'))
    .select('school.id')
    .where('account.id', 'is', null)
    .where('school.disabled_at', 'is', null)
    .where(
      'school.id',
      'not in',
      schools.map((s) => s.id),
    )
    .orderBy('school.code')
    .executeTakeFirst()
  if (!school) return
  const actor: Actor = { ...SYSTEM_ACTOR, role: 'school_admin', schoolId: school.id, scope: scopeFor('school_admin', school.id) }
  const at = (when: Date) => ({ ...base, actor, now: () => when })
  // opened before the district round, so the rounds lists keep the district round first
  const start = new Date(now.getTime() - 4 * DAY)
  for (let i = 0; i < 12; i++)
    await createTeacher(at(start), {
      staffNo: `TC${String(i + 1).padStart(3, '0')}`,
      name: `${pick(r, SURNAMES)}${pick(r, GIVEN)}（示例）`,
      sex: r() < 0.7 ? 'F' : 'M',
      birthYear: intBetween(r, 1968, 2001),
      subject: pick(r, SUBJECTS),
      phone: null,
    })
  const { id } = await openRound(at(start), {
    name: '（示例）本校教师心理健康评估',
    opensAt: start.toISOString(),
    closesAt: new Date(now.getTime() + 12 * DAY).toISOString(),
    instruments,
    schoolIds: [school.id],
    consentZh: DEFAULT_CONSENT['zh-CN'],
    consentEn: DEFAULT_CONSENT.en,
    recurrence: 'term',
  })
  const { slips } = await issueCodes(at(new Date(start.getTime() + 3_600_000)), id)
  const when = new Date(start.getTime() + 5 * 3_600_000)
  await submitByCode(
    { ...base, actor: null, ip: 'demo', now: () => when },
    {
      code: codeSchema.parse(slips[0]!.code),
      answers: demoAnswers(r, instruments, 1),
      contactMe: false,
    },
  )
}
