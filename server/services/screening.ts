import { createHash, randomInt } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema'
import { CODE_ALPHABET } from '../../shared/assessment'
import { INSTRUMENT_IDS, type InstrumentId } from '../../shared/instruments'
import {
  CLASS_CODE_LENGTH,
  consentParty,
  customVersionId,
  DEFAULT_SCREENING_SETTINGS,
  definitionProblems,
  hasConsent,
  questionnaireDefinition,
  schoolYearOf,
  screeningSettingsSchema,
  type CampaignCreateInput,
  type ConsentParty,
  type QuestionnaireDefinition,
  type ScreeningSettings,
} from '../../shared/screening'
import { shanghaiDate } from '../../shared/shanghai-time'
import { formatCode } from '../rules/assessment'
import { campaignOpen, customInstrument, embeddedInstrument, purgeCutoff, type ScreeningInstrument } from '../rules/screening'
import {
  allVersions,
  campaignSchools,
  campaignsInScope,
  classesOf,
  classProgress,
  classStudents,
  consentsOf,
  endSession,
  findCampaignInScope,
  findConsent,
  findQuestionnaire,
  findSession,
  findVersion,
  insertCampaign,
  insertConsent,
  insertQuestionnaire,
  insertRespondent,
  insertSession,
  insertVersion,
  latestVersion,
  openSessionOfClass,
  publishVersion,
  purgeAnswersBefore,
  purgeDraftsBefore,
  respondentsOf,
  sessionsOfCampaign,
  setRespondentCode,
  updateConsent,
  updateDraft,
  versionsByIds,
} from '../repositories/screening'
import { findSetting, upsertSetting } from '../repositories/staffing'
import { newCode } from './assessment'
import { appendAudit } from './audit'
import { accountRef, nowIso, requireActor, withTransaction, type Actor, type ServiceContext } from './context'
import { decryptText } from './crypto'
import { AppError, notFound } from './errors'
import { parseStored } from './stored-json'
import { actorSchool } from './student'

/**
 * Student screening campaigns: the district's questionnaires (drafts, then frozen published versions),
 * campaigns (a counsellor's for their school, the bureau's for the schools it names), consent per student
 * recorded from paper slips, class sessions and the personal codes printed on slips. A student without a
 * standing consent of the right party (guardian under 14, the student from 14) is never given a code.
 */

/** The stored form of a personal code: a hash only (80 random bits). */
export function hashStudentCode(code: string): string {
  return createHash('sha256').update('xinqiao.screening.code\n').update(code).digest('hex')
}

function newClassCode(): string {
  return Array.from({ length: CLASS_CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]!).join('')
}

// Settings ------------------------------------------------------------------------------------------

export async function loadScreeningSettings(db: Kysely<Database>): Promise<ScreeningSettings> {
  const row = await findSetting(db, 'screening')
  const stored = parseStored(screeningSettingsSchema, row?.value, DEFAULT_SCREENING_SETTINGS, 'district_setting.value[screening]')
  return { ...stored, warnBands: { ...DEFAULT_SCREENING_SETTINGS.warnBands, ...stored.warnBands } }
}

export async function getScreeningSettings(ctx: ServiceContext) {
  requireActor(ctx)
  return loadScreeningSettings(ctx.db)
}

export async function updateScreeningSettings(ctx: ServiceContext, input: ScreeningSettings) {
  const actor = requireActor(ctx)
  await withTransaction(ctx.db, async (trx) => {
    await upsertSetting(trx, { key: 'screening', value: JSON.stringify(input), updated_at: nowIso(ctx), updated_by: accountRef(actor) })
    await appendAudit(trx, ctx, { action: 'district.settings_update', outcome: 'ok', entityType: 'district_setting', detail: 'screening' })
  })
  return loadScreeningSettings(ctx.db)
}

// Questionnaires ------------------------------------------------------------------------------------

