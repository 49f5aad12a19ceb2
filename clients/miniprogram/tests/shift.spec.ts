import { describe, expect, it } from 'vitest'
import { COUNTED_MAX_FEN, countedCash, fenOfYuan, openChoice, type ShiftPlace } from '@/logic/shift'

describe('the cash counted, typed in yuan', () => {
  it('becomes integer fen without float rounding', () => {
    expect(fenOfYuan('12')).toBe(1200)
    expect(fenOfYuan('12.5')).toBe(1250)
    expect(fenOfYuan('12.50')).toBe(1250)
    expect(fenOfYuan(' 0.05 ')).toBe(5)
    expect(fenOfYuan('0.29')).toBe(29)
    expect(fenOfYuan('1.')).toBe(100)
    expect(fenOfYuan('0')).toBe(0)
    expect(fenOfYuan('21474836.47')).toBe(COUNTED_MAX_FEN)
  })
  it('refuses what is not an amount the column can hold', () => {
    for (const text of ['', ' ', '-1', '1.234', 'abc', '1,5', '.5', '1e3', '21474836.48', '1 2']) {
      expect(fenOfYuan(text)).toBeNull()
    }
  })
  it('says in Chinese what is wrong with the form field', () => {
    expect(countedCash('')).toEqual({ error: '请填写实点现金' })
    expect(countedCash('12.345')).toEqual({ error: '请输入正确的金额（元，最多两位小数）' })
    expect(countedCash('19')).toEqual({ fen: 1900 })
  })
})

describe('opening a shift', () => {
  const places: ShiftPlace[] = [
    { lotId: '1', lotName: '徐汇天街', lanes: [{ id: '10', name: '东门岗亭' }] },
    { lotId: '2', lotName: '静安店', lanes: [] },
  ]
  it('needs a lot, and a lane only of that lot', () => {
    expect(openChoice(places, '', '')).toEqual({ error: '请选择车场' })
    expect(openChoice(places, '3', '')).toEqual({ error: '请选择车场' })
    expect(openChoice(places, '2', '10')).toEqual({ error: '请选择该车场的通道' })
  })
  it('sends the lot, and the lane when one is chosen', () => {
    expect(openChoice(places, '1', '10')).toEqual({ lotId: '1', laneId: '10' })
    expect(openChoice(places, '2', '')).toEqual({ lotId: '2', laneId: null })
  })
})
