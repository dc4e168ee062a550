import { describe, expect, it } from 'vitest'
import en from '../../i18n/locales/en.json'
import zhCN from '../../i18n/locales/zh-CN.json'
import { AUDIT_ACTIONS } from '../../shared/audit'
import { auditEntityText, describeAuditDetail, type AuditDetailRow, type DetailContext } from '../../shared/audit-detail'
import { PERMISSIONS } from '../../shared/permissions'

const LOCALES = { 'zh-CN': zhCN, en } as const
type Locale = keyof typeof LOCALES

/** A context over one locale's messages that also records every key asked for that does not exist. */
function context(locale: Locale) {
  const missing: string[] = []
  const lookup = (key: string): unknown =>
    key.split('.').reduce<unknown>((n, k) => (n as Record<string, unknown> | undefined)?.[k], LOCALES[locale])
  const ctx: DetailContext = {
    locale,
    has: (key) => typeof lookup(key) === 'string',
    t: (key, params) => {
      const m = lookup(key)
      if (typeof m !== 'string') {
        missing.push(key)
        return key
      }
      return params ? m.replace(/\{(\w+)\}/g, (x, name: string) => (name in params ? String(params[name]) : x)) : m
    },
    years: { 3: '2025-2026' },
    streets: { 2: { nameZh: '福田街道', nameEn: 'Futian' } },
  }
  return { ctx, missing }
}

const row = (action: string, detail: string | null, entityType: string | null = null): AuditDetailRow => ({ action, entityType, detail })

