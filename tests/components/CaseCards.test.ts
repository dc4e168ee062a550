import { mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { describe, expect, it } from 'vitest'
import { defineComponent, h } from 'vue'
import { createI18n } from 'vue-i18n'
import CaseBoardCards from '../../components/case/CaseBoardCards.vue'
import CaseCountCards from '../../components/case/CaseCountCards.vue'
import CaseRiskTag from '../../components/case/CaseRiskTag.vue'
import en from '../../i18n/locales/en.json'
import zh from '../../i18n/locales/zh-CN.json'

const NuxtLink = defineComponent({
  props: { to: { type: String, required: true } },
  setup(props, { slots }) {
    return () => h('a', { href: props.to }, slots.default?.())
  },
})

function render<P extends Record<string, unknown>>(component: Parameters<typeof mount>[0], props: P, locale: 'en' | 'zh-CN' = 'en') {
  const i18n = createI18n({ legacy: false, locale, messages: { en, 'zh-CN': zh }, globalInjection: true })
  return mount(component, { props, global: { plugins: [ElementPlus, i18n], components: { CaseRiskTag, NuxtLink } } })
}

const byLevel = { crisis: 1, high: 2, watch: 3, routine: 4 }

describe('the case count cards', () => {
  it('are figures only on the school page: no buttons, nothing to press', async () => {
    const w = render(CaseCountCards, { byLevel, overdue: 5, overdueLabel: 'Overdue items' })
    expect(w.findAll('button')).toHaveLength(0)
    expect(w.find('[data-testid="card-today"]').exists()).toBe(false)
    await w.find('[data-testid="card-crisis"]').trigger('click')
    expect(w.emitted()).not.toHaveProperty('level')
    expect(w.find('[data-testid="count-overdue"]').text()).toBe('5')
  })

  it('filter the board by level or due view, and say which one is on', async () => {
    const w = render(CaseCountCards, {
      byLevel,
      overdue: 5,
      overdueLabel: 'Cases with overdue items',
      dueToday: 2,
      selectable: true,
      activeLevel: 'high',
      activeDue: 'today',
    })
    const buttons = w.findAll('button')
    expect(buttons).toHaveLength(6)
    expect(buttons.map((b) => b.attributes('aria-pressed'))).toEqual(['false', 'true', 'false', 'false', 'false', 'true'])
    await w.find('[data-testid="card-watch"]').trigger('click')
    await w.find('[data-testid="card-overdue"]').trigger('click')
    await w.find('[data-testid="card-today"]').trigger('click')
    expect(w.emitted('level')).toEqual([['watch']])
    expect(w.emitted('due')).toEqual([['overdue'], ['today']])
    expect(w.find('[data-testid="card-today"]').text()).toContain(en.case.dueTodayCases)
    expect(w.find('[data-testid="count-today"]').text()).toBe('2')
  })
})

describe('the phone caseload cards', () => {
  const cards = [
    {
      id: 7,
      riskLevel: 'crisis' as const,
      name: '黄佳怡（示例）',
      studentNo: 'S20011',
      gradeClass: '三年级2班',
      overdue: 8,
      dueToday: 2,
      closed: false,
      nextDue: '下一事项 2026/11/28 09:57',
    },
    {
      id: 9,
      riskLevel: 'watch' as const,
      name: '张浩（示例）',
      studentNo: 'S20032',
      gradeClass: '四年级2班',
      overdue: 0,
      dueToday: 0,
      closed: false,
      nextDue: null,
    },
  ]

  it('show level, name, overdue and due-today counts and what is due next, each a link to the case', () => {
    const w = render(CaseBoardCards, { cards, emptyText: '没有符合条件的个案' }, 'zh-CN')
    const first = w.find('[data-testid="case-card-S20011"]')
    expect(first.classes()).toContain('is-overdue')
    expect(first.find('[data-level="crisis"]').text()).toBe(zh.risk.crisis)
    expect(first.text()).toContain('黄佳怡（示例）')
    expect(first.find('[data-testid="card-overdue-count"]').text()).toBe('逾期 8 项')
    expect(first.find('[data-testid="card-today-count"]').text()).toBe('今日到期 2 项')
    expect(first.find('[data-testid="card-next-due"]').text()).toBe('下一事项 2026/11/28 09:57')
    expect(first.find('a').attributes('href')).toBe('/school/cases/7')
    const second = w.find('[data-testid="case-card-S20032"]')
    expect(second.classes()).not.toContain('is-overdue')
    expect(second.find('[data-testid="card-overdue-count"]').exists()).toBe(false)
    expect(second.find('[data-testid="card-next-due"]').text()).toBe(zh.case.nothingDue)
  })

  it('say so when no case matches', () => {
    const w = render(CaseBoardCards, { cards: [], emptyText: 'No cases match' })
    expect(w.find('[data-testid="case-cards"]').exists()).toBe(false)
    expect(w.text()).toContain('No cases match')
  })
})
