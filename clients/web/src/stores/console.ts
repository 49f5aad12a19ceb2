// State of the cloud-seat console: one tile per lane and a queue of open alarms.
// Pure state transitions (no network) so they are unit-tested directly; the page feeds them from
// queries and subscriptions. Events may arrive twice or out of order (urql can deliver a
// subscription result twice), so every update is idempotent and keyed by id.
import { computed, reactive, shallowReactive } from 'vue'

export type Barrier = 'OPEN' | 'CLOSED' | 'UNKNOWN'

export interface ConsoleLane {
  id: string
  name: string
  direction: string
  mode: string
  online: boolean
}

export interface ConsoleEvent {
  id: string
  laneId: string
  sessionId?: string | null
  kind: string
  at: string
  plate: string
  plateColor: string
  confidence: number
  imageRef: string
  opened: boolean
  decisionReason: string
}

export interface ConsoleAlarm {
  id: string
  lotId: string
  laneId?: string | null
  sessionId?: string | null
  kind: string
  severity: string
  status: string
  raisedAt: string
  plate: string
  message: string
}

export interface LaneTile {
  lane: ConsoleLane
  latest: ConsoleEvent | null
  barrier: Barrier
  /** The vehicle held at the barrier waiting for the cloud seat, if any. */
  waiting: ConsoleEvent | null
  alarmCount: number
  eventCount: number
}

const SEVERITY_RANK: Record<string, number> = { CRITICAL: 0, WARNING: 1, INFO: 2 }
const SEEN_LIMIT = 5000

export function compareAlarms(a: ConsoleAlarm, b: ConsoleAlarm): number {
  const bySeverity = (SEVERITY_RANK[a.severity] ?? 9) - (SEVERITY_RANK[b.severity] ?? 9)
  if (bySeverity !== 0) return bySeverity
  // Oldest first within a severity: the one waiting longest is handled first.
  return a.raisedAt < b.raisedAt ? -1 : a.raisedAt > b.raisedAt ? 1 : Number(a.id) - Number(b.id)
}

export function createConsoleStore() {
  // shallowReactive per tile: an event replaces `latest` wholesale, so deep tracking would only cost time.
  const tiles = reactive(new Map<string, LaneTile>())
  const alarmsById = reactive(new Map<string, ConsoleAlarm>())
  const seenEvents = new Set<string>()
  const state = reactive({ selectedAlarmId: null as string | null, laneFilter: '', eventsApplied: 0 })

  function setLanes(lanes: readonly ConsoleLane[]): void {
    const keep = new Set(lanes.map((l) => l.id))
    for (const id of [...tiles.keys()]) if (!keep.has(id)) tiles.delete(id)
    for (const lane of lanes) {
      const tile = tiles.get(lane.id)
      if (tile) tile.lane = lane
      else
        tiles.set(
          lane.id,
          shallowReactive<LaneTile>({
            lane,
            latest: null,
            barrier: 'UNKNOWN',
            waiting: null,
            alarmCount: 0,
            eventCount: 0,
          }),
        )
    }
    recountAlarms()
  }

  /** Apply a lane event; returns false when it was a duplicate or for an unknown lane. */
  function applyEvent(event: ConsoleEvent): boolean {
    if (seenEvents.has(event.id)) return false
    const tile = tiles.get(String(event.laneId))
    if (!tile) return false
    seenEvents.add(event.id)
    if (seenEvents.size > SEEN_LIMIT) seenEvents.delete(seenEvents.values().next().value as string)
    tile.eventCount += 1
    state.eventsApplied += 1
    if (tile.latest && tile.latest.at > event.at) return true // older than what is shown: counted only
    tile.latest = event
    tile.barrier = event.opened ? 'OPEN' : 'CLOSED'
    tile.waiting = event.opened ? null : event
    return true
  }

  /** Insert or update an alarm; resolved alarms leave the queue. */
  function applyAlarm(alarm: ConsoleAlarm): void {
    if (alarm.status === 'RESOLVED') alarmsById.delete(alarm.id)
    else alarmsById.set(alarm.id, alarm)
    if (state.selectedAlarmId && !alarmsById.has(state.selectedAlarmId)) state.selectedAlarmId = queue.value[0]?.id ?? null
    recountAlarms()
  }

  function recountAlarms(): void {
    const counts = new Map<string, number>()
    for (const a of alarmsById.values()) if (a.laneId) counts.set(String(a.laneId), (counts.get(String(a.laneId)) ?? 0) + 1)
    for (const [id, tile] of tiles) {
      const n = counts.get(id) ?? 0
      if (tile.alarmCount !== n) tile.alarmCount = n
    }
  }

  /** Replace the queue with the unresolved alarms a query returned (polling: a missing one was resolved); with
   * `lotId`, only that lot's part of the queue (the console watches several lots, each polled on its own). */
  function syncAlarms(unresolved: readonly ConsoleAlarm[], lotId?: string): void {
    const keep = new Set(unresolved.map((a) => a.id))
    for (const [id, a] of [...alarmsById.entries()]) {
      if (!keep.has(id) && (lotId === undefined || String(a.lotId) === lotId)) alarmsById.delete(id)
    }
    for (const a of unresolved) alarmsById.set(a.id, a)
    if (state.selectedAlarmId && !alarmsById.has(state.selectedAlarmId)) state.selectedAlarmId = queue.value[0]?.id ?? null
    recountAlarms()
  }

  /** Mark a lane's barrier open right after a remote open succeeded (the event confirms it later). */
  function markOpened(laneId: string): void {
    const tile = tiles.get(laneId)
    if (!tile) return
    tile.barrier = 'OPEN'
    tile.waiting = null
  }

  const queue = computed(() => [...alarmsById.values()].sort(compareAlarms))

  const visibleTiles = computed(() => {
    const needle = state.laneFilter.trim().toLowerCase()
    const all = [...tiles.values()]
    if (!needle) return all
    return all.filter(
      (t) => t.lane.name.toLowerCase().includes(needle) || (t.latest?.plate ?? '').toLowerCase().includes(needle),
    )
  })

  const selectedAlarm = computed(() =>
    state.selectedAlarmId ? (alarmsById.get(state.selectedAlarmId) ?? null) : (queue.value[0] ?? null),
  )

  function moveSelection(step: 1 | -1): void {
    const list = queue.value
    if (list.length === 0) {
      state.selectedAlarmId = null
      return
    }
    const current = list.findIndex((a) => a.id === selectedAlarm.value?.id)
    const next = current < 0 ? 0 : (current + step + list.length) % list.length
    state.selectedAlarmId = list[next].id
  }

  return {
    state,
    tiles,
    queue,
    visibleTiles,
    selectedAlarm,
    setLanes,
    applyEvent,
    applyAlarm,
    syncAlarms,
    markOpened,
    moveSelection,
  }
}

export type ConsoleStore = ReturnType<typeof createConsoleStore>
