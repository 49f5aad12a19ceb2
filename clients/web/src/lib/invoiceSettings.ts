// A lot's invoicing settings (开票设置) between the API (VAT in per mille) and the form (the rate as a choice).
import type { LotInvoiceSettingsInput } from '../gql/graphql'

/** The VAT rates the API takes, in per mille (parking/invoices/service.py TAX_RATES): 90 is 9 %. */
export const TAX_RATES_PERMILLE = [0, 10, 30, 50, 60, 90, 130] as const
export const DEFAULT_TAX_RATE_PERMILLE = 90
export const DEFAULT_DEADLINE_DAYS = 365

export interface InvoiceSettings {
  enabled: boolean
  sellerName: string
  sellerTaxNumber: string
  sellerAddress: string
  sellerPhone: string
  sellerBankAccount: string
  clerk: string
  taxRatePermille: number
  goodsCode: string
  goodsName: string
  deadlineDays: number
}

/** The form of a lot that issues no invoices yet: on, the server's defaults for rate, goods and deadline. */
export function blankSettings(): InvoiceSettings {
  return {
    enabled: true,
    sellerName: '',
    sellerTaxNumber: '',
    sellerAddress: '',
    sellerPhone: '',
    sellerBankAccount: '',
    clerk: '',
    taxRatePermille: DEFAULT_TAX_RATE_PERMILLE,
    goodsCode: '',
    goodsName: '',
    deadlineDays: DEFAULT_DEADLINE_DAYS,
  }
}

export function settingsForm(s: InvoiceSettings): InvoiceSettings {
  return {
    enabled: s.enabled,
    sellerName: s.sellerName,
    sellerTaxNumber: s.sellerTaxNumber,
    sellerAddress: s.sellerAddress,
    sellerPhone: s.sellerPhone,
    sellerBankAccount: s.sellerBankAccount,
    clerk: s.clerk,
    taxRatePermille: s.taxRatePermille,
    goodsCode: s.goodsCode,
    goodsName: s.goodsName,
    deadlineDays: s.deadlineDays,
  }
}

/** "9%" for 90 per mille. */
export function rateLabel(permille: number): string {
  return `${permille / 10}%`
}

/** The mutation's input: texts trimmed, the tax number upper-cased; a goods code or name left empty is not sent
 * (the lot keeps its own, or the server's default: 3040502020200000000 停车费). Bounds are the API's, which answers
 * with the field at fault and writes nothing. */
export function settingsInput(f: InvoiceSettings): LotInvoiceSettingsInput {
  const input: LotInvoiceSettingsInput = {
    enabled: f.enabled,
    sellerName: f.sellerName.trim(),
    sellerTaxNumber: f.sellerTaxNumber.trim().toUpperCase(),
    sellerAddress: f.sellerAddress.trim(),
    sellerPhone: f.sellerPhone.trim(),
    sellerBankAccount: f.sellerBankAccount.trim(),
    clerk: f.clerk.trim(),
    taxRatePermille: f.taxRatePermille,
    deadlineDays: Math.round(f.deadlineDays),
  }
  if (f.goodsCode.trim()) input.goodsCode = f.goodsCode.trim()
  if (f.goodsName.trim()) input.goodsName = f.goodsName.trim()
  return input
}
