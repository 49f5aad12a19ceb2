// The lots' wall clock. Days, hours and times on the dashboard are the lot's, as on its bills, displays and the
// API's daily figures, not the browser's: a manager abroad, or a browser set to UTC, still sees a lot's "today".

/** Every lot's default zone (the API's `Lot.timezone` default); the dashboard counts days in it. */
export const LOT_TIME_ZONE = 'Asia/Shanghai'

export interface WallClock {
  year: number
  month: number // 1-12
  day: number
  hour: number
  minute: number
  second: number
}

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    formatters.set(timeZone, f)
  }
  return f
}

/** The wall clock in `timeZone` at the instant `at`. */
export function wallClock(at: Date, timeZone: string = LOT_TIME_ZONE): WallClock {
  const parts: Record<string, number> = {}
  for (const p of formatter(timeZone).formatToParts(at)) if (p.type !== 'literal') parts[p.type] = Number(p.value)
  return {
    year: parts.year,
    month: parts.month,
    day: parts.day,
    hour: parts.hour,
    minute: parts.minute,
    second: parts.second,
  }
}

const pad = (n: number) => String(n).padStart(2, '0')

/** The lot's calendar day of an instant, 'YYYY-MM-DD' (the API's Date). */
export function lotDay(at: Date, timeZone: string = LOT_TIME_ZONE): string {
  const c = wallClock(at, timeZone)
  return `${c.year}-${pad(c.month)}-${pad(c.day)}`
}

/** The calendar day `offset` days from a 'YYYY-MM-DD' day (negative: earlier). Pure date arithmetic. */
export function addDays(day: string, offset: number): string {
  const [y, m, d] = day.split('-').map(Number)
  const t = new Date(Date.UTC(y, m - 1, d + offset))
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`
}

/** An instant as the lot's wall time, 'YYYY-MM-DD HH:MM:SS'. */
export function lotDateTime(at: Date, timeZone: string = LOT_TIME_ZONE): string {
  const c = wallClock(at, timeZone)
  return `${c.year}-${pad(c.month)}-${pad(c.day)} ${pad(c.hour)}:${pad(c.minute)}:${pad(c.second)}`
}

/**
 * The instant at which the lot's clock shows `wall` ('YYYY-MM-DD HH:MM:SS', or a day alone for its midnight): what a
 * date picker's wall time means on a lot's tariff or filter, whatever the browser's zone. The zone's offset is found
 * from the clock itself (two rounds settle it, also across a daylight-saving change in zones that have one).
 */
export function lotInstant(wall: string, timeZone: string = LOT_TIME_ZONE): Date {
  const [day, time = '00:00:00'] = wall.trim().split(/[ T]/)
  const [y, mo, d] = day.split('-').map(Number)
  const [h = 0, mi = 0, s = 0] = time.split(':').map(Number)
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s)
  let at = asUtc
  for (let round = 0; round < 2; round++) {
    const c = wallClock(new Date(at), timeZone)
    const shown = Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second)
    at += asUtc - shown
  }
  return new Date(at)
}
