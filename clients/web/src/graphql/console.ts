// Cloud-seat operations. Remote open, plate correction, exit matching and fee waivers are typed from the
// SDL; the subscriptions and alarm acknowledge/resolve are still being added to the API in parallel, so
// those documents are parsed at runtime (untyped), and an operation the server does not know yet comes
// back as a readable error instead of breaking the page.
import { parse, type DocumentNode } from 'graphql'
import {
  ExitMatchSessionDocument,
  LaneRemoteOpenDocument,
  SessionCorrectPlateDocument,
  SessionWaiveFeeDocument,
} from './operations'
import type { Client } from '@urql/vue'
import { MutationError, unwrap, type CodedError } from './result'
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
    alarmAcknowledge(id: $id) { __typename ... on AlarmSuccess { alarm { ${ALARM_FIELDS} } } ... on Error { ${ERROR_FIELDS} } }
  }`),
  resolve: parse(`mutation AlarmResolve($id: ID!, $resolution: String!) {
    alarmResolve(id: $id, resolution: $resolution) { __typename ... on AlarmSuccess { alarm { ${ALARM_FIELDS} } } ... on Error { ${ERROR_FIELDS} } }
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
  onError: (message: string) => void
  /** Fetch what changed by query; used every `pollMs` while the subscriptions are unavailable. */
  poll: () => Promise<void>
  pollMs?: number
}

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

/** Subscribe to a lot's lane events and alarms; returns a function that stops both.
 * A server without the subscriptions (or a socket that fails) falls back to polling, so the console
 * keeps showing readings; the store de-duplicates whatever both paths deliver. */
export function watchLot(client: Client, lotId: string, handlers: LiveHandlers): () => void {
  let timer: ReturnType<typeof setInterval> | null = null
  let polling = false
  function fallBack(message: string) {
    handlers.onError(message)
    if (timer) return
    timer = setInterval(async () => {
      if (polling) return // a slow answer is not overtaken by the next tick
      polling = true
      try {
        await handlers.poll()
      } finally {
        polling = false
      }
    }, handlers.pollMs ?? 1000)
  }
  const events = client.subscription(LaneEventsLive, { lotId }).subscribe((result) => {
    if (result.error) fallBack(result.error.message)
    const event = (result.data as { laneEvents?: ConsoleEvent } | undefined)?.laneEvents
    if (event) handlers.onEvent(event)
  })
  const alarms = client.subscription(AlarmsLive, { lotIds: [lotId] }).subscribe((result) => {
    if (result.error) fallBack(result.error.message)
    const change = (result.data as { alarms?: AlarmChange } | undefined)?.alarms
    if (change) handlers.onAlarm(change)
  })
  return () => {
    if (timer) clearInterval(timer)
    events.unsubscribe()
    alarms.unsubscribe()
  }
}
