// The signed parking codes (docs/codes.md): which ones a lane gets, and their printable PDF sheet, fetched with
// the operator's token (a plain link cannot send the header) and opened from a blob URL.
import { auth } from '../stores/auth'

export type LaneDirection = 'ENTRY' | 'EXIT'
export type LaneCodeKind = 'NO_PLATE' | 'EXIT'

/** An entry lane gets its no-plate code (无牌码); an exit lane its exit code (出口码) and its no-plate code. */
export function laneCodeKinds(direction: LaneDirection): LaneCodeKind[] {
  return direction === 'EXIT' ? ['EXIT', 'NO_PLATE'] : ['NO_PLATE']
}

export function sheetUrl(ids: string[], perPage = 1): string {
  return `/api/codes/sheet.pdf?ids=${ids.map(encodeURIComponent).join(',')}&perPage=${perPage}`
}

/** Opens the PDF sheet of the codes in a new tab. */
export async function openSheet(ids: string[], perPage = 1): Promise<void> {
  const headers: Record<string, string> = auth.token ? { Authorization: `Bearer ${auth.token}` } : {}
  const response = await fetch(sheetUrl(ids, perPage), { headers })
  if (!response.ok) throw new Error(`${response.status}`)
  const url = URL.createObjectURL(await response.blob())
  window.open(url, '_blank')
  // The new tab has read it by then; the blob would otherwise live as long as this page.
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}
