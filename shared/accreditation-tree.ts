import type { Point, Tree } from './accreditation'

const p = (
  code: string,
  textZh: string,
  textEn: string,
  maxScore: number,
  evidenceZh: string,
  evidenceEn: string,
  extra: Partial<Pick<Point, 'system' | 'starred'>> = {},
): Point => ({ code, textZh, textEn, maxScore, evidenceZh, evidenceEn, system: extra.system ?? null, starred: extra.starred ?? false })

/**
 * The first indicator tree the bureau starts from (区级心理健康教育特色学校评估指标), drawn from the Futian
 * plan (seed 000) and the national counselling-room guide: 4 categories, 100 points, starred must-pass
 * items for the crisis system, staffing, the room and the drill. The bureau edits a copy as a new version.
 */
export const DEFAULT_TREE: Tree = [
  {
    code: 'A',
    nameZh: '组织管理',
    nameEn: 'Organisation and management',
    weight: 20,
    indicators: [
      {
        code: 'A1',
        nameZh: '领导机制',
        nameEn: 'Leadership',
        points: [
          p(
            'A1.1',
            '成立由校长牵头的心理健康教育工作领导小组，分工明确',
            'A mental-health education group led by the principal, with clear roles',
            5,
            '领导小组文件、会议纪要',
            'Group founding document, minutes',
          ),
          p(
            'A1.2',
            '心理健康教育纳入学校发展规划和年度工作计划',
            'Mental-health education in the school plan and the yearly work plan',
            5,
            '发展规划、年度计划',
            'Development plan, yearly plan',
          ),
        ],
      },
      {
        code: 'A2',
        nameZh: '制度建设',
        nameEn: 'Policies',
        points: [
          p(
            'A2.1',
            '建立心理危机预防与干预、转介制度并有效运行',
            'Crisis prevention, intervention and referral procedures in place and working',
            6,
            '危机干预预案、转介记录',
            'Crisis plan, referral records',
            { starred: true },
          ),
          p(
            'A2.2',
            '心理辅导室值班、记录与保密制度健全',
            'Counselling-room duty, record and confidentiality rules',
            4,
            '值班表、保密制度',
            'Duty roster, confidentiality policy',
          ),
        ],
      },
    ],
  },
  {
    code: 'B',
    nameZh: '条件保障',
    nameEn: 'Staffing and facilities',
    weight: 30,
    indicators: [
      {
        code: 'B1',
        nameZh: '师资队伍',
        nameEn: 'Psychology team',
        points: [
          p(
            'B1.1',
            '按不低于1:1000师生比配备专职心理教师',
            'Full-time psychology teachers at no less than 1 per 1,000 students',
            10,
            '系统核验：人员配备',
            'System check: staffing',
            { system: 'staffing', starred: true },
          ),
          p(
            'B1.2',
            '心理教师持证上岗，年度培训学时达标',
            'Certified psychology teachers meeting yearly training hours',
            5,
            '证书、培训记录',
            'Certificates, training records',
          ),
        ],
      },
      {
        code: 'B2',
        nameZh: '场地设施',
        nameEn: 'Counselling room',
        points: [
          p(
            'B2.1',
            '心理辅导室达到区建设标准（个体辅导室、团体活动室、办公接待区）',
            'Counselling room meeting the district standard (individual, group, reception areas)',
            10,
            '系统核验：心理辅导室',
            'System check: counselling room',
            { system: 'room', starred: true },
          ),
          p(
            'B2.2',
            '辅导室每个上课日课余时间开放并有专人值班',
            'Room open outside class time every school day with someone on duty',
            5,
            '开放时间表、来访登记',
            'Opening hours, visit log',
          ),
        ],
      },
    ],
  },
  {
    code: 'C',
    nameZh: '教育实施',
    nameEn: 'Education and services',
    weight: 30,
    indicators: [
      {
        code: 'C1',
        nameZh: '课程与活动',
        nameEn: 'Lessons and activities',
        points: [
          p(
            'C1.1',
            '心理健康教育课程纳入课表，每两周不少于1课时',
            'Mental-health lessons on the timetable, at least one every two weeks',
            6,
            '课表、教案',
            'Timetable, lesson plans',
          ),
          p('C1.2', '“七个一”工作全面完成', 'All of the "seven ones" completed', 8, '系统核验：七个一', 'System check: seven ones', {
            system: 'sevenOnes',
          }),
        ],
      },
      {
        code: 'C2',
        nameZh: '预防与干预',
        nameEn: 'Prevention and intervention',
        points: [
          p(
            'C2.1',
            '每学年至少开展一次心理危机干预演练',
            'At least one crisis-intervention drill per school year',
            6,
            '系统核验：演练记录',
            'System check: drills',
            { system: 'drills', starred: true },
          ),
          p(
            'C2.2',
            '个案跟进及时，心理健康档案规范管理',
            'Cases followed up on time, records kept properly',
            5,
            '个案管理台账（不含学生身份）',
            'Case register (no student identities)',
          ),
          p(
            'C2.3',
            '家校社协同，每学期至少一次家长心理讲座',
            'School–family–community work, a parent lecture each term',
            5,
            '讲座签到表、照片',
            'Lecture sign-in sheets, photos',
          ),
        ],
      },
    ],
  },
  {
    code: 'D',
    nameZh: '成效与特色',
    nameEn: 'Results and distinctive work',
    weight: 20,
    indicators: [
      {
        code: 'D1',
        nameZh: '督导评估',
        nameEn: 'Supervision',
        points: [
          p(
            'D1.1',
            '近一次半年督导评估综合得分良好以上',
            'Good or better in the latest half-yearly supervision',
            10,
            '系统核验：督导评估',
            'System check: supervision',
            { system: 'supervision' },
          ),
        ],
      },
      {
        code: 'D2',
        nameZh: '特色成果',
        nameEn: 'Distinctive results',
        points: [
          p(
            'D2.1',
            '形成心理健康教育特色项目，有区级以上交流或获奖成果',
            'A distinctive mental-health project shared or awarded at district level or above',
            10,
            '项目材料、获奖证书',
            'Project materials, awards',
          ),
        ],
      },
    ],
  },
]
