// The lot map's pure parts: the lot shape it draws, the colour of a dot, and where the China map opens.

export interface MapLot {
  lotId: string
  name: string
  capacity: number
  freeSpaces: number
  latitude?: number | null
  longitude?: number | null
}

export function freeColour(free: number): string {
  if (free <= 0) return '#d03050'
  if (free < 0.2) return '#f0a020'
  return '#18a058'
}

// The China map's extent in degrees (the bundled src/maps/china.json), for fitting the view to the lots.
const CHINA_SPAN = { lng: 62, lat: 36 }
const CHINA_CENTRE: [number, number] = [104.2, 35.9]

/** Where the China map opens: on the lots with coordinates, zoomed so they all fit with a margin; all China
 *  when there are none. Zoom 1 shows the whole country; lots on one spot get a view of their region (zoom 12). */
export function mapFocus(lots: MapLot[]): { center: [number, number]; zoom: number } {
  const known = lots.filter((l) => l.latitude != null && l.longitude != null)
  if (!known.length) return { center: CHINA_CENTRE, zoom: 1 }
  const lngs = known.map((l) => l.longitude as number)
  const lats = known.map((l) => l.latitude as number)
  const [w, e, s, n] = [Math.min(...lngs), Math.max(...lngs), Math.min(...lats), Math.max(...lats)]
  // A third of the view is margin, so the labels under the dots stay on the map.
  const fit = Math.min(CHINA_SPAN.lng / ((e - w) * 1.5 || 1), CHINA_SPAN.lat / ((n - s) * 1.5 || 1))
  const zoom = Math.max(1, Math.min(12, Math.round(fit * 10) / 10))
  return { center: [(w + e) / 2, (s + n) / 2], zoom }
}

/** Which side of its dot each lot's label goes: away from its nearest neighbour, so two lots a street apart
 *  label outwards (west one left, east one right) instead of printing their names over each other. */
export function labelSides(lots: MapLot[]): Map<string, 'left' | 'right'> {
  const placed = lots.filter((l) => l.latitude != null && l.longitude != null)
  const sides = new Map<string, 'left' | 'right'>()
  for (const lot of placed) {
    let nearest: MapLot | null = null
    let best = Infinity
    for (const other of placed) {
      if (other === lot) continue
      const d = ((other.longitude as number) - (lot.longitude as number)) ** 2 + ((other.latitude as number) - (lot.latitude as number)) ** 2
      if (d < best) [best, nearest] = [d, other]
    }
    const eastOfMe = nearest != null && (nearest.longitude as number) > (lot.longitude as number)
    sides.set(lot.lotId, eastOfMe ? 'left' : 'right')
  }
  return sides
}
