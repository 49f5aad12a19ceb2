// Figures for the overview page, computed from what the API offers (lots, sessions since a day, open alarms).

export interface LotFigure {
  name: string
  capacity: number
  occupied: number
  freeSpaces: number
}
export interface SessionFigure {
  entryAt: string
  exitAt?: string | null
  paidFen: number
}

export interface Overview {
  lots: number
  capacity: number
  occupied: number
  free: number
  days: string[]
  revenueYuan: number[]
  entries: number[]
  exits: number[]
  occupancy: { name: string; percent: number }[]
}

function dayKey(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

/** Totals and per-day series for the `days` days ending on `today` (local days of the browser). */
export function overview(lots: LotFigure[], sessions: SessionFigure[], today: Date, days = 7): Overview {
  const keys: string[] = []
  for (let i = days - 1; i >= 0; i--) {
    const d = new Date(today)
    d.setDate(d.getDate() - i)
    keys.push(dayKey(d))
  }
  const index = new Map(keys.map((k, i) => [k, i]))
  const revenue = keys.map(() => 0)
  const entries = keys.map(() => 0)
  const exits = keys.map(() => 0)
  for (const s of sessions) {
    const e = index.get(dayKey(new Date(s.entryAt)))
    if (e !== undefined) entries[e] += 1
    if (s.exitAt) {
      const x = index.get(dayKey(new Date(s.exitAt)))
      if (x !== undefined) {
        exits[x] += 1
        revenue[x] += s.paidFen
      }
    }
  }
  return {
    lots: lots.length,
    capacity: lots.reduce((n, l) => n + l.capacity, 0),
    occupied: lots.reduce((n, l) => n + l.occupied, 0),
    free: lots.reduce((n, l) => n + l.freeSpaces, 0),
    days: keys.map((k) => k.slice(5)),
    revenueYuan: revenue.map((fen) => fen / 100),
    entries,
    exits,
    occupancy: lots.map((l) => ({
      name: l.name,
      percent: l.capacity ? Math.round((1000 * l.occupied) / l.capacity) / 10 : 0,
    })),
  }
}
