import { describe, expect, it } from 'vitest'
import {
  addDays,
  isClosed,
  localInstant,
  localParts,
  mondayOf,
  occurrenceProblem,
  openHoursBetween,
  regularWeeklyHours,
  rotaProblems,
  utilisation,
  weekOccurrences,
  weekOpenHours,
  weekdayOf,
  type RotaSlot,
} from '../../server/rules/room-rota'
import { publicRequestInput, timeOfDay, visitInput } from '../../shared/room-ops'

const slot = (weekday: number, start: string, end: string, counsellorId = 1, id?: number): RotaSlot & { id: number } => ({
  id: id ?? weekday * 100 + Number(start.slice(0, 2)),
  weekday,
  startMin: Number(start.slice(0, 2)) * 60 + Number(start.slice(3)),
  endMin: Number(end.slice(0, 2)) * 60 + Number(end.slice(3)),
  counsellorId,
})

// 2026-03-02 is a Monday.
const MON = '2026-03-02'
const rota = [slot(1, '12:10', '13:40'), slot(3, '16:30', '18:00'), slot(5, '12:00', '13:00', 2)]

describe('calendar days in Asia/Shanghai', () => {
  it.each([
    ['2026-03-02', 1],
    ['2026-03-07', 6],
    ['2026-03-08', 7],
    ['2024-02-29', 4],
  ])('%s is ISO weekday %i', (date, wd) => expect(weekdayOf(date)).toBe(wd))
  it.each([
    ['2026-03-02', '2026-03-02'],
    ['2026-03-08', '2026-03-02'],
    ['2026-03-01', '2026-02-23'],
    ['2027-01-01', '2026-12-28'],
  ])('the week of %s starts on %s', (date, monday) => expect(mondayOf(date)).toBe(monday))
  it.each([
    ['2026-03-02', 12 * 60 + 10, '2026-03-02T04:10:00.000Z'],
    ['2026-03-02', 7 * 60, '2026-03-01T23:00:00.000Z'],
    ['2026-12-31', 23 * 60 + 59, '2026-12-31T15:59:00.000Z'],
  ])('%s at minute %i is the instant %s, and back', (date, min, at) => {
    expect(localInstant(date, min)).toBe(at)
    expect(localParts(at)).toEqual({ date, min })
  })
  it('adds days across a month and a leap day', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29')
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01')
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28')
  })
})

describe('rota problems', () => {
  it.each<[string, RotaSlot[], { index: number; problem: string }[]]>([
    ['a clean rota', rota, []],
    ['touching slots', [slot(1, '10:00', '11:00'), slot(1, '11:00', '12:00')], []],
    ['across midnight', [slot(2, '22:00', '01:00')], [{ index: 0, problem: 'midnight' }]],
    ['no length', [slot(2, '10:00', '10:00')], [{ index: 0, problem: 'empty' }]],
    [
      'overlap on one weekday, whoever is on duty',
      [slot(1, '10:00', '11:30', 1), slot(1, '11:00', '12:00', 2), slot(2, '11:00', '12:00')],
      [
        { index: 0, problem: 'overlap' },
        { index: 1, problem: 'overlap' },
      ],
    ],
    [
      'one inside another',
      [slot(4, '09:00', '17:00'), slot(4, '12:00', '13:00')],
      [
        { index: 0, problem: 'overlap' },
        { index: 1, problem: 'overlap' },
      ],
    ],
    ['same times on different days', [slot(1, '09:00', '10:00'), slot(2, '09:00', '10:00')], []],
  ])('%s', (_name, slots, problems) => expect(rotaProblems(slots)).toEqual(problems))
})

