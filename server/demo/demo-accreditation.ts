import { treePoints, type Tree } from '../../shared/accreditation'
import type { Role } from '../../shared/roles'
import { shanghaiDate } from '../../shared/shanghai-time'
import {
  acceptApplication,
  createDraftVersion,
  openApplication,
  publishVersion,
  returnApplication,
  saveSelfAssessment,
  submitApplication,
  treeOfVersion,
} from '../services/accreditation'
import { addDelta, assignExpert, candidatesService, decide, recordVisit, saveSheet } from '../services/accreditation-review'
import { addEmployment, runReminders } from '../services/accreditation-titles'
import { createAccount } from '../services/account'
import { scopeFor, type Actor, type ServiceContext } from '../services/context'
import { loadAccreditationSettings, updateAccreditationSettings } from '../services/district-settings'
import { rng } from './random'

const DAY = 86_400_000

interface DemoSchool {
  id: number
  name: string
}

function actorFor(accountId: number, username: string, role: Role, schoolId: number | null): Actor {
  return {
    accountId,
    sessionId: 0,
    username,
    displayName: username,
    role,
    schoolId,
    mustChangePassword: false,
    scope: scopeFor(role, schoolId),
  }
}

async function accountActor(ctx: ServiceContext, username: string): Promise<Actor> {
  const a = await ctx.db
    .selectFrom('account')
    .select(['id', 'role', 'school_id'])
    .where('username', '=', username)
    .executeTakeFirstOrThrow()
  return actorFor(a.id, username, a.role, a.school_id)
}

/**
 * The accreditation story (合成演示数据), written through the services at past dates: the default
 * indicator tree published by the bureau; two more experts with employment histories; titles won two
 * and three years ago (one nearing expiry, so its re-review reminder is in the inbox); a "not yet";
 * and files at every stage of this year's pipeline — a draft at school1, a returned file, one waiting
 * for the completeness check, and one in review where expert1 still has a sheet to score.
 */