/** One detail as each writer in server/services stores it, and how each language reads it. */
const CASES: [AuditDetailRow, string, string][] = [
  [row('room.appointment_status', 'no_show'), '未到', 'No-show'],
  [row('room.appointment_list', 'rows:3'), '3 行', 'Rows: 3'],
  [row('room.request', 'urgent'), '紧急', 'Urgent'],
  [
    row('room.request', 'throttled_request'),
    '该地址提交预约申请过多，已暂时拒绝',
    'Too many appointment requests from this address; refused for a while',
  ],
  [row('room.request_status', 'unknown_code'), '评估码不存在', 'Unknown code'],
  [row('room.visit_add', 'open_case'), '建立个案', 'Open a case'],
  [row('room.visit_list', 'rows:12'), '12 行', 'Rows: 12'],
  [row('room.district_stats', 'rows:40'), '40 行', 'Rows: 40'],
  [
    row('export.download', 'csv,year:3,rows:12,flag:shortfall,street:2,type:primary', 'staffing'),
    'CSV · 2025-2026 学年 · 12 行 · 筛选：有专职缺口 · 街道：福田街道 · 学校类型：小学',
    'CSV · School year 2025-2026 · Rows: 12 · Filter: Short of full-time staff · Street: Futian · School type: Primary',
  ],
  [
    row('export.download', 'xlsx,year:3,rows:4,flag:notSetUp', 'rooms'),
    'Excel · 2025-2026 学年 · 4 行 · 筛选：未建设',
    'Excel · School year 2025-2026 · Rows: 4 · Filter: Not set up',
  ],
  [
    row('export.download', 'csv,year:3,rows:9,item:drill,status:not_started,open_only', 'programmeMatrix'),
    'CSV · 2025-2026 学年 · 9 行 · 事项：危机演练 · 状态：未开始 · 只看未全部完成的学校',
    'CSV · School year 2025-2026 · Rows: 9 · Item: Drill · Status: Not started · Only schools with open items',
  ],
  [
    row('export.download', 'xlsx,year:3,rows:2,search,status:all', 'schoolList'),
    'Excel · 2025-2026 学年 · 2 行 · 按名称或代码搜索 · 状态：全部（含已停用）',
    'Excel · School year 2025-2026 · Rows: 2 · Searched by name or code · Status: All (including disabled)',
  ],
  [
    row('export.download', 'csv,dimension:risk_level,rows:3', 'caseStats'),
    'CSV · 统计口径：按风险等级 · 3 行',
    'CSV · Breakdown: by risk level · Rows: 3',
  ],
  [
    row('audit.export', 'xlsx,rows:40,actor:bureau,from:2026-11-01,to:2026-11-03,action:case.,entity:case,outcome:denied', 'auditLog'),
    'Excel · 40 行 · 人员：bureau · 自 2026-11-01 · 至 2026-11-03 · 操作：个案（全部） · 对象：个案 · 结果：拒绝',
    'Excel · Rows: 40 · Person: bureau · From 2026-11-01 · To 2026-11-03 · Action: Cases (all) · Entity: Case · Outcome: Denied',
  ],
  [row('audit.export', 'csv,rows:1,action:auth.login'), 'CSV · 1 行 · 操作：登录', 'CSV · Rows: 1 · Action: Sign-in'],
  [row('disclosure.ledger_read', 'rows:12'), '12 行', 'Rows: 12'],
  [
    row('accreditation.assign', 'override,sameStreet,employment'),
    '有回避情形，已记录理由 · 任职学校同街道 · 曾在该校任职',
    'Conflict of interest, reason recorded · Own school in the same street · Worked at this school',
  ],
  [row('accreditation.decide', 'not_yet'), '暂不认定', 'Not yet'],
  [row('accreditation.reminder_send', 'days:90'), '到期前 90 天', '90 days before expiry'],
  [row('accreditation.export', 'xlsx,rows:15'), 'Excel · 15 行', 'Excel · Rows: 15'],
  [row('district.settings_update', 'accreditation'), '特色学校认定', 'Feature-school accreditation'],
  [row('district.settings_update', 'disclosure'), '数据公开保护', 'Disclosure control'],
  [row('auth.login', 'wrong_password'), '密码错误', 'Wrong password'],
  [row('auth.login', 'throttled_ip'), '该地址失败次数过多，登录已延迟', 'Too many failures from this address; sign-in delayed'],
  [row('auth.login', 'session:17'), '登录会话 #17', 'Session #17'],
  [
    row('auth.login', 'session:17,pending:totp'),
    '登录会话 #17 · 等待第二步：验证器应用',
    'Session #17 · Waiting for second step: authenticator app',
  ],
  [row('auth.second_factor', 'totp'), '验证器应用', 'authenticator app'],
  [row('auth.second_factor', 'recovery_code,codes_left:7'), '恢复码 · 剩余恢复码：7', 'recovery code · Recovery codes left: 7'],
  [row('auth.second_factor', 'replayed_code'), '验证码重复使用', 'Code used again'],
  [row('auth.second_factor', 'throttled_mfa'), '验证码错误次数过多，已延迟', 'Too many wrong codes; delayed'],
  [row('mfa.enrol', 'confirmed'), '已确认', 'confirmed'],
  [row('account.mfa_reset', 'removed,revoked_sessions:2'), '已移除 · 已退出其他 2 个登录', 'removed · Other sessions signed out: 2'],
  [row('district.settings_update', 'security'), '两步验证与保存期限', 'Two-step verification and retention'],
  [
    row('retention.purge', 'closed_cases:2,assessment_answers:0,sessions:14,audit_events:0,screening_answers:-1'),
    '已结案个案：2 · 测评逐题作答：0 · 登录会话：14 · 审计事件：0 · 学生筛查作答：清除失败',
    'Closed cases: 2 · Assessment answers: 0 · Sessions: 14 · Audit events: 0 · Screening answers: purge failed',
  ],
  [row('auth.password_change', 'revoked_sessions:2'), '已退出其他 2 个登录', 'Other sessions signed out: 2'],
  [row('permission.denied', 'case.read', 'procedure'), '需要权限：查看个案内容', 'Needs permission: View case content'],
  [row('permission.denied', 'must_change_password', 'procedure'), '须先修改初始密码', 'The initial password must be changed first'],
  [row('account.create', 'role:counsellor'), '角色：心理教师', 'Role: Counsellor'],
  [row('account.permission_change', 'role,school'), '修改了：角色、学校', 'Changed: role, school'],
  [row('account.update', 'display_name'), '修改了：姓名', 'Changed: name'],
  [row('district.settings_update', 'staffing,rooms'), '心理教师配备 · 心理辅导室', 'Psychology teachers · Counselling rooms'],
  [
    row('school.enrolment_import', 'year:3,rows:98,correction:补录, 经区里核对'),
    '2025-2026 学年 · 98 行 · 更正原因：补录, 经区里核对',
    'School year 2025-2026 · Rows: 98 · Correction: 补录, 经区里核对',
  ],
  [row('student.promote', 'promoted:120,left:30'), '120 人升入新年级 · 30 人毕业离校', 'Moved up a grade: 120 · Left the school: 30'],
  [row('case.open', 'level:high'), '风险等级：二级·高危', 'Risk level: L2 · High'],
  [row('case.risk_change', 'watch>crisis'), '三级·关注 → 一级·危机', 'L3 · Watch → L1 · Crisis'],
  [row('case.referral_update', 'sent>accepted'), '已转介 → 对方已接收', 'Sent → Accepted'],
  [row('case.referral_add', 'hospital_clinic'), '医院心理门诊', 'Hospital clinic'],
  [row('case.task_complete', 'notify_guardian:done'), '当日通知监护人：已完成', 'Notify guardian today: Done'],
  [row('case.follow_up_complete', 'cancelled'), '已取消', 'Cancelled'],
  [row('case.follow_up_add', 'due:2026-11-10'), '计划于 2026-11-10', 'Due 2026-11-10'],
  [row('case.note_add', 'case:12', 'case_note'), '个案 #12', 'Case #12'],
  [row('case.crisis', 'crisis:4'), '危机事件记录 #4', 'Crisis record #4'],
  [row('case.district_stats', 'dimension:category'), '统计口径：按问题类别', 'Breakdown: by category'],
  [row('staff.create', 'purchased'), '购买服务', 'Purchased service'],
  [row('staff.training_add', 'hours:6'), '6 学时', '6 h'],
  [row('programme.event_create', 'drill'), '危机演练', 'Drill'],
  [row('programme.channel_add', 'wechat'), '微信公众号', 'WeChat account'],
  [row('programme.attachment_add', 'image/jpeg,bytes:204800'), 'JPEG · 200 KB', 'JPEG · 200 KB'],
  [row('programme.event_remove', 'files:3'), '3 个附件', 'Files: 3'],
  [row('programme.event_update', 'lecture'), '讲座', 'Lecture'],
  [row('programme.clinic_save', 'year:3'), '2025-2026 学年', 'School year 2025-2026'],
  [row('programme.clinic_remove', 'year:3'), '2025-2026 学年', 'School year 2025-2026'],
  [row('room.save', 'year:3'), '2025-2026 学年', 'School year 2025-2026'],
  [
    row('school.enrolment_set', 'year:3,correction:核对后更正'),
    '2025-2026 学年 · 更正原因：核对后更正',
    'School year 2025-2026 · Correction: 核对后更正',
  ],
  [row('staff.update', 'part_time'), '兼职', 'Part-time'],
  [row('student.list', 'rows:40'), '40 行', 'Rows: 40'],
  [row('student.import', 'rows:38'), '38 行', 'Rows: 38'],
  [row('case.list', 'rows:12'), '12 行', 'Rows: 12'],
  [row('case.note_edit', 'case:12', 'case_note'), '个案 #12', 'Case #12'],
  [row('auth.session_revoke', 'session:9'), '登录会话 #9', 'Session #9'],
  [row('account.disable', 'revoked_sessions:1'), '已退出其他 1 个登录', 'Other sessions signed out: 1'],
  [row('account.password_reset', 'revoked_sessions:0'), '已退出其他 0 个登录', 'Other sessions signed out: 0'],
  [row('evaluation.self_submit', 'total:78'), '总分 78', 'Total score 78'],
  [row('programme.team_save', 'year:3,classes:24'), '2025-2026 学年 · 24 个班', 'School year 2025-2026 · Classes: 24'],
  [row('evaluation.round_create', 'year:3,half:2'), '2025-2026 学年 · 下半年（第二学期）', 'School year 2025-2026 · Second half (term 2)'],
  [row('evaluation.round_close', 'snapshot:2'), '报告定稿第 2 版', 'Report frozen, version 2'],
  [row('evaluation.bureau_score', 'total:86'), '总分 86', 'Total score 86'],
  [row('case.read', 'notes:5'), '5 条记录', 'Notes: 5'],
  [row('case.notify', 'guardian:task'), '监护人（完成对应事项）', 'Guardian (completes its task)'],
  [row('case.notify', 'district_centre'), '区心理健康教育中心', 'District mental-health centre'],
  [row('research.key_destroy', 'files:4'), '4 个附件', 'Files: 4'],
  [row('research.member_add', 'account:12'), '账户 #12', 'Account #12'],
  [row('research.member_remove', 'account:12'), '账户 #12', 'Account #12'],
  [row('research.ethics_upload', 'pdf,bytes:20480'), 'pdf · 20 KB', 'pdf · 20 KB'],
  [
    row('research.export_preview', 'dataset:cases,form:record'),
    '数据集：学生心理个案 · 个体级数据（匿名化）',
    'Dataset: Student cases · Record-level extract (anonymised)',
  ],
  [
    row('research.export_request', 'dataset:staffing,form:aggregate'),
    '数据集：心理教师配备 · 汇总表',
    'Dataset: Psychology staffing · Aggregate table',
  ],
  [
    row('research.export_resubmit', 'dataset:programme,form:aggregate'),
    '数据集：“七个一”活动 · 汇总表',
    'Dataset: Seven-ones events · Aggregate table',
  ],
  [
    row('research.export_download', 'file:data.csv,sha256:0123456789abcdef'),
    '文件 data.csv · SHA-256 0123456789abcdef…',
    'File data.csv · SHA-256 0123456789abcdef…',
  ],
  [row('audit.verify', 'checked:1200'), '已校验 1200 条记录', '1200 events verified'],
  [row('audit.verify', 'hash_mismatch:77'), '在第 77 条处断开（内容与校验值不符）', 'breaks at event 77 (content does not match its hash)'],
  [row('teacher.list', 'rows:3,search', 'teacher'), '3 行 · 按名称或代码搜索', 'Rows: 3 · Searched by name or code'],
  [row('teacher.import', 'rows:12', 'teacher'), '12 行', 'Rows: 12'],
  [row('assessment.round_open', 'rows:40', 'assessment_round'), '40 行', 'Rows: 40'],
  [row('assessment.codes_issue', 'rows:38', 'assessment_round'), '38 行', 'Rows: 38'],
  [row('assessment.alert_list', 'rows:2', 'assessment_alert'), '2 行', 'Rows: 2'],
  [row('assessment.code_open', 'unknown_code'), '评估码不存在', 'Unknown code'],
  [
    row('assessment.code_open', 'throttled_code'),
    '该地址输入无效评估码次数过多，已暂时拒绝',
    'Too many unknown codes from this address; refused for a while',
  ],
  [row('assessment.support_add', 'due:2026-12-10', 'assessment_alert'), '计划于 2026-12-10', 'Due 2026-12-10'],
  [row('district.settings_update', 'assessment', 'district_setting'), '评估设置', 'Assessment settings'],
  [row('district.settings_update', 'breakGlass', 'district_setting'), '紧急调阅设置', 'Break-glass settings'],
  [row('assessment.routing_set', 'centre', 'school'), '区级辅导中心', 'District centre'],
  [row('assessment.routing_set', 'school', 'school'), '本校心理教师', 'School counsellors'],
  [row('assessment.routing_read', 'rows:100', 'school'), '100 行', 'Rows: 100'],
  [row('case.break_glass_open', 'break_glass', 'case'), '紧急调阅', 'Break-glass'],
  [row('case.break_glass_read', 'break_glass', 'case'), '紧急调阅', 'Break-glass'],
  [row('case.break_glass_list', 'rows:3', 'break_glass'), '3 行', 'Rows: 3'],
  [row('assessment.trend_read', 'rows:4', 'assessment_round'), '4 行', 'Rows: 4'],
  [row('district.settings_update', 'screening', 'district_setting'), '学生筛查设置', 'Student screening settings'],
  [row('screening.campaign_create', 'rows:3', 'screening_campaign'), '3 行', 'Rows: 3'],
  [row('screening.consent_list', 'rows:40', 'screening_campaign'), '40 行', 'Rows: 40'],
  [row('screening.consent_record', 'party:guardian', 'student'), '同意人：监护人', 'Consent by: Guardian'],
  [row('screening.slips_issue', 'rows:38', 'screening_campaign'), '38 行', 'Rows: 38'],
  [row('screening.code_open', 'other_class'), '个人码不属于该班级', 'Personal code of another class'],
  [row('screening.code_open', 'unknown_class_code'), '班级码不存在', 'Unknown class code'],
  [row('screening.warning_list', 'rows:2', 'screening_warning'), '2 行', 'Rows: 2'],
  [
    row('screening.warning_outcome', 'warning:case,case:12', 'screening_warning'),
    '处理结果：建立个案 · 个案 #12',
    'Outcome: Case opened · Case #12',
  ],
  [row('export.download', 'csv,rows:5', 'screeningAwareness'), 'CSV · 5 行', 'CSV · Rows: 5'],
]

