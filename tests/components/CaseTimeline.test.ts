import { mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { describe, expect, it } from 'vitest'
import { createI18n } from 'vue-i18n'
import CaseRiskTag from '../../components/case/CaseRiskTag.vue'
import CaseTimeline from '../../components/case/CaseTimeline.vue'
import en from '../../i18n/locales/en.json'
import zh from '../../i18n/locales/zh-CN.json'
import { buildTimeline, type TimelineSource } from '../../shared/timeline'

const file: TimelineSource = {
  notes: [
    {
      id: 1,
      authorName: 'Ms Lin',
      sessionDate: '2026-10-02',
      createdAt: '2026-10-02T07:00:00.000Z',
      type: 'individual',
      durationMin: 40,
      text: 'Talked about sleep.',
      hidden: false,
      private: false,
      editedVersions: 1,
      editable: true,
      version: 2,
    },
    {
      id: 2,
      authorName: 'Mr Chen',
      sessionDate: '2026-10-05',
      createdAt: '2026-10-05T07:00:00.000Z',
      type: null,
      durationMin: null,
      text: null,
      hidden: true,
      private: true,
      editedVersions: 0,
      editable: false,
      version: 1,
    },
  ],
  risks: [
    { id: 1, kind: 'opened', from: null, to: 'watch', reason: null, byName: 'Ms Lin', at: '2026-10-01T01:00:00.000Z' },
    { id: 2, kind: 'crisis', from: 'watch', to: 'crisis', reason: null, byName: 'Ms Lin', at: '2026-10-06T03:00:00.000Z' },
  ],
  crises: [
    {
      id: 1,
      occurredAt: '2026-10-06T02:50:00.000Z',
      what: 'Found crying in the stairwell',
      actions: 'Took her to the counselling room',
      accompanied: true,
      accompaniedBy: 'Ms Li',
      notified: [{ recipient: 'principal', name: 'Mr Wang', at: '2026-10-06T03:05:00.000Z' }],
    },
  ],
  contacts: [
    {
      id: 1,
      kind: 'consent',
      relation: 'mother',
      method: 'written',
      contactedAt: '2026-10-03T08:00:00.000Z',
      consentGiven: true,
      note: null,
    },
  ],
  referrals: [{ id: 1, target: 'City Children’s Hospital', status: 'sent', kind: 'hospital_clinic', sentOn: '2026-10-06' }],
}

function render(locale: 'en' | 'zh-CN', items = buildTimeline(file)) {
  const i18n = createI18n({ legacy: false, locale, messages: { en, 'zh-CN': zh }, globalInjection: true })
  return mount(CaseTimeline, { props: { items }, global: { plugins: [ElementPlus, i18n], components: { CaseRiskTag } } })
}

describe('case timeline', () => {
  it('lists every kind of entry, newest first', () => {
    const kinds = render('en')
      .findAll('[data-kind]')
      .map((w) => w.attributes('data-kind'))
    // the referral is known only by its date: it sorts as the end of that day and shows no invented time
    expect(kinds).toEqual(['referral', 'risk', 'crisis', 'note', 'contact', 'note', 'risk'])
  })

  it('shows a referral known only by its date as that date, with no invented time', () => {
    const referral = render('en').find('[data-kind="referral"]')
    const stamp = referral.element.closest('.el-timeline-item')?.querySelector('.el-timeline-item__timestamp')?.textContent?.trim()
    expect(stamp).toBe('2026-10-06')
  })

  it('shows that a private note exists without showing its text', () => {
    const w = render('en')
    expect(w.text()).toContain('Private working note')
    expect(w.text()).toContain('visible to its author only')
    expect(w.text()).toContain('Talked about sleep.')
    expect(w.text()).not.toContain('undefined')
  })

  it('offers editing only for an editable note and shows how often a note was edited', async () => {
    const w = render('en')
    expect(w.find('[data-testid="note-edit-1"]').exists()).toBe(true)
    expect(w.find('[data-testid="note-edit-2"]').exists()).toBe(false)
    expect(w.text()).toContain('Edited 1×')
    await w.find('[data-testid="note-edit-1"]').trigger('click')
    expect(w.emitted('editNote')).toEqual([[1]])
  })

  it('explains automatic level changes in the reader’s language', () => {
    expect(render('zh-CN').text()).toContain('危机事件自动升为一级')
    expect(render('en').text()).toContain('Raised to L1 by a crisis event')
  })

  it("shows a counsellor's reason as written, even one that reads like a system event", () => {
    const items = buildTimeline({
      ...file,
      risks: [
        { id: 3, kind: 'changed', from: 'watch', to: 'high', reason: 'opened', byName: 'Ms Lin', at: '2026-10-07T03:00:00.000Z' },
        {
          id: 4,
          kind: 'reopened',
          from: 'high',
          to: 'high',
          reason: 'Trouble again after the exams',
          byName: 'Ms Lin',
          at: '2026-10-08T03:00:00.000Z',
        },
      ],
    })
    const risks = render('en', items).findAll('[data-kind="risk"]')
    expect(risks[1]!.text()).toContain('opened')
    expect(risks[1]!.text()).not.toContain('Set when the case was opened')
    expect(risks[0]!.text()).toContain('Case reopened')
    expect(risks[0]!.text()).toContain('Trouble again after the exams')
  })

  it('renders the crisis with who was notified', () => {
    const crisis = render('en').find('[data-kind="crisis"]')
    expect(crisis.text()).toContain('Found crying in the stairwell')
    expect(crisis.text()).toContain('Principal')
  })

  it('says so when nothing has been recorded', () => {
    expect(render('en', []).text()).toContain('Nothing recorded yet')
  })
})
