import { beforeAll, describe, expect, it } from 'vitest'
import { TRPCError } from '@trpc/server'
import { can, PERMISSIONS, PUBLIC, type ProcedurePermission } from '../../shared/permissions'
import { ROLES, type Role } from '../../shared/roles'
import { createContextInner, type Actor } from '../../server/services/context'
import { AppError } from '../../server/services/errors'
import { procedure, router, type Meta } from '../../server/trpc/init'
import { appRouter } from '../../server/trpc/routers'
import { callerFor, expectRefusal, signIn, type Caller } from '../fixtures/caller'
import { APP_TABLES, snapshotTables, targets, useTestDatabase } from '../fixtures/db'
import { makeAccountPerRole, makeSchool, makeYear, PASSWORD, type MadeAccount } from '../fixtures/factories'
import { auditRows, headSeq } from '../fixtures/audit'
import { createCallerFactory } from '../../server/trpc/init'
import { testKeys } from '../../server/services/keys'
import { DEFAULT_ROOM_SETTINGS, DEFAULT_STAFFING_SETTINGS } from '../../shared/staffing'
import { DEFAULT_INDICATORS, DEFAULT_PROGRAMME_RULES } from '../../shared/programme'
import { DEFAULT_ASSESSMENT_SETTINGS } from '../../shared/assessment'
import { DEFAULT_SECURITY_SETTINGS } from '../../shared/trust'
import { DEFAULT_SCREENING_SETTINGS } from '../../shared/screening'
import { DEFAULT_ACCREDITATION_SETTINGS } from '../../shared/accreditation'
import { DEFAULT_TREE } from '../../shared/accreditation-tree'

/** A well-formed code that no respondent holds. */
const WALK_CODE = 'ABCD-EFGH-JKMN-PQRS'

interface ProcedureInfo {
  path: string
  type: string
  meta: Meta | undefined
}

const procedures: ProcedureInfo[] = Object.entries(appRouter._def.procedures).map(([path, p]) => {
  // At run time this record is flat (path → procedure); its static type is the nested router record.
  const def = (p as unknown as { _def: { type: string; meta?: Meta } })._def
  return { path, type: def.type, meta: def.meta }
})

function callPath(caller: Caller, path: string, input: unknown): Promise<unknown> {
  const fn = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller)
  return (fn as (i: unknown) => Promise<unknown>)(input)
}

interface World {
  accounts: Record<Role, MadeAccount>
  actors: Record<Role, Actor>
  schoolId: number
  schoolCode: string
  yearId: number
}

/**
 * Inputs that pass validation but change nothing: ids that do not exist, names already taken,
 * a wrong current password. Missing here → undefined (procedures without input).
 */