const parseDefinition = (text: string) => questionnaireDefinition.parse(JSON.parse(text))

/** Every questionnaire with its versions, newest last; the editor opens the latest. */
export async function listQuestionnaires(ctx: ServiceContext) {
  requireActor(ctx)
  const rows = await allVersions(ctx.db)
  const byQ = new Map<number, typeof rows>()
  for (const r of rows) byQ.set(r.questionnaire_id, [...(byQ.get(r.questionnaire_id) ?? []), r])
  return [...byQ].map(([questionnaireId, versions]) => {
    const latest = versions.at(-1)!
    const def = parseDefinition(latest.definition)
    return {
      questionnaireId,
      kind: latest.kind,
      nameZh: def.nameZh,
      nameEn: def.nameEn,
      versions: versions.map((v) => ({ id: v.id, version: v.version, publishedAt: v.published_at, ref: `q${v.id}` })),
      latest: { id: latest.id, version: latest.version, publishedAt: latest.published_at, definition: def },
    }
  })
}

/** Saves a draft: a new questionnaire, the latest draft changed, or a new draft version after a published one. */
export async function saveQuestionnaire(ctx: ServiceContext, input: { questionnaireId?: number; definition: QuestionnaireDefinition }) {
  const actor = requireActor(ctx)
  const at = nowIso(ctx)
  const text = JSON.stringify(input.definition)
  return withTransaction(ctx.db, async (trx) => {
    let versionId: number
    if (input.questionnaireId == null) {
      const qid = await insertQuestionnaire(trx, input.definition.kind, accountRef(actor), at)
      versionId = await insertVersion(trx, qid, 1, text, at)
    } else {
      const q = await findQuestionnaire(trx, input.questionnaireId)
      if (!q) throw notFound()
      if (q.kind !== input.definition.kind) throw new AppError('BAD_REQUEST', 'screening.kindChanged')
      const latest = (await latestVersion(trx, q.id))!
      if (latest.published_at == null) {
        await updateDraft(trx, latest.id, text, at)
        versionId = latest.id
      } else versionId = await insertVersion(trx, q.id, latest.version + 1, text, at)
    }
    await appendAudit(trx, ctx, {
      action: 'screening.questionnaire_save',
      outcome: 'ok',
      entityType: 'screening_questionnaire',
      entityId: versionId,
    })
    return { versionId, problems: definitionProblems(input.definition) }
  })
}

/** Publishes a draft whose definition has no problem; from then on it is frozen (a change makes a new version). */
export async function publishQuestionnaire(ctx: ServiceContext, versionId: number) {
  const actor = requireActor(ctx)
  const v = await findVersion(ctx.db, versionId)
  if (!v) throw notFound()
  if (v.published_at) throw new AppError('CONFLICT', 'screening.versionFrozen')
  const problems = definitionProblems(parseDefinition(v.definition))
  if (problems.length) throw new AppError('BAD_REQUEST', 'screening.definitionInvalid', { n: problems.length })
  await withTransaction(ctx.db, async (trx) => {
    if (!(await publishVersion(trx, versionId, accountRef(actor), nowIso(ctx)))) throw new AppError('CONFLICT', 'screening.versionFrozen')
    await appendAudit(trx, ctx, {
      action: 'screening.questionnaire_publish',
      outcome: 'ok',
      entityType: 'screening_questionnaire',
      entityId: versionId,
    })
  })
  return { versionId }
}

/** The library a campaign picks from: the embedded student instruments and every published district version. */
export async function instrumentLibrary(ctx: ServiceContext) {
  requireActor(ctx)
  const settings = await loadScreeningSettings(ctx.db)
  const published = (await allVersions(ctx.db)).filter((v) => v.published_at)
  return [
    ...(['phq9', 'gad7', 'who5'] as const).map((id) => {
      const i = embeddedInstrument(id, settings)
      return { ref: i.ref, kind: i.kind, name: i.name, version: i.version, items: i.items.length }
    }),
    ...published.map((v) => {
      const i = customInstrument(v.id, v.version, parseDefinition(v.definition))
      return { ref: i.ref, kind: i.kind, name: i.name, version: i.version, items: i.items.length }
    }),
  ]
}

