import { describe, expect, it } from 'vitest'
import { curveMinutes, defaultDocument, documentFromForm, formFromDocument, type Json } from '../src/lib/tariffForm'
import { clockSpan, lineRate } from '../src/lib/tariffLines'
import { problemPath, problemReason } from '../src/lib/tariffProblems'

// samples.day_night() as the API stores it (defaults left out, calendar dropped for brevity).
const DAY_NIGHT: Json = {
  name: 'city-day-night',
  effective_from: '2026-01-01T00:00:00+08:00',
  classes: {
    small: {
      rule: {
        free: { minutes: 15, mode: 'free_part_free' },
        periods: [
          { name: '白天', start: '08:00:00', end: '20:00:00', unit_minutes: 30, unit_price_fen: 200 },
          { name: '夜间', start: '20:00:00', end: '08:00:00', unit_minutes: 120, unit_price_fen: 100 },
        ],
        holiday_periods: [{ name: '白天', start: '08:00:00', end: '20:00:00', unit_minutes: 30, unit_price_fen: 100 }],
        caps: { basis: 'calendar_day', daily_fen: [5000] },
      },
    },
    large: { same_as: 'small', multiplier_percent: 200 },
    motorcycle: { rule: { price_fen: 100, no_second_charge_within_24h: true } },
  },
  new_energy: { extra_free_minutes: 60, discount_percent: 50 },
  rounding: { unit: 'jiao' },
}

describe('formFromDocument', () => {
  it('reads free time, periods in yuan, caps, classes and the default exemptions', () => {
    const form = formFromDocument(DAY_NIGHT)
    expect(form).toMatchObject({
      name: 'city-day-night',
      kind: 'timed',
      freeMinutes: 15,
      freeMode: 'free_part_free',
      firstPeriod: false,
      caps: true,
      capBasis: 'calendar_day',
      capYuan: [50],
      exemptDefault: true,
    })
    expect(form.periods[1]).toEqual({
      name: '夜间', start: '20:00', end: '08:00', flat: false, unitMinutes: 120, unitYuan: 1, flatYuan: 0,
    })
    expect(form.classes).toEqual([
      { key: 'large', label: '', sameAs: 'small', multiplierPercent: 200 },
      { key: 'motorcycle', label: '', sameAs: '', multiplierPercent: 100 },
    ])
  })
})

describe('documentFromForm', () => {
  it('writes the edits in fen and keeps what the form does not show (rounding, another class\'s own rule)', () => {
    const form = formFromDocument(DAY_NIGHT)
    form.firstPeriod = true
    form.firstMinutes = 60
    form.firstYuan = 5.5
    form.periods[0].unitYuan = 2.3
    form.periods.push({ name: '深夜', start: '00:00', end: '06:00', flat: true, unitMinutes: 60, unitYuan: 0, flatYuan: 10 })
    form.capYuan = [50, 80]
    form.exemptDefault = false
    form.exempt = [{ kind: 'police', reason: '警车' }]
    form.classes.push({ key: 'tricycle', label: '三轮车', sameAs: 'small', multiplierPercent: 50 })
    const doc = documentFromForm(form, DAY_NIGHT)
    const classes = doc.classes as Record<string, Record<string, unknown>>
    const rule = classes.small.rule as Record<string, unknown>
    expect(rule.first_period).toEqual({ minutes: 60, price_fen: 550, first_24h_only: true })
    expect((rule.periods as Json[])[0]).toEqual({ name: '白天', start: '08:00', end: '20:00', unit_minutes: 30, unit_price_fen: 230 })
    expect((rule.periods as Json[])[2]).toEqual({ name: '深夜', start: '00:00', end: '06:00', flat_fen: 1000 })
    expect(rule.caps).toEqual({ basis: 'calendar_day', daily_fen: [5000, 8000] })
    expect(rule.holiday_periods).toEqual([{ name: '白天', start: '08:00', end: '20:00', unit_minutes: 30, unit_price_fen: 100 }])
    expect(classes.motorcycle).toEqual({ rule: { price_fen: 100, no_second_charge_within_24h: true }, multiplier_percent: 100 })
    expect(classes.tricycle).toEqual({ same_as: 'small', multiplier_percent: 50, label: '三轮车' })
    expect(doc.exempt).toEqual({ police: '警车' })
    expect(doc.new_energy).toEqual(DAY_NIGHT.new_energy)
    expect(doc.effective_from).toBe(DAY_NIGHT.effective_from)
  })

  it('round-trips: the form of the document it wrote is the form it came from', () => {
    for (const doc of [DAY_NIGHT, defaultDocument('2026-12-07T00:00:00+08:00')]) {
      const form = formFromDocument(doc)
      expect(formFromDocument(documentFromForm(form, doc))).toEqual(form)
    }
  })

  it('switches the base rule to per entry and back without leftovers', () => {
    const form = formFromDocument(DAY_NIGHT)
    form.kind = 'per_entry'
    form.perEntryYuan = 10
    const perEntry = documentFromForm(form, DAY_NIGHT)
    const rule = (perEntry.classes as Record<string, Json>).small.rule as Json
    expect(rule).toEqual({
      kind: 'per_entry', free: { minutes: 15, mode: 'free_part_free', first_24h_only: true }, price_fen: 1000, charge_each_24h: false,
    })
    const back = formFromDocument(perEntry)
    expect(back.kind).toBe('per_entry')
    back.kind = 'timed'
    const timed = (documentFromForm(back, perEntry).classes as Record<string, Json>).small.rule as Json
    expect(timed.price_fen).toBeUndefined()
    expect(timed.kind).toBe('timed')
  })
})

