// A lot's invoicing settings between the API and the dashboard's form (开票设置), and the field names of the API's
// refusals read as the form's labels.
import { describe, expect, it } from 'vitest'
import { blankSettings, rateLabel, settingsForm, settingsInput, TAX_RATES_PERMILLE } from '../src/lib/invoiceSettings'
import { errorText } from '../src/lib/errors'
import { MutationError } from '../src/graphql/result'

const SAVED = {
  lotId: '7',
  enabled: true,
  sellerName: '上海停车管理有限公司',
  sellerTaxNumber: '91330106MA2B1C3D4E',
  sellerAddress: '上海市徐汇区',
  sellerPhone: '021-12345678',
  sellerBankAccount: '招商银行 6225880000000000',
  clerk: '王会计',
  taxRatePermille: 60,
  goodsCode: '3040502020200000000',
  goodsName: '停车费',
  deadlineDays: 180,
}

describe('invoice settings', () => {
  it('starts a lot that issues no invoices on, at 9 % and a deadline of 365 days', () => {
    expect(blankSettings()).toMatchObject({ enabled: true, sellerName: '', taxRatePermille: 90, deadlineDays: 365 })
  })

  it('sends back what it read, unchanged', () => {
    const { lotId: _, ...input } = SAVED
    expect(settingsInput(settingsForm(SAVED))).toEqual(input)
  })

  it('trims the texts and upper-cases the tax number', () => {
    const form = { ...blankSettings(), sellerName: ' 某某停车 ', sellerTaxNumber: ' 91330106ma2b1c3d4e ', clerk: ' 王 ' }
    expect(settingsInput(form)).toMatchObject({ sellerName: '某某停车', sellerTaxNumber: '91330106MA2B1C3D4E', clerk: '王' })
  })

  it("leaves out an empty goods code and name, so the lot keeps the server's defaults", () => {
    const input = settingsInput({ ...blankSettings(), sellerName: '某某停车', sellerTaxNumber: '91330106MA2B1C3D4E' })
    expect('goodsCode' in input).toBe(false)
    expect('goodsName' in input).toBe(false)
  })

  it('offers the rates the API takes, as percentages', () => {
    expect(TAX_RATES_PERMILLE.map(rateLabel)).toEqual(['0%', '1%', '3%', '5%', '6%', '9%', '13%'])
  })

  it("names the form's field in a refusal", () => {
    const err = new MutationError('INVALID', 'must be 19 digits', 'input.goodsCode')
    expect(errorText(err)).toContain('税收分类编码')
  })
})
