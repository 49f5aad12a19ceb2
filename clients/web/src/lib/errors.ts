// What an operator reads when the API refuses something: first the code's meaning and the input field at fault
// in the operator's language, with the code itself (what support asks for); second the server's own message,
// which says the particulars (the amount still refundable) and is English for most codes.
import { MutationError } from '../graphql/result'
import { t } from '../i18n'

// Input fields whose label lives under another key than `field.<name>`.
const FIELD_KEYS: Record<string, string> = {
  name: 'common.name',
  lotId: 'common.lot',
  amountFen: 'money.amountYuan',
  amountYuan: 'money.amountYuan',
  reason: 'field.reason',
  username: 'login.username',
  password: 'login.password',
  capacity: 'lot.capacity',
  address: 'lot.address',
  code: 'lot.code',
  entryTemplateId: 'pay.templateId',
  sellerName: 'invoiceSettings.sellerName',
  sellerTaxNumber: 'invoiceSettings.sellerTaxNumber',
  sellerAddress: 'invoiceSettings.sellerAddress',
  sellerPhone: 'invoiceSettings.sellerPhone',
  sellerBankAccount: 'invoiceSettings.sellerBankAccount',
  clerk: 'invoiceSettings.clerk',
  taxRatePermille: 'invoiceSettings.taxRate',
  goodsCode: 'invoiceSettings.goodsCode',
  goodsName: 'invoiceSettings.goodsName',
  deadlineDays: 'invoiceSettings.deadlineDays',
  imageDays: 'retention.imageDays',
  recordDays: 'retention.recordDays',
}

/** The label of an input path such as `input.plate`: its last part, translated where the dashboard has a label. */
export function fieldLabel(path: string): string {
  const last = path.split('.').pop() ?? path
  for (const key of [FIELD_KEYS[last], `field.${last}`]) {
    if (key && t(key) !== key) return t(key)
  }
  return last
}

export function errorText(err: unknown): string {
  if (!(err instanceof MutationError)) return err instanceof Error ? err.message : String(err)
  const key = `error.${err.code}`
  const meaning = t(key)
  if (meaning === key) return `${err.code}: ${err.message}`
  const field = err.field ? ` · ${t('error.field')}: ${fieldLabel(err.field)}` : ''
  return `${meaning} (${err.code})${field}${err.message ? ` — ${err.message}` : ''}`
}
