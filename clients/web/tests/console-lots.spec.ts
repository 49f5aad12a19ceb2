import { describe, expect, it } from 'vitest'
import { createConsoleStore } from '../src/stores/console'

const alarm = (id: string, lotId: string) => ({
  id,
  lotId,
  laneId: null,
  sessionId: null,
  kind: 'LOT_FULL',
  severity: 'WARNING',
  status: 'OPEN',
  raisedAt: '2026-12-06T10:00:00Z',
  plate: '',
  message: '',
})

describe('a console watching several lots', () => {
  it("syncs one lot's alarms from its poll without dropping the other lots'", () => {
    const store = createConsoleStore()
    store.syncAlarms([alarm('1', '7'), alarm('2', '7'), alarm('3', '8')])
    // Lot 7's poll: alarm 2 was resolved; lot 8's alarm stays queued.
    store.syncAlarms([alarm('1', '7')], '7')
    expect(store.queue.value.map((a) => a.id).sort()).toEqual(['1', '3'])
    // Without a lot the answer is the whole queue, as before.
    store.syncAlarms([alarm('3', '8')])
    expect(store.queue.value.map((a) => a.id)).toEqual(['3'])
  })
})