/** A campaign's instruments in its order; a custom ref must name a published version. */
export async function loadInstruments(
  db: Kysely<Database>,
  refs: readonly string[],
  settings: ScreeningSettings,
): Promise<ScreeningInstrument[]> {
  const ids = refs.map(customVersionId).filter((x): x is number => x != null)
  const versions = new Map((await versionsByIds(db, ids)).map((v) => [v.id, v]))
  return refs.map((ref) => {
    const vid = customVersionId(ref)
    if (vid == null) {
      if (!(INSTRUMENT_IDS as readonly string[]).includes(ref)) throw new AppError('BAD_REQUEST', 'screening.instrumentUnknown')
      return embeddedInstrument(ref as InstrumentId, settings)
    }
    const v = versions.get(vid)
    if (!v || !v.published_at) throw new AppError('BAD_REQUEST', 'screening.instrumentUnknown')
    return customInstrument(v.id, v.version, parseDefinition(v.definition))
  })
}

// Campaigns -----------------------------------------------------------------------------------------

const jsonList = <T>(text: string) => JSON.parse(text) as T[]

export async function createCampaign(ctx: ServiceContext, input: CampaignCreateInput) {
  const actor = requireActor(ctx)
  let owner: number | null
  let schools: number[]
  if (actor.scope.kind === 'school') {
    owner = actor.scope.schoolId
    if (input.schoolIds.some((id) => id !== owner)) throw new AppError('BAD_REQUEST', 'screening.schoolNotAllowed')
    schools = [owner]
  } else if (actor.scope.kind === 'all') {
    owner = null
    schools = [...new Set(input.schoolIds)].sort((a, b) => a - b)
    if (!schools.length) throw new AppError('BAD_REQUEST', 'screening.schoolsRequired')
    if (input.classNames.length) throw new AppError('BAD_REQUEST', 'screening.classesSchoolOnly')
    const found = await ctx.db.selectFrom('school').select('id').where('id', 'in', schools).where('disabled_at', 'is', null).execute()
    if (found.length !== schools.length) throw notFound()
  } else throw new AppError('FORBIDDEN', 'forbidden')
  if (input.closesOn < shanghaiDate(ctx.now())) throw new AppError('BAD_REQUEST', 'screening.windowPast')
  await loadInstruments(ctx.db, input.instruments, await loadScreeningSettings(ctx.db))
  return withTransaction(ctx.db, async (trx) => {
    const id = await insertCampaign(
      trx,
      {
        name: input.name,
        owner_school_id: owner,
        school_year: schoolYearOf(input.campaignDate),
        campaign_date: input.campaignDate,
        closes_on: input.closesOn,
        instruments: JSON.stringify(input.instruments),
        grades: JSON.stringify([...new Set(input.grades)].sort((a, b) => a - b)),
        class_names: JSON.stringify([...new Set(input.classNames)]),
        created_by: accountRef(actor),
        created_at: nowIso(ctx),
      },
      schools,
    )
    await appendAudit(trx, ctx, {
      action: 'screening.campaign_create',
      outcome: 'ok',
      entityType: 'screening_campaign',
      entityId: id,
      schoolId: owner,
      detail: `rows:${schools.length}`,
    })
    return { id }
  })
}

type CampaignRow = NonNullable<Awaited<ReturnType<typeof findCampaignInScope>>>

function campaignView(c: CampaignRow, today: string) {
  return {
    id: c.id,
    name: c.name,
    district: c.owner_school_id == null,
    schoolYear: c.school_year,
    campaignDate: c.campaign_date,
    closesOn: c.closes_on,
    instruments: jsonList<string>(c.instruments),
    grades: jsonList<number>(c.grades),
    classNames: jsonList<string>(c.class_names),
    state: campaignOpen({ campaignDate: c.campaign_date, closesOn: c.closes_on }, today),
  }
}