function plausibleInput(path: string, w: World): unknown {
  const missing = 999_999
  const school = { code: w.schoolCode, name: '重名检查学校', nameEn: null, type: 'primary', streetId: 1, isPublic: true, address: null }
  const inputs: Record<string, unknown> = {
    'auth.login': { username: 'nobody.here', password: 'Wrong-password-1' },
    'auth.changePassword': { currentPassword: 'Not-my-password-1', newPassword: 'Another-pass-99' },
    'auth.revokeSession': { id: missing },
    'inbox.list': {},
    'inbox.unread': undefined,
    'inbox.markRead': { ids: [missing] },
    'account.list': {},
    'account.byId': { id: w.accounts.admin.id },
    'account.create': { username: w.accounts.admin.username, displayName: 'Dup', role: 'expert', schoolId: null, password: PASSWORD },
    'account.update': { id: missing, displayName: 'Nobody', role: 'expert', schoolId: null, version: 1 },
    'account.disable': { id: missing },
    'account.enable': { id: missing },
    'account.resetPassword': { id: missing, password: 'Another-pass-99' },
    'school.list': {},
    'school.byId': { id: w.schoolId },
    'school.overview': {},
    'school.export': { format: 'xlsx', locale: 'en' },
    'school.create': school,
    'school.update': { ...school, id: missing, version: 1 },
    'school.disable': { id: missing },
    'school.enable': { id: missing },
    'school.setEnrolment': { schoolId: missing, schoolYearId: w.yearId, students: 100, classes: 3 },
    'schoolYear.create': { label: '2025-2026', startsOn: '2025-09-01', endsOn: '2026-08-31' },
    'schoolYear.update': { id: missing, label: '2031-2032', startsOn: '2031-09-01', endsOn: '2032-08-31' },
    'schoolYear.setCurrent': { id: missing },
    'schoolYear.disable': { id: missing },
    'schoolYear.enable': { id: missing },
    'audit.list': {},
    'audit.export': { format: 'csv', locale: 'zh-CN', from: '2025-09-01' },
    'student.list': {},
    'student.byId': { id: missing },
    'student.create': { studentNo: 'W-1', name: '走查学生', sex: 'F', birthDate: null, grade: 3, className: '2班' },
    'student.update': {
      id: missing,
      version: 1,
      studentNo: 'W-2',
      name: '走查学生',
      sex: 'F',
      birthDate: null,
      grade: 3,
      className: '2班',
    },
    'student.import': {
      fileName: 'class.csv',
      contentBase64: Buffer.from('学号,姓名,性别,年级,班级\nW-9,导入学生,女,3,2班\n').toString('base64'),
      commit: false,
    },
    'case.board': {},
    'case.byId': { id: missing },
    'case.noteVersions': { noteId: missing },
    'case.open': {
      studentId: missing,
      source: 'self',
      categories: ['emotion'],
      concern: '走查',
      riskLevel: 'watch',
      openedOn: '2026-09-01',
      counsellorIds: [missing],
    },
    'case.update': {
      caseId: missing,
      version: 1,
      source: 'self',
      categories: ['emotion'],
      flags: [],
      concern: '走查',
      counsellorIds: [missing],
    },
    'case.addNote': { caseId: missing, sessionDate: '2026-09-02', durationMin: 30, type: 'individual', text: '走查' },
    'case.editNote': { noteId: missing, version: 1, sessionDate: '2026-09-02', durationMin: 30, type: 'individual', text: '走查' },
    'case.changeRisk': { caseId: missing, version: 1, level: 'high', reason: '走查' },
    'case.addFollowUp': { caseId: missing, dueOn: '2026-09-10' },
    'case.completeFollowUp': { followUpId: missing, status: 'done' },
    'case.completeTask': { taskId: missing, status: 'done' },
    'case.addReferral': { caseId: missing, kind: 'hospital_clinic', target: '走查医院', sentOn: '2026-09-03' },
    'case.updateReferral': { referralId: missing, version: 1, status: 'accepted', on: '2026-09-04' },
    'case.recordCrisis': { caseId: missing, occurredAt: '2026-09-05T08:00:00+08:00', what: '走查', actions: '走查', accompanied: true },
    'case.notify': { caseId: missing, recipient: 'guardian', at: '2026-09-05T08:10:00+08:00' },
    'case.addContact': {
      caseId: missing,
      kind: 'guardian_contact',
      relation: 'mother',
      method: 'phone',
      contactedAt: '2026-09-05T09:00:00+08:00',
    },
    'case.close': { caseId: missing, version: 1, outcome: '走查' },
    'case.reopen': { caseId: missing, version: 1, reason: '走查' },
    'case.districtStats': {},
    'case.exportDistrictStats': { dimension: 'status', format: 'csv', locale: 'en' },
    'staffing.team': { schoolId: w.schoolId },
    'staffing.room': { schoolId: w.schoolId },
    'staffing.createMember': { name: '走查老师', employment: 'full_time', title: null, startsOn: '2025-09-01', endsOn: null },
    'staffing.updateMember': {
      id: missing,
      version: 1,
      name: '走查老师',
      employment: 'part_time',
      title: null,
      startsOn: '2025-09-01',
      endsOn: null,
    },
    'staffing.removeMember': { id: missing },
    'staffing.addCertificate': { staffId: missing, name: '心理健康教育C证', issuer: null, issuedOn: null, expiresOn: null },
    'staffing.updateCertificate': { id: missing, name: '心理健康教育B证', issuer: null, issuedOn: null, expiresOn: null },
    'staffing.removeCertificate': { id: missing },
    'staffing.addTraining': {
      staffId: missing,
      schoolYearId: w.yearId,
      course: '走查培训',
      hours: 2,
      level: 'district',
      completedOn: null,
    },
    'staffing.removeTraining': { id: missing },
    'staffing.saveRoom': {
      schoolYearId: missing,
      version: null,
      isSetUp: true,
      setUpOn: '2025-09-01',
      displayName: null,
      individualM2: 12,
      groupM2: 30,
      officeM2: 8,
      optionalAreas: [],
      hasMailbox: true,
      weeklyOpenHours: 10,
    },
    'staffing.setEnrolment': { schoolYearId: missing, students: 100, classes: 3 },
    'staffing.dashboard': {},
    'staffing.rooms': {},
    'staffing.certificates': {},
    'staffing.trend': {},
    'staffing.export': { table: 'staffing', format: 'csv', locale: 'zh-CN' },
    'staffing.updateSettings': { staffing: DEFAULT_STAFFING_SETTINGS, rooms: DEFAULT_ROOM_SETTINGS },
    'disclosure.settings': undefined,
    'disclosure.releases': undefined,
    'disclosure.updateSettings': { threshold: 10 },
    'programme.overview': { schoolId: w.schoolId },
    'programme.saveTeam': { schoolYearId: missing, setUpOn: null, classes: [] },
    'programme.createEvent': {
      schoolYearId: missing,
      kind: 'activity',
      heldOn: '2025-10-10',
      title: '走查活动',
      audiences: ['students'],
      grades: [],
      participants: 10,
    },
    'programme.updateEvent': {
      id: missing,
      version: 1,
      kind: 'activity',
      heldOn: '2025-10-10',
      title: '走查活动',
      audiences: ['students'],
      grades: [],
      participants: 10,
    },
    'programme.removeEvent': { id: missing },
    'programme.removeAttachment': { id: missing },
    'programme.addChannel': { schoolYearId: missing, kind: 'wechat', name: '走查公众号', address: null, launchedOn: null },
    'programme.removeChannel': { id: missing },
    'programme.saveClinic': { schoolYearId: missing, hospital: '走查医院', greenChannel: true, agreementOn: null },
    'programme.removeClinic': { schoolYearId: missing },
    'programme.matrix': {},
    'programme.trend': {},
    'programme.export': { format: 'csv', locale: 'zh-CN', openOnly: true },
    'programme.updateSettings': { rules: DEFAULT_PROGRAMME_RULES, indicators: DEFAULT_INDICATORS },
    'evaluation.round': { roundId: missing },
    'evaluation.submitSelf': { roundId: missing, version: null, scores: {} },
    'evaluation.createRound': { title: '走查督导', schoolYearId: missing, half: '1', opensOn: '2025-09-01', dueOn: '2026-01-15' },
    'evaluation.closeRound': { roundId: missing, version: 1 },
    'evaluation.reopenRound': { roundId: missing, version: 1 },
    'evaluation.score': { roundId: missing, schoolId: w.schoolId, version: null, scores: {} },
    'evaluation.report': { roundId: missing },
    'research.create': {
      title: '走查项目',
      institution: '走查大学',
      purpose: '走查',
      datasets: ['cases'],
      startsOn: '2026-03-01',
      endsOn: '2026-06-30',
      approverId: missing,
      researcherIds: [],
    },
    'research.update': {
      id: missing,
      version: 1,
      title: '走查项目',
      institution: '走查大学',
      purpose: '走查',
      datasets: ['cases'],
      startsOn: '2026-03-01',
      endsOn: '2026-06-30',
      approverId: w.accounts.bureau.id,
      researcherIds: [],
    },
    'research.close': { id: missing, version: 1 },
    'research.review': { id: missing },
    'research.decide': { id: missing, version: 1, decision: 'approve', note: '' },
    'research.preview': {
      projectId: missing,
      dataset: 'cases',
      form: 'aggregate',
      rows: 'school_type',
      columns: 'risk_level',
      periodFrom: '2025-09-01',
      periodTo: '2026-03-01',
    },
    'research.request': {
      projectId: missing,
      dataset: 'cases',
      form: 'record',
      attributes: ['sex'],
      periodFrom: '2025-09-01',
      periodTo: '2026-03-01',
    },
    'research.resubmit': {
      id: missing,
      version: 1,
      spec: {
        projectId: missing,
        dataset: 'cases',
        form: 'record',
        attributes: ['sex'],
        periodFrom: '2025-09-01',
        periodTo: '2026-03-01',
      },
    },
    'research.withdraw': { id: missing, version: 1 },
    'research.download': { id: missing, file: 'data.csv' },
    'teacher.list': {},
    'teacher.create': { staffNo: 'W-T1', name: '走查教师', sex: 'F', birthYear: 1985, subject: null, phone: null },
    'teacher.update': {
      id: missing,
      version: 1,
      staffNo: 'W-T2',
      name: '走查教师',
      sex: 'M',
      birthYear: null,
      subject: '语文',
      phone: null,
    },
    'teacher.remove': { id: missing, version: 1 },
    'teacher.import': {
      fileName: 'teachers.csv',
      contentBase64: Buffer.from('工号,姓名,性别\nW-T9,导入教师,女\n').toString('base64'),
      commit: false,
    },
    'assessment.rounds': undefined,
    'assessment.round': { roundId: missing },
    'assessment.aggregates': { roundId: missing },
    'assessment.openRound': {
      name: '走查评估',
      opensAt: '2026-03-01T00:00:00+08:00',
      closesAt: '2099-03-15T00:00:00+08:00',
      instruments: ['phq9'],
      schoolIds: [missing],
      consentZh: '走查',
      consentEn: 'Walk',
      recurrence: 'none',
    },
    'assessment.nextRound': { roundId: missing },
    'assessment.issueCodes': { roundId: missing },
    'assessment.reissueCode': { roundId: missing, teacherId: missing },
    'assessment.settings': undefined,
    'assessment.updateSettings': DEFAULT_ASSESSMENT_SETTINGS,
    'assessment.alerts': {},
    'assessment.alert': { id: missing },
    'assessment.acknowledge': { id: missing },
    'assessment.addSupport': { alertId: missing, kind: 'contact', onDate: '2026-03-02', text: '走查' },
    'assessment.completeSupport': { id: missing },
    'assessment.closeAlert': { id: missing, version: 1, outcome: '走查' },
    'mfa.challenge': undefined,
    'mfa.verify': { code: '123456' },
    'mfa.signInEnrolStart': undefined,
    'mfa.signInEnrolConfirm': { code: '123456' },
    'mfa.status': undefined,
    'mfa.enrolStart': undefined,
    'mfa.enrolConfirm': { code: '000000' },
    'mfa.disable': { code: '000000' },
    'mfa.regenerateRecoveryCodes': { code: '000000' },
    'mfa.reset': { id: missing },
    'security.settings': undefined,
    'security.updateSettings': DEFAULT_SECURITY_SETTINGS,
    'security.retention': undefined,
    'assessment.trend': { instrument: 'phq9', dimension: 'street' },
    'centre.routing': undefined,
    'centre.setRouting': { schoolId: missing, toCentre: true },
    'breakGlass.open': { caseId: missing, reason: '走查：学生安全需要立即了解个案情况' },
    'breakGlass.mine': undefined,
    'breakGlass.read': { id: missing },
    'breakGlass.review': { filter: 'all' },
    'breakGlass.markReviewed': { id: missing },
    'breakGlass.settings': undefined,
    'breakGlass.updateSettings': { minutes: 60 },
    'accreditation.updateSettings': DEFAULT_ACCREDITATION_SETTINGS,
    'accreditation.updateDraft': { versionId: missing, tree: DEFAULT_TREE },
    'accreditation.publish': { versionId: missing },
    'accreditation.application': { applicationId: missing },
    'accreditation.returnApplication': { applicationId: missing, reason: '走查' },
    'accreditation.accept': { applicationId: missing },
    'accreditation.candidates': { applicationId: missing },
    'accreditation.assign': { applicationId: missing, expertId: missing },
    'accreditation.unassign': { applicationId: missing, expertId: missing },
    'accreditation.openDiscussion': { applicationId: missing, code: 'A1.1', note: '走查' },
    'accreditation.postBureau': { discussionId: missing, text: '走查' },
    'accreditation.visit': { applicationId: missing, visitedOn: '2026-03-02', observations: '走查' },
    'accreditation.decide': { applicationId: missing, decision: 'not_yet', reason: '走查' },
    'accreditation.withdrawTitle': { titleId: missing, reason: '走查' },
    'accreditation.exportSheet': { applicationId: missing, format: 'csv', locale: 'zh-CN' },
    'accreditation.record': { applicationId: missing },
    'accreditation.employment': {},
    'accreditation.addEmployment': { accountId: missing, schoolId: w.schoolId, fromOn: '2020-09-01', toOn: null },
    'accreditation.removeEmployment': { id: missing },
    'accreditation.schoolApplication': { applicationId: missing },
    'accreditation.saveSelf': { applicationId: missing, version: 1, points: [] },
    'accreditation.submit': { applicationId: missing },
    'accreditation.removeEvidence': { id: missing },
    'accreditation.review': { applicationId: missing },
    'accreditation.saveSheet': { applicationId: missing, points: [] },
    'accreditation.submitSheet': { applicationId: missing, points: [] },
    'accreditation.addDelta': { applicationId: missing, code: 'A1.1', delta: 1, reason: '走查' },
    'accreditation.postExpert': { discussionId: missing, text: '走查' },
    'respond.open': { code: WALK_CODE },
    'respond.save': { code: WALK_CODE, answers: {} },
    'respond.submit': { code: WALK_CODE, answers: {}, contactMe: false },
    'screening.campaigns': undefined,
    'screening.library': undefined,
    'screening.createCampaign': {
      name: '走查筛查',
      campaignDate: '2026-03-02',
      closesOn: '2099-03-15',
      instruments: ['phq9'],
      grades: [8],
      schoolIds: [missing],
    },
    'screening.classes': { campaignId: missing },
    'screening.consents': { campaignId: missing, grade: 8, className: '1班' },
    'screening.recordConsent': { campaignId: missing, studentId: missing, party: 'guardian', slipDate: '2026-03-01' },
    'screening.withdrawConsent': { campaignId: missing, studentId: missing },
    'screening.issueSlips': { campaignId: missing, grade: 8, className: '1班' },
    'screening.reissueSlip': { campaignId: missing, studentId: missing, grade: 8, className: '1班' },
    'screening.startSession': { campaignId: missing, grade: 8, className: '1班' },
    'screening.session': { sessionId: missing },
    'screening.endSession': { sessionId: missing },
    'screening.warnings': {},
    'screening.warning': { id: missing },
    'screening.recordOutcome': { id: missing, version: 1, interviewOn: '2026-03-01', notes: '走查', outcome: 'watch' },
    'screening.warningOfCase': { caseId: missing },
    'screening.questionnaires': undefined,
    'screening.saveQuestionnaire': {
      definition: {
        kind: 'quiz',
        nameZh: '走查测验',
        nameEn: 'Walk quiz',
        items: [
          {
            key: 'k1',
            textZh: '题',
            textEn: 'Q',
            options: [
              { value: 0, labelZh: '否', labelEn: 'No' },
              { value: 1, labelZh: '是', labelEn: 'Yes' },
            ],
            correct: 1,
          },
        ],
      },
    },
    'screening.publishQuestionnaire': { versionId: missing },
    'screening.awareness': {},
    'screening.awarenessSchool': { schoolYear: '2025-2026', schoolId: missing },
    'screening.exportAwareness': { schoolYear: '2025-2026', format: 'csv', locale: 'zh-CN' },
    'screening.distribution': { campaignId: missing },
    'screening.settings': undefined,
    'screening.updateSettings': DEFAULT_SCREENING_SETTINGS,
    'screeningRespond.open': { classCode: 'ABCDEF', code: WALK_CODE },
    'screeningRespond.save': { classCode: 'ABCDEF', code: WALK_CODE, answers: {} },
    'screeningRespond.submit': { classCode: 'ABCDEF', code: WALK_CODE, answers: {} },
    'room.rota': undefined,
    'room.saveRota': { slots: [] },
    'room.addClosure': { startsOn: '2026-03-02', endsOn: '2026-03-02', reason: '走查' },
    'room.removeClosure': { id: missing },
    'room.appointments': {},
    'room.book': { kind: 'student', studentId: missing, slot: { slotId: missing, date: '2026-03-09' } },
    'room.confirm': { id: missing, version: 1, slot: { slotId: missing, date: '2026-03-09' } },
    'room.decline': { id: missing, version: 1 },
    'room.mark': { id: missing, version: 1, status: 'no_show' },
    'room.calendar': { day: '2026-03-02' },
    'room.visits': {},
    'room.visit': { id: missing },
    'room.addVisit': {
      kind: 'individual',
      studentId: missing,
      anonymous: false,
      occurredOn: '2026-03-02',
      start: '08:00',
      durationMin: 30,
      topic: 'study',
      outcome: 'none',
    },
    'room.groups': undefined,
    'room.group': { id: missing },
    'room.createGroup': {
      theme: '走查',
      facilitatorIds: [missing],
      studentIds: [missing],
      countsAsActivity: false,
      sessions: [{ date: '2026-03-02', start: '15:00', durationMin: 60 }],
    },
    'room.attendance': { sessionId: missing, present: [] },
    'room.stats': { from: '2026-03-02', to: '2026-03-08' },
    'room.districtStats': { from: '2026-03-02', to: '2026-03-08' },
    'room.publicRoom': { school: 'NO-SUCH' },
    'room.publicRequest': { school: 'NO-SUCH', kind: 'student', name: '走查', phone: '13800000000', preferred: [], urgent: true },
    'room.publicStatus': { code: 'ABCDEFGHJK' },
    'staffing.importEnrolment': {
      schoolYearId: w.yearId,
      fileName: 'enrolment.csv',
      contentBase64: Buffer.from('学校代码,学生数,班级数\nNO-SUCH,1,1\n').toString('base64'),
      commit: false,
    },
  }
  return inputs[path]
}

