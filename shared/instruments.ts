/**
 * The screening instruments that are free to embed (DOMAIN.md), as versioned definitions shared by the
 * server (scoring, alerts) and the answering screens. A result is a screening band, never a diagnosis.
 * Item texts follow the Simplified-Chinese versions in wide use and the original English; a changed
 * wording is a new version, and every stored answer keeps the instrument id and version it was given on.
 */
export type InstrumentLocale = 'zh-CN' | 'en'
export type Text = Readonly<Record<InstrumentLocale, string>>

export const INSTRUMENT_IDS = ['phq9', 'gad7', 'who5', 'k10', 'pss10'] as const
export type InstrumentId = (typeof INSTRUMENT_IDS)[number]

export interface InstrumentItem {
  key: string
  text: Text
  /** scored as (max + min − answer) */
  reversed?: boolean
}

export interface InstrumentBand {
  key: string
  /** inclusive bounds of the raw total */
  min: number
  max: number
  /** 0 for the least concern; the district's alert setting compares against it */
  rank: number
  label: Text
}

/** Something a counsellor should look at, raised from the answers themselves. */
export type FlagRule =
  | { key: string; kind: 'itemAtLeast'; item: string; atLeast: number; alert: boolean }
  | { key: string; kind: 'totalAtLeast'; atLeast: number; alert: boolean }
  | { key: string; kind: 'anyItemAtMost'; atMost: number; alert: boolean }

export interface InstrumentDefinition {
  id: InstrumentId
  version: number
  name: Text
  /** the period and question the items answer */
  stem: Text
  items: readonly InstrumentItem[]
  /** the same answer scale for every item */
  options: readonly { value: number; label: Text }[]
  /** WHO-5 reports raw × 4 as a percentage */
  percentFactor?: number
  bands: readonly InstrumentBand[]
  flags: readonly FlagRule[]
}

const t = (zh: string, en: string): Text => ({ 'zh-CN': zh, en })
const items = (prefix: string, texts: [zh: string, en: string][], reversed: number[] = []): InstrumentItem[] =>
  texts.map(([zh, en], i) => ({ key: `${prefix}_${i + 1}`, text: t(zh, en), ...(reversed.includes(i + 1) ? { reversed: true } : {}) }))

const FREQ_2W = [
  { value: 0, label: t('完全不会', 'Not at all') },
  { value: 1, label: t('好几天', 'Several days') },
  { value: 2, label: t('一半以上的天数', 'More than half the days') },
  { value: 3, label: t('几乎每天', 'Nearly every day') },
]

export const PHQ9: InstrumentDefinition = {
  id: 'phq9',
  version: 1,
  name: t('患者健康问卷（PHQ-9）', 'Patient Health Questionnaire (PHQ-9)'),
  stem: t(
    '在过去两周里，你有多少时间受到以下问题的困扰？',
    'Over the last 2 weeks, how often have you been bothered by any of the following problems?',
  ),
  items: items('phq9', [
    ['做事时提不起劲或没有兴趣', 'Little interest or pleasure in doing things'],
    ['感到心情低落、沮丧或绝望', 'Feeling down, depressed, or hopeless'],
    ['入睡困难、睡不安稳或睡眠过多', 'Trouble falling or staying asleep, or sleeping too much'],
    ['感觉疲倦或没有活力', 'Feeling tired or having little energy'],
    ['食欲不振或吃太多', 'Poor appetite or overeating'],
    [
      '觉得自己很糟，或觉得自己很失败，或让自己或家人失望',
      'Feeling bad about yourself, or that you are a failure or have let yourself or your family down',
    ],
    ['对事物专注有困难，例如阅读报纸或看电视时', 'Trouble concentrating on things, such as reading the newspaper or watching television'],
    [
      '动作或说话速度缓慢到别人已经察觉，或正好相反，烦躁或坐立不安、动来动去的情况比平常更多',
      'Moving or speaking so slowly that other people could have noticed, or the opposite: being so fidgety or restless that you have been moving around a lot more than usual',
    ],
    ['有不如死掉或用某种方式伤害自己的念头', 'Thoughts that you would be better off dead, or of hurting yourself in some way'],
  ]),
  options: FREQ_2W,
  bands: [
    { key: 'minimal', min: 0, max: 4, rank: 0, label: t('无或极轻', 'None to minimal') },
    { key: 'mild', min: 5, max: 9, rank: 1, label: t('轻度', 'Mild') },
    { key: 'moderate', min: 10, max: 14, rank: 2, label: t('中度', 'Moderate') },
    { key: 'moderately_severe', min: 15, max: 19, rank: 3, label: t('中重度', 'Moderately severe') },
    { key: 'severe', min: 20, max: 27, rank: 4, label: t('重度', 'Severe') },
  ],
  // Item 9 at all, whatever the total: the answer itself is the alert.
  flags: [{ key: 'self_harm_thoughts', kind: 'itemAtLeast', item: 'phq9_9', atLeast: 1, alert: true }],
}

