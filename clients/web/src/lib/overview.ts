// Figures for the overview page from the API's aggregates (revenueByDay, traffic, occupancy, openAlarmsByKind).
// The server buckets each row by its lot's local day; this only lays the rows out on the chosen days.

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
}

function dayKey(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

/** The `days` calendar days ending on `today` (the browser's date), oldest first, as YYYY-MM-DD. */
export function dayRange(today: Date, days = 7): string[] {
  const keys: string[] = []
  for (let i = days - 1; i >= 0; i--) {
    const d = new Date(today)
    d.setDate(d.getDate() - i)
    keys.push(dayKey(d))
  }
  return keys
}

export interface OverviewRows {
  occupancy: OccupancyRow[]
  revenue: RevenueRow[]
  traffic: TrafficRow[]
  alarms: AlarmKindRow[]
}

export function overview(rows: OverviewRows, days: string[]): Overview {
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
  return {
    lots: lots.length,
    capacity: lots.reduce((n, l) => n + l.capacity, 0),
    occupied: lots.reduce((n, l) => n + l.occupied, 0),
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
  }
}
