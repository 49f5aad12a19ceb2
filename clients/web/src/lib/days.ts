// Calendar days as the API's Date strings (YYYY-MM-DD), counted in the browser's local calendar.

export function isoDay(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

/** The day `offset` days from `now` (negative: earlier). */
export function dayFrom(now: Date, offset: number): string {
  return isoDay(new Date(now.getFullYear(), now.getMonth(), now.getDate() + offset))
}
