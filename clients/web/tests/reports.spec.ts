// The report pages' pure parts: the API's range rule, the download address, the sums and the charts' series.
import { describe, expect, it } from 'vitest'
import {
  busiestHour,
  cell,
  dailyPaidSeries,
  daysBetween,
  hourSeries,
  lastDays,
  MONEY_COLUMNS,
  nothingIn,
  rangeProblem,
  reportFilename,
  reportUrl,
  reportVariables,
  roundHalfEven,
  sumFigures,
  FLOW_COLUMNS,
  type Figures,
} from '../src/lib/reports'

const ZERO: Figures = {
  entries: 0, exits: 0, stayMinutes: 0, averageStayMinutes: null, payments: 0, paidFen: 0, refunds: 0,
  refundedFen: 0, netFen: 0, discountFen: 0, couponFen: 0, waivedFen: 0,
}
const fig = (over: Partial<Figures>): Figures => ({ ...ZERO, ...over })

describe('report ranges', () => {
  it('counts days inclusively across months and leap days', () => {
    expect(daysBetween('2026-12-01', '2026-12-01')).toBe(1)
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(3)
    expect(daysBetween('2026-12-02', '2026-12-01')).toBe(0)
  })

  it('takes up to 92 days and names what is wrong otherwise', () => {
    expect(rangeProblem(['2026-09-01', '2026-12-01'])).toBe(null) // 92 days
    expect(rangeProblem(['2026-09-01', '2026-12-02'])).toBe('report.rangeTooLong')
    expect(rangeProblem(['2026-12-02', '2026-12-01'])).toBe('report.rangeReversed')
    expect(rangeProblem(null)).toBe('report.rangeMissing')
  })

  it('picks the last days up to today', () => {
    expect(lastDays('2026-12-03', 7)).toEqual(['2026-11-27', '2026-12-03'])
  })
})

describe('report downloads', () => {
  const filter = { range: ['2026-11-01', '2026-11-30'] as [string, string], lotIds: ['3', '7'] }

  it('sends the range, the lots and the page parameters', () => {
    expect(reportUrl('flow', 'csv', filter, { by: 'vehicle_class' })).toBe(
      '/api/reports/flow.csv?from=2026-11-01&to=2026-11-30&lotIds=3%2C7&by=vehicle_class',
    )
    expect(reportUrl('daily', 'xlsx', { ...filter, lotIds: [] })).toBe('/api/reports/daily.xlsx?from=2026-11-01&to=2026-11-30')
    expect(reportFilename('peak-hours', 'xlsx', filter)).toBe('peak-hours-2026-11-01-2026-11-30.xlsx')
  })

  it('asks GraphQL for every lot in scope when none is picked', () => {
    expect(reportVariables({ ...filter, lotIds: [] })).toEqual({ from: '2026-11-01', to: '2026-11-30', lotIds: null })
    expect(reportVariables(filter).lotIds).toEqual(['3', '7'])
  })
})

describe('report figures', () => {
  it('sums rows exactly and averages the sum as the API rounds', () => {
    const total = sumFigures([
      { figures: fig({ entries: 2, exits: 1, stayMinutes: 120, paidFen: 1001, netFen: 1001 }) },
      { figures: fig({ entries: 1, exits: 1, stayMinutes: 721, paidFen: 2, refundedFen: 1, netFen: 1 }) },
    ])
    expect(total).toEqual(fig({ entries: 3, exits: 2, stayMinutes: 841, averageStayMinutes: 420, paidFen: 1003, refundedFen: 1, netFen: 1002 }))
    expect(sumFigures([]).averageStayMinutes).toBe(null)
    expect([0.5, 1.5, 2.5, 2.4, 2.6].map(roundHalfEven)).toEqual([0, 2, 2, 2, 3])
  })

  it('shows money as yuan, counts as they are and a missing average as a dash', () => {
    const f = fig({ paidFen: 12345, payments: 3 })
    expect(MONEY_COLUMNS.map((c) => cell(c, f)).slice(0, 2)).toEqual(['3', '123.45'])
    expect(cell(FLOW_COLUMNS[3], f)).toBe('-')
  })

  it('knows an empty report from one with any traffic or money', () => {
    expect(nothingIn([{ figures: ZERO }])).toBe(true)
    expect(nothingIn([{ figures: fig({ waivedFen: 500 }) }])).toBe(false)
  })
})

describe('report charts', () => {
  it('lays the busiest-first hours out in clock order, quiet hours as zero', () => {
    const rows = [
      { hour: 8, entries: 2, exits: 1 },
      { hour: 18, entries: 0, exits: 1 },
    ]
    const s = hourSeries(rows)
    expect(s.hours[0]).toBe('00:00')
    expect(s.hours).toHaveLength(24)
    expect([s.entries[8], s.exits[8], s.exits[18], s.entries[9]]).toEqual([2, 1, 1, 0])
    expect(busiestHour(rows)).toEqual(rows[0])
    expect(busiestHour([{ hour: 3, entries: 0, exits: 0 }])).toBe(null)
  })

  it('sums paid and net per day over lots and lanes, days in order', () => {
    const rows = [
      { day: '2026-11-02', figures: fig({ paidFen: 150, netFen: 100 }) },
      { day: '2026-11-01', figures: fig({ paidFen: 1000, netFen: 1000 }) },
      { day: '2026-11-02', figures: fig({ paidFen: 50, netFen: 50 }) },
    ]
    expect(dailyPaidSeries(rows)).toEqual({ days: ['2026-11-01', '2026-11-02'], paid: [10, 2], net: [10, 1.5] })
  })
})
