// Figures for the overview page from the API's aggregates (revenueByDay, traffic, occupancy, openAlarmsByKind).
// The server buckets each row by its lot's local day; this only lays the rows out on the chosen days.

import { addDays, lotDay, wallClock } from './lotTime'

export interface OccupancyRow {
  lotId: string
  name: string
  capacity: number
  occupied: number
  freeSpaces: number
}
export interface RevenueRow {
  day: string
  channel: string
  paidFen: number
}
export interface TrafficRow {
  day: string
  /** 0-23 when the API buckets by hour (the overview asks by hour, and sums the hours into days here). */
  hour?: number | null
  entries: number
  exits: number
}
export interface AlarmKindRow {
  kind: string
  open: number
  acknowledged: number
}

export interface Overview {
  lots: number
  capacity: number
  occupied: number
  free: number
  openAlarms: number
  days: string[]
  /** One series per payment channel, yuan per day; `revenueYuan` is their sum. */
  revenueByChannel: { channel: string; yuan: number[] }[]
  revenueYuan: number[]
  entries: number[]
  exits: number[]
  occupancy: { name: string; percent: number }[]
  alarmsByKind: { kind: string; count: number }[]
  /** Cars inside at the end of each past hour of the days, all lots together ('MM-DD HH' labels). */
  insideByHour: { hours: string[]; cars: number[] }
}

/** The `days` calendar days ending on the lot's day of the instant `now`, oldest first, as YYYY-MM-DD. */
export function dayRange(now: Date, days = 7): string[] {
  const today = lotDay(now)
  const keys: string[] = []
  for (let i = days - 1; i >= 0; i--) keys.push(addDays(today, -i))
  return keys
}

export interface OverviewRows {
  occupancy: OccupancyRow[]
  revenue: RevenueRow[]
  traffic: TrafficRow[]
  alarms: AlarmKindRow[]
}

/**
 * Cars inside at the end of each hour, worked back from the cars inside now: an hour's entries came in after the
 * hours before it and its exits left after them, so inside(h) = inside now - entries after h + exits after h.
 * Hourly traffic is stays of the outer lot, as the lots' counters are. Hours after `now` are left off.
 */
export function insideByHour(
  traffic: TrafficRow[],
  days: string[],
  insideNow: number,
  now: Date,
): { hours: string[]; cars: number[] } {
  const pad = (n: number) => String(n).padStart(2, '0')
  const today = days[days.length - 1]
  const slots = days.length * 24 - (today === lotDay(now) ? 23 - wallClock(now).hour : 0)
  const net = new Array<number>(days.length * 24).fill(0)
  const index = new Map(days.map((k, i) => [k, i]))
  for (const r of traffic) {
    const d = index.get(r.day)
    if (d === undefined || r.hour == null) continue
    net[d * 24 + r.hour] += r.entries - r.exits
  }
  const hours: string[] = []
  const cars = new Array<number>(slots).fill(0)
  let later = 0 // net arrivals after the slot being filled
  for (let i = slots - 1; i >= 0; i--) {
    cars[i] = Math.max(0, insideNow - later)
    later += net[i]
  }
  for (let i = 0; i < slots; i++) hours.push(`${days[Math.floor(i / 24)].slice(5)} ${pad(i % 24)}:00`)
  return { hours, cars }
}

export function overview(rows: OverviewRows, days: string[], now: Date = new Date()): Overview {
  const index = new Map(days.map((k, i) => [k, i]))
  const zeros = () => days.map(() => 0)
  const channels = new Map<string, number[]>()
  const totalFen = zeros()
  for (const r of rows.revenue) {
    const i = index.get(r.day)
    if (i === undefined) continue
    let series = channels.get(r.channel)
    if (!series) channels.set(r.channel, (series = zeros()))
    series[i] += r.paidFen
    totalFen[i] += r.paidFen
  }
  const entries = zeros()
  const exits = zeros()
  for (const r of rows.traffic) {
    const i = index.get(r.day)
    if (i === undefined) continue
    entries[i] += r.entries
    exits[i] += r.exits
  }
  const lots = rows.occupancy
  const occupied = lots.reduce((n, l) => n + l.occupied, 0)
  return {
    lots: lots.length,
    capacity: lots.reduce((n, l) => n + l.capacity, 0),
    occupied,
    free: lots.reduce((n, l) => n + l.freeSpaces, 0),
    openAlarms: rows.alarms.reduce((n, a) => n + a.open + a.acknowledged, 0),
    days: days.map((k) => k.slice(5)),
    revenueByChannel: [...channels.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([channel, fen]) => ({ channel, yuan: fen.map((f) => f / 100) })),
    revenueYuan: totalFen.map((fen) => fen / 100),
    entries,
    exits,
    occupancy: lots.map((l) => ({
      name: l.name,
      percent: l.capacity ? Math.round((1000 * l.occupied) / l.capacity) / 10 : 0,
    })),
    alarmsByKind: rows.alarms.map((a) => ({ kind: a.kind, count: a.open + a.acknowledged })),
    // Without the lots (no lots.view) the count now is unknown, so there is no curve to draw.
    insideByHour: lots.length && rows.traffic.length ? insideByHour(rows.traffic, days, occupied, now) : { hours: [], cars: [] },
  }
}
