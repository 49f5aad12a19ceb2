// The staff's lanes with their live status: the newest lane event per lane, from the first page of laneEvents and
// then each event the subscription (or a poll) brings. Pure: the page keeps the list, these give the next one.

export interface LaneEventView {
  id: string
  laneId: string
  at: string
  plate: string
  kind: string
  opened: boolean
  decisionReason: string
}

export interface LaneView {
  id: string
  name: string
  direction: 'ENTRY' | 'EXIT'
  lotId: string
  lotName: string
  last: LaneEventView | null
}

/** The lanes with `event` as their status when it is newer than what they show (ties: the later id). */
export function applyEvent(lanes: readonly LaneView[], event: LaneEventView): LaneView[] {
  return lanes.map((lane) => {
    if (lane.id !== event.laneId) return lane
    const last = lane.last
    if (last && (last.at > event.at || (last.at === event.at && Number(last.id) >= Number(event.id)))) return lane
    return { ...lane, last: event }
  })
}

export function applyEvents(lanes: readonly LaneView[], events: readonly LaneEventView[]): LaneView[] {
  return events.reduce<LaneView[]>((acc, event) => applyEvent(acc, event), [...lanes])
}

/** The lots the lanes belong to, in the order first seen. */
export function lotsOf(lanes: readonly LaneView[]): { id: string; name: string }[] {
  const seen = new Map<string, string>()
  for (const lane of lanes) if (!seen.has(lane.lotId)) seen.set(lane.lotId, lane.lotName)
  return [...seen].map(([id, name]) => ({ id, name }))
}
