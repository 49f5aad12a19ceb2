import { describe, expect, it } from 'vitest'
import { parseYuan, statementRows, statementsTotal, sumTotals, type Statement, type Totals } from '../src/lib/money'
import { dayFrom } from '../src/lib/days'
import { lotDateTime, lotDay, lotInstant } from '../src/lib/lotTime'
import { when } from '../src/lib/format'
import { menuFor } from '../src/routes'
import { toCsv } from '../src/lib/csv'

const totals = (gross: number, fee: number, refunds: number, count = 1, refundsCount = 0): Totals => ({
  paymentsCount: count,
  grossFen: gross,
  refundsCount,
  refundsFen: refunds,
  feeFen: fee,
  netFen: gross - refunds - fee,
})

describe('parseYuan', () => {
  it('reads yuan with up to two decimals as whole fen, exactly', () => {
    expect(parseYuan('12')).toBe(1200)
    expect(parseYuan('12.5')).toBe(1250)
    expect(parseYuan(' 0.29 ')).toBe(29)
    expect(parseYuan('0.07')).toBe(7)
    expect(parseYuan('3.')).toBe(300)
    expect(parseYuan(4.1)).toBe(410)
    expect(parseYuan('999999999.99')).toBe(99999999999)
  })

  it('refuses what is not plain money rather than guessing', () => {
    for (const bad of ['', ' ', '1.234', '-1', '+1', '1,000', '1e3', 'abc', '.5', '¥5', null, undefined]) {
      expect(parseYuan(bad)).toBeNull()
    }
  })
})

describe('settlement rows', () => {
  const statements: Statement[] = [
    {
      lotId: '1',
      day: '2026-11-20',
      timezone: 'Asia/Shanghai',
      totals: totals(1800, 6, 300, 3, 1),
      byChannel: [
        { channel: 'CASH', totals: totals(1200, 0, 300, 2, 1) },
        { channel: 'WECHAT_NATIVE', totals: totals(600, 6, 0) },
      ],
    },
    { lotId: '2', day: '2026-11-20', timezone: 'Europe/London', totals: totals(0, 0, 0, 0), byChannel: [] },
    {
      lotId: '2',
      day: '2026-11-21',
      timezone: 'Europe/London',
      totals: totals(700, 3, 0),
      byChannel: [{ channel: 'ALIPAY_QR', totals: totals(700, 3, 0) }],
    },
  ]

  it('lays out a row per lot, day and channel, and one for a day without money', () => {
    expect(statementRows(statements).map((r) => [r.lotId, r.day, r.channel, r.netFen])).toEqual([
      ['1', '2026-11-20', 'CASH', 900],
      ['1', '2026-11-20', 'WECHAT_NATIVE', 594],
      ['2', '2026-11-20', null, 0],
      ['2', '2026-11-21', 'ALIPAY_QR', 697],
    ])
  })

  it('totals the statements exactly', () => {
    expect(statementsTotal(statements)).toEqual({
      paymentsCount: 4,
      grossFen: 2500,
      refundsCount: 1,
      refundsFen: 300,
      feeFen: 9,
      netFen: 2191,
    })
    // The rows sum to the same totals as the statements (no line lost or doubled).
    expect(sumTotals(statementRows(statements))).toEqual(statementsTotal(statements))
    expect(sumTotals([])).toEqual(totals(0, 0, 0, 0))
  })

  it('exports the rows and the totals row as CSV', () => {
    const rows = statementRows(statements.slice(0, 1))
    const csv = toCsv([...rows, { lotId: '', day: '', timezone: '', channel: null, ...statementsTotal(statements.slice(0, 1)) }], [
      { label: 'channel', value: (r) => r.channel ?? 'total' },
      { label: 'net', value: (r) => (r.netFen / 100).toFixed(2) },
    ])
    expect(csv).toBe('\ufeffchannel,net\r\nCASH,9.00\r\nWECHAT_NATIVE,5.94\r\ntotal,14.94\r\n')
  })
})

describe('days and the finance menu', () => {
  it("counts days in the lot's calendar across month ends", () => {
    expect(dayFrom(new Date('2026-12-01T00:30:00+08:00'), -1)).toBe('2026-11-30')
    expect(dayFrom(new Date('2026-11-22T23:59:00+08:00'), 0)).toBe('2026-11-22')
    expect(dayFrom(new Date('2024-03-01T08:00:00+08:00'), -1)).toBe('2024-02-29')
  })

  it("is the lot's day whatever the browser's zone: 01:10 in Shanghai is still the 6th in UTC", () => {
    const at = new Date('2026-12-06T17:10:00Z') // 2026-12-07 01:10 in Asia/Shanghai
    expect(dayFrom(at, 0)).toBe('2026-12-07')
    expect(dayFrom(at, -29)).toBe('2026-11-08')
    expect(lotDateTime(at)).toBe('2026-12-07 01:10:00')
    expect(when('2026-12-06T17:10:00Z')).toBe('2026-12-07 01:10:00')
    expect(lotDay(at, 'Europe/London')).toBe('2026-12-06')
  })

  it("reads a picker's wall time on the lot's clock, whatever the browser's zone", () => {
    expect(lotInstant('2027-01-01 00:00:00').toISOString()).toBe('2026-12-31T16:00:00.000Z')
    expect(lotInstant('2027-01-01').toISOString()).toBe('2026-12-31T16:00:00.000Z')
    expect(lotInstant(lotDateTime(new Date('2026-12-06T17:10:00Z'))).toISOString()).toBe('2026-12-06T17:10:00.000Z')
    // Zones with daylight saving settle too: 09:30 in New York on the day after the spring change is 13:30 UTC.
    expect(lotInstant('2026-03-09 09:30:00', 'America/New_York').toISOString()).toBe('2026-03-09T13:30:00.000Z')
    expect(lotInstant('2026-01-09 09:30:00', 'America/New_York').toISOString()).toBe('2026-01-09T14:30:00.000Z')
  })

  it('shows the finance group only with finance.view', () => {
    expect(menuFor(['owners.view']).map((g) => g.group)).toEqual(['owners'])
    const finance = menuFor(['finance.view']).find((g) => g.group === 'payments')
    expect(finance?.items.map((i) => i.path)).toEqual([
      '/payments/orders',
      '/payments/refunds',
      '/payments/settlement',
      '/payments/reconciliation',
      '/payments/invoices',
    ])
  })
})
