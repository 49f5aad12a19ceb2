// Yuan typed by a person into integer fen, and settlement statements laid out as table rows with a totals row.

/**
 * "12.5" -> 1250. Only plain decimal numbers with at most two decimals are money; anything else (a third
 * decimal, a sign, thousands separators, an empty field) is null rather than a guess. Parsed as text, not as
 * a float, so "0.29" is 29 fen and not 28.999….
 */
export function parseYuan(text: string | number | null | undefined): number | null {
  const raw = String(text ?? '').trim()
  const match = /^(\d{1,9})(?:\.(\d{0,2}))?$/.exec(raw)
  if (!match) return null
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'))
}

export interface Totals {
  paymentsCount: number
  grossFen: number
  refundsCount: number
  refundsFen: number
  feeFen: number
  netFen: number
}

export interface Statement {
  lotId: string
  day: string
  timezone: string
  totals: Totals
  byChannel: readonly { channel: string; totals: Totals }[]
}

/** One line of the settlement table: a lot's day on one channel (channel null: the day's all-channel line). */
export interface StatementRow extends Totals {
  lotId: string
  day: string
  timezone: string
  channel: string | null
}

const ZERO: Totals = { paymentsCount: 0, grossFen: 0, refundsCount: 0, refundsFen: 0, feeFen: 0, netFen: 0 }

/** A row per lot, day and channel, in the order the statements came, channels as given. */
export function statementRows(statements: readonly Statement[]): StatementRow[] {
  const rows: StatementRow[] = []
  for (const s of statements) {
    // A day without money still shows up (as one line without a channel), so a missing statement is visible.
    if (!s.byChannel.length) rows.push({ lotId: s.lotId, day: s.day, timezone: s.timezone, channel: null, ...s.totals })
    for (const line of s.byChannel) {
      rows.push({ lotId: s.lotId, day: s.day, timezone: s.timezone, channel: line.channel, ...line.totals })
    }
  }
  return rows
}

/** The exact sums of totals (integer fen, so no rounding drift). */
export function sumTotals(lines: readonly Totals[]): Totals {
  const sum = { ...ZERO }
  for (const t of lines) {
    sum.paymentsCount += t.paymentsCount
    sum.grossFen += t.grossFen
    sum.refundsCount += t.refundsCount
    sum.refundsFen += t.refundsFen
    sum.feeFen += t.feeFen
    sum.netFen += t.netFen
  }
  return sum
}

/** The totals row of the statements shown: summed from each statement's own totals (all its channels). */
export function statementsTotal(statements: readonly Statement[]): Totals {
  return sumTotals(statements.map((s) => s.totals))
}
