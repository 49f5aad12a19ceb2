// 报表: what the report pages share apart from Vue: the range rule (the API's: at most 92 lot-local days), the
// download address of each report, the columns of figures and their sums, and the charts' series.
import { addDays } from './lotTime'
import { yuan } from './format'

/** The API's longest range (parking/overview/service.py MAX_DAYS), counted inclusively. */
export const MAX_REPORT_DAYS = 92

export type ReportName = 'flow' | 'peak-hours' | 'channels' | 'kinds' | 'daily' | 'fee-details' | 'renewals' | 'invoices' | 'shifts'
export type ReportFormat = 'csv' | 'xlsx'
/** The flow report's groupings, in the order the page offers them; the first three show turnover. */
export type FlowBy = 'LOT' | 'AREA' | 'REGION' | 'LANE' | 'VEHICLE_CLASS' | 'DAY'
export const FLOW_BYS: readonly FlowBy[] = ['LOT', 'AREA', 'REGION', 'LANE', 'VEHICLE_CLASS', 'DAY']
export const FLOW_TURNOVER_BYS: readonly FlowBy[] = ['LOT', 'AREA', 'REGION']
/** The daily report's groupings, in the order the page offers them. */
export type DailyBy = 'LOT' | 'LANE' | 'REGION' | 'BOOTH'
export const DAILY_BYS: readonly DailyBy[] = ['LOT', 'REGION', 'BOOTH', 'LANE']

export interface ReportFilter {
  range: [string, string] | null
  lotIds: string[]
}

/** Days from `first` to `last`, both counted (0 when `last` is before `first`). */
export function daysBetween(first: string, last: string): number {
  const [a, b] = [first, last].map((d) => {
    const [y, m, day] = d.split('-').map(Number)
    return Date.UTC(y, m - 1, day)
  })
  return b < a ? 0 : Math.round((b - a) / 86_400_000) + 1
}

/** The i18n key of what is wrong with the range, or null when the API will take it. */
export function rangeProblem(range: readonly [string, string] | null | undefined): string | null {
  if (!range?.[0] || !range[1]) return 'report.rangeMissing'
  if (daysBetween(range[0], range[1]) === 0) return 'report.rangeReversed'
  if (daysBetween(range[0], range[1]) > MAX_REPORT_DAYS) return 'report.rangeTooLong'
  return null
}

/** The last `days` lot days up to `today`, inclusive. */
export function lastDays(today: string, days: number): [string, string] {
  return [addDays(today, 1 - days), today]
}

/** The GraphQL variables shared by every report query. */
export function reportVariables(filter: ReportFilter): { from: string; to: string; lotIds: string[] | null } {
  const [from, to] = filter.range ?? ['', '']
  return { from, to, lotIds: filter.lotIds.length ? filter.lotIds : null }
}

/** `/api/reports/{name}.{fmt}?from&to[&lotIds][&extra]`: the download of what the page shows. */
export function reportUrl(
  name: ReportName,
  format: ReportFormat,
  filter: ReportFilter,
  extra: Record<string, string> = {},
): string {
  const { from, to, lotIds } = reportVariables(filter)
  const params = new URLSearchParams({ from, to })
  if (lotIds) params.set('lotIds', lotIds.join(','))
  for (const [key, value] of Object.entries(extra)) params.set(key, value)
  return `/api/reports/${name}.${format}?${params}`
}

/** The file name the API gives the download (its Content-Disposition), for the browser's save. */
export function reportFilename(name: ReportName, format: ReportFormat, filter: ReportFilter): string {
  const { from, to } = reportVariables(filter)
  return `${name}-${from}-${to}.${format}`
}

export interface Figures {
  entries: number
  exits: number
  stayMinutes: number
  averageStayMinutes: number | null
  payments: number
  paidFen: number
  refunds: number
  refundedFen: number
  netFen: number
  discountFen: number
  couponFen: number
  waivedFen: number
}

type Summed = Exclude<keyof Figures, 'averageStayMinutes'>
const SUMMED: readonly Summed[] = [
  'entries', 'exits', 'stayMinutes', 'payments', 'paidFen', 'refunds', 'refundedFen', 'netFen', 'discountFen',
  'couponFen', 'waivedFen',
]

