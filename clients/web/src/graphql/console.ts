// Cloud-seat operations and the console's live feed. Remote open, plate correction, exit matching and fee
// waivers are typed from the SDL; the subscriptions and alarm acknowledge/resolve documents are parsed at
// runtime, and an operation the server refuses comes back as a readable error instead of breaking the page.
import { parse, type DocumentNode } from 'graphql'
import {
  ExitMatchSessionDocument,
  LaneRemoteOpenDocument,
  SessionCorrectPlateDocument,
  SessionWaiveFeeDocument,
} from './operations'
import type { Client } from '@urql/vue'
import { EVENTS_UNAVAILABLE, resubscribing, watchSocket, type SocketState } from './client'
import { MutationError, hasErrorCode, unwrap, type CodedError } from './result'
import type { ConsoleAlarm, ConsoleEvent } from '../stores/console'

const EVENT_FIELDS = 'id lotId laneId sessionId kind at plate plateColor confidence imageRef opened decisionReason'
const ALARM_FIELDS = 'id lotId laneId sessionId kind severity status raisedAt plate message'
const ERROR_FIELDS = 'code message field'

export const LaneEventsLive: DocumentNode = parse(`
  subscription LaneEventsLive($lotId: ID!) { laneEvents(lotId: $lotId) { ${EVENT_FIELDS} } }
`)

export const AlarmsLive: DocumentNode = parse(`
  subscription AlarmsLive($lotIds: [ID!]) { alarms(lotIds: $lotIds) { change alarm { ${ALARM_FIELDS} } } }
`)

const ACTIONS: Record<string, DocumentNode> = {
  acknowledge: parse(`mutation AlarmAcknowledge($id: ID!) {
    alarmAcknowledge(id: $id) { __typename ... on AlarmSuccess { alarm { ${ALARM_FIELDS} } } ... on AlarmError { ${ERROR_FIELDS} } }
  }`),
  resolve: parse(`mutation AlarmResolve($id: ID!, $resolution: String!) {
    alarmResolve(id: $id, resolution: $resolution) { __typename ... on AlarmSuccess { alarm { ${ALARM_FIELDS} } } ... on AlarmError { ${ERROR_FIELDS} } }
  }`),
  open: LaneRemoteOpenDocument,
  correct: SessionCorrectPlateDocument,
  match: ExitMatchSessionDocument,
  waive: SessionWaiveFeeDocument,
}

export type ConsoleAction = 'acknowledge' | 'resolve' | 'open' | 'correct' | 'match' | 'waive'

export interface AlarmChange {
  change: string
  alarm: ConsoleAlarm
}

export interface LiveHandlers {
  onEvent: (event: ConsoleEvent) => void
  onAlarm: (change: AlarmChange) => void
  /** A message while the live feed is unavailable (and the page polls), null once it is live again. */
  onError: (message: string | null) => void
  /** Fetch what changed by query; used every `pollMs` while the live feed is unavailable. */
  poll: () => Promise<void>
  pollMs?: number
}

/** How watchLot follows the socket: `watchSocket` from ./client in the app, a fake in tests. */
export type SocketWatch = (listener: (state: SocketState) => void) => () => void

/** Send one console action; resolves with the success payload or throws MutationError. */
export async function runAction(
  client: Client,
  action: ConsoleAction,
  variables: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const result = await client.mutation(ACTIONS[action], variables).toPromise()
  if (result.error) throw new MutationError('UNAVAILABLE', result.error.message)
  const data = (result.data ?? {}) as Record<string, Record<string, unknown> | CodedError | null>
  const payload = Object.values(data)[0]
  return unwrap(payload as Record<string, unknown> | CodedError | null)
}

/** Subscribe to a lot's lane events and alarms over graphql-ws; returns a function that stops everything.
 *
 * Polling is the fallback only: it runs while the socket is down (or a subscription was refused) and stops
 * when the socket is live again, after one catch-up poll for what was missed. A subscription ended or refused
 * with EVENTS_UNAVAILABLE (the server's Redis is down) is tried again with a backoff, polling until then.
 * The store de-duplicates whatever both paths deliver. */
export function watchLot(
  client: Client,
  lotId: string,
  handlers: LiveHandlers,
  socket: SocketWatch = watchSocket,
): () => void {
  let timer: ReturnType<typeof setInterval> | null = null
  let polling = false
  let refused = false
  let socketState: SocketState = 'connecting'
  // Subscriptions the server ended or refused with EVENTS_UNAVAILABLE (Redis down) and not tried again yet:
  // poll meanwhile; each new try (resubscribing) is taken as live until the server says otherwise.
  let unavailable = 0
  async function pollOnce() {
    if (polling) return // a slow answer is not overtaken by the next tick
    polling = true
    try {
      await handlers.poll()
    } finally {
      polling = false
    }
  }
  function startPolling(message: string) {
    handlers.onError(message)
    timer ??= setInterval(() => void pollOnce(), handlers.pollMs ?? 1000)
  }
  function stopPolling() {
    if (!timer) return
    clearInterval(timer)
    timer = null
    handlers.onError(null)
    void pollOnce()
  }
  function refuse(message: string) {
    refused = true
    startPolling(message)
  }
  const stopWatching = socket((state) => {
    const was = socketState
    socketState = state
    if (state === 'down') startPolling('websocket closed')
    else if (state === 'live' && was !== 'live' && !refused && unavailable === 0) stopPolling()
  })
  function failed(error: { message: string }) {
    if (!hasErrorCode(error, EVENTS_UNAVAILABLE)) return refuse(error.message)
    unavailable += 1
    startPolling(error.message)
  }
  function retried() {
    unavailable -= 1
    if (unavailable === 0 && socketState === 'live' && !refused) stopPolling()
  }
  const events = resubscribing(
    (sink) => client.subscription(LaneEventsLive, { lotId }).subscribe(sink),
    (result) => {
      if (result.error) return failed(result.error)
      const event = (result.data as { laneEvents?: ConsoleEvent } | undefined)?.laneEvents
      if (event) handlers.onEvent(event)
    },
    retried,
  )
  const alarms = resubscribing(
    (sink) => client.subscription(AlarmsLive, { lotIds: [lotId] }).subscribe(sink),
    (result) => {
      if (result.error) return failed(result.error)
      const change = (result.data as { alarms?: AlarmChange } | undefined)?.alarms
      if (change) handlers.onAlarm(change)
    },
    retried,
  )
  return () => {
    if (timer) clearInterval(timer)
    stopWatching()
    events.unsubscribe()
    alarms.unsubscribe()
  }
}