export const GAD7: InstrumentDefinition = {
  id: 'gad7',
  version: 1,
  name: t('广泛性焦虑量表（GAD-7）', 'Generalized Anxiety Disorder scale (GAD-7)'),
  stem: t(
    '在过去两周里，你有多少时间受到以下问题的困扰？',
    'Over the last 2 weeks, how often have you been bothered by the following problems?',
  ),
  items: items('gad7', [
    ['感觉紧张、焦虑或急切', 'Feeling nervous, anxious, or on edge'],
    ['不能够停止或控制担忧', 'Not being able to stop or control worrying'],
    ['对各种各样的事情担忧过多', 'Worrying too much about different things'],
    ['很难放松下来', 'Trouble relaxing'],
    ['由于不安而无法静坐', 'Being so restless that it is hard to sit still'],
    ['变得容易烦恼或急躁', 'Becoming easily annoyed or irritable'],
    ['感到似乎将有可怕的事情发生而害怕', 'Feeling afraid, as if something awful might happen'],
  ]),
  options: FREQ_2W,
  bands: [
    { key: 'minimal', min: 0, max: 4, rank: 0, label: t('无或极轻', 'None to minimal') },
    { key: 'mild', min: 5, max: 9, rank: 1, label: t('轻度', 'Mild') },
    { key: 'moderate', min: 10, max: 14, rank: 2, label: t('中度', 'Moderate') },
    { key: 'severe', min: 15, max: 21, rank: 3, label: t('重度', 'Severe') },
  ],
  flags: [{ key: 'recommend_evaluation', kind: 'totalAtLeast', atLeast: 10, alert: false }],
}

export const WHO5: InstrumentDefinition = {
  id: 'who5',
  version: 1,
  name: t('世界卫生组织五项身心健康指标（WHO-5）', 'WHO-5 Well-Being Index'),
  stem: t('在过去两周里：', 'Over the last two weeks:'),
  items: items('who5', [
    ['我感到快乐、心情舒畅', 'I have felt cheerful and in good spirits'],
    ['我感到平静和放松', 'I have felt calm and relaxed'],
    ['我感到充满活力、精力充沛', 'I have felt active and vigorous'],
    ['我醒来时感到神清气爽、休息充分', 'I woke up feeling fresh and rested'],
    ['我的日常生活中充满了让我感兴趣的事情', 'My daily life has been filled with things that interest me'],
  ]),
  options: [
    { value: 0, label: t('从未有过', 'At no time') },
    { value: 1, label: t('有时', 'Some of the time') },
    { value: 2, label: t('少于一半时间', 'Less than half of the time') },
    { value: 3, label: t('多于一半时间', 'More than half of the time') },
    { value: 4, label: t('大部分时间', 'Most of the time') },
    { value: 5, label: t('所有时间', 'All of the time') },
  ],
  percentFactor: 4,
  // Higher is better here: the band of concern is the low one.
  bands: [
    { key: 'poor', min: 0, max: 12, rank: 1, label: t('身心状态欠佳', 'Poor well-being') },
    { key: 'adequate', min: 13, max: 25, rank: 0, label: t('身心状态良好', 'Adequate well-being') },
  ],
  flags: [{ key: 'item_low', kind: 'anyItemAtMost', atMost: 1, alert: false }],
}

export const K10: InstrumentDefinition = {
  id: 'k10',
  version: 1,
  name: t('凯斯勒心理困扰量表（K10）', 'Kessler Psychological Distress Scale (K10)'),
  stem: t('在过去四周里，你有多经常有以下感受？', 'In the past 4 weeks, about how often did you feel:'),
  items: items('k10', [
    ['无缘无故地感到疲惫', 'tired out for no good reason'],
    ['感到紧张', 'nervous'],
    ['紧张得无论怎样都平静不下来', 'so nervous that nothing could calm you down'],
    ['感到绝望', 'hopeless'],
    ['感到坐立不安', 'restless or fidgety'],
    ['烦躁不安到无法静坐', 'so restless you could not sit still'],
    ['感到抑郁', 'depressed'],
    ['感到做每件事都很费力', 'that everything was an effort'],
    ['悲伤得无论怎样都高兴不起来', 'so sad that nothing could cheer you up'],
    ['感到自己一无是处', 'worthless'],
  ]),
  options: [
    { value: 1, label: t('从不', 'None of the time') },
    { value: 2, label: t('偶尔', 'A little of the time') },
    { value: 3, label: t('有时', 'Some of the time') },
    { value: 4, label: t('经常', 'Most of the time') },
    { value: 5, label: t('总是', 'All of the time') },
  ],
  bands: [
    { key: 'low', min: 10, max: 15, rank: 0, label: t('低', 'Low') },
    { key: 'moderate', min: 16, max: 21, rank: 1, label: t('中等', 'Moderate') },
    { key: 'high', min: 22, max: 29, rank: 2, label: t('较高', 'High') },
    { key: 'very_high', min: 30, max: 50, rank: 3, label: t('很高', 'Very high') },
  ],
  flags: [],
}

