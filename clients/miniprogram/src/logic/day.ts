// Days and the day's figures for the staff and merchant pages. Days are the lot's calendar days, as the API counts
// revenue and traffic, whatever zone the phone is set to (a phone abroad, or an H5 page on a UTC machine).

/**
 * China Standard Time, every lot's default zone, as a fixed offset: Asia/Shanghai keeps UTC+8 all year (no daylight
 * saving since 1991), and fixed arithmetic needs no Intl time-zone data, which not every WeChat runtime carries.
 */
export const LOT_UTC_OFFSET_MINUTES = 480

function pad(n: number): string {
  return String(n).padStart(2, '0')
}

/** The lot's wall clock at an instant, read through the UTC getters of a shifted Date. */
export function lotWall(at: Date): Date {
  return new Date(at.getTime() + LOT_UTC_OFFSET_MINUTES * 60_000)
}

/** 'YYYY-MM-DD' of a moment in the lot's calendar. */
export function lotDay(at: Date = new Date()): string {
  const w = lotWall(at)
  return `${w.getUTCFullYear()}-${pad(w.getUTCMonth() + 1)}-${pad(w.getUTCDate())}`
}

/** The first day of the moment's month in the lot's calendar, 'YYYY-MM-01'. */
export function monthStart(at: Date = new Date()): string {
  const w = lotWall(at)
  return `${w.getUTCFullYear()}-${pad(w.getUTCMonth() + 1)}-01`
}

export interface RevenueLike {
  paidFen: number
  refundedFen: number
  orders: number
}

/** Net revenue (paid less refunded) and order count over all channels. */
export function revenueTotal(points: readonly RevenueLike[]): { netFen: number; orders: number } {
  return points.reduce(
    (acc, p) => ({ netFen: acc.netFen + p.paidFen - p.refundedFen, orders: acc.orders + p.orders }),
    { netFen: 0, orders: 0 },
  )
}

export function trafficTotal(points: readonly { entries: number; exits: number }[]): { entries: number; exits: number } {
  return points.reduce((acc, p) => ({ entries: acc.entries + p.entries, exits: acc.exits + p.exits }), {
    entries: 0,
    exits: 0,
  })
}

/** An ISO moment `hours` after `from` (a visitor's pass). */
export function hoursLater(from: Date, hours: number): string {
  return new Date(from.getTime() + hours * 3600_000).toISOString()
}
