import { describe, expect, it } from 'vitest'
import { toCsv } from '../src/lib/csv'
import { overview } from '../src/lib/overview'
import { yuan } from '../src/lib/format'
import { laneQrUrl } from '../src/lib/qr'
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
  it('sums lots and buckets sessions per local day', () => {
    const today = new Date(2026, 10, 21, 15, 0)
    const o = overview(
      [
        { name: 'A', capacity: 100, occupied: 25, freeSpaces: 75 },
        { name: 'B', capacity: 50, occupied: 50, freeSpaces: 0 },
      ],
      [
        { entryAt: new Date(2026, 10, 20, 9).toISOString(), exitAt: new Date(2026, 10, 21, 9).toISOString(), paidFen: 1250 },
        { entryAt: new Date(2026, 10, 21, 10).toISOString(), exitAt: null, paidFen: 0 },
        { entryAt: new Date(2026, 10, 1, 10).toISOString(), exitAt: null, paidFen: 0 },
      ],
      today,
    )
    expect([o.lots, o.capacity, o.occupied, o.free]).toEqual([2, 150, 75, 75])
    expect(o.days).toEqual(['11-15', '11-16', '11-17', '11-18', '11-19', '11-20', '11-21'])
    expect(o.entries).toEqual([0, 0, 0, 0, 0, 1, 1])
    expect(o.exits).toEqual([0, 0, 0, 0, 0, 0, 1])
    expect(o.revenueYuan).toEqual([0, 0, 0, 0, 0, 0, 12.5])
    expect(o.occupancy).toEqual([
      { name: 'A', percent: 25 },
      { name: 'B', percent: 100 },
    ])
  })
})

describe('small helpers', () => {
  it('formats fen as yuan and builds the lane QR URL', () => {
    expect(yuan(1234)).toBe('12.34')
    expect(laneQrUrl('https://p.example', 'a/b')).toBe('https://p.example/#/scan/a%2Fb')
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
      { group: 'tenancy', items: [{ path: '/lots', title: 'nav.lots' }, { path: '/lanes', title: 'nav.lanes' }] },
      {
        group: 'records',
        items: [
          { path: '/records/sessions', title: 'nav.sessions' },
          { path: '/records/lane-events', title: 'nav.laneEvents' },
          { path: '/records/gate-commands', title: 'nav.gateCommands' },
        ],
      },
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
