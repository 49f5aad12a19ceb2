import { describe, expect, it } from 'vitest'
import { compareAlarms, createConsoleStore, type ConsoleAlarm, type ConsoleEvent } from '../src/stores/console'

const lanes = [
  { id: '1', name: 'East in', direction: 'ENTRY', mode: 'AUTO', online: true },
  { id: '2', name: 'East out', direction: 'EXIT', mode: 'AUTO', online: true },
]

function event(id: string, laneId: string, at: string, opened: boolean, plate = '京A12345'): ConsoleEvent {
  return { id, laneId, kind: 'ENTRY', at, plate, plateColor: 'BLUE', confidence: 0.9, imageRef: '', opened, decisionReason: opened ? 'temporary' : 'low confidence' }
}

function alarm(id: string, severity: string, raisedAt: string, status = 'OPEN', laneId: string | null = '1'): ConsoleAlarm {
  return { id, lotId: '9', laneId, kind: 'LOW_CONFIDENCE', severity, status, raisedAt, plate: '京A12345', message: '' }
}

describe('console store: lanes', () => {
  it('shows the newest reading, its barrier state and who waits', () => {
    const store = createConsoleStore()
    store.setLanes(lanes)
    store.applyEvent(event('10', '1', '2026-11-21T10:00:00Z', true))
    store.applyEvent(event('11', '1', '2026-11-21T10:01:00Z', false, '京B99999'))
    const tile = store.tiles.get('1')!
    expect(tile.latest?.plate).toBe('京B99999')
    expect(tile.barrier).toBe('CLOSED')
    expect(tile.waiting?.id).toBe('11')
    expect(tile.eventCount).toBe(2)
  })

  it('ignores a duplicate delivery and keeps a late older event off the tile', () => {
    const store = createConsoleStore()
    store.setLanes(lanes)
    expect(store.applyEvent(event('11', '1', '2026-11-21T10:01:00Z', true))).toBe(true)
    expect(store.applyEvent(event('11', '1', '2026-11-21T10:01:00Z', true))).toBe(false)
    expect(store.applyEvent(event('10', '1', '2026-11-21T10:00:00Z', false, '沪C00001'))).toBe(true)
    const tile = store.tiles.get('1')!
    expect(tile.latest?.id).toBe('11')
    expect(tile.barrier).toBe('OPEN')
    expect(tile.waiting).toBeNull()
    expect(tile.eventCount).toBe(2)
    expect(store.state.eventsApplied).toBe(2)
  })

  it('drops events of lanes it does not show', () => {
    const store = createConsoleStore()
    store.setLanes(lanes)
    expect(store.applyEvent(event('12', '77', '2026-11-21T10:01:00Z', true))).toBe(false)
    expect(store.state.eventsApplied).toBe(0)
  })

  it('marks a lane open after a remote open and clears who waited', () => {
    const store = createConsoleStore()
    store.setLanes(lanes)
    store.applyEvent(event('11', '2', '2026-11-21T10:01:00Z', false))
    store.markOpened('2')
    expect(store.tiles.get('2')!.barrier).toBe('OPEN')
    expect(store.tiles.get('2')!.waiting).toBeNull()
  })

  it('filters tiles by lane name or plate', () => {
    const store = createConsoleStore()
    store.setLanes(lanes)
    store.applyEvent(event('11', '2', '2026-11-21T10:01:00Z', false, '粤Z12345'))
    store.state.laneFilter = 'out'
    expect(store.visibleTiles.value.map((t) => t.lane.id)).toEqual(['2'])
    store.state.laneFilter = '粤z'
    expect(store.visibleTiles.value.map((t) => t.lane.id)).toEqual(['2'])
    store.state.laneFilter = ''
    expect(store.visibleTiles.value.map((t) => t.lane.id)).toEqual(['1', '2'])
  })

  it('keeps up with 80 lanes at 10 events per second for a minute', () => {
    const store = createConsoleStore()
    store.setLanes(Array.from({ length: 80 }, (_, i) => ({ ...lanes[0], id: String(i), name: `L${i}` })))
    const base = Date.parse('2026-11-21T10:00:00Z')
    for (let n = 0; n < 600; n++) store.applyEvent(event(String(n), String(n % 80), new Date(base + n * 100).toISOString(), n % 3 !== 0))
    expect(store.state.eventsApplied).toBe(600)
    expect(store.tiles.get('79')!.latest?.id).toBe('559')
  })
})

