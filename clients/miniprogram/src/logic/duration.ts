import { t } from '@/locale'
import { lotWall } from './day'

/** How long since `from` (ISO time) until `now`, in the catalogue's words: "2 小时 5 分钟". */
export function elapsed(from: string, now: Date = new Date()): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - new Date(from).getTime()) / 60000))
  if (minutes < 60) return t.duration.minutes(minutes)
  const hours = Math.floor(minutes / 60)
  if (hours < 24) return t.duration.hours(hours, minutes % 60)
  return t.duration.days(Math.floor(hours / 24), hours % 24)
}

/** The lot's wall-clock time of an ISO instant: "12-06 14:05". */
export function clock(iso: string): string {
  const d = lotWall(new Date(iso))
  const two = (n: number) => String(n).padStart(2, '0')
  return `${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`
}

/** The lot's wall-clock hour and minute of an ISO instant: "14:05". */
export function hourMinute(iso: string): string {
  return clock(iso).slice(-5)
}

export function distance(meters: number): string {
  return meters < 1000 ? t.distance.meters(meters) : t.distance.kilometers((meters / 1000).toFixed(1))
}