/** What the plausible inputs above lead to once past the gate (default: success). */
const EXPECTED_OUTCOME: Record<string, string[]> = {
  'auth.login': ['UNAUTHORIZED', 'TOO_MANY_REQUESTS'],
  'auth.changePassword': ['BAD_REQUEST'],
  'auth.revokeSession': ['NOT_FOUND'],
  'account.create': ['CONFLICT'],
  'school.create': ['CONFLICT'],
  'schoolYear.create': ['CONFLICT'],
  'research.create': ['BAD_REQUEST'],
  // bureau: a school that does not exist; school admin: a school other than its own
  'assessment.openRound': ['NOT_FOUND', 'BAD_REQUEST'],
  // the school admin and the counsellor share a school: the second one meets the first one's staff number
  'teacher.create': ['ok', 'CONFLICT'],
  // no sign-in waits for a second step: the sign-in steps answer as to a stranger
  'mfa.verify': ['UNAUTHORIZED'],
  'mfa.signInEnrolStart': ['UNAUTHORIZED'],
  'mfa.signInEnrolConfirm': ['UNAUTHORIZED'],
  // a made-up code for an enrolment just started (or none), or for a factor the account does not have
  'mfa.enrolConfirm': ['BAD_REQUEST', 'TOO_MANY_REQUESTS'],
  'mfa.disable': ['BAD_REQUEST'],
  'mfa.regenerateRecoveryCodes': ['BAD_REQUEST'],
  // no published indicator tree in the walk
  'accreditation.open': ['CONFLICT'],
  'accreditation.addEmployment': ['BAD_REQUEST'],
  'respond.open': ['NOT_FOUND', 'TOO_MANY_REQUESTS'],
  'respond.save': ['NOT_FOUND', 'TOO_MANY_REQUESTS'],
  'respond.submit': ['NOT_FOUND', 'TOO_MANY_REQUESTS'],
  // bureau: a school that does not exist; counsellor: a school other than its own
  'screening.createCampaign': ['NOT_FOUND', 'BAD_REQUEST'],
  'screeningRespond.open': ['NOT_FOUND', 'TOO_MANY_REQUESTS'],
  'screeningRespond.save': ['NOT_FOUND', 'TOO_MANY_REQUESTS'],
  'screeningRespond.submit': ['NOT_FOUND', 'TOO_MANY_REQUESTS'],
  'room.createGroup': ['BAD_REQUEST'],
  'room.publicRoom': ['NOT_FOUND'],
  'room.publicRequest': ['NOT_FOUND', 'TOO_MANY_REQUESTS'],
  'room.publicStatus': ['NOT_FOUND', 'TOO_MANY_REQUESTS'],
  ...Object.fromEntries(
    [
      'account.update',
      'account.disable',
      'account.enable',
      'account.resetPassword',
      'mfa.reset',
      'school.update',
      'school.disable',
      'school.enable',
      'school.setEnrolment',
      'schoolYear.update',
      'schoolYear.setCurrent',
      'schoolYear.disable',
      'schoolYear.enable',
      'student.byId',
      'student.update',
      'case.byId',
      'case.update',
      'case.noteVersions',
      'case.open',
      'case.addNote',
      'case.editNote',
      'case.changeRisk',
      'case.addFollowUp',
      'case.completeFollowUp',
      'case.completeTask',
      'case.addReferral',
      'case.updateReferral',
      'case.recordCrisis',
      'case.notify',
      'case.addContact',
      'case.close',
      'case.reopen',
      'staffing.updateMember',
      'staffing.removeMember',
      'staffing.addCertificate',
      'staffing.updateCertificate',
      'staffing.removeCertificate',
      'staffing.addTraining',
      'staffing.removeTraining',
      'staffing.saveRoom',
      'staffing.setEnrolment',
      'programme.saveTeam',
      'programme.createEvent',
      'programme.updateEvent',
      'programme.removeEvent',
      'programme.removeAttachment',
      'programme.addChannel',
      'programme.removeChannel',
      'programme.saveClinic',
      'programme.removeClinic',
      'evaluation.round',
      'evaluation.submitSelf',
      'evaluation.createRound',
      'evaluation.closeRound',
      'evaluation.reopenRound',
      'evaluation.score',
      'evaluation.report',
      'research.update',
      'research.close',
      'research.review',
      'research.decide',
      'research.preview',
      'research.request',
      'research.resubmit',
      'research.withdraw',
      'research.download',
      'teacher.update',
      'teacher.remove',
      'assessment.round',
      'assessment.aggregates',
      'assessment.nextRound',
      'assessment.issueCodes',
      'assessment.reissueCode',
      'assessment.alert',
      'assessment.acknowledge',
      'assessment.addSupport',
      'assessment.completeSupport',
      'assessment.closeAlert',
      'centre.setRouting',
      'breakGlass.open',
      'breakGlass.read',
      'breakGlass.markReviewed',
      'screening.classes',
      'screening.consents',
      'screening.recordConsent',
      'screening.withdrawConsent',
      'screening.issueSlips',
      'screening.reissueSlip',
      'screening.startSession',
      'screening.session',
      'screening.endSession',
      'screening.warning',
      'screening.recordOutcome',
      'screening.publishQuestionnaire',
      'screening.awarenessSchool',
      'screening.distribution',
      'accreditation.updateDraft',
      'accreditation.publish',
      'accreditation.application',
      'accreditation.returnApplication',
      'accreditation.accept',
      'accreditation.candidates',
      'accreditation.assign',
      'accreditation.unassign',
      'accreditation.openDiscussion',
      'accreditation.postBureau',
      'accreditation.visit',
      'accreditation.decide',
      'accreditation.withdrawTitle',
      'accreditation.exportSheet',
      'accreditation.record',
      'accreditation.removeEmployment',
      'accreditation.schoolApplication',
      'accreditation.saveSelf',
      'accreditation.submit',
      'accreditation.removeEvidence',
      'accreditation.review',
      'accreditation.saveSheet',
      'accreditation.submitSheet',
      'accreditation.addDelta',
      'accreditation.postExpert',
      'room.removeClosure',
      'room.book',
      'room.confirm',
      'room.decline',
      'room.mark',
      'room.visit',
      'room.addVisit',
      'room.group',
      'room.attendance',
    ].map((p) => [p, ['NOT_FOUND']]),
  ),
}

