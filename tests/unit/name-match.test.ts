import { describe, expect, it } from 'vitest'
import { nameMatcher, normaliseName, studentNoMatcher } from '../../server/rules/name-match'

describe('finding a student by part of the name', () => {
  it.each([
    ['黄佳怡', '黄佳怡（示例）', true],
    ['黄佳怡', '黄佳怡', true],
    ['佳怡', '黄佳怡（示例）', true],
    ['黄佳怡(示例)', '黄佳怡（示例）', true],
    ['黄佳怡（示例）', '黄佳怡(示例)', true],
    ['黄 佳怡', '黄佳怡', true],
    ['黄佳怡', '黄  佳怡', true],
    ['示例', '黄佳怡（示例）', true],
    ['黄佳怡乐', '黄佳怡（示例）', false],
    ['陈', '黄佳怡（示例）', false],
    ['zhang', 'Zhang Wei', true],
    ['ZHANG WEI', 'Zhang Wei', true],
    ['ｚｈａｎｇ', 'Zhang Wei', true],
    ['zhangwei', 'Zhang Wei', true],
    ['阿依古丽买买提', '阿依古丽·买买提', true],
    ['古丽・买买', '阿依古丽·买买提', true],
    ['褚危一（E2E）', '褚危一（E2E）', true],
    ['危一(e2e)', '褚危一（E2E）', true],
    ['黄3', '黄佳怡', false],
    ['', '黄佳怡', false],
    ['·', '黄佳怡', false],
    ['  ', '黄佳怡', false],
  ])('"%s" in "%s": %s', (term, name, found) => {
    expect(nameMatcher(term)?.(name) ?? false).toBe(found)
  })

  it.each(['', '·', '  ', '2026', '０１', 'S-0101', 'e2e-0101'])('does not look for "%s" in names at all', (term) => {
    expect(nameMatcher(term)).toBeNull()
  })

  it('normalises full-width brackets, case and spacing the same way on both sides', () => {
    expect(normaliseName(' 黄佳怡（示例） ')).toBe('黄佳怡(示例)')
    expect(normaliseName('Ｌｉ　Ｍｉｎｇ')).toBe('liming')
  })
})

describe('finding a student by the start of the student number', () => {
  it.each([
    ['2026-01', '2026-0101', true],
    ['2026-01', '2026-0201', false],
    ['０１０１', '0101-7', true],
    ['0101', '2026-0101', false],
    ['e2e-', 'E2E-0101', true],
  ])('"%s" → %s: %s', (term, no, found) => {
    expect(studentNoMatcher(term)!(no)).toBe(found)
  })

  it.each(['黄佳怡', '2026 01', '20%', 'a_b'])('does not treat "%s" as a student number', (term) => {
    expect(studentNoMatcher(term)).toBeNull()
  })
})