/** Campaigns the scope sees (a school: those that include it), with their instruments' names; no respondent data. */
export async function listCampaigns(ctx: ServiceContext) {
  const actor = requireActor(ctx)
  const rows = await campaignsInScope(ctx.db, actor.scope)
  const links = await campaignSchools(
    ctx.db,
    rows.map((r) => r.id),
  )
  const settings = await loadScreeningSettings(ctx.db)
  const refs = [...new Set(rows.flatMap((r) => jsonList<string>(r.instruments)))]
  const names = new Map((await loadInstruments(ctx.db, refs, settings).catch(() => [])).map((i) => [i.ref, i.name]))
  const today = shanghaiDate(ctx.now())
  return rows.map((r) => {
    const view = campaignView(r, today)
    return {
      ...view,
      instrumentNames: view.instruments.map((ref) => names.get(ref) ?? { 'zh-CN': ref, en: ref }),
      schools: links.filter((l) => l.campaign_id === r.id).length,
    }
  })
}

async function campaignOfSchool(ctx: ServiceContext, actor: Actor, campaignId: number) {
  const schoolId = actorSchool(actor)
  const c = await findCampaignInScope(ctx.db, actor.scope, campaignId)
  if (!c) throw notFound()
  return { schoolId, campaign: c }
}

function assertClassInCampaign(c: CampaignRow, grade: number, className: string) {
  const names = jsonList<string>(c.class_names)
  if (!jsonList<number>(c.grades).includes(grade) || (names.length && !names.includes(className)))
    throw new AppError('BAD_REQUEST', 'screening.classNotInCampaign')
}

/** The campaign's classes at the counsellor's school, each with counts: students, consented, slips, finished; an open session. */
export async function campaignClasses(ctx: ServiceContext, campaignId: number) {
  const actor = requireActor(ctx)
  const { schoolId, campaign } = await campaignOfSchool(ctx, actor, campaignId)
  const names = jsonList<string>(campaign.class_names)
  const classes = (await classesOf(ctx.db, schoolId, jsonList<number>(campaign.grades))).filter(
    (c) => !names.length || names.includes(c.class_name),
  )
  const sessions = await sessionsOfCampaign(ctx.db, campaignId, schoolId)
  const out = []
  for (const c of classes) {
    const students = await classStudents(ctx.db, schoolId, c.grade, c.class_name)
    const consents = new Map(
      (
        await consentsOf(
          ctx.db,
          campaignId,
          students.map((s) => s.id),
        )
      ).map((x) => [x.student_id, x]),
    )
    const consented = students.filter((s) => {
      const r = consents.get(s.id)
      return hasConsent(r ? { party: r.party, withdrawnAt: r.withdrawn_at } : null, consentParty(s.birth_date, campaign.campaign_date))
    }).length
    const progress = await classProgress(ctx.db, campaignId, schoolId, c.grade, c.class_name)
    const session = sessions.find((s) => s.grade === c.grade && s.class_name === c.class_name && !s.ended_at)
    out.push({
      grade: c.grade,
      className: c.class_name,
      students: students.length,
      consented,
      ...progress,
      session: session ? { id: session.id, classCode: session.class_code, startedAt: session.started_at } : null,
    })
  }
  return { campaign: campaignView(campaign, shanghaiDate(ctx.now())), classes: out }
}