describe('router walk', () => {
  it('finds the procedures', () => {
    expect(procedures.length).toBeGreaterThan(20)
  })

  it.each(procedures)('$path declares a known permission', ({ meta }) => {
    const known: readonly ProcedurePermission[] = [...PERMISSIONS, PUBLIC]
    expect(meta?.permission).toBeDefined()
    expect(known).toContain(meta!.permission)
  })

  it.each(PERMISSIONS)('permission %s guards at least one procedure', (permission) => {
    expect(procedures.some((p) => p.meta?.permission === permission)).toBe(true)
  })
})

/**
 * The assessment firewall: individual answers, bands and alerts come only from procedures guarded by
 * `assessment.handle`, and no principal/school admin, bureau, expert or researcher holds it.
 */
describe('assessment firewall', () => {
  const individual = procedures.filter((p) => p.path.startsWith('assessment.') && p.meta?.permission === 'assessment.handle')
  it('guards every alert procedure with assessment.handle', () => {
    expect(individual.map((p) => p.path).sort()).toEqual(
      ['acknowledge', 'addSupport', 'alert', 'alerts', 'closeAlert', 'completeSupport'].map((x) => `assessment.${x}`),
    )
  })
  it.each(['school_admin', 'bureau', 'expert', 'researcher', 'admin'] as const)('keeps %s away from individual results', (role) => {
    expect(can(role, 'assessment.handle')).toBe(false)
  })
})

