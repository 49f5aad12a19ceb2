// A schematic lot map with no tiles: lots placed by their coordinates on a plain SVG canvas, so it works offline.
// Longitudes are scaled by cos(latitude) so distances look right at Chinese latitudes.

export interface MapLot {
  lotId: string
  name: string
  capacity: number
  freeSpaces: number
  latitude?: number | null
  longitude?: number | null
}

export interface PlacedLot<T extends MapLot = MapLot> {
  lot: T
  x: number
  y: number
  r: number
  /** Free share 0..1, for the colour. */
  free: number
}

export interface LotMapLayout<T extends MapLot = MapLot> {
  width: number
  height: number
  placed: PlacedLot<T>[]
  /** Lots with no coordinates: listed beside the map instead. */
  unplaced: T[]
}

const PAD = 40

/** Place lots in a `width` x `height` box; one lot or lots on one spot land in the middle. */
export function layoutLots<T extends MapLot>(lots: T[], width = 800, height = 500): LotMapLayout<T> {
  const known = lots.filter((l) => l.latitude != null && l.longitude != null)
  const unplaced = lots.filter((l) => l.latitude == null || l.longitude == null)
  if (!known.length) return { width, height, placed: [], unplaced }
  const lats = known.map((l) => l.latitude as number)
  const midLat = (Math.min(...lats) + Math.max(...lats)) / 2
  const k = Math.cos((midLat * Math.PI) / 180)
  const xs = known.map((l) => (l.longitude as number) * k)
  const ys = lats
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)]
  // One scale for both axes (no stretching), set by whichever axis is fuller; all on one spot: scale 0.
  const fits = [
    x1 > x0 ? (width - 2 * PAD) / (x1 - x0) : Infinity,
    y1 > y0 ? (height - 2 * PAD) / (y1 - y0) : Infinity,
  ]
  const scale = Math.min(...fits) === Infinity ? 0 : Math.min(...fits)
  const round = (v: number) => Math.round(v * 10) / 10
  const maxCapacity = Math.max(...known.map((l) => l.capacity), 1)
  const placed = known.map((lot, i) => ({
    lot,
    // Centred on the box; north is up, so y grows as latitude falls.
    x: round(width / 2 + (xs[i] - (x0 + x1) / 2) * scale),
    y: round(height / 2 - (ys[i] - (y0 + y1) / 2) * scale),
    r: 8 + 16 * Math.sqrt(lot.capacity / maxCapacity),
    free: lot.capacity ? Math.max(0, Math.min(1, lot.freeSpaces / lot.capacity)) : 0,
  }))
  return { width, height, placed, unplaced }
}

/** Red when full, amber when few spaces are left, green otherwise. */
export function freeColour(free: number): string {
  if (free <= 0) return '#d03050'
  if (free < 0.2) return '#f0a020'
  return '#18a058'
}