describe('rota → weekly hours', () => {
  it.each<[string, RotaSlot[], number]>([
    ['no slots', [], 0],
    ['1.5 + 1.5 + 1 hours', rota, 4],
    ['odd minutes', [slot(1, '12:10', '12:55'), slot(2, '12:10', '12:55')], 1.5],
    [
      'a full school week of lunch and after-school hours',
      [1, 2, 3, 4, 5].flatMap((d) => [slot(d, '12:00', '13:00'), slot(d, '16:30', '17:30')]),
      10,
    ],
  ])('%s: %d h a week', (_n, slots, h) => expect(regularWeeklyHours(slots)).toBe(h))

  it.each<[string, { startsOn: string; endsOn: string }[], number]>([
    ['no closure', [], 4],
    ['Wednesday closed', [{ startsOn: '2026-03-04', endsOn: '2026-03-04' }], 2.5],
    ['a closed week', [{ startsOn: '2026-02-28', endsOn: '2026-03-08' }], 0],
    ['a closure ending the Sunday before', [{ startsOn: '2026-02-23', endsOn: '2026-03-01' }], 4],
    ['a closure from Friday', [{ startsOn: '2026-03-06', endsOn: '2026-03-20' }], 3],
  ])('week of %s: %s', (_n, closures, h) => expect(weekOpenHours(rota, closures, MON)).toBe(h))

  it('counts open hours over a span of days, closures taken off', () => {
    expect(openHoursBetween(rota, [], MON, addDays(MON, 13))).toBe(8)
    expect(openHoursBetween(rota, [{ startsOn: '2026-03-09', endsOn: '2026-03-15' }], MON, addDays(MON, 13))).toBe(4)
    expect(openHoursBetween(rota, [], '2026-03-03', '2026-03-03')).toBe(0)
  })

  it('lists the week’s open occurrences in time order with Shanghai instants', () => {
    const occ = weekOccurrences(rota, [{ startsOn: '2026-03-04', endsOn: '2026-03-04' }], MON)
    expect(occ.map((o) => [o.date, o.startsAt])).toEqual([
      ['2026-03-02', '2026-03-02T04:10:00.000Z'],
      ['2026-03-06', '2026-03-06T04:00:00.000Z'],
    ])
  })

  it.each([
    [4, 10, 40],
    [0, 10, 0],
    [3, 0, null],
    [1, 3, 33],
  ])('utilisation %d booked of %d open → %s %', (b, o, u) => expect(utilisation(b, o)).toBe(u))
})

describe('booking a slot occurrence', () => {
  const now = new Date('2026-03-02T03:00:00.000Z') // Monday 11:00 in Shanghai
  const closures = [{ startsOn: '2026-03-11', endsOn: '2026-03-11' }]
  it.each<[string, RotaSlot, string, string | null]>([
    ['later today', rota[0]!, '2026-03-02', null],
    ['next Wednesday', rota[1]!, '2026-03-04', null],
    ['a Tuesday for a Monday slot', rota[0]!, '2026-03-03', 'wrongWeekday'],
    ['a closed day', rota[1]!, '2026-03-11', 'closed'],
    ['last Monday', rota[0]!, '2026-02-23', 'past'],
    ['a slot already started', slot(1, '10:30', '11:30'), '2026-03-02', 'past'],
    ['beyond the horizon', rota[0]!, '2026-06-01', 'tooFar'],
  ])('%s', (_n, s, date, problem) => expect(occurrenceProblem(s, date, closures, now, 60)).toBe(problem))
  it('knows closed days', () => {
    expect(isClosed('2026-03-11', closures)).toBe(true)
    expect(isClosed('2026-03-12', closures)).toBe(false)
  })
})

describe('room input schemas', () => {
  it.each([
    ['08:00', 480],
    ['23:59', 1439],
    ['00:00', 0],
  ])('time %s is minute %i', (s, m) => expect(timeOfDay.parse(s)).toBe(m))
  it.each(['24:00', '8:00', '12:60', 'noon', ''])('refuses the time %j', (s) => expect(timeOfDay.safeParse(s).success).toBe(false))

  const request = (phone: string) => ({ school: 'S1', kind: 'student', name: '小林', phone, preferred: [], urgent: false })
  it.each([
    ['13912345678', true],
    ['139 1234 5678', true],
    ['0591-87654321', true],
    ['059187654321', true],
    ['12345678901', false],
    ['1391234567', false],
    ['+86abc', false],
    ['', false],
  ])('phone %j accepted: %s', (phone, ok) => expect(publicRequestInput.safeParse(request(phone)).success).toBe(ok))

  const visit = {
    kind: 'individual',
    studentId: 1,
    anonymous: false,
    occurredOn: '2026-03-02',
    start: '12:00',
    durationMin: 40,
    topic: 'study',
    outcome: 'none',
  }
  it.each<[string, Record<string, unknown>, boolean]>([
    ['a student visit', {}, true],
    ['an anonymous walk-in', { studentId: null, anonymous: true }, true],
    ['anonymous but named', { anonymous: true }, false],
    ['neither named nor anonymous', { studentId: null }, false],
    ['a case from an anonymous walk-in', { studentId: null, anonymous: true, outcome: 'open_case' }, false],
    ['added to no case', { outcome: 'add_to_case' }, false],
    ['added to a case', { outcome: 'add_to_case', caseId: 4 }, true],
    ['running past midnight', { start: '23:40', durationMin: 30 }, false],
  ])('%s', (_n, over, ok) => expect(visitInput.safeParse({ ...visit, ...over }).success).toBe(ok))
})
