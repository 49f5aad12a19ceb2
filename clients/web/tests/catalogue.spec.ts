import { afterEach, describe, expect, it } from 'vitest'
import { settingsForm, settingsInput, type PaymentSettings } from '../src/lib/paymentSettings'
import { fen, formValues, isoOrNull, missingFields, textOrNull, type FormField } from '../src/components/form'
import { catalogueResources, catalogues, keyScope } from '../src/views/catalogue'
import { menuFor, routes } from '../src/routes'
import { auth, setMe } from '../src/stores/auth'
import { dictionaryKeys } from '../src/i18n'

const SETTINGS: PaymentSettings = {
  frictionless: true,
  frictionlessAdvance: false,
  frictionlessFreeMinutes: 15,
  feeRatePpm: 3800,
  noEntryFeeFen: 2050,
  minConfidence: 0.75,
  doublePaymentAutoRefund: false,
  entryTemplateId: 'TPL_1',
  entryTemplatePage: 'pages/stay/index',
  entryTemplateFields: { plate: 'car_number1', lot: 'thing2', time: 'time3' },
}

describe('payment settings form', () => {
  it('shows fen as yuan and ppm as percent, and sends them back exactly', () => {
    const form = settingsForm(SETTINGS)
    expect([form.feeRatePercent, form.noEntryFeeYuan, form.plateKeyword]).toEqual([0.38, 20.5, 'car_number1'])
    const { entryTemplateFields, ...rest } = SETTINGS
    expect(settingsInput(form)).toEqual({ ...rest, entryTemplateFields })
  })

  it('rounds typed decimals to whole fen and ppm and trims the template texts', () => {
    const form = { ...settingsForm(SETTINGS), feeRatePercent: 0.29, noEntryFeeYuan: 0.1 + 0.2, entryTemplateId: ' TPL_2 ', timeKeyword: ' date4' }
    const input = settingsInput(form)
    expect([input.feeRatePpm, input.noEntryFeeFen, input.entryTemplateId]).toEqual([2900, 30, 'TPL_2'])
    expect(input.entryTemplateFields).toEqual({ plate: 'car_number1', lot: 'thing2', time: 'date4' })
  })
})

describe('form helpers', () => {
  const fields: FormField[] = [
    { name: 'lotId', label: 'common.lot', kind: 'lot', required: true },
    { name: 'name', label: 'common.name', kind: 'text', required: true },
    { name: 'price', label: 'p', kind: 'money' },
    { name: 'perms', label: 'x', kind: 'permissions', required: true },
    { name: 'on', label: 'y', kind: 'switch' },
  ]

  it('starts every field blank unless given, with a fresh list per form', () => {
    const a = formValues(fields, { name: '月卡' })
    expect(a).toEqual({ lotId: null, name: '月卡', price: 0, perms: [], on: false })
    expect(formValues(fields).perms).not.toBe(a.perms)
  })

  it('names the required fields left empty', () => {
    expect(missingFields(fields, { lotId: '1', name: '  ', perms: [] }).map((f) => f.name)).toEqual(['name', 'perms'])
    expect(missingFields(fields, { lotId: '1', name: 'a', perms: ['x'] })).toEqual([])
  })

  it('converts yuan, blanks and dates', () => {
    expect([fen(300), fen('12.34'), fen(0.1 + 0.2), fen(null)]).toEqual([30000, 1234, 30, 0])
    expect([textOrNull('  '), textOrNull(' Wang '), textOrNull(undefined)]).toEqual([null, 'Wang', null])
    expect(isoOrNull(new Date(Date.UTC(2026, 10, 21, 8, 0)))).toBe('2026-11-21T08:00:00.000Z')
    expect([isoOrNull(null), isoOrNull(''), isoOrNull('not a date')]).toEqual([null, null, null])
  })
})

describe('catalogue pages', () => {
  afterEach(() => setMe(null))

  it('builds the pass product and list entry inputs the API expects', () => {
    const product = catalogues.passProducts.create!.variables({
      lotId: '7', name: ' 月卡 ', category: 'MONTHLY', period: 'MONTH', price: 300, vehicleClass: 'SMALL',
    })
    expect(product).toEqual({
      input: {
        lotId: '7', name: '月卡', category: 'MONTHLY', period: 'MONTH', priceFen: 30000, vehicleClass: 'SMALL',
        soldOnline: false, quota: null,
      },
    })
    const entry = catalogues.listEntries.create!.variables({
      lotId: '7', plate: ' 京A12345 ', category: 'BLACKLIST', validFrom: new Date(Date.UTC(2026, 0, 1)), validUntil: null, reason: '逃费',
    })
    expect(entry).toEqual({
      input: { lotId: '7', plate: '京A12345', category: 'BLACKLIST', validFrom: '2026-01-01T00:00:00.000Z', validUntil: null, reason: '逃费' },
    })
  })

  it("gives a new key the creator's tenants unless others are picked", () => {
    setMe({ name: 'c', permissions: [], scopeLevel: 'CUSTOMER', agentId: '2', customerId: '3', lotIds: [] })
    expect(keyScope({ scopeLevel: 'LOT', lotId: '9' })).toEqual({ level: 'LOT', agentId: '2', customerId: '3', lotIds: ['9'] })
    expect(keyScope({ scopeLevel: 'CUSTOMER', customerId: '4' })).toEqual({ level: 'CUSTOMER', agentId: '2', customerId: '4', lotIds: [] })
    expect(auth.me?.scopeLevel).toBe('CUSTOMER')
  })

  it('reveals the key of a created API key only', () => {
    const reveal = catalogues.apiKeys.create!.reveal!
    expect(reveal({ key: 'pk_abc.secret', apiKey: { id: '1' } })).toBe('pk_abc.secret')
    expect(reveal({ apiKey: { id: '1' } })).toBeNull()
    const revoke = catalogues.apiKeys.actions![0]
    expect([revoke.hidden!({ revokedAt: null }), revoke.hidden!({ revokedAt: '2026-11-21T00:00:00Z' })]).toEqual([false, true])
  })

  it('has a lazy route, with the permission of its list query, for every catalogue page', () => {
    for (const name of Object.keys(catalogueResources)) {
      const route = routes.find((r) => (r.props as { name?: string } | undefined)?.name === name)
      expect(route, name).toBeDefined()
      expect(typeof route!.component).toBe('function')
    }
    const titles = (perms: string[]) => menuFor(perms).flatMap((g) => g.items.map((i) => i.title))
    expect(titles(['owners.view'])).toEqual(
      expect.arrayContaining(['nav.listEntries', 'nav.vehicleGroups', 'nav.passProducts']),
    )
    expect(titles(['owners.view'])).not.toContain('nav.merchants')
    expect(titles(['merchants.manage'])).toEqual([
      'nav.merchants',
      'nav.couponTemplates',
      'nav.coupons',
      'nav.parkingCodes',
      'nav.merchantStats',
    ])
    expect(titles(['api_keys.manage'])).toEqual(['nav.apiKeys'])
  })

  it('has both languages for every new text', () => {
    const used = ['pay.tab', 'nav.apiKeys', 'catalogue.keyOnce', 'catalogue.category.BLACKLIST', 'catalogue.couponStatus.VOID']
    for (const key of used) {
      expect(dictionaryKeys.zh).toContain(key)
      expect(dictionaryKeys.en).toContain(key)
    }
  })
})