/**
 * The screening firewall: a student's results and warnings come only from procedures guarded by
 * `screening.warnings`, held by counsellors alone; teachers, principals, school admins and the bureau
 * never reach an individual result by any procedure.
 */
describe('screening firewall', () => {
  it('guards every procedure that returns an individual result with screening.warnings', () => {
    const individual = procedures.filter((p) => p.meta?.permission === 'screening.warnings').map((p) => p.path)
    expect(individual.sort()).toEqual(['recordOutcome', 'warning', 'warningOfCase', 'warnings'].map((x) => `screening.${x}`))
  })
  it.each(['school_admin', 'bureau', 'expert', 'researcher', 'admin'] as const)('keeps %s away from every student result', (role) => {
    expect(can(role, 'screening.warnings')).toBe(false)
    expect(can(role, 'screening.manage')).toBe(false)
  })
})

describe.each(targets)('router walk on $name', (target) => {
  const t = useTestDatabase(target)
  let w: World

  beforeAll(async () => {
    const yearId = await makeYear(t.db, 2025, true)
    const accounts = await makeAccountPerRole(t.db)
    const schoolId = accounts.school_admin.schoolId!
    const school = await t.db.selectFrom('school').select('code').where('id', '=', schoolId).executeTakeFirstOrThrow()
    await makeSchool(t.db)
    const actors = {} as Record<Role, Actor>
    for (const role of ROLES) actors[role] = (await signIn(t.db, accounts[role].username, accounts[role].password)).actor
    w = { accounts, actors, schoolId, schoolCode: school.code, yearId }
  })

  const cells = procedures.flatMap((p) => ROLES.map((role) => ({ ...p, role, allowed: can(role, p.meta?.permission ?? 'account.manage') })))

  it.each(cells.filter((c) => c.allowed))('lets $role through the gate of $path', async ({ path, role }) => {
    const outcome = await callPath(callerFor(t.db, w.actors[role]), path, plausibleInput(path, w)).then(
      () => 'ok',
      (error: unknown) => (error instanceof TRPCError ? error.code : `unexpected ${String(error)}`),
    )
    expect(outcome).not.toBe('FORBIDDEN')
    expect(EXPECTED_OUTCOME[path] ?? ['ok']).toContain(outcome)
  })

  it.each(cells.filter((c) => !c.allowed))('refuses $role at $path, changing nothing but one audit row', async ({ path, role }) => {
    const before = await snapshotTables(t.db)
    const seqBefore = await headSeq(t.db)
    const error = await expectRefusal(callPath(callerFor(t.db, w.actors[role]), path, plausibleInput(path, w)), 'FORBIDDEN', 'forbidden')
    expect(error).toBeInstanceOf(AppError)

    const after = await snapshotTables(t.db)
    for (const table of APP_TABLES.filter((x) => x !== 'audit_event' && x !== 'audit_head')) {
      expect(after[table], table).toEqual(before[table])
    }
    expect(after.audit_event.count).toBe(before.audit_event.count + 1)
    const written = await auditRows(t.db, seqBefore)
    expect(written).toHaveLength(1)
    expect(written[0]).toMatchObject({
      seq: seqBefore + 1,
      action: 'permission.denied',
      outcome: 'denied',
      entity_type: 'procedure',
      entity_id: path,
      actor_id: w.actors[role].accountId,
      actor_role: role,
    })
    const head = await t.db.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow()
    expect(head).toEqual({ id: 1, seq: seqBefore + 1, hash: written[0]!.hash })
  })

  it.each(procedures.filter((p) => p.meta?.permission !== PUBLIC))(
    'answers $path signed out with UNAUTHORIZED and writes nothing',
    async ({ path }) => {
      const before = await snapshotTables(t.db)
      await expectRefusal(callPath(callerFor(t.db, null), path, plausibleInput(path, w)), 'UNAUTHORIZED', 'unauthenticated')
      expect(await snapshotTables(t.db)).toEqual(before)
    },
  )

  it('refuses a procedure that declares no permission, even for admin, and audits it', async () => {
    const bare = router({ leak: procedure.query(() => 'secret') })
    const caller = createCallerFactory(bare)(createContextInner({ db: t.db, keys: testKeys(), actor: w.actors.admin }))
    const seqBefore = await headSeq(t.db)
    await expectRefusal(caller.leak(), 'FORBIDDEN', 'forbidden')
    const written = await auditRows(t.db, seqBefore)
    expect(written.map((r) => [r.action, r.entity_id, r.detail])).toEqual([['permission.denied', 'leak', 'no_permission_declared']])
  })
})