/** A class's students with who must consent and the consent on file (the counsellor records paper slips). */
export async function consentRoster(ctx: ServiceContext, input: { campaignId: number; grade: number; className: string }) {
  const actor = requireActor(ctx)
  const { schoolId, campaign } = await campaignOfSchool(ctx, actor, input.campaignId)
  assertClassInCampaign(campaign, input.grade, input.className)
  const students = await classStudents(ctx.db, schoolId, input.grade, input.className)
  const ids = students.map((s) => s.id)
  const [consents, respondents] = await Promise.all([consentsOf(ctx.db, campaign.id, ids), respondentsOf(ctx.db, campaign.id, ids)])
  await appendAudit(ctx.db, ctx, {
    action: 'screening.consent_list',
    outcome: 'ok',
    entityType: 'screening_campaign',
    entityId: campaign.id,
    schoolId,
    detail: `rows:${students.length}`,
  })
  return students.map((s) => {
    const c = consents.find((x) => x.student_id === s.id)
    const required = consentParty(s.birth_date, campaign.campaign_date)
    return {
      studentId: s.id,
      studentNo: s.student_no,
      name: decryptText(ctx.keys, 'student.name', s.name_enc),
      required,
      consent: c
        ? {
            party: c.party,
            slipDate: c.slip_date,
            recordedAt: c.recorded_at,
            recordedBy: c.recorded_by_name ?? null,
            withdrawnAt: c.withdrawn_at,
          }
        : null,
      valid: hasConsent(c ? { party: c.party, withdrawnAt: c.withdrawn_at } : null, required),
      slipIssued: respondents.some((r) => r.student_id === s.id && r.code_hash != null),
    }
  })
}

async function studentOfCampaign(ctx: ServiceContext, actor: Actor, campaignId: number, studentId: number) {
  const { schoolId, campaign } = await campaignOfSchool(ctx, actor, campaignId)
  const student = await ctx.db
    .selectFrom('student')
    .select(['id', 'grade', 'class_name', 'sex', 'birth_date', 'student_no', 'name_enc', 'left_at'])
    .where('id', '=', studentId)
    .where('school_id', '=', schoolId)
    .executeTakeFirst()
  if (!student || student.left_at) throw notFound()
  assertClassInCampaign(campaign, student.grade, student.class_name)
  return { schoolId, campaign, student }
}

/** Records a consent slip: the party must be the one the student's age at the campaign date requires. */
export async function recordConsent(
  ctx: ServiceContext,
  input: { campaignId: number; studentId: number; party: ConsentParty; slipDate: string },
) {
  const actor = requireActor(ctx)
  const { schoolId, campaign, student } = await studentOfCampaign(ctx, actor, input.campaignId, input.studentId)
  const required = consentParty(student.birth_date, campaign.campaign_date)
  if (input.party !== required)
    throw new AppError('BAD_REQUEST', required === 'guardian' ? 'screening.consentGuardian' : 'screening.consentStudent')
  if (input.slipDate > shanghaiDate(ctx.now())) throw new AppError('BAD_REQUEST', 'screening.slipInFuture')
  const at = nowIso(ctx)
  await withTransaction(ctx.db, async (trx) => {
    const existing = await findConsent(trx, campaign.id, student.id)
    const values = {
      party: input.party,
      slip_date: input.slipDate,
      recorded_by: accountRef(actor),
      recorded_at: at,
      withdrawn_at: null,
      withdrawn_by: null,
    }
    if (existing) await updateConsent(trx, existing.id, values)
    else await insertConsent(trx, { ...values, campaign_id: campaign.id, student_id: student.id, school_id: schoolId, version: 1 })
    await appendAudit(trx, ctx, {
      action: 'screening.consent_record',
      outcome: 'ok',
      entityType: 'student',
      entityId: student.id,
      schoolId,
      detail: `party:${input.party}`,
    })
  })
  return { ok: true as const }
}

