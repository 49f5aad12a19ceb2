/** Money is integer fen in the API; the dashboard shows yuan with two decimals. */
export function yuan(fen: number): string {
  return (fen / 100).toFixed(2)
}

/** A UTC ISO timestamp shown in the browser's local time, to the second. */
export function when(iso: string | null | undefined): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const pad = (n: number) => String(n).padStart(2, '0')
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  )
}
