import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Client } from '@urql/vue'
import { watchLot } from '../src/graphql/console'
import type { SocketState } from '../src/graphql/client'

type Sink = (result: {
  data?: unknown
  error?: { message: string; graphQLErrors?: { extensions?: { code?: string } }[] }
}) => void

const UNAVAILABLE = {
  message: '实时推送暂时不可用，请稍后重新订阅',
  graphQLErrors: [{ extensions: { code: 'EVENTS_UNAVAILABLE' } }],
}

/** A urql client whose subscriptions are driven by the test. */
function fakeClient() {
  const sinks: Record<string, Sink> = {}
  const unsubscribed: string[] = []
  const subscribed: string[] = []
  const client = {
    subscription(doc: { definitions: { name?: { value: string } }[] }) {
      const name = doc.definitions[0].name?.value ?? '?'
      return {
        subscribe(sink: Sink) {
          sinks[name] = sink
          subscribed.push(name)
          return { unsubscribe: () => unsubscribed.push(name) }
        },
      }
    },
  } as unknown as Client
  return { client, sinks, unsubscribed, subscribed }
}

function fakeSocket() {
  let listener: ((s: SocketState) => void) | null = null
  return {
    watch: (l: (s: SocketState) => void) => {
      listener = l
      l('connecting')
      return () => (listener = null)
    },
    set: (s: SocketState) => listener?.(s),
  }
}

describe('watchLot', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  function setup() {
    const { client, sinks, unsubscribed, subscribed } = fakeClient()
    const socket = fakeSocket()
    const events: string[] = []
    const errors: (string | null)[] = []
    const poll = vi.fn(async () => {})
    const stop = watchLot(
      client,
      '7',
      { onEvent: (e) => events.push(e.plate), onAlarm: () => {}, onError: (m) => errors.push(m), poll },
      socket.watch,
    )
    return { sinks, unsubscribed, subscribed, socket, events, errors, poll, stop }
  }

  it('takes events from the subscription and never polls while the socket is live', async () => {
    const { sinks, socket, events, poll, errors } = setup()
    socket.set('live')
    sinks.LaneEventsLive({ data: { laneEvents: { id: '1', plate: '浙A12345' } } })
    await vi.advanceTimersByTimeAsync(5000)
    expect(events).toEqual(['浙A12345'])
    expect(poll).not.toHaveBeenCalled()
    expect(errors).toEqual([])
  })

  it('polls every second while the socket is down, then catches up once and stops when it is back', async () => {
    const { socket, poll, errors } = setup()
    socket.set('live')
    socket.set('down')
    await vi.advanceTimersByTimeAsync(3000)
    expect(poll).toHaveBeenCalledTimes(3)
    socket.set('connecting')
    socket.set('live')
    expect(poll).toHaveBeenCalledTimes(4) // the catch-up poll
    await vi.advanceTimersByTimeAsync(5000)
    expect(poll).toHaveBeenCalledTimes(4)
    expect(errors).toEqual(['websocket closed', null])
  })

  it('keeps polling when the server refuses a subscription even though the socket is up', async () => {
    const { sinks, socket, poll, errors } = setup()
    socket.set('live')
    sinks.AlarmsLive({ error: { message: 'permission denied' } })
    await vi.advanceTimersByTimeAsync(2000)
    expect(poll).toHaveBeenCalledTimes(2)
    expect(errors).toEqual(['permission denied'])
  })

  it('polls while Redis is down server-side and subscribes again with a backoff until it is back', async () => {
    const { sinks, socket, poll, errors, events, subscribed } = setup()
    socket.set('live')
    // the server ends the live subscription: its bus (Redis) dropped
    sinks.LaneEventsLive({ error: UNAVAILABLE })
    await vi.advanceTimersByTimeAsync(999)
    expect(poll).toHaveBeenCalledTimes(0)
    expect(subscribed.filter((n) => n === 'LaneEventsLive')).toHaveLength(1)
    // 1 s later: a new try (with a catch-up poll), refused again while Redis is still down
    await vi.advanceTimersByTimeAsync(1)
    expect(subscribed.filter((n) => n === 'LaneEventsLive')).toHaveLength(2)
    sinks.LaneEventsLive({ error: UNAVAILABLE })
    // the next try waits twice as long, polling every second meanwhile
    await vi.advanceTimersByTimeAsync(1999)
    expect(subscribed.filter((n) => n === 'LaneEventsLive')).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(1)
    expect(subscribed.filter((n) => n === 'LaneEventsLive')).toHaveLength(3)
    const polled = poll.mock.calls.length
    expect(polled).toBeGreaterThanOrEqual(3)
    // Redis is back: the new subscription delivers and nothing polls any more
    sinks.LaneEventsLive({ data: { laneEvents: { id: '2', plate: '浙A54321' } } })
    await vi.advanceTimersByTimeAsync(5000)
    expect(poll).toHaveBeenCalledTimes(polled)
    expect(events).toEqual(['浙A54321'])
    expect(errors).toEqual([UNAVAILABLE.message, null, UNAVAILABLE.message, null])
  })

  it('stops polling and unsubscribes both feeds when stopped', async () => {
    const { socket, poll, stop, unsubscribed } = setup()
    socket.set('down')
    stop()
    await vi.advanceTimersByTimeAsync(3000)
    expect(poll).not.toHaveBeenCalled()
    expect(unsubscribed.sort()).toEqual(['AlarmsLive', 'LaneEventsLive'])
  })
})
