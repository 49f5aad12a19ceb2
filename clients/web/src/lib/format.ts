import { lotDateTime } from './lotTime'

/** Money is integer fen in the API; the dashboard shows yuan with two decimals. */
export function yuan(fen: number): string {
  return (fen / 100).toFixed(2)
}

/** A UTC ISO timestamp shown as the lot's wall time, to the second. */
export function when(iso: string | null | undefined): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return lotDateTime(d)
}