describe('curveMinutes', () => {
  it('samples every half hour, at most 100 points', () => {
    expect(curveMinutes(2)).toEqual([30, 60, 90, 120])
    expect(curveMinutes(48).length).toBe(96)
    expect(curveMinutes(72).length).toBeLessThanOrEqual(100)
    expect(curveMinutes(72).at(-1)).toBe(72 * 60)
  })
})

describe('quote lines', () => {
  const t = (key: string) => ({ 'tariffEd.unitsRate': '{units} × {minutes}分钟 @ ¥{rate}', 'tariffEd.repeat': '(共{n}天)' })[key] ?? key
  it('read units at the rate, and the lot-local clock times as sent', () => {
    expect(lineRate({ units: 3, unitMinutes: 30, rateFen: 200, repeat: 1 }, t)).toBe('3 × 30分钟 @ ¥2.00')
    expect(lineRate({ units: 0, unitMinutes: 0, rateFen: 0, repeat: 1 }, t)).toBe('')
    expect(lineRate({ units: 24, unitMinutes: 60, rateFen: 100, repeat: 3 }, t)).toBe('24 × 60分钟 @ ¥1.00 (共3天)')
    expect(clockSpan('2026-03-10T09:00:00+08:00', '2026-03-10T11:30:00+08:00')).toBe('03-10 09:00–11:30')
    expect(clockSpan('2026-03-10T20:00:00+08:00', '2026-03-11T08:00:00+08:00')).toBe('03-10 20:00–03-11 08:00')
  })
})

describe('holiday periods, calendar and new-energy rules', () => {
  it('read from the document and write back what the form changed, in fen', () => {
    const form = formFromDocument(DAY_NIGHT)
    expect(form.holidayPeriods).toBe(true)
    expect(form.holidays).toEqual([{ name: '白天', start: '08:00', end: '20:00', flat: false, unitMinutes: 30, unitYuan: 1, flatYuan: 0 }])
    expect(form).toMatchObject({ newEnergy: true, neExtraFreeMinutes: 60, neDiscountPercent: 50, nePlateColors: ['green', 'yellow_green'] })
    expect(form.weekendDays).toEqual([5, 6])
    form.holidays[0].unitYuan = 1.5
    form.calendarHolidays = ['2027-10-01', '2027-02-01']
    form.calendarWorkdays = ['2027-09-26']
    form.neDiscountPercent = 20
    form.nePlateColors = ['green']
    const doc = documentFromForm(form, DAY_NIGHT)
    const rule = (doc.classes as Record<string, Json>).small.rule as Json
    expect(rule.holiday_periods).toEqual([{ name: '白天', start: '08:00', end: '20:00', unit_minutes: 30, unit_price_fen: 150 }])
    expect(doc.calendar).toEqual({ holidays: ['2027-02-01', '2027-10-01'], workdays: ['2027-09-26'] })
    expect(doc.new_energy).toEqual({ extra_free_minutes: 60, discount_percent: 20, plate_colors: ['green'] })
    expect(formFromDocument(doc)).toEqual({ ...form, calendarHolidays: ['2027-02-01', '2027-10-01'] })
  })

  it('removes them when switched off, and writes no calendar for the defaults', () => {
    const form = formFromDocument(DAY_NIGHT)
    form.holidayPeriods = false
    form.newEnergy = false
    const doc = documentFromForm(form, DAY_NIGHT)
    expect(((doc.classes as Record<string, Json>).small.rule as Json).holiday_periods).toBeUndefined()
    expect(doc.new_energy).toBeUndefined()
    expect(doc.calendar).toBeUndefined()
    const fresh = formFromDocument(defaultDocument('2026-12-07T00:00:00+08:00'))
    expect(fresh).toMatchObject({ holidayPeriods: false, newEnergy: false, calendarHolidays: [], weekendDays: [5, 6] })
    fresh.weekendDays = [6]
    expect(documentFromForm(fresh, {}).calendar).toEqual({ weekend_days: [6] })
  })
})

describe('tariff problems', () => {
  const words: Record<string, string> = {
    'tariffProblem.nth': '第{n}条',
    'tariffProblem.overlap': '时段在 {1} 重叠',
    'tariffProblem.capBelowUnit': '封顶 ¥{1} 低于单价 ¥{2}',
    'tariffProblem.atMost': '不能大于 {1}',
    'tariffProblem.field.holiday_periods': '节假日时段',
    'tariffProblem.field.start': '开始',
    'tariffProblem.field.caps': '封顶',
    'tariffProblem.field.daily_fen': '每天最高',
    'tariffProblem.field.new_energy': '新能源优惠',
    'tariffProblem.field.discount_percent': '减免比例',
    'tariffEd.class.small': '小型车',
  }
  const t = (key: string) => words[key] ?? key
  it('name the field as the form does and say the reason in the locale', () => {
    expect(problemPath('classes.small.rule.holiday_periods[1].start', t)).toBe('小型车 · 节假日时段 第2条 · 开始')
    expect(problemPath('new_energy.discount_percent', t)).toBe('新能源优惠 · 减免比例')
    expect(problemReason('periods overlap at 08:00', t)).toBe('时段在 08:00 重叠')
    expect(problemReason('cap 500 is below a unit price 600', t)).toBe('封顶 ¥5.00 低于单价 ¥6.00')
    expect(problemReason('Input should be less than or equal to 100', t)).toBe('不能大于 100')
    expect(problemReason('something new', t)).toBe('something new')
  })
})