/** Python's round(): the nearest integer, a half to the even one, so a total's average is the API's. */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x)
  const diff = x - floor
  if (diff !== 0.5) return Math.round(x)
  return floor % 2 === 0 ? floor : floor + 1
}

/** The figures of all rows together; the average stay is the sum's (stay minutes over exits, rounded like the API). */
export function sumFigures(rows: readonly { figures: Figures }[]): Figures {
  const sum = Object.fromEntries(SUMMED.map((k) => [k, 0])) as Record<Summed, number>
  for (const r of rows) for (const k of SUMMED) sum[k] += r.figures[k]
  return { ...sum, averageStayMinutes: sum.exits ? roundHalfEven(sum.stayMinutes / sum.exits) : null }
}

export interface Column {
  key: keyof Figures
  label: string
  money: boolean
}

const column = (key: keyof Figures, label: string, money = false): Column => ({ key, label, money })

/** Traffic columns (车流). */
export const FLOW_COLUMNS: readonly Column[] = [
  column('entries', 'report.entries'),
  column('exits', 'report.exits'),
  column('stayMinutes', 'report.stayMinutes'),
  column('averageStayMinutes', 'report.averageStayMinutes'),
]

/** Money columns (收费), in yuan. */
export const MONEY_COLUMNS: readonly Column[] = [
  column('payments', 'report.payments'),
  column('paidFen', 'report.paid', true),
  column('refunds', 'report.refunds'),
  column('refundedFen', 'report.refunded', true),
  column('netFen', 'report.net', true),
  column('discountFen', 'report.discount', true),
  column('couponFen', 'report.coupon', true),
  column('waivedFen', 'report.waived', true),
]

/** A figure as the table shows it: yuan from fen, counts as they are, a missing average as a dash. */
export function cell(c: Column, figures: Figures): string {
  const value = figures[c.key]
  if (value === null) return '-'
  return c.money ? yuan(value) : String(value)
}

export interface HourRow {
  hour: number
  entries: number
  exits: number
}

/** Entries and exits for each hour 0-23 in clock order (the API lists the busiest first and may skip quiet hours). */
export function hourSeries(rows: readonly HourRow[]): { hours: string[]; entries: number[]; exits: number[] } {
  const byHour = new Map(rows.map((r) => [r.hour, r]))
  const hours = Array.from({ length: 24 }, (_, h) => h)
  return {
    hours: hours.map((h) => `${String(h).padStart(2, '0')}:00`),
    entries: hours.map((h) => byHour.get(h)?.entries ?? 0),
    exits: hours.map((h) => byHour.get(h)?.exits ?? 0),
  }
}

/** The busiest hour by entries and exits together (the first on a tie, as the API orders), or null when none. */
export function busiestHour(rows: readonly HourRow[]): HourRow | null {
  let best: HourRow | null = null
  for (const r of rows) if (r.entries + r.exits > 0 && (!best || r.entries + r.exits > best.entries + best.exits)) best = r
  return best
}

/** Paid yuan per day over all the rows (lots, lanes) of the daily report, days in order. */
export function dailyPaidSeries(rows: readonly { day: string; figures: Figures }[]): { days: string[]; paid: number[]; net: number[] } {
  const days = [...new Set(rows.map((r) => r.day))].sort()
  const paid = new Map<string, number>()
  const net = new Map<string, number>()
  for (const r of rows) {
    paid.set(r.day, (paid.get(r.day) ?? 0) + r.figures.paidFen)
    net.set(r.day, (net.get(r.day) ?? 0) + r.figures.netFen)
  }
  return { days, paid: days.map((d) => (paid.get(d) ?? 0) / 100), net: days.map((d) => (net.get(d) ?? 0) / 100) }
}

/** True when none of the rows has any traffic or money: the page says so instead of drawing an empty chart. */
export function nothingIn(rows: readonly { figures: Figures }[]): boolean {
  const s = sumFigures(rows)
  return !(s.entries || s.exits || s.payments || s.refunds || s.discountFen || s.couponFen || s.waivedFen)
}
