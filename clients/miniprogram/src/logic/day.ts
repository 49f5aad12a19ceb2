// Days and the day's figures for the staff and merchant pages. Days are the phone's local calendar days (the
// staff are where their lot is); the API counts revenue and traffic in the lot's time zone.

function pad(n: number): string {
  return String(n).padStart(2, '0')
}

/** 'YYYY-MM-DD' of a moment in the local calendar. */
export function localDay(at: Date = new Date()): string {
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`
}

/** The first day of the moment's month, 'YYYY-MM-01'. */
export function monthStart(at: Date = new Date()): string {
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-01`
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
