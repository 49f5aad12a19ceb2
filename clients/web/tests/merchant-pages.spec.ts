import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  clock,
  couponMeaning,
  couponValue,
  duration,
  fill,
  minuteOfDay,
  templateValue,
  valueFields,
  COUPON_KINDS,
  CODE_KINDS,
  COUPON_SOURCES,
  COUPON_STATUSES,
} from '../src/lib/coupons'
import { statSeries, statTotals, type MerchantStatRow } from '../src/lib/merchantStats'
import { codeSheetUrl, codeSvgUrl } from '../src/lib/downloads'
import { formTerms, merchantCatalogues } from '../src/views/merchantPages'
import { missingFields, shown } from '../src/components/form'
import { dictionaryKeys, locale } from '../src/i18n'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import ResourceForm from '../src/components/ResourceForm.vue'

afterEach(() => {
  locale.value = 'zh-CN'
})

describe('coupon terms in words', () => {
  it('says what each kind takes off, in Chinese first', () => {
    expect(couponValue({ kind: 'MINUTES', value: 90 })).toBe('免停车 1 小时 30 分钟')
    expect(couponValue({ kind: 'AMOUNT', value: 500 })).toBe('停车费减 5.00 元')
    expect(couponValue({ kind: 'PERCENT', value: 80 })).toBe('停车费打 8 折 (车主付 80%)')
    expect(couponValue({ kind: 'PERCENT', value: 85 })).toBe('停车费打 8.5 折 (车主付 85%)')
    expect(couponValue({ kind: 'FULL', value: 0 })).toBe('停车费全免')
    expect(couponValue({ kind: 'UNTIL', value: 22 * 60 })).toBe('发券当天 22:00 前停车免费')
  })

  it('adds validity, limits and price, and reads in English too', () => {
    const terms = { kind: 'PERCENT', value: 80, validMinutes: 1440, priceFen: 200, maxPerStay: 1, maxPerPlatePerDay: 2, stackable: false }
    expect(couponMeaning(terms)).toBe(
      '停车费打 8 折 (车主付 80%); 发放后 1 天 内有效; 每次停车最多用 1 张; 同一车牌每天最多 2 张; 不可与其他券同时使用; 商户 2.00 元/张',
    )
    locale.value = 'en'
    expect(couponMeaning({ ...terms, priceFen: 0, stackable: true, maxPerPlatePerDay: null })).toBe(
      '20% off the parking fee (the driver pays 80%); valid for 1 d after issue; at most 1 per stay; free for the merchant',
    )
  })

  it('formats durations and clock times, and reads typed times back', () => {
    expect([duration(0), duration(45), duration(60), duration(1500)]).toEqual(['0 分钟', '45 分钟', '1 小时', '1 天 1 小时'])
    expect([clock(0), clock(8 * 60 + 5), clock(1439)]).toEqual(['00:00', '08:05', '23:59'])
    expect([minuteOfDay('08:30'), minuteOfDay('24:00'), minuteOfDay('8:61'), minuteOfDay('x')]).toEqual([510, null, null, null])
    expect(fill('{a} and {b}', { a: 1 })).toBe('1 and {b}')
  })

  it('turns each kind\'s form field into the template value and back', () => {
    const form = { minutes: 120, amount: 0.1 + 0.2, percent: 80, until: '22:00' }
    expect(COUPON_KINDS.map((k) => templateValue(k, form))).toEqual([120, 30, 80, 0, 1320])
    for (const kind of COUPON_KINDS) {
      const value = templateValue(kind, form)!
      expect(templateValue(kind, valueFields(kind, value)), kind).toBe(value)
    }
    expect([templateValue('PERCENT', { percent: 100 }), templateValue('MINUTES', { minutes: 1.5 }), templateValue('AMOUNT', { amount: 0 })]).toEqual([
      null,
      null,
      null,
    ])
  })
})

