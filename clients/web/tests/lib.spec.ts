import { describe, expect, it } from 'vitest'
import { toCsv } from '../src/lib/csv'
import { dayRange, insideByHour, overview } from '../src/lib/overview'
import { yuan } from '../src/lib/format'
import { laneQrUrl } from '../src/lib/qr'
import { laneCodeKinds, sheetUrl } from '../src/lib/codes'
import { listVariables } from '../src/components/resource'
import { menuFor } from '../src/routes'
import { dictionaryKeys, locale, t } from '../src/i18n'
import { MutationError, unwrap } from '../src/graphql/result'

describe('csv', () => {
  it('quotes, escapes, guards formulas and starts with a BOM', () => {
    const csv = toCsv(
      [{ plate: '京A12345', note: 'a,"b"', f: '=1+1', n: -5 }],
      [
        { label: '车牌', value: (r) => r.plate },
        { label: 'note', value: (r) => r.note },
        { label: 'f', value: (r) => r.f },
        { label: 'n', value: (r) => r.n },
      ],
    )
    expect(csv).toBe('\ufeff车牌,note,f,n\r\n京A12345,"a,""b""",\'=1+1,-5\r\n')
  })
})

describe('overview', () => {
  it("lists the lot's 7 days ending today, even when the UTC date is a day behind", () => {
    expect(dayRange(new Date('2026-11-20T16:30:00Z'))).toEqual(dayRange(new Date('2026-11-21T15:00:00+08:00')))
    expect(dayRange(new Date('2026-11-21T15:00:00+08:00'))).toEqual([
      '2026-11-15',
      '2026-11-16',
      '2026-11-17',
      '2026-11-18',
      '2026-11-19',
      '2026-11-20',
      '2026-11-21',
    ])
  })

  it('lays the aggregates out on those days and sums the cards', () => {
    const days = ['2026-11-19', '2026-11-20', '2026-11-21']
    const o = overview(
      {
        occupancy: [
          { lotId: '1', name: 'A', capacity: 100, occupied: 25, freeSpaces: 75 },
          { lotId: '2', name: 'B', capacity: 50, occupied: 50, freeSpaces: 0 },
        ],
        revenue: [
          { day: '2026-11-20', channel: 'WECHAT_JSAPI', paidFen: 800 },
          { day: '2026-11-21', channel: 'ALIPAY_QR', paidFen: 1200 },
          { day: '2026-11-21', channel: 'WECHAT_JSAPI', paidFen: 700 },
          { day: '2026-11-01', channel: 'CASH', paidFen: 9900 },
        ],
        traffic: [
          { day: '2026-11-20', entries: 2, exits: 0 },
          { day: '2026-11-21', entries: 1, exits: 2 },
        ],
        alarms: [
          { kind: 'GATE_FAILED', open: 1, acknowledged: 0 },
          { kind: 'LOW_CONFIDENCE', open: 2, acknowledged: 1 },
        ],
      },
      days,
    )
    expect([o.lots, o.capacity, o.occupied, o.free, o.openAlarms]).toEqual([2, 150, 75, 75, 4])
    expect(o.days).toEqual(['11-19', '11-20', '11-21'])
    expect(o.revenueYuan).toEqual([0, 8, 19])
    expect(o.revenueByChannel).toEqual([
      { channel: 'ALIPAY_QR', yuan: [0, 0, 12] },
      { channel: 'WECHAT_JSAPI', yuan: [0, 8, 7] },
    ])
    expect([o.entries, o.exits]).toEqual([
      [0, 2, 1],
      [0, 0, 2],
    ])
    expect(o.occupancy).toEqual([
      { name: 'A', percent: 25 },
      { name: 'B', percent: 100 },
    ])
    expect(o.alarmsByKind).toEqual([
      { kind: 'GATE_FAILED', count: 1 },
      { kind: 'LOW_CONFIDENCE', count: 3 },
    ])
  })
})

describe('cars inside by hour', () => {
  it('works back from the cars inside now through each hour\'s entries and exits, up to the current hour', () => {
    const days = ['2026-11-20', '2026-11-21']
    const traffic = [
      { day: '2026-11-20', hour: 8, entries: 5, exits: 0 },
      { day: '2026-11-20', hour: 18, entries: 0, exits: 3 },
      { day: '2026-11-21', hour: 1, entries: 1, exits: 0 },
    ]
    // Now is 02:30 on the 21st with 4 cars inside: slots run to 21 02:00 (24 + 3 of them).
    const { hours, cars } = insideByHour(traffic, days, 4, new Date('2026-11-21T02:30:00+08:00'))
    expect(hours).toHaveLength(27)
    expect([hours[0], hours[26]]).toEqual(['11-20 00:00', '11-21 02:00'])
    expect(cars.slice(24)).toEqual([3, 4, 4]) // the car of 01:00 came in during that hour
    expect(cars[18]).toEqual(3) // after 3 left at 18:00
    expect(cars.slice(8, 18)).toEqual(new Array(10).fill(6))
    expect(cars.slice(0, 8)).toEqual(new Array(8).fill(1)) // before the 5 came at 08:00
  })

  it('never goes below zero and sums hourly rows into the daily traffic', () => {
    const days = ['2026-11-21']
    const o = overview(
      {
        occupancy: [{ lotId: '1', name: 'A', capacity: 10, occupied: 0, freeSpaces: 10 }],
        revenue: [],
        traffic: [
          { day: '2026-11-21', hour: 9, entries: 3, exits: 0 },
          { day: '2026-11-21', hour: 10, entries: 1, exits: 9 },
        ],
        alarms: [],
      },
      days,
      new Date('2026-11-21T23:00:00+08:00'),
    )
    expect([o.entries, o.exits]).toEqual([[4], [9]])
    expect(o.insideByHour.cars.every((n) => n >= 0)).toBe(true)
    expect(o.insideByHour.hours).toHaveLength(24)
  })
})