/** Withdraws a consent: from now on the student's code opens nothing and no new one is issued. */
export async function withdrawConsent(ctx: ServiceContext, input: { campaignId: number; studentId: number }) {
  const actor = requireActor(ctx)
  const { schoolId, campaign, student } = await studentOfCampaign(ctx, actor, input.campaignId, input.studentId)
  const existing = await findConsent(ctx.db, campaign.id, student.id)
  if (!existing || existing.withdrawn_at) throw new AppError('BAD_REQUEST', 'screening.noConsent')
  await withTransaction(ctx.db, async (trx) => {
    await updateConsent(trx, existing.id, { withdrawn_at: nowIso(ctx), withdrawn_by: accountRef(actor) })
    await appendAudit(trx, ctx, {
      action: 'screening.consent_withdraw',
      outcome: 'ok',
      entityType: 'student',
      entityId: student.id,
      schoolId,
    })
  })
  return { ok: true as const }
}

// Slips and sessions --------------------------------------------------------------------------------

export interface ScreeningSlip {
  studentId: number
  studentNo: string
  name: string
  code: string
}

/**
 * Personal codes for the class's consented students who have none yet, returned once to print (only
 * hashes are kept). Students without a standing consent get nothing.
 */
export async function issueSlips(ctx: ServiceContext, input: { campaignId: number; grade: number; className: string; studentId?: number }) {
  const actor = requireActor(ctx)
  const { schoolId, campaign } = await campaignOfSchool(ctx, actor, input.campaignId)
  assertClassInCampaign(campaign, input.grade, input.className)
  if (campaignOpen({ campaignDate: campaign.campaign_date, closesOn: campaign.closes_on }, shanghaiDate(ctx.now())) === 'closed')
    throw new AppError('BAD_REQUEST', 'screening.campaignClosed')
  return withTransaction(ctx.db, async (trx) => {
    let students = await classStudents(trx, schoolId, input.grade, input.className)
    if (input.studentId != null) students = students.filter((s) => s.id === input.studentId)
    const ids = students.map((s) => s.id)
    const consents = new Map((await consentsOf(trx, campaign.id, ids)).map((c) => [c.student_id, c]))
    const respondents = new Map((await respondentsOf(trx, campaign.id, ids)).map((r) => [r.student_id, r]))
    const at = nowIso(ctx)
    const slips: ScreeningSlip[] = []
    for (const s of students) {
      const c = consents.get(s.id)
      if (!hasConsent(c ? { party: c.party, withdrawnAt: c.withdrawn_at } : null, consentParty(s.birth_date, campaign.campaign_date)))
        continue
      const r = respondents.get(s.id)
      if (r?.submitted_at) continue
      // A reissue (one student named) replaces the old code; a class print skips students who have one.
      if (r?.code_hash && input.studentId == null) continue
      const code = newCode()
      if (r) await setRespondentCode(trx, r.id, hashStudentCode(code), at)
      else
        await insertRespondent(trx, {
          campaign_id: campaign.id,
          school_id: schoolId,
          student_id: s.id,
          grade: s.grade,
          class_name: s.class_name,
          sex: s.sex,
          code_hash: hashStudentCode(code),
          code_issued_at: at,
          version: 1,
        })
      slips.push({
        studentId: s.id,
        studentNo: s.student_no,
        name: decryptText(ctx.keys, 'student.name', s.name_enc),
        code: formatCode(code),
      })
    }
    await appendAudit(trx, ctx, {
      action: 'screening.slips_issue',
      outcome: 'ok',
      entityType: 'screening_campaign',
      entityId: campaign.id,
      schoolId,
      detail: `rows:${slips.length}`,
    })
    return { campaignName: campaign.name, grade: input.grade, className: input.className, closesOn: campaign.closes_on, slips }
  })
}