describe('merchant page forms', () => {
  it('shows only the value field of the chosen coupon kind and previews the terms', () => {
    const spec = merchantCatalogues.couponTemplates.create!
    const values = { ...spec.initial!(), kind: 'AMOUNT', amount: 5, lotId: '1', name: '购物满百', price: 1 }
    const visible = spec.fields.filter((f) => shown(f, values)).map((f) => f.name)
    expect(visible).toContain('amount')
    expect(visible).not.toContain('minutes')
    expect(visible).not.toContain('until')
    expect(missingFields(spec.fields, values)).toEqual([])
    expect(spec.preview!(values)).toBe('停车费减 5.00 元; 发放后 1 天 内有效; 每次停车最多用 1 张; 商户 1.00 元/张')
    expect(spec.variables(values).input).toMatchObject({ lotId: '1', kind: 'AMOUNT', value: 500, priceFen: 100, maxPerPlatePerDay: null })
    expect(spec.check!({ ...values, amount: 0 })).toBe('coupon.badValue')
    expect(formTerms({ ...values, kind: 'FULL' }).value).toBe(0)
  })

  it('asks a parking code only for what its kind uses', () => {
    const spec = merchantCatalogues.parkingCodes.create!
    const names = (kind: string) => spec.fields.filter((f) => shown(f, { kind })).map((f) => f.name)
    expect(names('EXIT')).toContain('laneId')
    expect(names('EXIT')).not.toContain('templateId')
    expect(names('VIP')).toEqual(expect.arrayContaining(['merchantId', 'templateId']))
    expect(names('IN_LOT')).not.toContain('laneId')
    const input = spec.variables({ kind: 'IN_LOT', lotId: '3', laneId: '9', maxUses: 0, expiresAt: '2027-01-01T00:00:00Z' }).input as Record<string, unknown>
    expect([input.laneId, input.maxUses, input.expiresAt]).toEqual([null, null, '2027-01-01T00:00:00.000Z'])
  })

  it('voids only issued coupons, with the reason asked for', () => {
    const voidAction = merchantCatalogues.coupons.actions![0]
    expect(voidAction.prompt).toBe('coupon.voidReason')
    expect(['ISSUED', 'REDEEMED', 'VOID'].map((status) => voidAction.hidden!({ status }))).toEqual([false, true, true])
    expect(voidAction.variables({ id: '7' }, '顾客退货')).toEqual({ id: '7', reason: '顾客退货' })
  })

  it('has both languages for every enum value shown', () => {
    const keys = [
      ...COUPON_KINDS.map((k) => `catalogue.couponKind.${k}`),
      ...COUPON_STATUSES.map((k) => `catalogue.couponStatus.${k}`),
      ...COUPON_SOURCES.map((k) => `coupon.source.${k}`),
      ...CODE_KINDS.flatMap((k) => [`code.kind.${k}`, `code.explain.${k}`]),
      ...['PURCHASE', 'CREDIT'].map((k) => `merchant.stockSource.${k}`),
      ...['TOP_UP', 'PURCHASE', 'CREDIT', 'REFUND', 'ADJUSTMENT'].map((k) => `merchant.ledgerKind.${k}`),
      ...['issued', 'redeemed', 'expired', 'voided'].map((k) => `mstats.${k}`),
    ]
    expect(keys.filter((k) => !dictionaryKeys.zh.includes(k) || !dictionaryKeys.en.includes(k))).toEqual([])
  })
})

describe('merchant statistics and code downloads', () => {
  const rows: MerchantStatRow[] = [
    { merchantId: '1', merchantName: '咖啡', issued: 5, redeemed: 3, expired: 1, voided: 1, discountFen: 900, soldFen: 1000, stockRemaining: 5 },
    { merchantId: '2', merchantName: '书店', issued: 2, redeemed: 0, expired: 0, voided: 0, discountFen: 0, soldFen: 400, stockRemaining: 8 },
  ]
  it('makes one bar series per count and exact totals', () => {
    expect(statSeries(rows)).toEqual({ names: ['咖啡', '书店'], series: { issued: [5, 2], redeemed: [3, 0], expired: [1, 0], voided: [1, 0] } })
    expect(statTotals(rows)).toEqual({ issued: 7, redeemed: 3, expired: 1, voided: 1, discountFen: 900, soldFen: 1400, stockRemaining: 13 })
  })
  it('builds the download addresses', () => {
    expect(codeSvgUrl('12')).toBe('/api/codes/12.svg')
    expect(codeSheetUrl(['1', '2', '3'])).toBe('/api/codes/sheet.pdf?ids=1,2,3')
  })
})

describe('double submission', () => {
  it('sends a form once however often it is submitted while the request is in flight', async () => {
    let answer: (value: unknown) => void = () => undefined
    const pending = new Promise((resolve) => (answer = resolve))
    const mutation = vi.fn(() => ({ toPromise: () => pending }))
    const spec = merchantCatalogues.coupons.create!
    const wrapper = mount(ResourceForm, {
      props: { spec, name: 'coupons-create', modelValue: true },
      global: { plugins: [ElementPlus], provide: { $urql: { value: { mutation, query: vi.fn() } } }, stubs: { LookupSelect: true } },
      attachTo: document.body,
    })
    await flushPromises()
    const form = document.body.querySelector('[data-test=form-coupons-create] form') as HTMLFormElement
    // The form's own values, filled as the selects would (they are stubbed here).
    const state = (wrapper.vm.$ as unknown as { setupState: { values: Record<string, unknown> } }).setupState
    Object.assign(state.values, { lotId: '1', merchantId: '2', templateId: '3', plate: '京A12345' })
    form.dispatchEvent(new Event('submit'))
    form.dispatchEvent(new Event('submit'))
    await flushPromises()
    expect(mutation).toHaveBeenCalledTimes(1)
    expect((document.body.querySelector('[data-test=form-submit]') as HTMLButtonElement).disabled).toBe(true)
    answer({ data: { couponIssue: { __typename: 'CouponSuccess', coupon: { id: '9' } } } })
    await flushPromises()
    expect(wrapper.emitted('done')).toHaveLength(1)
    wrapper.unmount()
  }, 20_000)
})