export async function generateDemoAccreditation(
  ctx: ServiceContext,
  district: readonly DemoSchool[],
  draftSchoolAdmin: string,
  seed: number,
  password: string,
) {
  // The three demo schools with accounts keep their own stories (school1's admin opens the draft below).
  const own = await ctx.db.selectFrom('account').select('school_id').where('school_id', 'is not', null).execute()
  const taken = new Set(own.map((a) => a.school_id))
  const schools = district.filter((s) => !taken.has(s.id))
  const r = rng(seed)
  const now = ctx.now().getTime()
  const at = (daysAgo: number): ServiceContext => ({ ...ctx, now: () => new Date(now - daysAgo * DAY) })
  const as = (c: ServiceContext, actor: Actor): ServiceContext => ({ ...c, actor })

  const accounts: { username: string; role: Role; displayName: string; school: string | null }[] = []
  for (const [username, displayName] of [
    ['expert2', '专家委员二（示例）'],
    ['expert3', '专家委员三（示例）'],
  ] as const) {
    await createAccount(ctx, { username, role: 'expert', displayName, schoolId: null, password }, { mustChangePassword: false })
    accounts.push({ username, role: 'expert', displayName, school: null })
  }
  const bureau = await accountActor(ctx, 'bureau')
  const experts = await Promise.all(['expert1', 'expert2', 'expert3'].map((u) => accountActor(ctx, u)))
  const [e1, e2, e3] = experts as [Actor, Actor, Actor]
  void e2

  // The tree, published by the bureau three and a half years ago; the groups and defaults as settings.
  const old = at(3 * 365 + 200)
  const v = await createDraftVersion(as(old, bureau))
  await publishVersion(as(old, bureau), { versionId: v.id })
  const settings = await loadAccreditationSettings(ctx.db)
  await updateAccreditationSettings(as(old, bureau), {
    ...settings,
    groups: [
      { name: '示例·福田教育集团', schoolIds: [schools[3]!.id, schools[13]!.id, schools[60]!.id] },
      { name: '示例·莲花教育集团', schoolIds: [schools[22]!.id, schools[70]!.id] },
    ],
  })
  const { tree } = await treeOfVersion(ctx, v.id)

  // Where the experts work, and where expert3 worked before (a conflict the bureau will see).
  await addEmployment(as(ctx, bureau), { accountId: e1.accountId, schoolId: schools[60]!.id, fromOn: '2012-09-01', toOn: null })
  await addEmployment(as(ctx, bureau), { accountId: e2.accountId, schoolId: schools[71]!.id, fromOn: '2016-09-01', toOn: null })
  await addEmployment(as(ctx, bureau), { accountId: e3.accountId, schoolId: schools[3]!.id, fromOn: '2008-09-01', toOn: '2015-08-31' })
  await addEmployment(as(ctx, bureau), { accountId: e3.accountId, schoolId: schools[85]!.id, fromOn: '2015-09-01', toOn: null })

  const points = treePoints(tree)
  const scores = (level: number, over: Record<string, number> = {}) =>
    points.map((p) => ({
      code: p.code,
      score: over[p.code] ?? Math.min(p.maxScore, Math.max(0, Math.round(p.maxScore * (level + (r() - 0.5) * 0.15)))),
      comment: '',
    }))
  const schoolActor = (schoolId: number) => actorFor(0, 'demo-school', 'school_admin', schoolId)

  async function apply(c: ServiceContext, school: number, level: number, who: Actor = schoolActor(school)) {
    const { id } = await openApplication(as(c, who))
    await saveSelfAssessment(as(c, who), { applicationId: id, version: 1, points: scores(level) })
    return { id, who }
  }
  async function throughReview(school: number, daysAgo: number, level: number, panelLevel: number, tree: Tree) {
    const { id, who } = await apply(at(daysAgo + 60), school, level)
    await submitApplication(as(at(daysAgo + 55), who), { applicationId: id })
    await acceptApplication(as(at(daysAgo + 50), bureau), { applicationId: id })
    const panel = await seat(at(daysAgo + 45), id, 2)
    for (const e of panel) await saveSheet(as(at(daysAgo + 30), e), { applicationId: id, points: scores(panelLevel) }, true)
    await recordVisit(as(at(daysAgo + 10), bureau), {
      applicationId: id,
      visitedOn: shanghaiDate(at(daysAgo + 10).now()),
      observations: '（示例）现场查看心理辅导室、值班记录与危机干预演练材料，师生访谈情况良好。',
    })
    void tree
    return { id, panel }
  }

  /** Seats the first `n` experts without a conflict (expert1 first); a conflicted one only with a recorded reason. */
  async function seat(c: ServiceContext, applicationId: number, n: number, must: Actor[] = []) {
    const rows = await candidatesService(as(c, bureau), { applicationId })
    const free = experts.filter((e) => !rows.find((x) => x.expertId === e.accountId)?.conflicts.length)
    const chosen = [...must, ...free.filter((e) => !must.includes(e))].slice(0, Math.max(n, must.length))
    for (const e of chosen) {
      const conflicted = !!rows.find((x) => x.expertId === e.accountId)?.conflicts.length
      await assignExpert(as(c, bureau), {
        applicationId,
        expertId: e.accountId,
        overrideReason: conflicted ? '（示例）该专家为区内唯一的学校心理危机干预督导，已书面承诺回避本人曾任职学校的讨论。' : null,
      })
    }
    return chosen
  }

  // Titles: four accredited schools (one 2 years 8 months ago, so its 180-day reminder is due), one "not yet".
  for (const [i, daysAgo] of [
    [3, 2 * 365 + 250],
    [13, 2 * 365 + 40],
    [22, 365 + 120],
    [31, 200],
  ] as const) {
    const { id, panel } = await throughReview(schools[i]!.id, daysAgo, 0.92, 0.9, tree)
    await addDelta(as(at(daysAgo + 5), panel[0]!), {
      applicationId: id,
      code: 'D2.1',
      delta: 1,
      reason: '（示例）现场查看特色课程资料，较书面材料更完整。',
    })
    await decide(as(at(daysAgo), bureau), {
      applicationId: id,
      decision: 'accredited',
      reason: '（示例）各项指标达到特色学校标准，星号项全部通过。',
    })
  }
  const notYet = await throughReview(schools[40]!.id, 150, 0.8, 0.55, tree)
  await decide(as(at(150), bureau), {
    applicationId: notYet.id,
    decision: 'not_yet',
    reason: '（示例）专职心理教师配备未达1:1000（星号项），建议补齐后再申报。',
  })

  // This year's pipeline.
  const review = await apply(at(40), schools[50]!.id, 0.88)
  await submitApplication(as(at(38), review.who), { applicationId: review.id })
  await acceptApplication(as(at(35), bureau), { applicationId: review.id })
  const reviewers = await seat(at(30), review.id, 2, [e1])
  // the other expert has submitted; expert1 still has the sheet to score
  await saveSheet(as(at(10), reviewers[1]!), { applicationId: review.id, points: scores(0.86) }, true)

  const waiting = await apply(at(12), schools[47]!.id, 0.9)
  await submitApplication(as(at(10), waiting.who), { applicationId: waiting.id })

  const returned = await apply(at(25), schools[57]!.id, 0.85)
  await submitApplication(as(at(22), returned.who), { applicationId: returned.id })
  await returnApplication(as(at(20), bureau), { applicationId: returned.id, reason: '（示例）请补充心理危机干预演练的签到表和照片。' })

  // school1's own draft: half the points self-assessed, so the demo admin can continue it.
  const admin = await accountActor(ctx, draftSchoolAdmin)
  const draft = await openApplication(as(at(3), admin))
  await saveSelfAssessment(as(at(3), admin), { applicationId: draft.id, version: 1, points: scores(0.9).slice(0, 7) })

  await runReminders(ctx)
  return accounts
}