describe('small helpers', () => {
  it('formats fen as yuan and builds the lane QR URL', () => {
    expect(yuan(1234)).toBe('12.34')
    expect(laneQrUrl('https://p.example', 'a/b')).toBe('https://p.example/#/scan/a%2Fb')
    // An exit lane prints its exit code and its no-plate code; an entry lane its no-plate code.
    expect(laneCodeKinds('EXIT')).toEqual(['EXIT', 'NO_PLATE'])
    expect(laneCodeKinds('ENTRY')).toEqual(['NO_PLATE'])
    expect(sheetUrl(['3', '14'], 4)).toBe('/api/codes/sheet.pdf?ids=3,14&perPage=4')
  })

  it('sends only filled-in filters, ranges as ISO bounds', () => {
    const filters = [
      { name: 'plate', label: '', kind: 'text' as const },
      { name: 'lotId', label: '', kind: 'lot' as const },
      { name: 'at', label: '', kind: 'datetimerange' as const, range: ['atFrom', 'atTo'] as [string, string] },
    ]
    expect(listVariables({ plate: '', lotId: null }, filters, null)).toEqual({ first: 50, after: null, filter: null })
    expect(
      listVariables({ plate: '京A', at: ['2026-11-21T00:00:00Z', '2026-11-22T00:00:00Z'] }, filters, 'c1'),
    ).toEqual({
      first: 50,
      after: 'c1',
      filter: { plate: '京A', atFrom: '2026-11-21T00:00:00.000Z', atTo: '2026-11-22T00:00:00.000Z' },
    })
    expect(listVariables({}, [], null, 100, false)).toEqual({ first: 100, after: null })
  })

  it('unwraps a success and throws the coded error', () => {
    expect(unwrap({ lot: { id: '1' } })).toEqual({ lot: { id: '1' } })
    expect(() => unwrap({ code: 'DUPLICATE', message: 'name taken', field: 'name' })).toThrow(MutationError)
  })
})

describe('menu and language', () => {
  it('shows only the pages the operator may open, grouped', () => {
    const menu = menuFor(['lots.view', 'records.view'])
    expect(menu).toEqual([
      { group: null, items: [{ path: '/map', title: 'nav.map' }] },
      { group: 'tenancy', items: [{ path: '/lots', title: 'nav.lots' }, { path: '/lanes', title: 'nav.lanes' }] },
      {
        group: 'records',
        items: [
          { path: '/records/sessions', title: 'nav.sessions' },
          { path: '/records/lane-events', title: 'nav.laneEvents' },
          { path: '/records/gate-commands', title: 'nav.gateCommands' },
        ],
      },
      // Traffic reports with records.view; the money reports need finance.view, as the API's.
      {
        group: 'reports',
        items: [
          { path: '/reports/flow', title: 'nav.reportFlow' },
          { path: '/reports/peak-hours', title: 'nav.reportPeakHours' },
        ],
      },
    ])
    expect(menuFor(['finance.view']).find((g) => g.group === 'reports')?.items.map((i) => i.path)).toEqual([
      '/reports/channels',
      '/reports/kinds',
      '/reports/daily',
      '/reports/fee-details',
      '/reports/renewals',
      '/reports/invoices',
      '/reports/shifts',
    ])
    expect(menuFor([])).toEqual([])
  })

  it('has every key in both languages and Chinese by default', () => {
    expect([...dictionaryKeys.en].sort()).toEqual([...dictionaryKeys.zh].sort())
    expect(locale.value).toBe('zh-CN')
    expect(t('nav.lots')).toBe('车场')
    locale.value = 'en'
    expect(t('nav.lots')).toBe('Lots')
    locale.value = 'zh-CN'
  })
})

describe('fuzzy-match candidates', () => {
  it('ranks open stays by plate distance, then by entry time, and drops distant ones', async () => {
    const { plateDistance, rankCandidates } = await import('../src/stores/candidates')
    expect(plateDistance('京A12345', '京A12345')).toBe(0)
    expect(plateDistance('京A12345', '京A1Z345')).toBe(1)
    expect(plateDistance('京A12345', '京A1234')).toBe(1)
    const stays = [
      { id: '1', plate: '沪B88888', entryAt: '2026-11-21T08:00:00Z' },
      { id: '2', plate: '京A1Z345', entryAt: '2026-11-21T09:00:00Z' },
      { id: '3', plate: '京A8Z345', entryAt: '2026-11-21T07:00:00Z' },
      { id: '4', plate: '京A12845', entryAt: '2026-11-21T06:00:00Z' },
    ]
    expect(rankCandidates('京a12345', stays).map((s) => s.id)).toEqual(['4', '2', '3'])
    expect(rankCandidates('京A12345', stays, 1).map((s) => s.id)).toEqual(['4'])
  })
})