/** Starts (or returns the running) class session with its class code for the board. */
export async function startSession(ctx: ServiceContext, input: { campaignId: number; grade: number; className: string }) {
  const actor = requireActor(ctx)
  const { schoolId, campaign } = await campaignOfSchool(ctx, actor, input.campaignId)
  assertClassInCampaign(campaign, input.grade, input.className)
  if (campaignOpen({ campaignDate: campaign.campaign_date, closesOn: campaign.closes_on }, shanghaiDate(ctx.now())) !== 'open')
    throw new AppError('BAD_REQUEST', 'screening.campaignNotOpen')
  const running = await openSessionOfClass(ctx.db, campaign.id, schoolId, input.grade, input.className)
  if (running) return { id: running.id }
  return withTransaction(ctx.db, async (trx) => {
    let code = newClassCode()
    // Codes of running sessions are unique; a clash among ~887 million is redrawn.
    while (await trx.selectFrom('screening_session').select('id').where('class_code', '=', code).executeTakeFirst()) code = newClassCode()
    const id = await insertSession(trx, {
      campaign_id: campaign.id,
      school_id: schoolId,
      grade: input.grade,
      class_name: input.className,
      class_code: code,
      started_by: accountRef(actor),
      started_at: nowIso(ctx),
      ended_at: null,
    })
    await appendAudit(trx, ctx, {
      action: 'screening.session_start',
      outcome: 'ok',
      entityType: 'screening_campaign',
      entityId: campaign.id,
      schoolId,
    })
    return { id }
  })
}

/** What the counsellor's session screen shows: the class code and how many finished; never who, never an answer. */
export async function sessionStatus(ctx: ServiceContext, sessionId: number) {
  const actor = requireActor(ctx)
  const schoolId = actorSchool(actor)
  const s = await findSession(ctx.db, actor.scope, sessionId)
  if (!s) throw notFound()
  const campaign = (await findCampaignInScope(ctx.db, actor.scope, s.campaign_id))!
  const students = await classStudents(ctx.db, schoolId, s.grade, s.class_name)
  const consents = new Map(
    (
      await consentsOf(
        ctx.db,
        campaign.id,
        students.map((x) => x.id),
      )
    ).map((c) => [c.student_id, c]),
  )
  const consented = students.filter((x) => {
    const c = consents.get(x.id)
    return hasConsent(c ? { party: c.party, withdrawnAt: c.withdrawn_at } : null, consentParty(x.birth_date, campaign.campaign_date))
  }).length
  return {
    id: s.id,
    campaignId: campaign.id,
    campaignName: campaign.name,
    grade: s.grade,
    className: s.class_name,
    classCode: s.ended_at ? null : s.class_code,
    startedAt: s.started_at,
    endedAt: s.ended_at,
    consented,
    ...(await classProgress(ctx.db, campaign.id, schoolId, s.grade, s.class_name)),
  }
}

export async function endSessionService(ctx: ServiceContext, sessionId: number) {
  const actor = requireActor(ctx)
  const s = await findSession(ctx.db, actor.scope, sessionId)
  if (!s) throw notFound()
  await withTransaction(ctx.db, async (trx) => {
    await endSession(trx, s.id, nowIso(ctx))
    await appendAudit(trx, ctx, {
      action: 'screening.session_end',
      outcome: 'ok',
      entityType: 'screening_campaign',
      entityId: s.campaign_id,
      schoolId: s.school_id,
    })
  })
  return { ok: true as const }
}

// Retention -----------------------------------------------------------------------------------------

/**
 * Purges item answers submitted longer ago than the district's retention period, and unsubmitted drafts
 * of campaigns closed that long ago. Totals, bands and warnings stay for statistics; a case opened from
 * a warning keeps everything the counsellor wrote. Self-contained for the retention job: it reads the
 * setting itself and runs in its own transaction (or the caller's).
 */
export async function purgeScreeningAnswers(db: Kysely<Database>, now: Date): Promise<{ answers: number; drafts: number; cutoff: string }> {
  const settings = await loadScreeningSettings(db)
  const cutoff = purgeCutoff(now, settings.retentionDays)
  return withTransaction(db, async (trx) => {
    const answers = await purgeAnswersBefore(trx, cutoff, now.toISOString())
    const drafts = await purgeDraftsBefore(trx, shanghaiDate(new Date(cutoff)))
    return { answers, drafts, cutoff }
  })
}