describe('audit details read in the reader’s language', () => {
  it.each(CASES)('%j', (r, zhText, enText) => {
    const zh = context('zh-CN')
    const eng = context('en')
    expect(describeAuditDetail(r, zh.ctx)).toBe(zhText)
    expect(describeAuditDetail(r, eng.ctx)).toBe(enText)
    expect(zh.missing).toEqual([])
    expect(eng.missing).toEqual([])
  })

  it('reads no detail as nothing, and keeps a code it does not know as stored', () => {
    const { ctx } = context('en')
    expect(describeAuditDetail(row('auth.logout', null), ctx)).toBe('')
    expect(describeAuditDetail(row('case.open', 'mystery:1,oddity'), ctx)).toBe('mystery:1 · oddity')
    expect(describeAuditDetail(row('export.download', 'csv,year:99'), ctx)).toBe('CSV · School year #99')
  })

  it('has a label for every permission an access refusal names', () => {
    for (const locale of ['zh-CN', 'en'] as const) {
      const { ctx, missing } = context(locale)
      for (const p of PERMISSIONS) expect(describeAuditDetail(row('permission.denied', p), ctx)).not.toContain(p)
      expect(missing).toEqual([])
    }
  })

  it('covers every action the server writes with a detail', () => {
    // Actions whose rows carry no detail (server/services never sets one for them).
    const withoutDetail = new Set([
      'teacher.create',
      'teacher.update',
      'teacher.remove',
      'assessment.code_reissue',
      'assessment.answer_save',
      'assessment.submit',
      'assessment.alert_raise',
      'assessment.alert_read',
      'assessment.alert_acknowledge',
      'assessment.support_complete',
      'assessment.alert_close',
      'assessment.alert_route',
      'assessment.alert_escalate',
      'case.break_glass_review',
      'auth.logout',
      'account.enable',
      'mfa.disable',
      'mfa.recovery_regenerate',
      'street.create',
      'school.create',
      'school.update',
      'school.disable',
      'school.enable',
      'school_year.create',
      'school_year.update',
      'school_year.set_current',
      'school_year.disable',
      'school_year.enable',
      'student.read',
      'student.create',
      'student.update',
      'case.update',
      'case.note_versions_read',
      'case.consent',
      'case.guardian_contact',
      'case.close',
      'case.reopen',
      'staff.remove',
      'staff.certificate_add',
      'staff.certificate_update',
      'staff.certificate_remove',
      'staff.training_remove',
      'programme.attachment_read',
      'programme.attachment_remove',
      'programme.channel_remove',
      'evaluation.round_reopen',
      'evaluation.report_view',
      'research.project_create',
      'research.project_update',
      'research.project_close',
      'research.ethics_read',
      'research.export_withdraw',
      'research.export_review',
      'research.export_approve',
      'research.export_return',
      'assessment.aggregates_read',
      'screening.questionnaire_save',
      'screening.questionnaire_publish',
      'screening.consent_withdraw',
      'screening.session_start',
      'screening.session_end',
      'screening.answer_save',
      'screening.submit',
      'screening.warning_raise',
      'screening.warning_read',
      'screening.awareness_read',
      'screening.distribution_read',
      'accreditation.version_create',
      'accreditation.version_update',
      'accreditation.version_publish',
      'accreditation.application_open',
      'accreditation.application_read',
      'accreditation.self_save',
      'accreditation.submit',
      'accreditation.return',
      'accreditation.accept',
      'accreditation.evidence_add',
      'accreditation.evidence_read',
      'accreditation.evidence_remove',
      'accreditation.unassign',
      'accreditation.score_save',
      'accreditation.score_submit',
      'accreditation.delta_add',
      'accreditation.discussion_open',
      'accreditation.discussion_post',
      'accreditation.visit',
      'accreditation.title_withdraw',
      'accreditation.employment_add',
      'accreditation.employment_remove',
      'accreditation.record_print',
      'room.rota_save',
      'room.closure_add',
      'room.closure_remove',
      'room.appointment_book',
      'room.appointment_confirm',
      'room.appointment_reschedule',
      'room.calendar_read',
      'room.visit_read',
      'room.group_create',
      'room.group_read',
      'room.attendance',
      'room.feed_issue',
      'room.feed_revoke',
      'room.stats_read',
    ])
    const covered = new Set(CASES.map(([r]) => r.action))
    expect(AUDIT_ACTIONS.filter((a) => !covered.has(a) && !withoutDetail.has(a))).toEqual([])
  })
})

describe('audit entities', () => {
  const label = (key: string, fallback: string) => {
    const m = key.split('.').reduce<unknown>((n, k) => (n as Record<string, unknown> | undefined)?.[k], en)
    return typeof m === 'string' ? m : fallback
  }
  it.each([
    [null, null, null],
    ['case', null, 'Case'],
    ['case_note', '7', 'Case note #7'],
    ['procedure', 'case.byId', 'Procedure case.byId'],
    ['mystery', 3, 'mystery #3'],
  ] as const)('%s %s reads %s', (type, id, expected) => {
    expect(auditEntityText(type, id, label)).toBe(expected)
  })
})
