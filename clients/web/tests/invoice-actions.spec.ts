// The invoice page's row actions: 重试 on a failed invoice; 红冲 on an issued one and on one whose reversal stalled.
import { describe, expect, it } from 'vitest'
import { retryable, reversible } from '../src/lib/invoiceActions'

describe('invoice actions', () => {
  it('retries only a failed invoice', () => {
    expect(['REQUESTED', 'ISSUING', 'ISSUED', 'FAILED', 'VOID', 'REVERSING', 'REVERSED'].filter((status) => retryable({ status }))).toEqual(['FAILED'])
  })

  it('reverses an issued invoice', () => {
    expect(reversible({ status: 'ISSUED', lastError: '' })).toBe(true)
  })

  it('asks again for a reversal the provider refused, not for one it is still working on', () => {
    expect(reversible({ status: 'REVERSING', lastError: '红字确认单未确认' })).toBe(true)
    expect(reversible({ status: 'REVERSING', lastError: '' })).toBe(false)
    expect(reversible({ status: 'REVERSING', lastError: null })).toBe(false)
  })

  it('offers nothing on an invoice that is done with or not issued', () => {
    for (const status of ['REQUESTED', 'ISSUING', 'FAILED', 'VOID', 'REVERSED']) {
      expect(reversible({ status, lastError: '某错误' })).toBe(false)
    }
  })
})
