import { describe, expect, it } from 'vitest'
import { classInLocale } from '../../shared/cases'
import { buildTimeline, endOfShanghaiDay, referralMoment, type TimelineSource } from '../../shared/timeline'

describe('when a referral happened', () => {
  it.each([
    {
      label: 'recorded at 15:39 Shanghai on the day it was sent',
      sentOn: '2026-10-06',
      createdAt: '2026-10-06T07:39:00.000Z',
      at: '2026-10-06T07:39:00.000Z',
      dateOnly: null,
    },
    {
      label: 'recorded just after midnight Shanghai (the previous UTC day)',
      sentOn: '2026-10-06',
      createdAt: '2026-10-05T16:05:00.000Z',
      at: '2026-10-05T16:05:00.000Z',
      dateOnly: null,
    },
    {
      label: 'recorded two days after it was sent',
      sentOn: '2026-10-06',
      createdAt: '2026-10-08T02:00:00.000Z',
      at: '2026-10-06T15:59:59.999Z',
      dateOnly: '2026-10-06',
    },
    {
      label: 'with no record of when it was entered',
      sentOn: '2026-10-06',
      createdAt: undefined,
      at: '2026-10-06T15:59:59.999Z',
      dateOnly: '2026-10-06',
    },
  ])('$label', ({ sentOn, createdAt, at, dateOnly }) => {
    expect(referralMoment(sentOn, createdAt)).toEqual({ at, dateOnly })
  })

  it('ends a Shanghai day at 15:59:59.999 UTC', () => {
    expect(endOfShanghaiDay('2026-12-31')).toBe('2026-12-31T15:59:59.999Z')
  })

  const source = (referral: TimelineSource['referrals'][number]): TimelineSource => ({
    notes: [],
    risks: [{ id: 1, kind: 'opened', from: null, to: 'watch', reason: null, byName: 'Ms Lin', at: '2026-10-06T02:00:00.000Z' }],
    crises: [],
    contacts: [],
    referrals: [referral],
  })

  it('sorts a referral made at 15:39 after the case opened at 10:00 the same day, never before it', () => {
    const items = buildTimeline(
      source({
        id: 1,
        target: 'Hospital',
        status: 'sent',
        kind: 'hospital_clinic',
        sentOn: '2026-10-06',
        createdAt: '2026-10-06T07:39:00.000Z',
      }),
    )
    expect(items.map((i) => i.kind)).toEqual(['referral', 'risk'])
    expect(items[0]).toMatchObject({ at: '2026-10-06T07:39:00.000Z', dateOnly: null })
  })

  it('places a referral known only by its date at the end of that day', () => {
    const items = buildTimeline(
      source({
        id: 1,
        target: 'Hospital',
        status: 'sent',
        kind: 'hospital_clinic',
        sentOn: '2026-10-06',
        createdAt: '2026-10-09T01:00:00.000Z',
      }),
    )
    expect(items[0]).toMatchObject({ kind: 'referral', dateOnly: '2026-10-06', at: '2026-10-06T15:59:59.999Z' })
  })
})

describe('class names in the reader’s language', () => {
  it.each([
    ['2班', 'zh-CN', '2班'],
    ['2班', 'en', '2'],
    [' 12 班 ', 'en', '12'],
    ['实验班', 'en', '实验班'],
    ['A', 'en', 'A'],
  ])('%s in %s reads %s', (name, locale, expected) => {
    expect(classInLocale(name, locale)).toBe(expected)
  })
})
