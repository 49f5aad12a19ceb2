// 商户统计: rows of `merchantStatistics` as the chart's series (coupons issued, redeemed, expired, voided per
// merchant) and the table's totals row.

export interface MerchantStatRow {
  merchantId: string
  merchantName: string
  issued: number
  redeemed: number
  expired: number
  voided: number
  discountFen: number
  soldFen: number
  stockRemaining: number
}

export const COUNTS = ['issued', 'redeemed', 'expired', 'voided'] as const

/** One bar series per count, in merchant order (the categories of the x axis). */
export function statSeries(rows: readonly MerchantStatRow[]): { names: string[]; series: Record<(typeof COUNTS)[number], number[]> } {
  return {
    names: rows.map((r) => r.merchantName),
    series: Object.fromEntries(COUNTS.map((c) => [c, rows.map((r) => r[c])])) as Record<(typeof COUNTS)[number], number[]>,
  }
}

/** The column sums (integer counts and fen, so exact). */
export function statTotals(rows: readonly MerchantStatRow[]): Omit<MerchantStatRow, 'merchantId' | 'merchantName'> {
  const sum = { issued: 0, redeemed: 0, expired: 0, voided: 0, discountFen: 0, soldFen: 0, stockRemaining: 0 }
  for (const r of rows) for (const k of Object.keys(sum) as (keyof typeof sum)[]) sum[k] += r[k]
  return sum
}
