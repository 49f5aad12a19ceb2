// The detail report pages' pure parts: keyset pages gathered into one list, and a row's words.
import { describe, expect, it } from 'vitest'
import { cashState, channelsText, couponsText, NO_PAGES, signedYuan, withPage } from '../src/lib/details'
import { setLocale } from '../src/i18n'
import { reportUrl } from '../src/lib/reports'

const page = (items: string[], endCursor: string | null, hasNextPage: boolean) => ({
  items,
  pageInfo: { hasNextPage, endCursor },
})

describe('detail pages', () => {
  it('starts a new search from its first page and adds the next pages below', () => {
    const first = withPage(NO_PAGES, page(['a', 'b'], 'c2', true), false)
    expect(first).toEqual({ rows: ['a', 'b'], after: 'c2' })
    const second = withPage(first, page(['c', 'd'], 'c4', true), true)
    expect(second).toEqual({ rows: ['a', 'b', 'c', 'd'], after: 'c4' })
    const last = withPage(second, page(['e'], 'c5', false), true)
    expect(last).toEqual({ rows: ['a', 'b', 'c', 'd', 'e'], after: null })
    // a new search replaces the list, whatever was loaded before
    expect(withPage(last, page(['z'], 'c1', false), false)).toEqual({ rows: ['z'], after: null })
  })

  it('ends the list when a page says there is more but gives no cursor', () => {
    expect(withPage(NO_PAGES, page(['a'], null, true), false).after).toBe(null)
  })

  it('leaves the list shown untouched', () => {
    const shown = { rows: ['a'], after: 'c1' }
    withPage(shown, page(['b'], null, false), true)
    expect(shown).toEqual({ rows: ['a'], after: 'c1' })
  })
})

describe('detail rows in words', () => {
  it('names the channels in order and lists the coupon codes', () => {
    setLocale('zh-CN')
    expect(channelsText(['ALIPAY_QR', 'CASH'])).toBe('支付宝扫码、现金')
    expect(channelsText([])).toBe('')
    expect(couponsText(['CP-1', 'CP-2'])).toBe('CP-1 CP-2')
  })

  it('tells a short shift from an even, an over and an open one', () => {
    expect([-100, 0, 1, null].map(cashState)).toEqual(['short', 'even', 'over', 'open'])
    expect([-100, 0, 250].map(signedYuan)).toEqual(['-1.00', '0.00', '+2.50'])
  })
})

describe('detail downloads', () => {
  it('asks for every row of the range, one cashier\'s shifts when picked', () => {
    const filter = { range: ['2026-11-01', '2026-11-30'] as [string, string], lotIds: [] }
    expect(reportUrl('fee-details', 'csv', filter)).toBe('/api/reports/fee-details.csv?from=2026-11-01&to=2026-11-30')
    expect(reportUrl('shifts', 'xlsx', filter, { operatorId: '9' })).toBe(
      '/api/reports/shifts.xlsx?from=2026-11-01&to=2026-11-30&operatorId=9',
    )
  })
})