export const PSS10: InstrumentDefinition = {
  id: 'pss10',
  version: 1,
  name: t('知觉压力量表（PSS-10）', 'Perceived Stress Scale (PSS-10)'),
  stem: t('在过去一个月里，你有多经常：', 'In the last month, how often have you:'),
  items: items(
    'pss10',
    [
      ['因为意外发生的事情而感到心烦意乱', 'been upset because of something that happened unexpectedly'],
      ['感到无法控制生活中重要的事情', 'felt that you were unable to control the important things in your life'],
      ['感到紧张和有压力', 'felt nervous and stressed'],
      ['对自己处理个人问题的能力感到有信心', 'felt confident about your ability to handle your personal problems'],
      ['感到事情顺心如意', 'felt that things were going your way'],
      ['发现自己无法应付所有必须做的事情', 'found that you could not cope with all the things that you had to do'],
      ['能够控制生活中令人烦恼的事情', 'been able to control irritations in your life'],
      ['感到一切尽在掌握', 'felt that you were on top of things'],
      ['因为无法控制的事情而生气', 'been angered because of things that happened that were outside of your control'],
      ['感到困难堆积如山，无法克服', 'felt difficulties were piling up so high that you could not overcome them'],
    ],
    [4, 5, 7, 8],
  ),
  options: [
    { value: 0, label: t('从不', 'Never') },
    { value: 1, label: t('几乎不', 'Almost never') },
    { value: 2, label: t('有时', 'Sometimes') },
    { value: 3, label: t('相当频繁', 'Fairly often') },
    { value: 4, label: t('非常频繁', 'Very often') },
  ],
  bands: [
    { key: 'low', min: 0, max: 13, rank: 0, label: t('低', 'Low') },
    { key: 'moderate', min: 14, max: 26, rank: 1, label: t('中等', 'Moderate') },
    { key: 'high', min: 27, max: 40, rank: 2, label: t('较高', 'High') },
  ],
  flags: [],
}

export const INSTRUMENTS: Readonly<Record<InstrumentId, InstrumentDefinition>> = {
  phq9: PHQ9,
  gad7: GAD7,
  who5: WHO5,
  k10: K10,
  pss10: PSS10,
}

/** Said wherever a band is shown: a screening band is not a diagnosis. */
export const NOT_A_DIAGNOSIS: Text = t(
  '筛查结果只表示一段时间内的状态分级，不是诊断，也不作为任何考核依据。',
  'A screening band describes how things have been lately. It is not a diagnosis and is never used in appraisal.',
)

export type AnswerIssue = { item: string; problem: 'missing' | 'outOfRange' } | { item: string; problem: 'unknownItem' }

/** What is wrong with a set of answers: every item answered once, with one of the scale's values. */
export function answerIssues(def: InstrumentDefinition, answers: Readonly<Record<string, unknown>>): AnswerIssue[] {
  const values = new Set(def.options.map((o) => o.value))
  const keys = new Set(def.items.map((i) => i.key))
  const issues: AnswerIssue[] = []
  for (const item of def.items) {
    const v = answers[item.key]
    if (v === undefined || v === null) issues.push({ item: item.key, problem: 'missing' })
    else if (typeof v !== 'number' || !values.has(v)) issues.push({ item: item.key, problem: 'outOfRange' })
  }
  for (const k of Object.keys(answers)) if (!keys.has(k)) issues.push({ item: k, problem: 'unknownItem' })
  return issues
}

export interface InstrumentScore {
  instrument: InstrumentId
  version: number
  total: number
  /** WHO-5 only */
  percent: number | null
  band: string
  rank: number
  /** the flag rules the answers met */
  flags: string[]
  /** true when a met flag is an alert (e.g. PHQ-9 item 9 ≥ 1) */
  alert: boolean
}

/** Scores complete, valid answers (check `answerIssues` first: this throws on anything else). */
export function scoreInstrument(def: InstrumentDefinition, answers: Readonly<Record<string, number>>): InstrumentScore {
  const issues = answerIssues(def, answers)
  if (issues.length) throw new Error(`invalid answers for ${def.id}: ${JSON.stringify(issues.slice(0, 3))}`)
  const lo = Math.min(...def.options.map((o) => o.value))
  const hi = Math.max(...def.options.map((o) => o.value))
  const total = def.items.reduce((sum, item) => sum + (item.reversed ? hi + lo - answers[item.key]! : answers[item.key]!), 0)
  const band = def.bands.find((b) => total >= b.min && total <= b.max)
  if (!band) throw new Error(`${def.id}: no band holds ${total}`)
  const met = def.flags.filter((f) => {
    if (f.kind === 'itemAtLeast') return answers[f.item]! >= f.atLeast
    if (f.kind === 'totalAtLeast') return total >= f.atLeast
    return def.items.some((i) => answers[i.key]! <= f.atMost)
  })
  return {
    instrument: def.id,
    version: def.version,
    total,
    percent: def.percentFactor ? total * def.percentFactor : null,
    band: band.key,
    rank: band.rank,
    flags: met.map((f) => f.key),
    alert: met.some((f) => f.alert),
  }
}
