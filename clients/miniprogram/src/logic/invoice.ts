// E-invoice rules the driver meets before the server does: the form checked the way parking/invoices/requests.py
// checks it (so a typo is explained at once, in the catalogue's words), and the server's refusal codes as zh-CN text.
import type { InvoiceBuyerKind, InvoiceStatus } from '@/gql/graphql'
import { t } from '@/locale'

/** One invoice covers at most this many payments (requests.py MAX_ORDERS). */
export const MAX_ORDERS = 20
const MAX_TITLE = 100
const MAX_EMAIL = 100
const TAX_NUMBER = /^[0-9A-Z]{15,20}$/
const EMAIL = /^[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+$/

export interface InvoiceForm {
  buyerKind: InvoiceBuyerKind
  title: string
  taxNumber: string
  email: string
}

export type FormField = 'title' | 'taxNumber' | 'email'

export interface FormProblem {
  field: FormField
  message: string
}

/** The form as the server takes it: texts trimmed, the tax number upper-cased (as the server does). */
export function cleaned(form: InvoiceForm): InvoiceForm {
  return {
    buyerKind: form.buyerKind,
    title: form.title.trim(),
    taxNumber: form.buyerKind === 'COMPANY' ? form.taxNumber.trim().toUpperCase() : '',
    email: form.email.trim(),
  }
}

/** The first thing wrong with the form, in the server's order, or null. A person's tax number is dropped by
 * `cleaned` rather than refused: the field is hidden for 个人. */
export function formProblem(form: InvoiceForm): FormProblem | null {
  const { buyerKind, title, taxNumber, email } = cleaned(form)
  if (title.length === 0 || title.length > MAX_TITLE) return { field: 'title', message: t.invoices.titleInvalid(MAX_TITLE) }
  if (buyerKind === 'COMPANY' && !taxNumber) return { field: 'taxNumber', message: t.invoices.taxNumberRequired }
  if (taxNumber && !TAX_NUMBER.test(taxNumber)) return { field: 'taxNumber', message: t.invoices.taxNumberInvalid }
  if (email.length > MAX_EMAIL || !EMAIL.test(email)) return { field: 'email', message: t.invoices.emailInvalid }
  return null
}

/** An InvoiceError in the catalogue's words: INVALID by the field it names, the other codes by themselves; a code
 * this build does not know shows the server's own (zh-CN) message. */
export function invoiceErrorText(error: { code: string; field?: string | null; message: string }): string {
  if (error.code === 'INVALID') {
    const byField: Record<string, string> = {
      title: t.invoices.titleInvalid(MAX_TITLE),
      taxNumber: t.invoices.taxNumberInvalid,
      email: t.invoices.emailInvalid,
      orderIds: t.invoices.ordersInvalid(MAX_ORDERS),
    }
    return (error.field && byField[error.field]) || error.message || t.errors.server
  }
  const byCode: Record<string, string> = t.invoices.codes
  return byCode[error.code] ?? (error.message || t.errors.server)
}

export function statusText(status: InvoiceStatus): string {
  return t.invoices.status[status]
}