describe('console store: alarm queue', () => {
  it('orders critical first, then the oldest', () => {
    const store = createConsoleStore()
    store.setLanes(lanes)
    store.applyAlarm(alarm('1', 'WARNING', '2026-11-21T10:00:00Z'))
    store.applyAlarm(alarm('2', 'CRITICAL', '2026-11-21T10:05:00Z'))
    store.applyAlarm(alarm('3', 'WARNING', '2026-11-21T09:00:00Z'))
    expect(store.queue.value.map((a) => a.id)).toEqual(['2', '3', '1'])
    expect(store.selectedAlarm.value?.id).toBe('2')
  })

  it('updates an alarm in place, removes it once resolved and counts alarms per lane', () => {
    const store = createConsoleStore()
    store.setLanes(lanes)
    store.applyAlarm(alarm('1', 'WARNING', '2026-11-21T10:00:00Z'))
    store.applyAlarm(alarm('2', 'WARNING', '2026-11-21T10:01:00Z'))
    expect(store.tiles.get('1')!.alarmCount).toBe(2)
    store.applyAlarm(alarm('1', 'WARNING', '2026-11-21T10:00:00Z', 'ACKNOWLEDGED'))
    expect(store.queue.value.map((a) => [a.id, a.status])).toEqual([
      ['1', 'ACKNOWLEDGED'],
      ['2', 'OPEN'],
    ])
    store.state.selectedAlarmId = '1'
    store.applyAlarm(alarm('1', 'WARNING', '2026-11-21T10:00:00Z', 'RESOLVED'))
    expect(store.queue.value.map((a) => a.id)).toEqual(['2'])
    expect(store.state.selectedAlarmId).toBe('2')
    expect(store.tiles.get('1')!.alarmCount).toBe(1)
  })

  it('moves the selection round the queue', () => {
    const store = createConsoleStore()
    store.applyAlarm(alarm('1', 'INFO', '2026-11-21T10:00:00Z'))
    store.applyAlarm(alarm('2', 'INFO', '2026-11-21T10:01:00Z'))
    store.moveSelection(1)
    expect(store.selectedAlarm.value?.id).toBe('2')
    store.moveSelection(1)
    expect(store.selectedAlarm.value?.id).toBe('1')
    store.moveSelection(-1)
    expect(store.selectedAlarm.value?.id).toBe('2')
  })

  it('compares by id when severity and time are equal', () => {
    const a = alarm('10', 'INFO', '2026-11-21T10:00:00Z')
    const b = alarm('9', 'INFO', '2026-11-21T10:00:00Z')
    expect(compareAlarms(a, b)).toBe(1)
  })
})

describe('console store: polling sync', () => {
  it('replaces the queue with what the query returned', () => {
    const store = createConsoleStore()
    store.setLanes(lanes)
    store.applyAlarm(alarm('1', 'WARNING', '2026-11-21T10:00:00Z'))
    store.applyAlarm(alarm('2', 'WARNING', '2026-11-21T10:01:00Z'))
    store.state.selectedAlarmId = '1'
    store.syncAlarms([alarm('2', 'WARNING', '2026-11-21T10:01:00Z', 'ACKNOWLEDGED'), alarm('3', 'CRITICAL', '2026-11-21T10:02:00Z')])
    expect(store.queue.value.map((a) => [a.id, a.status])).toEqual([
      ['3', 'OPEN'],
      ['2', 'ACKNOWLEDGED'],
    ])
    expect(store.state.selectedAlarmId).toBe('3')
    expect(store.tiles.get('1')!.alarmCount).toBe(2)
  })
})
