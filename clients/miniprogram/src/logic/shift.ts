// The shift handover's form rules (交接班): the cash counted is typed in yuan and sent as integer fen; opening needs a
// lot, and a lane only of that lot. Pure functions, so vitest checks them without a page.
import { t } from '@/locale'

// shiftClose's countedCashFen is a 32-bit column (parking/reports/shifts.py COUNTED_MAX_FEN).
export const COUNTED_MAX_FEN = 2 ** 31 - 1

/** Yuan as typed ("12", "12.5", "12.50", " 0.05 ") → integer fen, or null for anything else (negative, 3 decimals,
 *  letters, empty, beyond the column). Parsed from the digits, never through a float: 0.29 must be 29 fen. */
export function fenOfYuan(text: string): number | null {
  const match = /^(\d{1,9})(?:\.(\d{0,2}))?$/.exec(text.trim())
  if (!match) return null
  const fen = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'))
  return fen <= COUNTED_MAX_FEN ? fen : null
}

/** What is wrong with the counted cash as typed (the catalogue's text), or the fen to send. */
export function countedCash(text: string): { fen: number } | { error: string } {
  if (!text.trim()) return { error: t.shift.countedRequired }
  const fen = fenOfYuan(text)
  return fen === null ? { error: t.shift.countedInvalid } : { fen }
}

export type ShiftPlace = { lotId: string; lotName: string; lanes: { id: string; name: string }[] }

/** The variables of shiftOpen for the choice made, or what is missing: a lot, and a lane (optional) of that lot. */
export function openChoice(
  places: ShiftPlace[],
  lotId: string,
  laneId: string,
): { lotId: string; laneId: string | null } | { error: string } {
  const place = places.find((p) => p.lotId === lotId)
  if (!place) return { error: t.shift.lotRequired }
  if (laneId && !place.lanes.some((lane) => lane.id === laneId)) return { error: t.shift.laneInvalid }
  return { lotId, laneId: laneId || null }
}
