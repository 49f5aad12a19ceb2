// Which row actions an invoice offers on the dashboard's invoice page (the API's rules, parking/invoices/service.py).

export interface InvoiceRow {
  status: string
  lastError?: string | null
}

/** 重试: a FAILED invoice is sent to the provider again. */
export function retryable(row: InvoiceRow): boolean {
  return row.status === 'FAILED'
}

/** 红冲: an ISSUED invoice, or one whose reversal stalled: still REVERSING with the provider's words in its last
 * error (refused, or no provider account). A REVERSING one with no error is waiting for the provider's answer,
 * which the server keeps asking for by itself. */
export function reversible(row: InvoiceRow): boolean {
  return row.status === 'ISSUED' || (row.status === 'REVERSING' && !!row.lastError)
}
