import { codeSchema, DEFAULT_CONSENT } from '../../shared/assessment'
import { INSTRUMENTS, type InstrumentId } from '../../shared/instruments'
import { issueCodes, openRound } from '../services/assessment'
import { acknowledgeAlert, addSupport, listAlertsService } from '../services/assessment-alert'
import { submitByCode } from '../services/assessment-response'
import { markRead } from '../services/inbox'
import { shanghaiDate } from '../../shared/shanghai-time'
import { scopeFor, type Actor, type ServiceContext } from '../services/context'
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

/**
 * A synthetic teacher roster (名字带“示例”) for the three demo schools and one open district round,
 * written through the services: teachers by each school admin, the round by the bureau, codes issued
 * by the schools, and about half of the teachers answering through the public service, one of them
 * with an answer that raises an alert and one asking to be contacted; the counsellors have picked both up.
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

  const respondent = { ...base, actor: null, ip: 'demo' }
  for (const [k, school] of schools.entries()) {
    const ctx = await as(school.admin, new Date(now.getTime() - 3 * DAY + 3_600_000))
    const { slips } = await issueCodes(ctx, roundId)
    const answering = slips.filter(() => r() < 0.55)
    for (const [i, slip] of answering.entries()) {
      const answers: Record<string, Record<string, number>> = {}
      for (const id of instruments) {
        const def = INSTRUMENTS[id]
        const values = def.options.map((o) => o.value)
        const lean = id === 'who5' ? values.slice(2) : values.slice(0, 2)
        answers[id] = Object.fromEntries(def.items.map((item) => [item.key, pick(r, r() < 0.85 ? lean : values)]))
      }
      // PHQ-9 item 9 is left at 0 except for the one demo alert at the first school.
      answers.phq9!.phq9_9 = k === 0 && i === 0 ? 1 : 0
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
  return { roundId }
}
